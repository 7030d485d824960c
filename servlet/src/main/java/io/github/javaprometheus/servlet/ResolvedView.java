package io.github.javaprometheus.servlet;

import java.util.Objects;

/**
 * The view that served a request: its label value and whether it streams its response. Resolvers
 * create one per handler and return the same instance for every request, so resolving a view
 * allocates nothing.
 */
public final class ResolvedView {
  private final String name;
  private final boolean streaming;

  private ResolvedView(String name, boolean streaming) {
    this.name = Objects.requireNonNull(name, "name");
    this.streaming = streaming;
  }

  /** A view with the given label value. */
  public static ResolvedView of(String name, boolean streaming) {
    return new ResolvedView(name, streaming);
  }

  /** The {@code view} label value, e.g. {@code com.example.DemoController.myView}. */
  public String name() {
    return name;
  }

  /** Whether the handler streams its body (counted in {@code http_responses_streaming_total}). */
  public boolean streaming() {
    return streaming;
  }

  @Override
  public String toString() {
    return name + (streaming ? " (streaming)" : "");
  }
}
