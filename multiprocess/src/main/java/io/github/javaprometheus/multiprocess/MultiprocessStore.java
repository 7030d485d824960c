package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.MetricStore;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Metric values kept in memory-mapped files in one directory, in the format of Python
 * prometheus_client's multiprocess mode, so that many processes — JVMs and Python processes alike
 * — share one view: counters in {@code counter_<pid>.db}, histograms in {@code
 * histogram_<pid>.db}, gauges in {@code gauge_<mode>_<pid>.db}.
 *
 * <p>Every increment is a lock-free compare-and-set on the mapped file: it is in the file when the
 * call returns, so a process killed with {@code kill -9} loses nothing it had counted. There is no
 * flush and no background thread.
 *
 * <p>One store per directory and process id in a JVM: {@link #open} returns the same instance to
 * every caller (two Spring contexts, a DevTools restart), so each value has one entry. {@link
 * #collectInto} registers, once per registry, the {@link MultiprocessCollector} that serves the
 * merged directory.
 */
public final class MultiprocessStore implements MetricStore {
  private static final String DIR_KEY = "prometheus.multiproc-dir";
  private static final String ID_KEY = "prometheus.multiproc-process-id";
  /** How long start-up waits for the lock of its process id (merges hold it for microseconds). */
  private static final long LOCK_WAIT_MILLIS = 2000;
  private static final Map<String, MultiprocessStore> OPEN = new HashMap<>();

  private final Path directory;
  private final String processId;
  private final FileFormat format;
  private final String errorsMetricName;
  private final Map<String, MmapFile> files = new HashMap<>(); // guarded by this
  private final Map<PrometheusRegistry, MultiprocessCollector> collectors = new WeakHashMap<>();

  private MultiprocessStore(Path directory, String processId, FileFormat format, String errorsMetricName) {
    this.directory = directory;
    this.processId = processId;
    this.format = format;
    this.errorsMetricName = errorsMetricName;
  }

  /**
   * The store for {@code prometheus.multiproc-dir} in the layout of {@code
   * prometheus.multiproc-format}; its collector counts skipped files in {@code
   * <p>_multiprocess_file_errors_total}.
   *
   * @throws InvalidSettingException naming {@code prometheus.multiproc-dir} when it is unset, does
   *     not exist, is not a directory or is not writable
   */
  public static MultiprocessStore open(PrometheusSettings settings) {
    String dir = settings.multiprocDir();
    if (dir == null) {
      throw new InvalidSettingException(DIR_KEY, null, "expected the directory of the multiprocess files");
    }
    Path path;
    try {
      path = Paths.get(dir);
    } catch (InvalidPathException e) {
      throw new InvalidSettingException(DIR_KEY, dir, "expected a directory path: " + e.getMessage());
    }
    String ns = settings.metricNamespace();
    Builder builder = builder(path);
    String processId = settings.get(MultiprocessSettings.PROCESS_ID);
    if (processId != null) {
      builder.processId(processId);
    }
    return builder
        .format(settings.get(MultiprocessSettings.FORMAT))
        .errorsMetricName(
            (ns.isEmpty() ? "" : ns + "_") + settings.metricPrefix() + "_multiprocess_file_errors")
        .open();
  }

  /** A store in {@code directory}, configured in code. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Options of a store; {@link #open()} returns the JVM's store for the directory and process id. */
  public static final class Builder {
    private final Path directory;
    private FileFormat format = FileFormat.VALUE;
    private String processId = String.valueOf(ProcessHandle.current().pid());
    private String errorsMetricName = "java_multiprocess_file_errors";

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The layout written; default {@link FileFormat#VALUE} (prometheus_client up to 0.16). */
    public Builder format(FileFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * The id in this process's file names, the process id by default. Processes writing to one
     * directory at the same time must have different ids: set one when containers with their own
     * pid namespaces share a directory ({@code prometheus.multiproc-process-id}). 1 to 100
     * letters, digits, dots and dashes, starting with a letter or digit.
     */
    public Builder processId(String processId) {
      if (processId == null || !MultiprocessSettings.PROCESS_ID_PATTERN.matcher(processId).matches()) {
        throw new IllegalArgumentException(
            "process id " + processId + ": " + MultiprocessSettings.PROCESS_ID_ALLOWED);
      }
      this.processId = processId;
      return this;
    }

    /** Name of the collector's counter of skipped files (without {@code _total}). */
    public Builder errorsMetricName(String name) {
      this.errorsMetricName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Checks the directory and returns the store, the same instance for the same directory and
     * process id. The first open in a JVM takes the id: it locks {@code .java-prometheus-<id>.lock}
     * for the life of the process (a merge that finds the lock free knows the process has ended
     * and removes its live gauge files), removes the live gauge files a previous owner of the id
     * left ({@code gauge_live*_<id>.db}: a reused pid or a restarted container does not inherit
     * them), and removes those of other ids whose owner has ended.
     *
     * @throws InvalidSettingException naming {@code prometheus.multiproc-dir} when the directory
     *     does not exist, is not one or is not writable; naming {@code
     *     prometheus.multiproc-process-id} when another live process uses the id
     * @throws IllegalStateException when the store is already open with another layout
     */
    public MultiprocessStore open() {
      Path dir = checkDirectory(directory);
      String key = dir + "\u0000" + processId;
      synchronized (OPEN) {
        MultiprocessStore existing = OPEN.get(key);
        if (existing != null) {
          if (existing.format != format) {
            throw new IllegalStateException(
                "The multiprocess store for " + dir + " is already open in layout "
                    + existing.format.setting() + ", not " + format.setting());
          }
          return existing;
        }
        try {
          ProcessLocks.acquire(dir, processId, LOCK_WAIT_MILLIS);
        } catch (ProcessLocks.IdInUse e) {
          throw new InvalidSettingException(
              ID_KEY,
              processId,
              "expected an id that no other live process writing " + dir + " uses: " + e.getMessage()
                  + "; give each process its own (processes in separate pid namespaces, such as"
                  + " containers that all have pid 1, need one)");
        }
        ProcessLocks.sweep(dir, processId);
        MultiprocessStore store = new MultiprocessStore(dir, processId, format, errorsMetricName);
        OPEN.put(key, store);
        return store;
      }
    }
  }

  private static Path checkDirectory(Path directory) {
    String shown = directory.toString();
    if (!Files.exists(directory)) {
      throw new InvalidSettingException(
          DIR_KEY, shown, "expected an existing directory writable by this process; it does not exist (create it first)");
    }
    if (!Files.isDirectory(directory)) {
      throw new InvalidSettingException(DIR_KEY, shown, "expected a directory; this is not one");
    }
    try {
      Path probe = Files.createTempFile(directory, ".java-prometheus-probe-", ".tmp");
      Files.delete(probe);
      return directory.toRealPath();
    } catch (IOException | SecurityException e) {
      throw new InvalidSettingException(
          DIR_KEY, shown, "expected a directory writable by this process; creating a file in it failed: " + e);
    }
  }

  /** The directory of the files. */
  public Path directory() {
    return directory;
  }

  /** The id in this process's file names ({@code counter_<id>.db}). */
  public String processId() {
    return processId;
  }

  /** The layout this store writes. */
  public FileFormat format() {
    return format;
  }

  /**
   * Makes {@code registry} serve the merged directory: registers, once per registry, a {@link
   * MultiprocessCollector} for it, and returns that collector.
   */
  public MultiprocessCollector collectInto(PrometheusRegistry registry) {
    synchronized (collectors) {
      MultiprocessCollector existing = collectors.get(registry);
      if (existing != null) {
        return existing;
      }
      MultiprocessCollector collector = new MultiprocessCollector(directory, format, errorsMetricName);
      registry.register(collector);
      collectors.put(registry, collector);
      return collector;
    }
  }

  /**
   * Removes the live-gauge files of a process that has exited ({@code gauge_live*_<pid>.db}), as
   * Python's {@code mark_process_dead}; its counters and other gauges stay in the merge.
   */
  public int markProcessDead(String pid) {
    return MultiprocessCollector.markProcessDead(directory, pid);
  }

  @Override
  public Family<CounterDataPoint> counter(String name, String help, String[] labelNames) {
    String[] names = labelNames.clone();
    return new FileFamily<>(
        name,
        names,
        values -> {
          String key = PythonText.key(name, name + "_total", names, values, help);
          return new FileCounter(slots("counter", key), n -> duplicates("counter", n, key));
        },
        where("counter"));
  }

  @Override
  public Family<DistributionDataPoint> histogram(
      String name, String help, double[] upperBounds, boolean nativeHistograms, String[] labelNames) {
    double[] bounds = upperBounds.clone();
    Arrays.sort(bounds);
    if (bounds.length == 0 || bounds[bounds.length - 1] != Double.POSITIVE_INFINITY) {
      bounds = Arrays.copyOf(bounds, bounds.length + 1);
      bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    }
    double[] finalBounds = bounds;
    String[] names = labelNames.clone();
    String[] bucketNames = Arrays.copyOf(names, names.length + 1);
    bucketNames[names.length] = "le";
    boolean pre017 = format == FileFormat.VALUE;
    return new FileFamily<>(
        name,
        names,
        values -> {
          String[] keys = new String[finalBounds.length + 1];
          keys[0] = PythonText.key(name, name + "_sum", names, values, help);
          String[] bucketValues = Arrays.copyOf(values, values.length + 1);
          for (int i = 0; i < finalBounds.length; i++) {
            bucketValues[values.length] = PythonText.floatToGoString(finalBounds[i], pre017);
            keys[i + 1] = PythonText.key(name, name + "_bucket", bucketNames, bucketValues, help);
          }
          return new FileHistogram(
              slots("histogram", keys), n -> duplicates("histogram", n, keys), finalBounds);
        },
        where("histogram"));
  }

  @Override
  public Family<GaugeDataPoint> gauge(String name, String help, GaugeMode mode, String[] labelNames) {
    boolean mostRecent = mode == GaugeMode.MOSTRECENT || mode == GaugeMode.LIVEMOSTRECENT;
    if (mostRecent && format == FileFormat.VALUE) {
      throw new InvalidSettingException(
          "prometheus.multiproc-format",
          format.setting(),
          "gauge " + name + " merges by " + mode.pythonName()
              + ", which needs 0.17 (a timestamp per entry, prometheus_client 0.17 and later)");
    }
    String[] names = labelNames.clone();
    String prefix = "gauge_" + mode.pythonName();
    return new FileFamily<>(
        name,
        names,
        values -> new FileGauge(slots(prefix, PythonText.key(name, name, names, values, help)), mostRecent),
        where(prefix));
  }

  private String where(String prefix) {
    return "multiprocess file " + directory.resolve(prefix + "_" + processId + ".db");
  }

  private Slots slots(String prefix, String... keys) {
    try {
      return file(prefix).slots(keys);
    } catch (IOException e) {
      throw new UncheckedIOException("java-prometheus: cannot write " + where(prefix), e);
    }
  }

  private Slots[] duplicates(String prefix, int n, String... keys) throws IOException {
    return file(prefix).duplicates(n, keys);
  }

  private synchronized MmapFile file(String prefix) throws IOException {
    MmapFile file = files.get(prefix);
    if (file == null) {
      file = MmapFile.open(directory.resolve(prefix + "_" + processId + ".db"), format);
      files.put(prefix, file);
    }
    return file;
  }

  @Override
  public String toString() {
    return "MultiprocessStore{" + directory + ", process " + processId + ", layout " + format.setting() + "}";
  }
}
