package io.github.javaprometheus.demo;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The views of django_demo: every method is accepted, as a Django view accepts them. */
@RestController
public class DemoController {
  private final UserRepository users;
  private final CacheManager caches;

  public DemoController(UserRepository users, CacheManager caches) {
    this.users = users;
    this.caches = caches;
  }

  @RequestMapping("/myview/")
  public String myView() {
    return "hello";
  }

  @RequestMapping("/myview2/")
  public String myView2() {
    users.save(new User("zhangsan", 12, "male"));
    return "hello";
  }

  @RequestMapping("/myview3/")
  public String myView3() {
    Cache cache = caches.getCache("default");
    cache.put("name", "zhangsan");
    Cache.ValueWrapper name = cache.get("name");
    return name == null ? "" : String.valueOf(name.get());
  }

  @RequestMapping("/boom/")
  public String boom() {
    throw new IllegalStateException("boom");
  }
}
