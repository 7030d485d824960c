package io.github.javaprometheus.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Hibernate listeners count, on one real database (SQLite file or PostgreSQL server). */
abstract class ModelOperationsContract {
  Units units;
  EntityManagerFactory emf;

  /** A fresh persistence unit on the database under test. */
  abstract HibernatePersistenceConfiguration unit();

  @BeforeEach
  void open() {
    units = new Units();
    emf = units.open(unit());
  }

  @AfterEach
  void close() {
    if (emf != null) {
      emf.close();
    }
  }

  private double inserts(String model) {
    return units.value("inserts", model);
  }

  private double updates(String model) {
    return units.value("updates", model);
  }

  private double deletes(String model) {
    return units.value("deletes", model);
  }

  @Test
  void everyEntityHasItsThreeSeriesAtZeroFromStartUp() {
    assertThat(units.scrape().samplesStartingWith("java_model_"))
        .containsExactlyInAnyOrder(
            "java_model_inserts_total{model=\"Book\"} 0.0",
            "java_model_inserts_total{model=\"Note\"} 0.0",
            "java_model_inserts_total{model=\"Pen\"} 0.0",
            "java_model_inserts_total{model=\"writer\"} 0.0",
            "java_model_updates_total{model=\"Book\"} 0.0",
            "java_model_updates_total{model=\"Note\"} 0.0",
            "java_model_updates_total{model=\"Pen\"} 0.0",
            "java_model_updates_total{model=\"writer\"} 0.0",
            "java_model_deletes_total{model=\"Book\"} 0.0",
            "java_model_deletes_total{model=\"Note\"} 0.0",
            "java_model_deletes_total{model=\"Pen\"} 0.0",
            "java_model_deletes_total{model=\"writer\"} 0.0");
    assertThat(units.scrape().text())
        .contains("# HELP java_model_inserts_total Number of insert operations by model.\n")
        .contains("# TYPE java_model_inserts_total counter\n");
  }

  @Test
  void insertsUpdatesAndDeletesCountWhenTheirTransactionCommits() {
    EntityManager em = emf.createEntityManager();
    em.getTransaction().begin();
    Book book = new Book("Dune", 412);
    em.persist(book);
    em.persist(new Author("Herbert"));
    em.persist(new PenEntity("red"));
    em.flush();
    // Written, not yet committed: a rollback could still undo it.
    assertThat(inserts("Book")).isZero();
    em.getTransaction().commit();
    assertThat(inserts("Book")).isEqualTo(1);
    assertThat(inserts("writer")).isEqualTo(1);
    assertThat(inserts("Pen")).isEqualTo(1);

    em.getTransaction().begin();
    book.pages = 413;
    em.getTransaction().commit();
    assertThat(updates("Book")).isEqualTo(1);

    em.getTransaction().begin();
    em.remove(book);
    em.getTransaction().commit();
    em.close();
    assertThat(deletes("Book")).isEqualTo(1);
    assertThat(inserts("Book")).isEqualTo(1);
    assertThat(updates("writer")).isZero();
    assertThat(deletes("Pen")).isZero();
  }

  @Test
  void everyRowWriteHibernateExecutesCountsOnceAtTheCommit() {
    Units.commit(
        emf,
        em -> {
          Book book = new Book("Emma", 1);
          em.persist(book);
          em.flush();
          book.pages = 2;
          em.flush();
          // Changed again: a second UPDATE at the commit's flush, as a second save() in Django.
          book.pages = 3;
        });
    assertThat(inserts("Book")).isEqualTo(1);
    assertThat(updates("Book")).isEqualTo(2);
  }

  @Test
  void aRolledBackTransactionCountsNothing() {
    Units.rollBack(emf, em -> em.persist(new Book("Never", 1)));
    assertThat(inserts("Book")).isZero();

    String id = insertBook("Kept");
    Units.rollBack(emf, em -> em.find(Book.class, id).pages = 99);
    Units.rollBack(emf, em -> em.remove(em.find(Book.class, id)));
    assertThat(inserts("Book")).isEqualTo(1);
    assertThat(updates("Book")).isZero();
    assertThat(deletes("Book")).isZero();
    Units.commit(emf, em -> assertThat(em.find(Book.class, id).pages).isEqualTo(10));
  }

  @Test
  void eightThreadsSavingEntitiesAreCountedExactly() throws Exception {
    int threads = 8;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  Book book = new Book("t" + thread + "-" + i, i);
                  Units.commit(emf, em -> em.persist(book));
                  if (i % 2 == 0) {
                    Units.commit(emf, em -> em.find(Book.class, book.id).pages = -1);
                  }
                  if (i % 4 == 0) {
                    Units.commit(emf, em -> em.remove(em.find(Book.class, book.id)));
                  }
                  // Every thread also rolls one write back per round: never counted.
                  Units.rollBack(emf, em -> em.persist(new Book("rolled back", 0)));
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(inserts("Book")).isEqualTo(threads * perThread);
    assertThat(updates("Book")).isEqualTo(threads * perThread / 2);
    assertThat(deletes("Book")).isEqualTo(threads * perThread / 4);
    long[] rows = new long[1];
    Units.commit(
        emf, em -> rows[0] = em.createQuery("select count(b) from Book b", Long.class).getSingleResult());
    assertThat(rows[0]).isEqualTo(threads * perThread - threads * perThread / 4);
  }

  @Test
  void bulkStatementsBypassTheEventsAndBulkOperationsCountThemAtCommit() {
    insertBook("a");
    insertBook("b");
    insertBook("c");
    Units.commit(emf, em -> em.createQuery("update Book b set b.pages = 0").executeUpdate());
    // The statement changed three rows without loading an entity: no event, nothing counted.
    assertThat(updates("Book")).isZero();

    Units.commit(
        emf,
        em ->
            assertThat(
                    BulkOperations.updated(
                        em, Book.class, em.createQuery("update Book b set b.pages = 1").executeUpdate()))
                .isEqualTo(3));
    assertThat(updates("Book")).isEqualTo(3);

    Units.rollBack(
        emf,
        em ->
            BulkOperations.deleted(
                em, Book.class, em.createQuery("delete from Book b").executeUpdate()));
    assertThat(deletes("Book")).isZero();

    Units.commit(
        emf,
        em ->
            BulkOperations.deleted(
                em, Book.class, em.createQuery("delete from Book b where b.title <> 'a'").executeUpdate()));
    assertThat(deletes("Book")).isEqualTo(2);
    assertThat(inserts("Book")).isEqualTo(3);
  }

  private String insertBook(String title) {
    Book book = new Book(title, 10);
    Units.commit(emf, em -> em.persist(book));
    return book.id;
  }
}
