package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryStateTest {

  @Test
  void droppedRegistriesAreCollectedWithTheirFamiliesAndChildren() throws InterruptedException {
    List<WeakReference<PrometheusRegistry>> dropped = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      dropped.add(new WeakReference<>(useOnce(i)));
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (alive(dropped) > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(alive(dropped)).as("registries still reachable after GC").isZero();
    // The table forgets cleared registries on its next access. Other tests of this JVM may hold a
    // few registries of their own meanwhile: far fewer than the 1 000 dropped here.
    assertThat(RegistryState.liveStates()).isLessThan(100);
  }

  @Test
  void memoryStaysFlatAcrossManyRegistries() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      useOnce(i);
    }
    long before = usedAfterGc();
    for (int i = 0; i < 3_000; i++) {
      useOnce(i);
    }
    long after = usedAfterGc();
    // 3 000 registries of ~1 000 series each would be hundreds of MB if kept; a few MB of noise is
    // GC timing and JIT, not retention.
    assertThat(after - before).as("heap growth in bytes").isLessThan(16L << 20);
  }

  @Test
  void stateIsPerRegistryAndValuesAreCreatedOnce() {
    PrometheusRegistry a = new PrometheusRegistry();
    PrometheusRegistry b = new PrometheusRegistry();
    StringBuilder x = RegistryState.of(a).computeIfAbsent("k", StringBuilder.class, StringBuilder::new);
    assertThat(RegistryState.of(a).computeIfAbsent("k", StringBuilder.class, StringBuilder::new))
        .isSameAs(x);
    assertThat(RegistryState.of(b).computeIfAbsent("k", StringBuilder.class, StringBuilder::new))
        .isNotSameAs(x);
    assertThat(RegistryState.of(a).firstTime("once")).isTrue();
    assertThat(RegistryState.of(a).firstTime("once")).isFalse();
    assertThat(RegistryState.of(b).firstTime("once")).isTrue();
  }

  /** A registry with JVM-less families, children and an overflowed family, then dropped. */
  private static PrometheusRegistry useOnce(int i) {
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies f =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.max-label-values", "100").build(),
            registry);
    BoundedFamily<CounterDataPoint> views = f.counter("requests_by_view", "Requests", "view");
    BoundedFamily<DistributionDataPoint> latency =
        f.latencyHistogram("latency_by_view", "Latency", "view", "method");
    for (int v = 0; v < 120; v++) {
      views.child("view" + v + "_" + i).get().inc();
      latency.child("view" + v, "GET").get().observe(0.01);
    }
    return registry;
  }

  private static int alive(List<WeakReference<PrometheusRegistry>> refs) {
    int n = 0;
    for (WeakReference<PrometheusRegistry> r : refs) {
      if (r.get() != null) {
        n++;
      }
    }
    return n;
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      // A weak table forgets a collected key's value on its next access, as an application
      // creating its next registry would.
      RegistryState.liveStates();
      Thread.sleep(50);
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }
}
