package io.github.javaprometheus.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rules pass {@code promtool check rules} and their unit tests ({@code promtool test
 * rules}: every rule with input series, every alert firing and not firing); the dashboards are what
 * their generator writes and use only the documented variables.
 */
class ShippedRulesTest {

  @Test
  void promtoolChecksTheRules() {
    Processes.Result r =
        Processes.run(Duration.ofSeconds(60), Tools.require("promtool").toString(), "check", "rules", Shipped.RULES.toString());
    assertThat(r.exitCode()).withFailMessage("%s%s", r.output(), r.errors()).isZero();
    assertThat(r.output()).contains("SUCCESS: 25 rules found");
  }

  @Test
  void promtoolRunsTheRuleUnitTests() {
    Processes.Result r =
        Processes.run(
            Duration.ofSeconds(120),
            new ProcessBuilder(Tools.require("promtool").toString(), "test", "rules", Shipped.RULE_TESTS.getFileName().toString())
                .directory(Shipped.RULE_TESTS.getParent().toFile())
                .redirectErrorStream(true),
            null);
    assertThat(r.exitCode()).withFailMessage("%s", r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void theDashboardsAreWhatTheGeneratorWrites(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("generate.py");
    Files.copy(Shipped.GRAFANA.resolve("generate.py"), script);
    Processes.run(Duration.ofSeconds(60), Tools.require("python3").toString(), script.toString()).requireSuccess();
    for (Path shipped : Shipped.dashboards()) {
      assertThat(dir.resolve(shipped.getFileName())).as(shipped.toString()).hasSameTextualContentAs(shipped);
    }
    assertThat(Shipped.dashboards()).hasSize(3);
  }

  @Test
  void everyQueryUsesOnlyTheDocumentedVariables() {
    assertThat(Shipped.queries()).hasSizeGreaterThan(60);
    for (Shipped.Query q : Shipped.queries()) {
      String stripped =
          q.expr().replace("${prefix}", "").replace("$__rate_interval", "").replace("$job", "").replace("$instance", "").replace("$view", "");
      assertThat(stripped).as(q.toString()).doesNotContain("$");
      assertThat(Shipped.resolved(q.expr())).as(q.toString()).doesNotContain("$");
    }
  }
}
