package io.github.javaprometheus.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** xmemcached against a real memcached. */
class MemcachedCacheMetricsIT {
  private MemcachedServer server;
  private final List<MemcachedClient> clients = new ArrayList<>();
  private Fixture f;

  @BeforeEach
  void start() throws Exception {
    server = MemcachedServer.started();
    f = new Fixture();
  }

  @AfterEach
  void stop() throws Exception {
    for (MemcachedClient c : clients) {
      c.shutdown();
    }
    server.close();
  }

  private MemcachedClient client(boolean metered) throws Exception {
    return client(metered, false);
  }

  private MemcachedClient client(boolean metered, boolean binary) throws Exception {
    XMemcachedClientBuilder builder =
        new XMemcachedClientBuilder(AddrUtil.getAddresses(server.host() + ":" + server.port()));
    if (binary) {
      builder.setCommandFactory(new BinaryCommandFactory());
    }
    builder.setOpTimeout(700);
    builder.setConnectTimeout(700);
    MemcachedClient client = builder.build();
    clients.add(client);
    return metered ? MemcachedCacheMetrics.wrap(client, f.metrics, "pages") : client;
  }

  @Test
  void getsCountHitsAndMissesAndBulkGetsCountEachKey() throws Exception {
    // The binary protocol: getAndTouch (GAT) exists only there.
    MemcachedClient mc = client(true, true);
    assertThat(mc.set("a", 0, "1")).isTrue();
    assertThat(mc.set("b", 0, "2")).isTrue();
    assertThat(mc.<String>get("a")).isEqualTo("1");
    assertThat(mc.<String>get("nope")).isNull();
    assertThat(mc.<String>get("b", 1000L)).isEqualTo("2");
    assertThat(mc.gets("a").getValue()).isEqualTo("1");
    assertThat(mc.<String>getAndTouch("b", 60)).isEqualTo("2");
    Map<String, String> found = mc.get(List.of("a", "b", "x", "y", "a"));
    assertThat(found).containsOnlyKeys("a", "b");
    mc.delete("a");
    mc.touch("b", 10);
    // a, b (timeout), gets a, getAndTouch b, bulk a b: 6 hits; nope, x, y: 3 misses.
    f.assertCounts("memcached", "pages", 9, 6, 3, 0);
    assertThat(MemcachedCacheMetrics.wrap(mc, f.metrics, "pages")).isSameAs(mc);
    assertThat(mc.getName()).isEqualTo(clients.get(0).getName());
  }

  @Test
  void aServerStoppedMidRunCountsFailuresAndTheCallerSeesWhatAPlainClientSees() throws Exception {
    MemcachedClient metered = client(true);
    MemcachedClient plain = client(false);
    metered.set("k", 0, "v");
    assertThat(metered.<String>get("k")).isEqualTo("v");
    assertThat(plain.<String>get("k")).isEqualTo("v");
    f.assertCounts("memcached", "pages", 1, 1, 0, 0);

    server.stop();
    Throwable withMetrics = catchThrowable(() -> metered.get("k"));
    Throwable without = catchThrowable(() -> plain.get("k"));
    assertThat(withMetrics).isNotNull().hasSameClassAs(without);
    Throwable bulk = catchThrowable(() -> metered.get(List.of("k", "z")));
    assertThat(bulk).isNotNull();
    f.assertCounts("memcached", "pages", 1 + 1 + 2, 1, 0, 3);
  }

  @Test
  void eightThreadsAreCountedExactly() throws Exception {
    MemcachedClient mc = client(true);
    mc.set("present", 0, "1");
    int threads = 8;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    mc.get(i % 2 == 0 ? "present" : "absent");
                  }
                  return null;
                }));
      }
      for (Future<?> d : done) {
        d.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = (long) threads * perThread;
    f.assertCounts("memcached", "pages", total, total / 2, total / 2, 0);
  }
}
