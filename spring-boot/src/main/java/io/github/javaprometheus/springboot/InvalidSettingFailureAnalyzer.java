package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.InvalidSettingException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a malformed {@code prometheus.*} setting into Spring Boot's short start-up report. */
final class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Fix " + cause.key() + " in application properties, system properties or the environment.",
        cause);
  }
}
