package io.github.javaprometheus.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jaxrs.app.EventsResource;
import io.github.javaprometheus.jaxrs.app.StreamResource;
import io.github.javaprometheus.jaxrs.app.UserResource;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.ResolvedView;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

/** The view of a resource method: its name, stable across restarts, and whether it streams. */
class ResourceViewsTest {
  private static final String APP = "io.github.javaprometheus.jaxrs.app.";

  /** JAX-RS annotations on an interface, as with a proxy-based resource. */
  @Path("greetings")
  public interface Greetings {
    @GET
    String hello();
  }

  @Path("ticks")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public static class Ticks {
    @GET
    public void ticks() {}
  }

  private static Method method(Class<?> type, String name) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new AssertionError(type + " has no " + name);
  }

  private static Class<?> generatedSubclass(Class<?> type, String suffix) {
    return new ByteBuddy()
        .subclass(type)
        .name(type.getName() + suffix)
        .make()
        .load(ResourceViewsTest.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
        .getLoaded();
  }

  @Test
  void theViewIsTheResourceClassAndTheMethodName() {
    ResolvedView view = ResourceViews.view(UserResource.class, method(UserResource.class, "get"));
    assertThat(view.name()).isEqualTo(APP + "UserResource.get");
    assertThat(view.streaming()).isFalse();
  }

  @Test
  void generatedSubclassesAreNamedByTheUsersClass() {
    for (String suffix :
        new String[] {"$$SpringCGLIB$$0", "$$EnhancerBySpringCGLIB$$5f1c2a", "$Proxy$_$$_WeldSubclass", "$ByteBuddy$Mock"}) {
      Class<?> generated = generatedSubclass(UserResource.class, suffix);
      assertThat(ResourceViews.view(generated, method(generated, "get")).name())
          .as(suffix)
          .isEqualTo(APP + "UserResource.get");
    }
  }

  @Test
  void aJdkProxyIsNamedByTheInterfaceThatDeclaresTheMethod() {
    Object proxy =
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Greetings.class}, (p, m, a) -> "hi");
    assertThat(ResourceViews.view(proxy.getClass(), method(Greetings.class, "hello")).name())
        .isEqualTo("io.github.javaprometheus.jaxrs.ResourceViewsTest$Greetings.hello");
  }

  @Test
  void streamingOutputAndServerSentEventsStream() {
    assertThat(ResourceViews.view(StreamResource.class, method(StreamResource.class, "numbers")).streaming())
        .isTrue();
    // An SseEventSink parameter.
    assertThat(ResourceViews.view(EventsResource.class, method(EventsResource.class, "events")).streaming())
        .isTrue();
    // text/event-stream on the class.
    assertThat(ResourceViews.view(Ticks.class, method(Ticks.class, "ticks")).streaming()).isTrue();
    assertThat(ResourceViews.view(UserResource.class, method(UserResource.class, "create")).streaming())
        .isFalse();
  }

  private static ContainerRequestContext request(Map<String, Object> properties, boolean failing) {
    return (ContainerRequestContext)
        Proxy.newProxyInstance(
            ResourceViewsTest.class.getClassLoader(),
            new Class<?>[] {ContainerRequestContext.class},
            (proxy, m, args) -> {
              if (failing) {
                throw new IllegalStateException("request gone");
              }
              if (m.getName().equals("setProperty")) {
                properties.put((String) args[0], args[1]);
                return null;
              }
              throw new AssertionError("the filter called " + m.getName());
            });
  }

  @Test
  void theFilterPutsItsOneViewOnTheRequestAndAFailureIsCountedNotThrown() {
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    ResolvedView view = ResourceViews.view(UserResource.class, method(UserResource.class, "get"));
    ResourceViews.ViewFilter filter = new ResourceViews.ViewFilter(view, families.errors());

    Map<String, Object> first = new HashMap<>();
    Map<String, Object> second = new HashMap<>();
    filter.filter(request(first, false));
    filter.filter(request(second, false));
    assertThat(first).containsExactly(Map.entry(PrometheusAfterFilter.VIEW_ATTRIBUTE, view));
    assertThat(second.get(PrometheusAfterFilter.VIEW_ATTRIBUTE)).isSameAs(view);

    filter.filter(request(new HashMap<>(), true));
    assertThat(TextScrape.of(registry).samplesStartingWith("java_instrumentation_errors_total"))
        .containsExactly("java_instrumentation_errors_total{component=\"jaxrs\"} 1.0");
  }
}
