package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import net.rubyeye.xmemcached.MemcachedClient;
import org.junit.jupiter.api.Test;

/** The hand-written xmemcached wrapper delegates every method, with the very arguments. */
class MeteredMemcachedClientTest {

  private static Object defaultOf(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == char.class) {
      return (char) 0;
    }
    if (type == byte.class) {
      return (byte) 0;
    }
    if (type == short.class) {
      return (short) 0;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == float.class) {
      return 0f;
    }
    if (type == double.class) {
      return 0d;
    }
    return null;
  }

  private static Object argumentOf(Class<?> type, int position) {
    if (type.isPrimitive()) {
      return type == int.class ? position + 1 : type == long.class ? position + 100L : defaultOf(type);
    }
    if (type == String.class) {
      return "arg" + position;
    }
    if (type == java.util.Collection.class) {
      return List.of("k" + position);
    }
    return null;
  }

  @Test
  void everyMethodOfTheInterfaceGoesToTheClientWithTheSameArguments() throws Exception {
    List<Object[]> seen = new ArrayList<>();
    MemcachedClient recorder =
        (MemcachedClient)
            Proxy.newProxyInstance(
                MemcachedClient.class.getClassLoader(),
                new Class<?>[] {MemcachedClient.class},
                (proxy, method, args) -> {
                  seen.add(new Object[] {method, args == null ? new Object[0] : args});
                  return defaultOf(method.getReturnType());
                });
    Fixture f = new Fixture();
    MemcachedClient metered = MemcachedCacheMetrics.wrap(recorder, f.metrics, "reflect");
    int methods = 0;
    for (Method m : MemcachedClient.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Object[] args = new Object[m.getParameterCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = argumentOf(m.getParameterTypes()[i], i);
      }
      seen.clear();
      m.invoke(metered, args);
      assertThat(seen).as(m.toString()).hasSize(1);
      assertThat(seen.get(0)[0]).as(m.toString()).isEqualTo(m);
      assertThat((Object[]) seen.get(0)[1]).as(m.toString()).containsExactly(args);
      methods++;
    }
    assertThat(methods).isEqualTo(149);
    // Each single-key get returned null (a miss); each bulk get one key and an empty map (a miss).
    assertThat(f.scrape().value("java_cache_get_total{backend=\"memcached\",cache=\"reflect\"}"))
        .isEqualTo(18.0);
    assertThat(
            f.scrape().value("java_cache_get_misses_total{backend=\"memcached\",cache=\"reflect\"}"))
        .isEqualTo(18.0);
  }

  @Test
  void aCheckedExceptionOfTheClientReachesTheCallerAsTheSameInstanceAndCountsAFailure() {
    TimeoutException timeout = new TimeoutException("slow");
    MemcachedClient failing =
        (MemcachedClient)
            Proxy.newProxyInstance(
                MemcachedClient.class.getClassLoader(),
                new Class<?>[] {MemcachedClient.class},
                (proxy, method, args) -> {
                  throw timeout;
                });
    Fixture f = new Fixture();
    MemcachedClient metered = MemcachedCacheMetrics.wrap(failing, f.metrics, "t");
    assertThat(catchThrowable(() -> metered.get("k"))).isSameAs(timeout);
    assertThat(catchThrowable(() -> metered.get(List.of("a", "b", "a")))).isSameAs(timeout);
    f.assertCounts("memcached", "t", 3, 0, 0, 3);
  }

  @Test
  void distinctKeysAreCountedWithoutASetForSetsAndShortLists() {
    assertThat(MeteredMemcachedClient.distinct(List.of())).isZero();
    assertThat(MeteredMemcachedClient.distinct(Arrays.asList("a", "b", "a", null, null))).isEqualTo(3);
    assertThat(MeteredMemcachedClient.distinct(new LinkedHashSet<>(List.of("a", "b")))).isEqualTo(2);
    assertThat(MeteredMemcachedClient.distinct(new LinkedList<>(List.of("a", "a")))).isEqualTo(1);
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add("k" + (i % 40));
    }
    assertThat(MeteredMemcachedClient.distinct(many)).isEqualTo(40);
    assertThat(MeteredMemcachedClient.distinct(null)).isZero();
  }

  @Test
  void theWrapperIsNotAReflectionProxy() {
    MemcachedClient recorder =
        (MemcachedClient)
            Proxy.newProxyInstance(
                MemcachedClient.class.getClassLoader(),
                new Class<?>[] {MemcachedClient.class},
                (proxy, method, args) -> defaultOf(method.getReturnType()));
    MemcachedClient metered = MemcachedCacheMetrics.wrap(recorder, new Fixture().metrics, "p");
    assertThat(Proxy.isProxyClass(metered.getClass())).isFalse();
    assertThat(metered).isInstanceOf(Metered.class);
    assertThat(MemcachedCacheMetrics.wrap(metered, new Fixture().metrics, "p")).isSameAs(metered);
  }
}
