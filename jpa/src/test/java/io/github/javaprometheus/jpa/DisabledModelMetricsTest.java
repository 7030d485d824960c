package io.github.javaprometheus.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.SettingSource;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.tool.schema.Action;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code prometheus.enabled=false}, from each source of the settings model, in the JVM's default
 * families (what Spring Boot installs, and what a plain application started with {@code
 * -Dprometheus.enabled=false} loads): a Hibernate session factory with no property of ours gets no
 * listener, its writes land in the database exactly as without the library, and nothing is counted,
 * by the Hibernate listeners or by the JPA entity listener.
 */
class DisabledModelMetricsTest {

  /** The rows of the application's tables, read over plain JDBC, one string per row. */
  private static List<String> rows(Path file) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT title, pages FROM Book ORDER BY title")) {
        while (rs.next()) {
          rows.add("Book " + rs.getString(1) + " " + rs.getInt(2));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT name FROM Author ORDER BY name")) {
        while (rs.next()) {
          rows.add("Author " + rs.getString(1));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT text FROM Note ORDER BY text")) {
        while (rs.next()) {
          rows.add("Note " + rs.getString(1));
        }
      }
    }
    return rows;
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void writesGoThroughAndNothingIsCounted(SettingSource source, @TempDir Path dir)
      throws Exception {
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            source.framework("prometheus.enabled", "false"),
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    assertThat(settings.enabled()).isFalse();
    PrometheusRegistry registry = new PrometheusRegistry();
    List<String> defaultBefore =
        TextScrape.of(PrometheusRegistry.defaultRegistry).samplesStartingWith("java_model_");
    Path file = dir.resolve("disabled.db");

    AutoCloseable installed = MetricFamilies.installDefault(MetricFamilies.create(settings, registry));
    try {
      // Schema kept at close (CREATE_DROP would drop it), so the rows can be read after.
      try (EntityManagerFactory emf =
          Units.sqlite(file)
              .schemaToolingAction(Action.CREATE)
              .createEntityManagerFactory()) {
        assertThat(CountingFactories.any()).isFalse();
        Book dune = new Book("Dune", 412);
        Book emma = new Book("Emma", 1);
        Note note = new Note("hello");
        Units.commit(
            emf,
            em -> {
              em.persist(dune);
              em.persist(emma);
              em.persist(new Author("Herbert"));
              em.persist(note);
            });
        Units.commit(
            emf,
            em -> {
              em.find(Book.class, dune.id).pages = 413;
              em.find(Note.class, note.id).text = "hello again";
            });
        Units.commit(emf, em -> em.remove(em.find(Book.class, emma.id)));
        Units.rollBack(emf, em -> em.persist(new Book("Rolled back", 7)));

        Units.commit(
            emf,
            em -> {
              assertThat(em.find(Book.class, dune.id).pages).isEqualTo(413);
              assertThat(em.find(Book.class, emma.id)).isNull();
            });
      }
    } finally {
      installed.close();
    }

    assertThat(rows(file)).containsExactly("Book Dune 413", "Author Herbert", "Note hello again");
    assertThat(registry.scrape().size()).isZero();
    assertThat(TextScrape.of(PrometheusRegistry.defaultRegistry).samplesStartingWith("java_model_"))
        .isEqualTo(defaultBefore);
  }
}
