package io.github.javaprometheus.jaxrs;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat on a free loopback port. */
final class TomcatServer implements ServletServer {
  private final Tomcat tomcat = new Tomcat();
  private final Context context;
  private int servlets;

  TomcatServer() throws Exception {
    File base = Files.createTempDirectory("tomcat").toFile();
    tomcat.setBaseDir(base.getAbsolutePath());
    tomcat.setPort(0);
    tomcat.setHostname("127.0.0.1");
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    // Error pages without a stack trace, as Spring Boot's (a trace shows line numbers of whatever
    // filter is on the stack, and so differs with and without instrumentation).
    ErrorReportValve errors = new ErrorReportValve();
    errors.setShowReport(false);
    errors.setShowServerInfo(false);
    tomcat.getHost().getPipeline().addValve(errors);
    context = tomcat.addContext("", base.getAbsolutePath());
  }

  @Override
  public TomcatServer servlet(String pattern, HttpServlet servlet) {
    String name = "servlet" + (servlets++);
    Wrapper w = Tomcat.addServlet(context, name, servlet);
    w.setAsyncSupported(true);
    w.setLoadOnStartup(1);
    context.addServletMappingDecoded(pattern, name);
    return this;
  }

  @Override
  public TomcatServer filter(String name, Filter filter) {
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

  @Override
  public TomcatServer start() throws Exception {
    tomcat.start();
    return this;
  }

  @Override
  public String url(String path) {
    return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path;
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (org.apache.catalina.LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }
}
