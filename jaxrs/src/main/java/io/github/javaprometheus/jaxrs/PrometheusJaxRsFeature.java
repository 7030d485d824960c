package io.github.javaprometheus.jaxrs;

import io.github.javaprometheus.core.InstrumentationErrors;
import io.github.javaprometheus.core.MetricFamilies;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.util.Objects;

/**
 * JAX-RS (Jakarta REST) on a servlet container, for the servlet module's {@code
 * PrometheusAfterFilter}: names the {@code view} of each request after the resource method that
 * served it ({@code com.example.UserResource.get}; {@code <unnamed view>} when no resource method
 * matched), and, on Jersey, records the exceptions a resource raised that an {@code
 * ExceptionMapper} (or JAX-RS itself, for a {@code WebApplicationException}) turned into a
 * response, so that they are counted by type and view like thrown ones.
 *
 * <p>Needs no code: the jar lists this feature in {@code META-INF/services/jakarta.ws.rs.core.Feature},
 * which Jakarta REST 3.1+ implementations load on the server (Jersey does unless {@code
 * jakarta.ws.rs.loadServices=false}); registering it yourself as well registers it once. The
 * filters themselves still come from the servlet module (Spring Boot, {@code
 * PrometheusServlets.install} or {@code web.xml}).
 *
 * <p>With {@code prometheus.enabled=false} it registers nothing. It never changes a response: the
 * view and the exceptions travel as request attributes (JAX-RS request properties are the servlet
 * request's attributes), and any failure inside it is counted in {@code
 * <p>_instrumentation_errors_total{component="jaxrs"}} and otherwise ignored. Off a servlet
 * container the attributes are never read and nothing is counted.
 */
public final class PrometheusJaxRsFeature implements Feature {
  static final String COMPONENT = "jaxrs";
  private static final String JERSEY_LISTENER =
      "org.glassfish.jersey.server.monitoring.ApplicationEventListener";

  private final MetricFamilies families;

  /**
   * Service-loaded: the {@linkplain MetricFamilies#defaults() default families}, the ones a
   * framework installed (Spring Boot) or else settings from the usual sources.
   */
  public PrometheusJaxRsFeature() {
    this.families = null;
  }

  /** Takes its settings and its instrumentation-errors counter from the given families. */
  public PrometheusJaxRsFeature(MetricFamilies families) {
    this.families = Objects.requireNonNull(families, "families");
  }

  @Override
  public boolean configure(FeatureContext context) {
    if (context.getConfiguration().getRuntimeType() != RuntimeType.SERVER) {
      return false;
    }
    // Invalid settings stop the application here, with the same one line as in the filters.
    MetricFamilies f = families != null ? families : MetricFamilies.defaults();
    if (!f.enabled()) {
      return false;
    }
    InstrumentationErrors errors = f.errors();
    try {
      if (context.getConfiguration().isRegistered(ResourceViews.class)) {
        // Registered by the application and service-loaded as well: once is enough.
        return false;
      }
      context.register(new ResourceViews(errors));
      context.register(new UnmatchedView(errors), UnmatchedView.PRIORITY);
      if (jerseyPresent()) {
        context.register(JerseyExceptions.listener(errors));
      }
      return true;
    } catch (RuntimeException | LinkageError e) {
      errors.record(COMPONENT, e);
      return false;
    }
  }

  private static boolean jerseyPresent() {
    try {
      Class.forName(JERSEY_LISTENER, false, PrometheusJaxRsFeature.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
