package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExcludedPathsTest {

  @Test
  void antPatternsMatchLikeSpring() {
    ExcludedPaths p = new ExcludedPaths(List.of("/health", "/actuator/**", "/static/*.css", "/a?c"));
    assertThat(p.matches("/health")).isTrue();
    assertThat(p.matches("/health/x")).isFalse();
    assertThat(p.matches("/actuator")).isTrue();
    assertThat(p.matches("/actuator/metrics/jvm")).isTrue();
    assertThat(p.matches("/actuatorx")).isFalse();
    assertThat(p.matches("/static/site.css")).isTrue();
    assertThat(p.matches("/static/sub/site.css")).isFalse();
    assertThat(p.matches("/abc")).isTrue();
    assertThat(p.matches("/a/c")).isFalse();
  }

  @Test
  void doubleStarInTheMiddleSpansZeroOrMoreSegments() {
    ExcludedPaths p = new ExcludedPaths(List.of("/api/**/internal"));
    assertThat(p.matches("/api/internal")).isTrue();
    assertThat(p.matches("/api/v1/x/internal")).isTrue();
    assertThat(p.matches("/api/v1/internals")).isFalse();
  }

  @Test
  void regexCharactersInPatternsAreLiteral() {
    ExcludedPaths p = new ExcludedPaths(List.of("/a.b/**"));
    assertThat(p.matches("/a.b/c")).isTrue();
    assertThat(p.matches("/axb/c")).isFalse();
  }
}
