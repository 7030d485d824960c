package io.github.javaprometheus.jaxrs;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;

/** A real embedded servlet container on a free loopback port, for tests. */
interface ServletServer extends AutoCloseable {

  /** The containers the integration tests run on. */
  enum Kind {
    TOMCAT,
    JETTY;

    ServletServer create() throws Exception {
      return this == TOMCAT ? new TomcatServer() : new JettyServer();
    }
  }

  /** Maps a filter to {@code /*} for the REQUEST and ASYNC dispatches, in call order. */
  ServletServer filter(String name, Filter filter);

  ServletServer servlet(String pattern, HttpServlet servlet);

  ServletServer start() throws Exception;

  String url(String path);

  /** Stops the server; a failure to stop is an {@link IllegalStateException}. */
  @Override
  void close();
}
