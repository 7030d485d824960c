package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.SettingSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filters a container instantiates itself ({@code web.xml}) take {@link
 * MetricFamilies#defaults()}: with {@code prometheus.enabled=false}, from any source, they hand
 * the very request and response on without touching them (not even to read the method), and
 * nothing is registered.
 */
class DisabledFiltersTest {

  /** A request or response that fails on any use: the filter must not look at it. */
  private static <T> T untouchable(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals")
                    ? proxy == args[0]
                    : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy)
                        : "untouchable " + type.getSimpleName();
              }
              throw new AssertionError("the disabled filter called " + method);
            }));
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void theNoArgumentFiltersPassEverythingOnUntouched(SettingSource source, @TempDir Path dir)
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            source.framework("prometheus.enabled", "false"),
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    AutoCloseable installed =
        MetricFamilies.installDefault(MetricFamilies.create(settings, registry));
    try {
      Filter before = new PrometheusBeforeFilter();
      Filter after = new PrometheusAfterFilter();
      before.init(null);
      after.init(null);
      HttpServletRequest request = untouchable(HttpServletRequest.class);
      HttpServletResponse response = untouchable(HttpServletResponse.class);
      List<Object> seen = new ArrayList<>();
      before.doFilter(
          request,
          response,
          (ServletRequest req, ServletResponse res) ->
              after.doFilter(
                  req,
                  res,
                  (ServletRequest innerReq, ServletResponse innerRes) -> {
                    seen.add(innerReq);
                    seen.add(innerRes);
                  }));
      assertThat(seen).containsExactly(request, response);
    } finally {
      installed.close();
    }
    assertThat(registry.scrape().size()).isZero();
  }
}
