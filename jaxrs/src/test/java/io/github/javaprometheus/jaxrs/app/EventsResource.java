package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

@Path("events")
public class EventsResource {

  /** Server-sent events: two events, then the stream ends. */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(@Context SseEventSink sink, @Context Sse sse) throws java.io.IOException {
    try (SseEventSink s = sink) {
      s.send(sse.newEvent("one"));
      s.send(sse.newEvent("two"));
    }
  }
}
