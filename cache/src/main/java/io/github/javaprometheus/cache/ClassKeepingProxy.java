package io.github.javaprometheus.cache;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.springframework.cglib.proxy.Callback;
import org.springframework.cglib.proxy.CallbackFilter;
import org.springframework.cglib.proxy.Dispatcher;
import org.springframework.cglib.proxy.Enhancer;
import org.springframework.cglib.proxy.Factory;
import org.springframework.cglib.proxy.MethodInterceptor;
import org.springframework.cglib.proxy.NoOp;
import org.springframework.objenesis.SpringObjenesis;

/**
 * An instance of a target's own class, for code that holds it by that class (a {@code @Bean}
 * method declaring {@code CaffeineCacheManager}, an {@code @Autowired JedisPooled}): a generated
 * subclass, also {@link Metered}, whose few routed public methods run their {@link Route} and whose
 * every other public method goes straight to the target (a {@link Dispatcher}: no argument array,
 * no reflection). Non-public methods are not overridden (only the class's own code calls them, and
 * that runs on the target); {@code equals} and {@code hashCode} are the proxy's own identity, as
 * for any bean, {@code toString} the target's.
 *
 * <p>The proxy's constructor (the target class's own) does not run (Objenesis): no second pool or
 * connection is opened, and the proxy's own fields stay empty and unused. Which method goes where
 * is decided once, when the class is generated; CGLIB generates a class once per target class and
 * set of routes, and reuses it. Needs spring-core (its repackaged CGLIB and Objenesis).
 */
final class ClassKeepingProxy {
  /**
   * What a routed method runs instead of the target's, e.g. {@code (proxy, method, args, m) ->
   * counted.get((String) args[0])}. Each route is its own lambda, so the generated class's call of
   * it stays monomorphic and the JIT can remove the argument array on a hot path.
   */
  @FunctionalInterface
  interface Route extends MethodInterceptor {}

  /** Refuses every public final method: it would run on the proxy's empty fields. */
  static final Predicate<Method> NO_FINAL_METHODS = m -> false;

  private static final int DISPATCH = 0;
  private static final int NOT_OVERRIDDEN = 1;
  private static final int FIRST_ROUTE = 2;

  private static final SpringObjenesis OBJENESIS = new SpringObjenesis();

  private ClassKeepingProxy() {}

  /**
   * An instance of {@code target}'s class whose methods named in {@code routes} (by signature,
   * {@code name(parameter type names)} as {@link Class#getName()} spells them: {@code
   * get(java.lang.String)}, {@code mget([[B)}, {@code resetCaches()}) run their route, or {@code
   * null} when that class cannot be subclassed safely: final, anonymous or synthetic, or with a
   * public final method (it cannot be overridden, so it would run on the proxy's own empty fields)
   * that {@code finalMethodAllowed} does not accept.
   *
   * @throws RuntimeException or {@link LinkageError} when the class cannot be generated (class
   *     loader, module or security limits, no visible constructor)
   */
  @SuppressWarnings("unchecked")
  static <T> T create(T target, Predicate<Method> finalMethodAllowed, Map<String, Route> routes) {
    Class<?> type = target.getClass();
    if (!subclassable(type, finalMethodAllowed)) {
      return null;
    }
    // Sorted: the same routes give an equal filter, so CGLIB reuses the class it generated.
    Map<String, Route> sorted = new TreeMap<>(routes);
    Class<?>[] types = new Class<?>[FIRST_ROUTE + sorted.size()];
    Callback[] callbacks = new Callback[types.length];
    types[DISPATCH] = Dispatcher.class;
    callbacks[DISPATCH] = (Dispatcher) () -> target;
    types[NOT_OVERRIDDEN] = NoOp.class;
    callbacks[NOT_OVERRIDDEN] = NoOp.INSTANCE;
    int i = FIRST_ROUTE;
    for (Route route : sorted.values()) {
      types[i] = MethodInterceptor.class;
      callbacks[i++] = route;
    }
    Enhancer enhancer = new Enhancer();
    enhancer.setSuperclass(type);
    enhancer.setInterfaces(new Class<?>[] {Metered.class});
    enhancer.setClassLoader(type.getClassLoader());
    enhancer.setCallbackFilter(new Routes(List.copyOf(sorted.keySet())));
    enhancer.setCallbackTypes(types);
    Class<?> proxyClass = enhancer.createClass();
    Object proxy = OBJENESIS.newInstance(proxyClass, enhancer.getUseCache());
    ((Factory) proxy).setCallbacks(callbacks);
    return (T) proxy;
  }

  /** Whether {@link #create} makes a proxy of {@code type} rather than returning null. */
  static boolean subclassable(Class<?> type, Predicate<Method> finalMethodAllowed) {
    if (Modifier.isFinal(type.getModifiers()) || type.isAnonymousClass() || type.isSynthetic()) {
      return false;
    }
    for (Method m : type.getMethods()) {
      if (Modifier.isFinal(m.getModifiers())
          && m.getDeclaringClass() != Object.class
          && !finalMethodAllowed.test(m)) {
        return false;
      }
    }
    return true;
  }

  /** {@code name(parameter type names)}, the key of {@code routes}. */
  private static String signature(Method method) {
    StringBuilder s = new StringBuilder(method.getName()).append('(');
    Class<?>[] params = method.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      s.append(i == 0 ? "" : ",").append(params[i].getName());
    }
    return s.append(')').toString();
  }

  /** Which callback a method gets; equal for equal routes, so generated classes are reused. */
  private static final class Routes implements CallbackFilter {
    private final List<String> routed;

    Routes(List<String> routed) {
      this.routed = routed;
    }

    @Override
    public int accept(Method method) {
      if (method.getDeclaringClass() == Object.class) {
        return method.getName().equals("toString") ? DISPATCH : NOT_OVERRIDDEN;
      }
      if (!Modifier.isPublic(method.getModifiers())) {
        return NOT_OVERRIDDEN;
      }
      int route = routed.indexOf(signature(method));
      return route < 0 ? DISPATCH : FIRST_ROUTE + route;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Routes && ((Routes) other).routed.equals(routed);
    }

    @Override
    public int hashCode() {
      return routed.hashCode();
    }
  }
}
