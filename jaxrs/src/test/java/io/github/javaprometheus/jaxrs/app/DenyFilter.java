package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/** A post-matching filter, as an authorisation check: refuses requests with {@code X-Deny}. */
@Provider
public class DenyFilter implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getHeaderString("X-Deny") != null) {
      throw new ForbiddenException("denied");
    }
  }
}
