package io.github.javaprometheus.demofaults;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A read-through view the fault run adds to the demo (as an extra Spring source, outside the
 * demo's package so that no component scan of the demo finds it): it looks the value up first and
 * fills the cache only on a miss, as {@code @Cacheable} does. The demo's {@code /myview3/} puts
 * before it gets, so with the cache server down its put fails first and no get is ever attempted;
 * here every request with the server down is a failed get, which {@code cache_get_fail_total}
 * must count one for one.
 */
@RestController
public class ReadThroughView {
  private final CacheManager caches;

  public ReadThroughView(CacheManager caches) {
    this.caches = caches;
  }

  @GetMapping("/reads/")
  public String read() {
    Cache cache = caches.getCache("reads");
    Cache.ValueWrapper found = cache.get("name");
    if (found != null) {
      return String.valueOf(found.get());
    }
    cache.put("name", "zhangsan");
    return "zhangsan";
  }
}
