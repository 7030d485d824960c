package io.github.javaprometheus.jaxrs;

import io.github.javaprometheus.core.InstrumentationErrors;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.ResolvedView;
import io.github.javaprometheus.servlet.ViewNames;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Gives every resource method, once, when the application starts, a request filter of its own that
 * holds the method's {@link ResolvedView}: a request then costs one request property (the servlet
 * request's attribute), nothing looked up and nothing allocated.
 */
final class ResourceViews implements DynamicFeature {
  /** First of all post-matching filters, so a request an authentication filter refuses is named too. */
  static final int PRIORITY = Integer.MIN_VALUE;

  private final InstrumentationErrors errors;

  ResourceViews(InstrumentationErrors errors) {
    this.errors = errors;
  }

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    try {
      Method method = resourceInfo.getResourceMethod();
      Class<?> type = resourceInfo.getResourceClass();
      if (method == null || type == null) {
        return;
      }
      context.register(new ViewFilter(view(type, method), errors), PRIORITY);
    } catch (RuntimeException | LinkageError e) {
      errors.record(PrometheusJaxRsFeature.COMPONENT, e);
    }
  }

  /**
   * The view of a resource method: its resource class, fully qualified, a dot, the method name; a
   * class generated at run time (CDI proxy, CGLIB or ByteBuddy subclass) is named by the user's
   * class, as for every handler ({@link ViewNames}).
   */
  static ResolvedView view(Class<?> resourceClass, Method method) {
    Class<?> type = resourceClass;
    if (Proxy.isProxyClass(type) || type.isHidden()) {
      // An interface-based proxy: the method is declared where the user wrote it.
      type = method.getDeclaringClass();
    }
    return ResolvedView.of(ViewNames.of(type) + "." + method.getName(), streams(method));
  }

  /** {@code StreamingOutput} results and server-sent events stream their body. */
  static boolean streams(Method method) {
    if (StreamingOutput.class.isAssignableFrom(method.getReturnType())) {
      return true;
    }
    for (Class<?> parameter : method.getParameterTypes()) {
      if (SseEventSink.class.isAssignableFrom(parameter)) {
        return true;
      }
    }
    Produces produces = method.getAnnotation(Produces.class);
    if (produces == null) {
      produces = method.getDeclaringClass().getAnnotation(Produces.class);
    }
    if (produces != null) {
      for (String value : produces.value()) {
        for (String type : value.split(",")) {
          if (type.trim().toLowerCase(java.util.Locale.ROOT).startsWith(MediaType.SERVER_SENT_EVENTS)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Names the view of the requests its resource method serves. */
  static final class ViewFilter implements ContainerRequestFilter {
    private final ResolvedView view;
    private final InstrumentationErrors errors;

    ViewFilter(ResolvedView view, InstrumentationErrors errors) {
      this.view = view;
      this.errors = errors;
    }

    ResolvedView view() {
      return view;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      try {
        // On a servlet container the request's properties are the servlet request's attributes.
        request.setProperty(PrometheusAfterFilter.VIEW_ATTRIBUTE, view);
      } catch (RuntimeException | LinkageError e) {
        errors.record(PrometheusJaxRsFeature.COMPONENT, e);
      }
    }
  }
}
