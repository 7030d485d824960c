package io.github.javaprometheus.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jaxrs.app.ShopApplication;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.ResolvedView;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Proxy;
import java.net.URI;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the feature gets into a Jersey application (service-loaded, once, not at all when disabled,
 * never into a client), and that off a servlet container it changes nothing: Jersey's own
 * in-memory handler, no servlet request.
 */
class PrometheusJaxRsFeatureTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private AutoCloseable installed;

  private MetricFamilies install(PrometheusSettings settings) {
    MetricFamilies families = MetricFamilies.create(settings, registry);
    installed = MetricFamilies.installDefault(families);
    return families;
  }

  @AfterEach
  void uninstall() throws Exception {
    if (installed != null) {
      installed.close();
    }
  }

  private static long viewFeatures(ApplicationHandler handler) {
    return handler.getConfiguration().getInstances().stream()
        .filter(ResourceViews.class::isInstance)
        .count();
  }

  private static ContainerResponse get(ApplicationHandler handler, String path) throws Exception {
    ContainerRequest request =
        new ContainerRequest(
            URI.create("http://localhost/"),
            URI.create("http://localhost" + path),
            "GET",
            null,
            new MapPropertiesDelegate(),
            handler.getConfiguration());
    return handler.apply(request).get();
  }

  @Test
  void isServiceLoadedIntoAnApplicationThatRegistersNothingOfOurs() {
    install(PrometheusSettings.defaults());
    ApplicationHandler handler = new ApplicationHandler(new ShopApplication());
    assertThat(handler.getConfiguration().isRegistered(PrometheusJaxRsFeature.class)).isTrue();
    assertThat(viewFeatures(handler)).isEqualTo(1);
    assertThat(handler.getConfiguration().isRegistered(UnmatchedView.class)).isTrue();
    assertThat(handler.getConfiguration().isRegistered(JerseyExceptions.class)).isTrue();
  }

  @Test
  void registeredByTheApplicationAsWellItConfiguresOnce() {
    MetricFamilies families = install(PrometheusSettings.defaults());
    ResourceConfig app = new ShopApplication().register(new PrometheusJaxRsFeature(families));
    assertThat(viewFeatures(new ApplicationHandler(app))).isEqualTo(1);
  }

  @Test
  void withServiceLoadingOffOnlyAnExplicitRegistrationCounts() {
    MetricFamilies families = install(PrometheusSettings.defaults());
    assertThat(viewFeatures(new ApplicationHandler(ShopApplication.withoutServiceLoading())))
        .isZero();
    ResourceConfig app =
        ShopApplication.withoutServiceLoading().register(new PrometheusJaxRsFeature(families));
    assertThat(viewFeatures(new ApplicationHandler(app))).isEqualTo(1);
  }

  @Test
  void disabledItRegistersNothing() throws Exception {
    install(PrometheusSettings.builder().set("prometheus.enabled", "false").build());
    ApplicationHandler handler = new ApplicationHandler(new ShopApplication());
    assertThat(viewFeatures(handler)).isZero();
    assertThat(handler.getConfiguration().isRegistered(UnmatchedView.class)).isFalse();
    assertThat(handler.getConfiguration().isRegistered(JerseyExceptions.class)).isFalse();
    assertThat(get(handler, "/users/1").getEntity()).isEqualTo("user 1");
    assertThat(registry.scrape().size()).isZero();
  }

  @Test
  void offAServletContainerResponsesAreUnchangedAndNothingFails() throws Exception {
    install(PrometheusSettings.defaults());
    ApplicationHandler handler = new ApplicationHandler(new ShopApplication());

    ContainerResponse user = get(handler, "/users/1");
    assertThat(user.getStatus()).isEqualTo(200);
    assertThat(user.getEntity()).isEqualTo("user 1");
    // The view is a request property of Jersey's own; nothing reads it there.
    assertThat(user.getRequestContext().getProperty(PrometheusAfterFilter.VIEW_ATTRIBUTE))
        .isInstanceOf(ResolvedView.class)
        .hasToString("io.github.javaprometheus.jaxrs.app.UserResource.get");
    ContainerResponse mapped = get(handler, "/fail/mapped");
    assertThat(mapped.getStatus()).isEqualTo(400);
    assertThat(mapped.getEntity()).isEqualTo("bad argument: bad id");
    assertThat(
            mapped.getRequestContext().getProperty(PrometheusAfterFilter.HANDLED_EXCEPTIONS_ATTRIBUTE))
        .isNull();
    assertThat(get(handler, "/fail/conflict").getStatus()).isEqualTo(409);
    assertThat(get(handler, "/nowhere").getStatus()).isEqualTo(404);

    assertThat(TextScrape.of(registry).samplesStartingWith("java_instrumentation_errors_total"))
        .isEmpty();
  }

  @Test
  void aClientIsLeftAlone() {
    MetricFamilies families = install(PrometheusSettings.defaults());
    Configuration client =
        (Configuration)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Configuration.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getRuntimeType")) {
                    return RuntimeType.CLIENT;
                  }
                  throw new AssertionError("the feature asked a client for " + method.getName());
                });
    FeatureContext context =
        (FeatureContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {FeatureContext.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConfiguration")) {
                    return client;
                  }
                  throw new AssertionError("the feature called " + method.getName() + " on a client");
                });
    assertThat(new PrometheusJaxRsFeature(families).configure(context)).isFalse();
    assertThat(new PrometheusJaxRsFeature().configure(context)).isFalse();
  }
}
