package io.github.javaprometheus.exporter;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.github.javaprometheus.core.EndpointAccess;
import java.net.InetSocketAddress;

/**
 * The exporter's side of {@link EndpointAccess}, as client_java's HTTPServer takes it: 403 for a
 * network not allowed, 401 with a basic challenge for missing or wrong credentials.
 */
final class ExporterAuthenticator extends Authenticator {
  private final EndpointAccess access;
  private final HttpPrincipal principal = new HttpPrincipal("prometheus", "prometheus");

  ExporterAuthenticator(EndpointAccess access) {
    this.access = access;
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    InetSocketAddress remote = exchange.getRemoteAddress();
    EndpointAccess.Decision decision =
        access.check(
            remote == null ? null : remote.getAddress(),
            exchange.getRequestHeaders().getFirst("X-Forwarded-For"),
            exchange.getRequestHeaders().getFirst("Authorization"));
    switch (decision) {
      case ALLOWED:
        return new Success(principal);
      case FORBIDDEN:
        return new Failure(403);
      default:
        exchange.getResponseHeaders().set("WWW-Authenticate", access.challenge());
        return new Retry(401);
    }
  }
}
