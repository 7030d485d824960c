package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An exception mapper that itself fails. */
@Provider
public class BrokenMapper implements ExceptionMapper<UnsupportedOperationException> {
  @Override
  public Response toResponse(UnsupportedOperationException e) {
    throw new IllegalStateException("the mapper broke");
  }
}
