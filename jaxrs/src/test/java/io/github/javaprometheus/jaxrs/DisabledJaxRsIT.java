package io.github.javaprometheus.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import jakarta.servlet.Filter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With {@code prometheus.enabled=false} the service-loaded feature registers nothing: after
 * Jersey has served a request, mapped exception included, no view and no exception is on the
 * servlet request, and the registry holds no family at all.
 */
class DisabledJaxRsIT {

  private final List<String> seen = new CopyOnWriteArrayList<>();

  /** Next to Jersey's servlet: what Jersey left on the servlet request. */
  private final Filter probe =
      (request, response, chain) -> {
        chain.doFilter(request, response);
        Object exceptions = request.getAttribute(PrometheusAfterFilter.HANDLED_EXCEPTIONS_ATTRIBUTE);
        seen.add(
            request.getAttribute(PrometheusAfterFilter.VIEW_ATTRIBUTE)
                + " "
                + (exceptions == null ? null : exceptions.getClass().getSimpleName()));
      };

  @ParameterizedTest
  @EnumSource(ServletServer.Kind.class)
  void enabledTheFeatureLeavesTheViewAndTheExceptionOnTheServletRequest(ServletServer.Kind kind)
      throws Exception {
    try (JaxRsSite site = JaxRsSite.startWith(kind, JaxRsSite.Mode.INSTRUMENTED, probe)) {
      assertThat(site.get("/api/users/1").text()).isEqualTo("user 1");
      assertThat(site.get("/api/fail/mapped").status()).isEqualTo(400);
      assertThat(site.get("/api/nowhere").status()).isEqualTo(404);
      awaitSeen(3);
      // The probe writes after the response is out: the order of the three is the servers'.
      assertThat(seen)
          .containsExactlyInAnyOrder(
              "io.github.javaprometheus.jaxrs.app.UserResource.get null",
              "io.github.javaprometheus.jaxrs.app.FailingResource.mapped IllegalArgumentException",
              "<unnamed view> null");
    }
  }

  @ParameterizedTest
  @EnumSource(ServletServer.Kind.class)
  void disabledTheFeatureIsNotActive(ServletServer.Kind kind) throws Exception {
    try (JaxRsSite site = JaxRsSite.startWith(kind, JaxRsSite.Mode.DISABLED, probe)) {
      assertThat(site.get("/api/users/1").text()).isEqualTo("user 1");
      assertThat(site.get("/api/fail/mapped").status()).isEqualTo(400);
      assertThat(site.get("/api/fail/conflict").status()).isEqualTo(409);
      assertThat(site.get("/api/nowhere").status()).isEqualTo(404);
      awaitSeen(4);
      assertThat(seen).containsExactly("null null", "null null", "null null", "null null");
      assertThat(site.registry.scrape().size()).isZero();
    }
  }

  /** The probe runs after the client has its response: wait (10 s at most) for its records. */
  private void awaitSeen(int count) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (seen.size() < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the probe saw " + seen + ", expected " + count + " requests");
      }
      Thread.sleep(5);
    }
  }
}
