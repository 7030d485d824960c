package io.github.javaprometheus.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a {@link ServerProcess} proves it is serving. Asked repeatedly until it answers {@code true}
 * or the start deadline passes; an exception counts as "not yet" and its message is shown if the
 * deadline passes.
 */
@FunctionalInterface
public interface Probe {
  /** Whether the server is serving now. */
  boolean ready() throws Exception;

  /** Ready once a TCP connection to {@code host:port} is accepted. */
  static Probe tcp(String host, int port) {
    return () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 500);
        return true;
      }
    };
  }

  /**
   * Ready once sending {@code request} to {@code host:port} is answered by a first line starting
   * with {@code replyPrefix} (e.g. {@code "PING\r\n"} and {@code "+PONG"} for Redis).
   */
  static Probe reply(String host, int port, String request, String replyPrefix) {
    return () -> firstLine(host, port, request).startsWith(replyPrefix);
  }

  /** Ready once a GET of {@code url} is answered with status 200. */
  static Probe http(String url) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
    return () -> client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }

  /** Sends one request and returns the first line of the answer, trimmed. */
  static String firstLine(String host, int port, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder reply = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        reply.append((char) c);
      }
      return reply.toString().trim();
    }
  }
}
