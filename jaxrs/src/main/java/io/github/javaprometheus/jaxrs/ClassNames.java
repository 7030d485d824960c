package io.github.javaprometheus.jaxrs;

/**
 * The class a user wrote, for a resource class a container generated at run time (CDI/Weld client
 * proxies, Spring's CGLIB subclasses, ByteBuddy subclasses, HK2/Javassist proxies): their names
 * change from one start to the next, and a {@code view} label must not.
 */
final class ClassNames {
  private static final String[] GENERATED_MARKERS = {
    "$$", "$ByteBuddy$", "$Proxy$_$$_", "_$$_", "$HibernateProxy$", "$MockitoMock$"
  };

  private ClassNames() {}

  static String userClass(Class<?> type) {
    Class<?> c = type;
    while (generated(c.getName()) && c.getSuperclass() != null && c.getSuperclass() != Object.class) {
      c = c.getSuperclass();
    }
    String name = c.getName();
    int cut = cut(name);
    return cut > 0 ? name.substring(0, cut) : name;
  }

  private static boolean generated(String name) {
    return cut(name) > 0;
  }

  private static int cut(String name) {
    int cut = -1;
    for (String marker : GENERATED_MARKERS) {
      int i = name.indexOf(marker);
      if (i > 0 && (cut < 0 || i < cut)) {
        cut = i;
      }
    }
    // Hidden classes end in /0x<address>.
    int slash = name.indexOf('/');
    if (slash > 0 && (cut < 0 || slash < cut)) {
      cut = slash;
    }
    return cut;
  }
}
