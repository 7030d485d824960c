package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("users")
@Produces(MediaType.TEXT_PLAIN)
public class UserResource {

  @GET
  @Path("{id}")
  public String get(@PathParam("id") String id) {
    return "user " + id;
  }

  @POST
  public Response create(String name) {
    return Response.status(201).entity("created " + name).build();
  }

  /** A sub-resource locator: the view is the method of the returned resource. */
  @Path("{id}/orders")
  public OrdersResource orders(@PathParam("id") String id) {
    return new OrdersResource(id);
  }
}
