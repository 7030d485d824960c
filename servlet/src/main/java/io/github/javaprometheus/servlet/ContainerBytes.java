package io.github.javaprometheus.servlet;

import jakarta.servlet.ServletResponse;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Body bytes as the container counted them, for async requests started with the no-argument
 * {@code startAsync()}: their writes go to the container's response, around our wrapper. Tomcat's
 * response exposes {@code getContentWritten()}; elsewhere nothing is known (-1).
 */
final class ContainerBytes {
  private static final ClassValue<MethodHandle> COUNTERS =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          try {
            return MethodHandles.publicLookup()
                .findVirtual(type, "getContentWritten", MethodType.methodType(long.class));
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
          }
        }
      };

  private ContainerBytes() {}

  static long written(ServletResponse response) {
    MethodHandle counter = COUNTERS.get(response.getClass());
    if (counter == null) {
      return -1;
    }
    try {
      return (long) counter.invoke(response);
    } catch (Throwable e) {
      return -1;
    }
  }
}
