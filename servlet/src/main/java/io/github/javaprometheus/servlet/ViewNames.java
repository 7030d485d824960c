package io.github.javaprometheus.servlet;

import java.lang.reflect.Proxy;

/**
 * Stable {@code view} label values for handler classes. Classes generated at run time carry names
 * that change from one start to the next ({@code App$$Lambda/0x00007f1ecc3ba7a0}, {@code
 * $Proxy42}, {@code Service$$SpringCGLIB$$0}); a label must be the same across restarts and JVMs,
 * or every deploy starts a new set of series.
 */
public final class ViewNames {
  private static final String[] GENERATED_MARKERS = {
    "$$", "$ByteBuddy$", "$HibernateProxy$", "$MockitoMock$", "$Proxy$_$$_"
  };

  private ViewNames() {}

  /**
   * The name of the class the user wrote: a lambda or method reference is named by the class that
   * defined it, a CGLIB or ByteBuddy subclass by its superclass, a JDK proxy by its first interface.
   */
  public static String of(Class<?> type) {
    Class<?> c = type;
    while (Proxy.isProxyClass(c)) {
      Class<?>[] interfaces = c.getInterfaces();
      if (interfaces.length == 0) {
        break;
      }
      c = interfaces[0];
    }
    String name = c.getName();
    int cut = generatedSuffix(name);
    if (cut < 0) {
      return name;
    }
    Class<?> parent = c.getSuperclass();
    if (!name.contains("$$Lambda") && parent != null && parent != Object.class) {
      // A generated subclass (CGLIB, ByteBuddy): the user's class is its parent.
      return of(parent);
    }
    return name.substring(0, cut);
  }

  private static int generatedSuffix(String name) {
    int cut = -1;
    for (String marker : GENERATED_MARKERS) {
      int i = name.indexOf(marker);
      if (i > 0 && (cut < 0 || i < cut)) {
        cut = i;
      }
    }
    // Hidden classes (lambdas on Java 15+) end in /0x<address>.
    int slash = name.indexOf('/');
    if (slash > 0 && (cut < 0 || slash < cut)) {
      cut = slash;
    }
    return cut;
  }
}
