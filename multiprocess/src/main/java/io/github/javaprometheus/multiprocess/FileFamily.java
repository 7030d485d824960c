package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.MetricStore;
import io.prometheus.metrics.core.datapoints.DataPoint;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** A family whose children are entries of this process's files; one child per label set. */
final class FileFamily<D extends DataPoint> implements MetricStore.Family<D> {
  private final String name;
  private final String[] labelNames;
  private final Function<String[], D> create;
  private final ConcurrentHashMap<List<String>, D> children = new ConcurrentHashMap<>();
  private final String where;

  FileFamily(String name, String[] labelNames, Function<String[], D> create, String where) {
    this.name = name;
    this.labelNames = labelNames;
    this.create = create;
    this.where = where;
    if (labelNames.length == 0) {
      // As Python: a family without labels has its entry (at 0) from the start.
      labelValues();
    }
  }

  @Override
  public D labelValues(String... values) {
    if (values.length != labelNames.length) {
      throw new IllegalArgumentException(
          name + " has labels " + Arrays.toString(labelNames) + ", got " + values.length + " values");
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException(
            "null label value for metric " + name + " and label " + labelNames[i]);
      }
    }
    List<String> key = Arrays.asList(values.clone());
    D child = children.get(key);
    if (child != null) {
      return child;
    }
    return children.computeIfAbsent(key, k -> create.apply(k.toArray(new String[0])));
  }

  @Override
  public String toString() {
    return where;
  }
}
