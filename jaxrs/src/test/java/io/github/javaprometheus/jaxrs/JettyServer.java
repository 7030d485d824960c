package io.github.javaprometheus.jaxrs;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee11, Servlet 6.1, as Spring Boot's Jetty starter) on a free loopback port. */
final class JettyServer implements ServletServer {
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final ServletContextHandler context = new ServletContextHandler("/");

  JettyServer() {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
  }

  @Override
  public JettyServer filter(String name, Filter filter) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setName(name);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    return this;
  }

  @Override
  public JettyServer servlet(String pattern, HttpServlet servlet) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    holder.setInitOrder(1);
    context.addServlet(holder, pattern);
    return this;
  }

  @Override
  public JettyServer start() throws Exception {
    server.start();
    return this;
  }

  @Override
  public String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
