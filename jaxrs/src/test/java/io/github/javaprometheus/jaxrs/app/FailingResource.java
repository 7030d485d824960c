package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

@Path("fail")
@Produces(MediaType.TEXT_PLAIN)
public class FailingResource {

  /** No mapper: Jersey hands it to the container, a 500. */
  @GET
  @Path("unmapped")
  public String unmapped() {
    throw new IllegalStateException("unmapped");
  }

  /** {@link BadArgumentMapper} answers 400. */
  @GET
  @Path("mapped")
  public String mapped() {
    throw new IllegalArgumentException("bad id");
  }

  /** JAX-RS answers with the exception's own response. */
  @GET
  @Path("conflict")
  public String conflict() {
    throw new WebApplicationException(Response.status(409).entity("already there").build());
  }

  /** The resource says 404 itself: an exception of this view, unlike a path no resource matched. */
  @GET
  @Path("missing")
  public String missing() {
    throw new NotFoundException("no such thing");
  }

  /** Unmapped and checked: Jersey hands it to the container inside its ContainerException. */
  @GET
  @Path("checked")
  public String checked() throws IOException {
    throw new IOException("disk full");
  }

  /** {@link BrokenMapper} fails on it: Jersey answers 500. */
  @GET
  @Path("mapper-fails")
  public String mapperFails() {
    throw new UnsupportedOperationException("not yet");
  }
}
