package io.github.javaprometheus.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request and one response, reused for every request, through a filter chain that ends in a
 * handler answering the status set with {@link #status(int)} and writing {@code hello} through the
 * output stream. Nothing here allocates per request, so what a loop of {@link #serve()} allocates
 * is what the filters allocate.
 *
 * <p>The request and response implement only what the filters and the handler call; every other
 * method reaches a guard that throws, so a filter that starts calling something else fails the
 * test (an exception inside instrumentation is counted in {@code instrumentation_errors_total},
 * which the tests assert absent) instead of being answered by a made-up value.
 */
final class MinimalExchange {
  private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);

  private final Request request = new Request();
  private final Response response = new Response();
  private final FilterChain chain;
  private int status = HttpServletResponse.SC_OK;
  private long served;

  /** @param filters outermost first */
  MinimalExchange(List<Filter> filters) {
    FilterChain c =
        (req, res) -> {
          HttpServletResponse http = (HttpServletResponse) res;
          http.setStatus(status);
          http.getOutputStream().write(BODY);
        };
    for (int i = filters.size() - 1; i >= 0; i--) {
      c = new Link(filters.get(i), c);
    }
    chain = c;
  }

  /** The method of the requests from now on ({@code GET} at first). */
  MinimalExchange method(String name) {
    request.method = name;
    return this;
  }

  /** The status the handler answers with from now on. */
  MinimalExchange status(int code) {
    this.status = code;
    return this;
  }

  /** Serves one {@code GET}; returns the status the response ended with. */
  int serve() throws IOException, ServletException {
    response.reset();
    chain.doFilter(request, response);
    served++;
    return response.getStatus();
  }

  /** Requests served so far. */
  long served() {
    return served;
  }

  /** Body bytes the handler wrote so far, over all requests. */
  long bodyBytes() {
    return response.out.written;
  }

  private static <T> T unsupported(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(
                  type.getSimpleName() + "." + method.getName() + " is not part of this exchange");
            }));
  }

  /** One filter and the rest of the chain; stateless, like a container's chain. */
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

  /** {@code GET /myview/} over plain HTTP, no body, no headers the filters look at. */
  private static final class Request extends HttpServletRequestWrapper {
    String method = "GET";

    Request() {
      super(unsupported(HttpServletRequest.class));
    }

    @Override
    public DispatcherType getDispatcherType() {
      return DispatcherType.REQUEST;
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public boolean isSecure() {
      return false;
    }

    @Override
    public String getHeader(String name) {
      return null;
    }

    @Override
    public long getContentLengthLong() {
      return -1;
    }

    @Override
    public boolean isAsyncStarted() {
      return false;
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }
  }

  /** A response in UTF-8 whose body goes to a stream that only counts. */
  private static final class Response extends HttpServletResponseWrapper {
    final CountingStream out = new CountingStream();
    private int status;

    Response() {
      super(unsupported(HttpServletResponse.class));
    }

    @Override
    public void reset() {
      status = SC_OK;
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public int getStatus() {
      return status;
    }

    @Override
    public boolean isCommitted() {
      return false;
    }

    @Override
    public String getCharacterEncoding() {
      return "UTF-8";
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return out;
    }
  }

  private static final class CountingStream extends ServletOutputStream {
    long written;

    @Override
    public void write(int b) {
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      written += len;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("blocking I/O only");
    }
  }
}
