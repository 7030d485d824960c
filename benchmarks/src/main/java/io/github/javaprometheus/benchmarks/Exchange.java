package io.github.javaprometheus.benchmarks;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * {@code GET /myview/} served again and again through a filter chain that ends in a handler writing
 * {@code hello}, in one of two shapes. Reused: one request and one response serve every request;
 * between two requests the attributes are cleared and the response is uncommitted and emptied,
 * which costs a few field writes. Fresh: a new {@link MockHttpServletRequest} and {@link
 * MockHttpServletResponse} per request, as a container hands each request a new pair (or recycles
 * one whose attribute map starts empty): then what the filters store on the request (attributes)
 * is allocated anew each time, which the reused pair hides. The chain is built once and keeps no
 * per-request state, like a container's.
 */
final class Exchange {
  /** What Spring MVC's handler mapping sets when a mapping matches. */
  static final String BEST_MATCHING_PATTERN =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  static final String PATTERN = "/myview/";
  static final String BODY = "hello";

  private MockHttpServletRequest request;
  private MockHttpServletResponse response;
  private final boolean fresh;
  private final HelloHandler handler = new HelloHandler();
  private final FilterChain chain;

  Exchange(List<Filter> filters) {
    this(filters, true, false);
  }

  Exchange(List<Filter> filters, boolean outputStream) {
    this(filters, outputStream, false);
  }

  /**
   * @param outputStream true: the body goes through {@code getOutputStream()}, as Spring MVC's
   *     message converters write {@code @ResponseBody}, {@code ResponseEntity} and JSON; false:
   *     through {@code getWriter()}, as template engines do
   * @param fresh a new request and response per request instead of one reused pair
   */
  Exchange(List<Filter> filters, boolean outputStream, boolean fresh) {
    handler.outputStream = outputStream;
    this.fresh = fresh;
    request = newRequest();
    response = new MockHttpServletResponse();
    FilterChain c = handler;
    for (int i = filters.size() - 1; i >= 0; i--) {
      c = new Link(filters.get(i), c);
    }
    chain = c;
  }

  private static MockHttpServletRequest newRequest() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/myview/");
    request.setServerName("example.com");
    request.setServerPort(80);
    request.setServletPath("/myview/");
    request.addHeader("Host", "example.com");
    request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    request.addHeader("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    return request;
  }

  /** Serves the request once; returns the response status. */
  int serve() throws IOException, ServletException {
    if (fresh) {
      request = newRequest();
      response = new MockHttpServletResponse();
    } else {
      request.clearAttributes();
      response.setCommitted(false);
      response.resetBuffer();
      response.setStatus(HttpServletResponse.SC_OK);
    }
    chain.doFilter(request, response);
    return response.getStatus();
  }

  /** Requests the handler served. */
  long served() {
    return handler.served;
  }

  MockHttpServletResponse response() {
    return response;
  }

  /** One filter and the rest of the chain; stateless, so one instance serves every request. */
  private static final class Link implements FilterChain {
    private final Filter filter;
    private final FilterChain next;

    Link(Filter filter, FilterChain next) {
      this.filter = filter;
      this.next = next;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response)
        throws IOException, ServletException {
      filter.doFilter(request, response, next);
    }
  }

  /**
   * The end of the chain: does what Spring MVC's {@code RequestMappingInfoHandlerMapping} does on a
   * match (the best matching pattern as a request attribute and on the observation context, if
   * any), then what a {@code @GetMapping("/myview/")} returning {@code "hello"} as
   * {@code text/plain} does.
   */
  private static final class HelloHandler implements FilterChain {
    private static final byte[] BODY_BYTES = BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long served;
    boolean outputStream;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res) throws IOException {
      HttpServletRequest request = (HttpServletRequest) req;
      request.setAttribute(BEST_MATCHING_PATTERN, PATTERN);
      ServerHttpObservationFilter.findObservationContext(request)
          .ifPresent(context -> context.setPathPattern(PATTERN));
      res.setContentType("text/plain;charset=UTF-8");
      if (outputStream) {
        res.getOutputStream().write(BODY_BYTES);
      } else {
        res.getWriter().write(BODY);
      }
      served++;
    }
  }
}
