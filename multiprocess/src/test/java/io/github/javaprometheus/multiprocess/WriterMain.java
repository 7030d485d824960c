package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A writer process for {@link MultiProcessIT}, started in its own JVM with the test classpath. Its
 * families come from {@code MetricFamilies.create} with {@code prometheus.multiproc-dir} set, the
 * way an application gets them (the store is found by ServiceLoader).
 *
 * <ul>
 *   <li>{@code count <dir> <threads> <perThread>}: every thread increments, observes and moves a
 *       gauge {@code perThread} times, then the process prints {@code done} and exits.
 *   <li>{@code ack <dir> <threads>}: every thread increments {@code acked} forever and, after each
 *       increment returned, prints {@code <thread> <count>}; it runs until it is killed.
 *   <li>{@code fire <dir> <threads> <process-id> <incarnation>}: with {@code
 *       prometheus.multiproc-process-id} set, adds 1 to the live-sum gauge {@code fire_up} and sets
 *       the live-all gauge {@code fire_incarnation} to {@code incarnation}, prints {@code ready},
 *       then every thread increments {@code fired{writer=<process-id>}} and, after each increment
 *       returned, prints {@code <thread> <count>}, until its standard input closes; then it prints
 *       {@code done} and exits.
 * </ul>
 */
public final class WriterMain {
  private WriterMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    PrometheusSettings.Builder b =
        PrometheusSettings.builder()
            .set("prometheus.multiproc-dir", args[1])
            .set("prometheus.multiproc-format", System.getProperty("layout", "0.16"));
    if (mode.equals("fire")) {
      b.set("prometheus.multiproc-process-id", args[3]);
    }
    PrometheusSettings settings = b.build();
    MetricFamilies f = MetricFamilies.create(settings, new PrometheusRegistry());
    int threads = Integer.parseInt(args[2]);
    PrintStream out = System.out;
    List<Thread> workers = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    if (mode.equals("count")) {
      long perThread = Long.parseLong(args[3]);
      CounterDataPoint work = f.counter("work", "Units of work").noLabels();
      BoundedFamily<CounterDataPoint> byThread = f.counter("work_by_thread", "Work by thread", "thread");
      DistributionDataPoint sizes =
          f.histogram("work_size", "Sizes", new double[] {0.25, 0.5, 1, 2}).noLabels();
      GaugeDataPoint inflight = f.gauge("work_inflight", "In flight", GaugeMode.LIVESUM).noLabels();
      for (int t = 0; t < threads; t++) {
        CounterDataPoint mine = byThread.label("t" + t);
        workers.add(
            new Thread(
                () -> {
                  await(start);
                  for (long i = 0; i < perThread; i++) {
                    inflight.inc();
                    work.inc();
                    mine.inc();
                    sizes.observe((i % 4) * 0.5); // 0, 0.5, 1, 1.5: exact binary fractions
                    inflight.dec();
                  }
                }));
      }
    } else if (mode.equals("fire")) {
      String id = args[3];
      CounterDataPoint fired = f.counter("fired", "Acknowledged increments", "writer").label(id);
      f.gauge("fire_up", "Live writers", GaugeMode.LIVESUM).noLabels().inc();
      f.gauge("fire_incarnation", "Incarnation of each live writer", GaugeMode.LIVEALL)
          .noLabels()
          .set(Double.parseDouble(args[4]));
      AtomicBoolean stop = new AtomicBoolean();
      Thread stdin =
          new Thread(
              () -> {
                try {
                  while (System.in.read() >= 0) {
                    // the harness closes standard input to stop the writer
                  }
                } catch (IOException e) {
                  // closed
                }
                stop.set(true);
              });
      stdin.setDaemon(true);
      stdin.start();
      out.println("ready");
      out.flush();
      for (int t = 0; t < threads; t++) {
        String name = Integer.toString(t);
        workers.add(
            new Thread(
                () -> {
                  await(start);
                  for (long n = 1; !stop.get(); n++) {
                    fired.inc();
                    String line = name + " " + n; // printed only once the increment is in the file
                    synchronized (out) {
                      out.println(line);
                      out.flush();
                    }
                  }
                }));
      }
    } else {
      CounterDataPoint acked = f.counter("acked", "Acknowledged increments").noLabels();
      for (int t = 0; t < threads; t++) {
        String name = Integer.toString(t);
        workers.add(
            new Thread(
                () -> {
                  await(start);
                  for (long n = 1; ; n++) {
                    acked.inc();
                    String line = name + " " + n;
                    synchronized (out) {
                      out.println(line);
                      out.flush();
                    }
                  }
                }));
      }
    }
    for (Thread w : workers) {
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    out.println("done");
    out.flush();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
