package io.github.javaprometheus.demo;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The views of django_demo (every method is accepted, as a Django view accepts them), and {@code
 * /users/<id>/}, a named view that answers 404 for an unknown user.
 */
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

  /**
   * A user's name by id, read through the cache (a miss, then the database): a named view that
   * answers 404 for an unknown user.
   */
  @RequestMapping("/users/{id}/")
  public String user(@PathVariable String id) {
    Cache cache = caches.getCache("default");
    Cache.ValueWrapper cached = cache.get("user:" + id);
    if (cached != null) {
      return String.valueOf(cached.get());
    }
    String name =
        users
            .findById(id)
            .map(User::name)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no user " + id));
    cache.put("user:" + id, name);
    return name;
  }

  @RequestMapping("/boom/")
  public String boom() {
    throw new IllegalStateException("boom");
  }
}
