package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.EndpointAccess;
import io.github.javaprometheus.core.MetricFamilies;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@code /metrics} endpoint: client_java's servlet, which negotiates the Prometheus text,
 * OpenMetrics and protobuf formats and gzip from the request headers and supports {@code name[]}
 * filtering. Requests to it are counted under the view {@code prometheus-java-metrics}
 * ({@code prometheus-django-metrics} in the django profile).
 *
 * <p>Protected like the exporter port by {@code prometheus.auth.*} and {@code
 * prometheus.allowed-networks} ({@link EndpointAccess}): 403 for a network not allowed, 401 with a
 * basic challenge for missing or wrong credentials. A security framework in front of it (Spring
 * Security) stays in charge of the path; this check comes after it.
 */
public final class MetricsServlet extends PrometheusMetricsServlet {
  private static final long serialVersionUID = 1L;

  private transient EndpointAccess access;

  /** Serves the given registry, open to anyone. */
  public MetricsServlet(PrometheusRegistry registry) {
    this(registry, EndpointAccess.open());
  }

  /** Serves the given registry to the clients {@code access} allows. */
  public MetricsServlet(PrometheusRegistry registry, EndpointAccess access) {
    super(registry);
    this.access = Objects.requireNonNull(access, "access");
  }

  /**
   * Serves {@link PrometheusRegistry#defaultRegistry}, protected by the settings of the usual
   * sources; for registration in {@code web.xml}.
   */
  public MetricsServlet() {
    super(PrometheusRegistry.defaultRegistry);
    this.access = EndpointAccess.of(MetricFamilies.defaults().settings());
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    EndpointAccess a = access;
    if (a != null && !a.isOpen()) {
      EndpointAccess.Decision decision =
          a.check(
              remote(request),
              request.getHeader("X-Forwarded-For"),
              request.getHeader("Authorization"));
      if (decision != EndpointAccess.Decision.ALLOWED) {
        refuse(response, decision, a);
        return;
      }
    }
    super.service(request, response);
  }

  private static InetAddress remote(HttpServletRequest request) {
    // getRemoteAddr is the socket's peer unless the container was told to believe proxies itself
    // (Tomcat's RemoteIpValve, Spring's ForwardedHeaderFilter); it is always an address literal.
    return io.github.javaprometheus.core.Networks.literal(request.getRemoteAddr());
  }

  private static void refuse(
      HttpServletResponse response, EndpointAccess.Decision decision, EndpointAccess access)
      throws IOException {
    boolean unauthorized = decision == EndpointAccess.Decision.UNAUTHORIZED;
    response.setStatus(unauthorized ? 401 : 403);
    if (unauthorized) {
      response.setHeader("WWW-Authenticate", access.challenge());
    }
    response.setContentType("text/plain;charset=utf-8");
    byte[] body = (unauthorized ? "Unauthorized\n" : "Forbidden\n").getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
