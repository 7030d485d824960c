package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.MetricFamilies;
import org.springframework.beans.factory.DisposableBean;

/**
 * Installs a context's families as the JVM's {@linkplain MetricFamilies#defaults() defaults} for
 * as long as the context runs, so what {@code DriverManager}, a JPA provider or a container creates
 * records into them; closing the context (a DevTools restart, a test context) gives them back.
 */
final class DefaultFamilies implements DisposableBean {
  private final AutoCloseable installed;

  DefaultFamilies(MetricFamilies families) {
    this.installed = MetricFamilies.installDefault(families);
  }

  @Override
  public void destroy() throws Exception {
    installed.close();
  }
}
