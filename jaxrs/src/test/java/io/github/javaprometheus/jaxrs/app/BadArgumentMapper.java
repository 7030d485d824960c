package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class BadArgumentMapper implements ExceptionMapper<IllegalArgumentException> {
  @Override
  public Response toResponse(IllegalArgumentException e) {
    return Response.status(400).type(MediaType.TEXT_PLAIN).entity("bad argument: " + e.getMessage()).build();
  }
}
