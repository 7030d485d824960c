package io.github.javaprometheus.springboot.shapes;

import io.github.javaprometheus.testing.TextScrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts {@link ShapesApp} on Tomcat, sends {@link HandlerShapesIT#MIX}, prints the view labels of
 * the requests family, one per line, sorted, and exits. Run in a JVM of its own by {@link
 * StableViewsIT}.
 */
public final class StableViewsMain {
  private StableViewsMain() {}

  public static void main(String[] args) throws Exception {
    int code = 0;
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ShapesApp.class)
            .sources(HandlerShapesIT.Tomcat.class)
            .properties(ShapesApp.properties("tomcat", true))
            .run()) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      HttpClient client = HttpClient.newHttpClient();
      for (HandlerShapesIT.Call call : HandlerShapesIT.MIX) {
        HttpRequest.Builder b =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path()))
                .timeout(Duration.ofSeconds(10));
        b.method(
            call.method(),
            call.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
          b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != call.status()) {
          System.err.println(call + " answered " + r.statusCode());
          code = 2;
        }
      }
      ShapesApp app = context.getBean(ShapesApp.class);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      TextScrape s = TextScrape.of(app.registry());
      while (s.valueOrZero("java_http_responses_before_middlewares_total")
          != HandlerShapesIT.MIX.size()) {
        if (System.nanoTime() - deadline > 0) {
          System.err.println("responses not all recorded within 20 s:\n" + s.text());
          System.exit(3);
        }
        Thread.sleep(10);
        s = TextScrape.of(app.registry());
      }
      for (String view : HandlerShapesIT.views(TextScrape.of(app.registry()))) {
        System.out.println("VIEW " + view);
      }
    }
    System.exit(code);
  }
}
