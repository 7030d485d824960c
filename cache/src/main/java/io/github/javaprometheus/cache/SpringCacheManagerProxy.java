package io.github.javaprometheus.cache;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.springframework.cache.CacheManager;
import org.springframework.cglib.proxy.Callback;
import org.springframework.cglib.proxy.CallbackFilter;
import org.springframework.cglib.proxy.Dispatcher;
import org.springframework.cglib.proxy.Enhancer;
import org.springframework.cglib.proxy.Factory;
import org.springframework.cglib.proxy.MethodInterceptor;
import org.springframework.cglib.proxy.MethodProxy;
import org.springframework.cglib.proxy.NoOp;
import org.springframework.objenesis.SpringObjenesis;

/**
 * A generated subclass of a cache manager's own class, for code that injects it by that class
 * ({@code @Autowired CaffeineCacheManager}, or a {@code @Bean} method declaring it, as Spring Boot's
 * cache auto-configuration does). Which method goes where is decided once, when the class is
 * generated: {@code getCache(String)} and {@code resetCaches()} go to the {@link
 * MeteredSpringCacheManager}, every other public method straight to the wrapped manager (a {@link
 * Dispatcher}: no argument array, no reflection), and non-public methods are not overridden.
 */
final class SpringCacheManagerProxy {
  private static final int DISPATCH = 0;
  private static final int GET_CACHE = 1;
  private static final int RESET_CACHES = 2;
  private static final int NOT_OVERRIDDEN = 3;

  private static final Class<?>[] CALLBACK_TYPES = {
    Dispatcher.class, MethodInterceptor.class, MethodInterceptor.class, NoOp.class
  };

  /** One filter for every class, so each manager class is generated once and reused. */
  private static final CallbackFilter ROUTES = new Routes();

  private static final SpringObjenesis OBJENESIS = new SpringObjenesis();

  private SpringCacheManagerProxy() {}

  /**
   * An instance of {@code target}'s class counting through {@code metered}, or {@code null} when
   * that class cannot be subclassed safely (final, or with a public final method, which would run
   * on the proxy's own empty fields instead of the target's).
   */
  static CacheManager create(CacheManager target, MeteredSpringCacheManager metered) {
    Class<?> type = target.getClass();
    if (!subclassable(type)) {
      return null;
    }
    Enhancer enhancer = new Enhancer();
    enhancer.setSuperclass(type);
    enhancer.setInterfaces(new Class<?>[] {Metered.class});
    enhancer.setClassLoader(type.getClassLoader());
    enhancer.setCallbackFilter(ROUTES);
    enhancer.setCallbackTypes(CALLBACK_TYPES);
    Class<?> proxyClass = enhancer.createClass();
    // Objenesis: the proxy's constructor (the manager's own) must not run; its fields stay unused.
    Object proxy = OBJENESIS.newInstance(proxyClass, enhancer.getUseCache());
    ((Factory) proxy)
        .setCallbacks(
            new Callback[] {
              (Dispatcher) () -> target,
              new GetCache(metered),
              new ResetCaches(metered),
              NoOp.INSTANCE
            });
    return (CacheManager) proxy;
  }

  private static boolean subclassable(Class<?> type) {
    if (Modifier.isFinal(type.getModifiers()) || type.isAnonymousClass() || type.isSynthetic()) {
      return false;
    }
    for (Method m : type.getMethods()) {
      if (Modifier.isFinal(m.getModifiers()) && m.getDeclaringClass() != Object.class) {
        return false;
      }
    }
    return true;
  }

  private static final class Routes implements CallbackFilter {
    @Override
    public int accept(Method method) {
      if (method.getDeclaringClass() == Object.class) {
        // equals/hashCode: the proxy's identity, as for any bean; toString: the target's.
        return method.getName().equals("toString") ? DISPATCH : NOT_OVERRIDDEN;
      }
      if (!Modifier.isPublic(method.getModifiers())) {
        // Called only by the class's own code, which runs on the target, never on the proxy.
        return NOT_OVERRIDDEN;
      }
      Class<?>[] params = method.getParameterTypes();
      if (method.getName().equals("getCache") && params.length == 1 && params[0] == String.class) {
        return GET_CACHE;
      }
      if (method.getName().equals("resetCaches") && params.length == 0) {
        return RESET_CACHES;
      }
      return DISPATCH;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Routes;
    }

    @Override
    public int hashCode() {
      return Routes.class.hashCode();
    }
  }

  private static final class GetCache implements MethodInterceptor {
    private final MeteredSpringCacheManager metered;

    GetCache(MeteredSpringCacheManager metered) {
      this.metered = metered;
    }

    @Override
    public Object intercept(Object proxy, Method method, Object[] args, MethodProxy methodProxy) {
      return metered.getCache((String) args[0]);
    }
  }

  private static final class ResetCaches implements MethodInterceptor {
    private final MeteredSpringCacheManager metered;

    ResetCaches(MeteredSpringCacheManager metered) {
      this.metered = metered;
    }

    @Override
    public Object intercept(Object proxy, Method method, Object[] args, MethodProxy methodProxy) {
      metered.resetCaches();
      return null;
    }
  }
}
