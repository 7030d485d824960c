package io.github.javaprometheus.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** A real embedded Tomcat on a free loopback port, for tests. */
final class TomcatServer implements AutoCloseable {
  private final Tomcat tomcat = new Tomcat();
  private final Context context;
  private int servlets;

  TomcatServer() throws Exception {
    File base = Files.createTempDirectory("tomcat").toFile();
    tomcat.setBaseDir(base.getAbsolutePath());
    tomcat.setPort(0);
    tomcat.setHostname("127.0.0.1");
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    context = tomcat.addContext("", base.getAbsolutePath());
    Wrapper def = Tomcat.addServlet(context, "default", new DefaultServlet());
    def.setAsyncSupported(true);
    context.addServletMappingDecoded("/", "default");
  }

  TomcatServer servlet(String pattern, HttpServlet servlet) {
    String name = "servlet" + (servlets++);
    Wrapper w = Tomcat.addServlet(context, name, servlet);
    w.setAsyncSupported(true);
    context.addServletMappingDecoded(pattern, name);
    return this;
  }

  TomcatServer filter(String name, Filter filter) {
    FilterDef def = new FilterDef();
    def.setFilterName(name);
    def.setFilter(filter);
    def.setAsyncSupported("true");
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPattern("/*");
    map.setDispatcher("REQUEST");
    map.setDispatcher("ASYNC");
    context.addFilterMap(map);
    return this;
  }

  TomcatServer initializer(jakarta.servlet.ServletContainerInitializer initializer) {
    context.addServletContainerInitializer(initializer, null);
    return this;
  }

  TomcatServer start() throws LifecycleException {
    tomcat.start();
    return this;
  }

  int port() {
    return tomcat.getConnector().getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }
}
