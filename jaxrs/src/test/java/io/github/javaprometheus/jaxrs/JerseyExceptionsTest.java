package io.github.javaprometheus.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.glassfish.jersey.server.internal.process.MappableException;
import org.junit.jupiter.api.Test;

/** The type that counts is the exception the resource raised, not Jersey's or the JDK's wrapper. */
class JerseyExceptionsTest {

  @Test
  void wrappersAreLookedThroughToTheResourcesException() {
    IllegalStateException raised = new IllegalStateException("boom");
    assertThat(JerseyExceptions.raised(raised)).isSameAs(raised);
    assertThat(JerseyExceptions.raised(new MappableException(raised))).isSameAs(raised);
    assertThat(JerseyExceptions.raised(new MappableException(new CompletionException(raised))))
        .isSameAs(raised);
    assertThat(JerseyExceptions.raised(new ExecutionException(raised))).isSameAs(raised);
  }

  @Test
  void aWrapperWithoutCauseAndACauseOfTheResourcesOwnExceptionStay() {
    CompletionException bare = new CompletionException("no cause", null);
    assertThat(JerseyExceptions.raised(bare)).isSameAs(bare);
    // Causes are not counted separately: the resource raised the outer one.
    IllegalArgumentException outer = new IllegalArgumentException(new IllegalStateException());
    assertThat(JerseyExceptions.raised(outer)).isSameAs(outer);
  }
}
