package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Returned by {@link UserResource#orders}; not registered itself. */
@Produces(MediaType.TEXT_PLAIN)
public class OrdersResource {
  private final String user;

  public OrdersResource(String user) {
    this.user = user;
  }

  @GET
  public String list() {
    return "orders of " + user;
  }
}
