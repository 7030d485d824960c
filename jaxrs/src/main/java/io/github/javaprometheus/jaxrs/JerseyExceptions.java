package io.github.javaprometheus.jaxrs;

import io.github.javaprometheus.core.InstrumentationErrors;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.glassfish.jersey.server.internal.process.MappableException;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Jersey's request events, which tell what became of an exception: every exception raised after a
 * resource method was matched (by the resource method, a post-matching filter, an interceptor or
 * the writer of its result) whose mapping finished is recorded with {@link
 * PrometheusAfterFilter#recordHandledException}, as the exception the resource raised (Jersey's
 * {@code MappableException} and {@code CompletionException} wrappers are looked through).
 *
 * <ul>
 *   <li>Mapped by an application {@code ExceptionMapper}, or a {@code WebApplicationException}
 *       answered by JAX-RS itself: recorded (the filter never sees it).
 *   <li>Unmapped: Jersey hands it to the servlet container, where the filter counts it as it
 *       escapes. An unmapped one is recorded as well: the filter counts the same instance once,
 *       also when it reaches the container inside Jersey's {@code ContainerException} (a checked
 *       exception or an {@code Error}), under the resource's type; an async request, whose
 *       exception never reaches the filter, is counted through it.
 *   <li>Raised while matching (no resource for the path: 404; 405, 406, 415) or by a pre-matching
 *       filter: no view raised it, nothing is recorded.
 * </ul>
 *
 * <p>One shared, stateless listener: no object per request.
 */
final class JerseyExceptions implements ApplicationEventListener, RequestEventListener {
  private final InstrumentationErrors errors;

  /** Jersey's proxy to the servlet request of the current request; null off a servlet container. */
  @Context private HttpServletRequest servletRequest;

  private JerseyExceptions(InstrumentationErrors errors) {
    this.errors = errors;
  }

  static Object listener(InstrumentationErrors errors) {
    return new JerseyExceptions(errors);
  }

  @Override
  public void onEvent(ApplicationEvent event) {}

  @Override
  public RequestEventListener onRequest(RequestEvent requestEvent) {
    return this;
  }

  @Override
  public void onEvent(RequestEvent event) {
    if (event.getType() != RequestEvent.Type.EXCEPTION_MAPPING_FINISHED) {
      return;
    }
    try {
      Throwable exception = event.getException();
      HttpServletRequest request = servletRequest;
      if (exception == null || request == null || event.getUriInfo().getMatchedResourceMethod() == null) {
        return;
      }
      PrometheusAfterFilter.recordHandledException(request, raised(exception));
    } catch (RuntimeException | LinkageError e) {
      errors.record(PrometheusJaxRsFeature.COMPONENT, e);
    }
  }

  /** The exception the resource raised, without Jersey's and the JDK's wrappers. */
  static Throwable raised(Throwable exception) {
    Throwable t = exception;
    while ((t instanceof MappableException
            || t instanceof CompletionException
            || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
