package io.github.javaprometheus.jaxrs.app;

import org.glassfish.jersey.server.ResourceConfig;

/**
 * A Jersey application as users write one: resources and an exception mapper, nothing of
 * java-prometheus (its feature is service-loaded from the jar).
 */
public final class ShopApplication extends ResourceConfig {

  public ShopApplication() {
    register(UserResource.class);
    register(FailingResource.class);
    register(StreamResource.class);
    register(EventsResource.class);
    register(BadArgumentMapper.class);
    register(BrokenMapper.class);
    register(DenyFilter.class);
  }

  /** The same application, without the library: JAX-RS service loading off. */
  public static ShopApplication withoutServiceLoading() {
    ShopApplication app = new ShopApplication();
    app.property("jakarta.ws.rs.loadServices", false);
    return app;
  }
}
