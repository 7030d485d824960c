package io.github.javaprometheus.jaxrs.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;

@Path("stream")
public class StreamResource {

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public StreamingOutput numbers() {
    return out -> {
      for (int i = 0; i < 3; i++) {
        out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    };
  }
}
