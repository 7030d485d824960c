package io.github.javaprometheus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolsTest {
  @Test
  void findsAnExecutableOnThePath() {
    assertThat(Tools.require("sh")).isAbsolute().isExecutable();
  }

  @Test
  void python3IsDebiansInterpreterFirst() {
    assertThat(Tools.candidates("python3")).first().isEqualTo(Path.of("/usr/bin/python3"));
  }

  @Test
  void postgresBinariesAreLookedForUnderUsrLibPostgresqlFirst() {
    assertThat(Tools.candidates("pg_ctl").get(0).toString())
        .matches("/usr/lib/postgresql/[0-9]+/bin/pg_ctl|/.*/pg_ctl");
  }

  @Test
  void aMissingToolFailsUnderCiNamingThePackageAndTheInstallScript() {
    assertThatThrownBy(
            () -> Tools.require("promtool", List.of(Path.of("/nonexistent/promtool")), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "promtool is not installed (looked in [/nonexistent/promtool]): run"
                + " scripts/install-test-tools.sh, which installs the Debian package prometheus;"
                + " CI=true, so a missing tool fails the run");
  }

  @Test
  void aMissingToolFailsWithoutCiToo() {
    assertThatThrownBy(() -> Tools.require("memcached", List.of(), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("memcached; tests that need real servers fail, they never skip");
  }
}
