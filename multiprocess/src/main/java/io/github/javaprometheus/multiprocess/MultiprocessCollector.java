package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.multiprocess.DbFile.Problem;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Serves the merged view of a multiprocess directory, as Python's {@code MultiProcessCollector}
 * computes it: counters, summaries and histogram buckets summed over all files; gauges by the mode
 * in their file name ({@code all}/{@code liveall}: one series per process labelled {@code pid};
 * {@code min}, {@code max}, {@code sum}, {@code mostrecent} and their {@code live} variants over
 * processes). Files of Java and Python processes merge alike, in either layout.
 *
 * <p>Live modes count live processes only, and a merge finds out by itself which processes have
 * ended: the files of an id whose {@link MultiprocessStore} no longer holds its lock (the process
 * ended, {@code kill -9} included) are removed ({@link #markProcessDead}) and not merged. Files of
 * writers that take no lock (Python processes) are merged until someone marks them dead, as in
 * Python.
 *
 * <p>A truncated, corrupt or foreign {@code .db} file is skipped as a whole, logged (WARNING the
 * first time for a file and reason, DEBUG after) and counted in {@code
 * <p>_multiprocess_file_errors_total{reason}}, which this collector serves itself; the scrape
 * always succeeds. Scrapes are serialised; decoded keys are kept between scrapes.
 */
public final class MultiprocessCollector implements MultiCollector {
  private static final System.Logger LOG = System.getLogger(MultiprocessCollector.class.getName());
  private static final String INVALID = "invalid";

  private final Path directory;
  private final FileFormat preferred;
  private final String errorsMetricName;
  private final KeyTable keys = new KeyTable();
  private final Map<String, Memo> memos = new HashMap<>();
  private final Map<String, long[]> errors = new LinkedHashMap<>();
  private final Set<String> warned = new HashSet<>();
  private final Map<String, ProcessLocks.State> liveness = new HashMap<>(); // per scrape
  private ByteBuffer buffer = DbFile.allocate(1 << 16);
  private double[] fileValues = new double[256];
  private double[] fileStamps = new double[256];
  private int generation;

  /** A collector of {@code directory}, counting skipped files in {@code java_multiprocess_file_errors_total}. */
  public MultiprocessCollector(Path directory) {
    this(directory, FileFormat.VALUE, "java_multiprocess_file_errors");
  }

  /**
   * A collector of {@code directory}; {@code preferred} is the layout tried first, {@code
   * errorsMetricName} the name (without {@code _total}) of the counter of skipped files.
   */
  public MultiprocessCollector(Path directory, FileFormat preferred, String errorsMetricName) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.preferred = Objects.requireNonNull(preferred, "preferred");
    this.errorsMetricName = Objects.requireNonNull(errorsMetricName, "errorsMetricName");
    for (Problem p : Problem.values()) {
      errors.put(p.label(), new long[1]);
    }
    errors.put(INVALID, new long[1]);
  }

  /** The directory merged. */
  public Path directory() {
    return directory;
  }

  /**
   * Removes the live-gauge files ({@code gauge_live*_<pid>.db}) of a process that has exited, as
   * Python's {@code mark_process_dead}. Returns how many files were removed. Merges do this by
   * themselves for the processes of this library; this is for writers that take no lock (Python
   * processes), from whatever supervises them.
   */
  public static int markProcessDead(Path directory, String pid) {
    int removed = 0;
    for (GaugeMode mode : GaugeMode.values()) {
      if (mode.live()) {
        try {
          if (Files.deleteIfExists(directory.resolve("gauge_" + mode.pythonName() + "_" + pid + ".db"))) {
            removed++;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove the live gauge files of process " + pid, e);
        }
      }
    }
    return removed;
  }

  /** As {@link #markProcessDead(Path, String)} for a numeric process id. */
  public static int markProcessDead(Path directory, long pid) {
    return markProcessDead(directory, Long.toString(pid));
  }

  @Override
  public synchronized MetricSnapshots collect() {
    generation++;
    liveness.clear();
    Map<String, Metric> metrics = new HashMap<>();
    List<Path> files = listFiles();
    for (Path file : files) {
      merge(file, metrics);
    }
    if (memos.size() > 2 * files.size() + 64) {
      // Files of processes long gone: forget what was remembered about them.
      Set<String> present = new HashSet<>();
      for (Path file : files) {
        present.add(file.getFileName().toString());
      }
      memos.keySet().retainAll(present);
    }
    List<MetricSnapshot> result = new ArrayList<>(metrics.size() + 1);
    Set<String> names = new HashSet<>();
    names.add(PrometheusNaming.prometheusName(errorsMetricName));
    for (Metric m : metrics.values()) {
      try {
        MetricSnapshot s = m.snapshot();
        if (s != null && names.add(PrometheusNaming.prometheusName(m.name))) {
          result.add(s);
        } else if (s != null) {
          problem(INVALID, "metric " + m.name, "its name clashes with another metric in the directory");
        }
      } catch (IllegalArgumentException e) {
        problem(INVALID, "metric " + m.name, e.getMessage());
      }
    }
    result.add(errorsSnapshot());
    return new MetricSnapshots(result);
  }

  private List<Path> listFiles() {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.db")) {
      for (Path p : stream) {
        if (!p.getFileName().toString().startsWith(".")) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      problem(Problem.UNREADABLE.label(), directory.toString(), "cannot list the directory: " + e);
    }
    Collections.sort(files);
    return files;
  }

  private void merge(Path file, Map<String, Metric> metrics) {
    String fileName = file.getFileName().toString();
    FileName name = FileName.parse(fileName);
    if (name == null) {
      problem(Problem.FOREIGN.label(), fileName,
          "not a multiprocess file name (counter|histogram|summary_<pid>.db, gauge_<mode>_<pid>.db)");
      return;
    }
    if (name.mode != null && name.mode.live()) {
      ProcessLocks.State state = liveness.get(name.pid);
      if (state == null) {
        state = ProcessLocks.check(directory, name.pid);
        liveness.put(name.pid, state);
      }
      if (state == ProcessLocks.State.DEAD || state == ProcessLocks.State.RESETTING) {
        return; // an ended process's live values (removed), or a new owner's being reset
      }
    }
    Memo memo = memos.get(fileName);
    if (memo == null) {
      memo = new Memo(preferred);
      memos.put(fileName, memo);
    }
    DbFile.Contents contents = DbFile.read(file, memo.format, memo.used, buffer);
    if (contents.error() != null) {
      problem(contents.error().label(), fileName, contents.message());
      return;
    }
    ByteBuffer data = contents.data();
    if (data.capacity() > buffer.capacity()) {
      buffer = data;
    }
    if (contents.entries() == 0) {
      return;
    }
    memo.format = contents.format();
    memo.used = contents.used();
    int n = contents.entries();
    if (memo.keys.length < n) {
      memo.keys = Arrays.copyOf(memo.keys, Math.max(n, memo.keys.length * 2));
    }
    if (fileValues.length < n) {
      fileValues = new double[Math.max(n, fileValues.length * 2)];
      fileStamps = new double[fileValues.length];
    }
    ParsedKey[] fileKeys = memo.keys;
    // Decode every key first: a file with one bad key is skipped whole, never half-merged.
    int[] count = {0};
    String[] bad = {null};
    contents.forEach(
        (bytes, offset, length, value, timestamp) -> {
          if (bad[0] != null) {
            return;
          }
          int i = count[0]++;
          // Entries never move: usually the key at this index is the one seen there last time.
          ParsedKey key = fileKeys[i];
          if (key == null
              || key.raw.length != length
              || !KeyTable.sameBytes(bytes, offset, key.raw)) {
            int hash = KeyTable.hash(bytes, offset, length);
            key = keys.get(bytes, offset, length, hash);
            if (key == null) {
              try {
                key = ParsedKey.parse(bytes, offset, length);
              } catch (ParsedKey.BadKey e) {
                bad[0] = e.getMessage();
                return;
              }
              keys.put(hash, key);
            }
            fileKeys[i] = key;
          }
          fileValues[i] = value;
          fileStamps[i] = timestamp;
        });
    if (bad[0] != null) {
      problem(Problem.CORRUPT.label(), fileName, bad[0]);
      return;
    }
    for (int i = 0; i < n; i++) {
      ParsedKey key = fileKeys[i];
      Metric m;
      if (key.metricGeneration == generation) {
        m = (Metric) key.metric;
      } else {
        m = metrics.computeIfAbsent(key.metricName, k -> new Metric(k, key.help, name.type));
        key.metric = m;
        key.metricGeneration = generation;
      }
      if (!m.type.equals(name.type)) {
        problem(INVALID, fileName, "metric " + key.metricName + " is a " + m.type + " in other files, not a " + name.type);
        continue;
      }
      if (name.mode != null) {
        m.mode = name.mode;
        m.gaugeSamples.add(new GaugeSample(key, name.pid, fileValues[i], fileStamps[i]));
      } else {
        if (key.generation != generation) {
          key.generation = generation;
          key.sum = 0;
          m.keys.add(key);
        }
        key.sum += fileValues[i];
      }
    }
  }

  private void problem(String reason, String what, String message) {
    errors.get(reason)[0]++;
    String text =
        "java-prometheus: skipped " + what + " in " + directory + " (" + reason + "): " + message;
    if (warned.add(reason + "\u0000" + what)) {
      LOG.log(System.Logger.Level.WARNING, text + "; counted in " + errorsMetricName + "_total");
    } else {
      LOG.log(System.Logger.Level.DEBUG, text);
    }
  }

  private MetricSnapshot errorsSnapshot() {
    CounterSnapshot.Builder b =
        CounterSnapshot.builder()
            .name(errorsMetricName)
            .help("Multiprocess files (or metrics in them) skipped by this process's merges, by reason");
    for (Map.Entry<String, long[]> e : errors.entrySet()) {
      b.dataPoint(
          CounterDataPointSnapshot.builder()
              .value(e.getValue()[0])
              .labels(Labels.of("reason", e.getKey()))
              .build());
    }
    return b.build();
  }

  /** The parts of a file name: {@code <type>_<pid>.db} or {@code gauge_<mode>_<pid>.db}. */
  private static final class FileName {
    final String type;
    final GaugeMode mode;
    final String pid;

    private FileName(String type, GaugeMode mode, String pid) {
      this.type = type;
      this.mode = mode;
      this.pid = pid;
    }

    static FileName parse(String fileName) {
      if (!fileName.endsWith(".db")) {
        return null;
      }
      String[] parts = fileName.substring(0, fileName.length() - 3).split("_", -1);
      switch (parts[0]) {
        case "counter":
        case "histogram":
        case "summary":
          return parts.length == 2 && !parts[1].isEmpty() ? new FileName(parts[0], null, parts[1]) : null;
        case "gauge":
          if (parts.length != 3 || parts[2].isEmpty()) {
            return null;
          }
          GaugeMode mode = GaugeMode.fromPythonName(parts[1]);
          return mode == null ? null : new FileName("gauge", mode, parts[2]);
        default:
          return null;
      }
    }
  }

  /** What the last scrape learnt about a file: its layout, used size and keys by position. */
  private static final class Memo {
    FileFormat format;
    int used;
    ParsedKey[] keys = new ParsedKey[16];

    Memo(FileFormat format) {
      this.format = format;
    }
  }

  private static final class GaugeSample {
    final ParsedKey key;
    final String pid;
    final double value;
    final double timestamp;

    GaugeSample(ParsedKey key, String pid, double value, double timestamp) {
      this.key = key;
      this.pid = pid;
      this.value = value;
      this.timestamp = timestamp;
    }
  }

  /** One metric of one scrape. */
  private static final class Metric {
    final String name;
    final String help;
    final String type;
    GaugeMode mode;
    final List<ParsedKey> keys = new ArrayList<>();
    final List<GaugeSample> gaugeSamples = new ArrayList<>();

    Metric(String name, String help, String type) {
      this.name = name;
      this.help = help;
      this.type = type;
    }

    MetricSnapshot snapshot() {
      switch (type) {
        case "counter":
          return counter();
        case "gauge":
          return gauge();
        case "histogram":
          return histogram();
        default:
          return summary();
      }
    }

    private MetricSnapshot counter() {
      String sample = name + "_total";
      Map<Labels, double[]> values = new LinkedHashMap<>();
      for (ParsedKey k : keys) {
        if (k.sampleName.equals(sample)) {
          values.computeIfAbsent(k.labels, l -> new double[1])[0] += k.sum;
        }
      }
      CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
      for (Map.Entry<Labels, double[]> e : values.entrySet()) {
        b.dataPoint(CounterDataPointSnapshot.builder().value(e.getValue()[0]).labels(e.getKey()).build());
      }
      return b.build();
    }

    private MetricSnapshot gauge() {
      Map<Labels, double[]> values = new LinkedHashMap<>(); // value, timestamp
      for (GaugeSample s : gaugeSamples) {
        if (!s.key.sampleName.equals(name)) {
          continue;
        }
        Labels labels = s.key.labels;
        switch (mode) {
          case MIN:
          case LIVEMIN:
            {
              double[] v = values.putIfAbsent(labels, new double[] {s.value, 0});
              if (v != null && s.value < v[0]) {
                v[0] = s.value;
              }
              break;
            }
          case MAX:
          case LIVEMAX:
            {
              double[] v = values.putIfAbsent(labels, new double[] {s.value, 0});
              if (v != null && s.value > v[0]) {
                v[0] = s.value;
              }
              break;
            }
          case SUM:
          case LIVESUM:
            values.computeIfAbsent(labels, l -> new double[2])[0] += s.value;
            break;
          case MOSTRECENT:
          case LIVEMOSTRECENT:
            {
              // As Python: the newest stamped value; a series never stamped is not exposed.
              double[] v = values.get(labels);
              if ((v == null ? 0.0 : v[1]) < s.timestamp) {
                values.put(labels, new double[] {s.value, s.timestamp});
              }
              break;
            }
          default: // ALL, LIVEALL
            values.put(labels.add("pid", s.pid), new double[] {s.value, 0});
        }
      }
      GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
      for (Map.Entry<Labels, double[]> e : values.entrySet()) {
        b.dataPoint(GaugeDataPointSnapshot.builder().value(e.getValue()[0]).labels(e.getKey()).build());
      }
      return b.build();
    }

    private MetricSnapshot histogram() {
      String bucket = name + "_bucket";
      String sum = name + "_sum";
      Map<Labels, TreeMap<Double, double[]>> buckets = new LinkedHashMap<>();
      Map<Labels, double[]> sums = new HashMap<>();
      for (ParsedKey k : keys) {
        if (k.sampleName.equals(bucket) && !Double.isNaN(k.le)) {
          buckets
              .computeIfAbsent(k.labelsWithoutLe, l -> new TreeMap<>())
              .computeIfAbsent(k.le, b -> new double[1])[0] += k.sum;
        } else if (k.sampleName.equals(sum)) {
          sums.computeIfAbsent(k.labels, l -> new double[1])[0] += k.sum;
        }
      }
      HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
      for (Map.Entry<Labels, TreeMap<Double, double[]>> e : buckets.entrySet()) {
        TreeMap<Double, double[]> byBound = e.getValue();
        double[] bounds = new double[byBound.size()];
        long[] counts = new long[byBound.size()];
        int i = 0;
        for (Map.Entry<Double, double[]> bc : byBound.entrySet()) {
          bounds[i] = bc.getKey();
          counts[i] = Math.round(bc.getValue()[0]);
          i++;
        }
        double[] s = sums.get(e.getKey());
        b.dataPoint(
            HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(s == null ? 0.0 : s[0])
                .labels(e.getKey())
                .build());
      }
      return b.build();
    }

    private MetricSnapshot summary() {
      String count = name + "_count";
      String sum = name + "_sum";
      Map<Labels, double[]> values = new LinkedHashMap<>(); // count, sum
      for (ParsedKey k : keys) {
        if (k.sampleName.equals(count)) {
          values.computeIfAbsent(k.labels, l -> new double[2])[0] += k.sum;
        } else if (k.sampleName.equals(sum)) {
          values.computeIfAbsent(k.labels, l -> new double[2])[1] += k.sum;
        }
      }
      SummarySnapshot.Builder b = SummarySnapshot.builder().name(name).help(help);
      for (Map.Entry<Labels, double[]> e : values.entrySet()) {
        b.dataPoint(
            SummaryDataPointSnapshot.builder()
                .count(Math.round(e.getValue()[0]))
                .sum(e.getValue()[1])
                .labels(e.getKey())
                .build());
      }
      return b.build();
    }
  }
}
