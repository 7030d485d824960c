package io.github.javaprometheus.benchmarks;

import com.p6spy.engine.common.StatementInformation;
import com.p6spy.engine.event.SimpleJdbcEventListener;
import com.p6spy.engine.spy.P6DataSource;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.jdbc.InstrumentedDataSource;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * One way of measuring JDBC (DESIGN §8 R3): wraps a data source and says how many executions it
 * recorded. The peers get the cheapest listener that still records what we record (a count and a
 * duration per execution, into a {@code LongAdder}), so their numbers are a floor.
 */
abstract class JdbcInstrumentation {

  static JdbcInstrumentation create(String name) {
    switch (name) {
      case "none":
        return new None();
      case "java-prometheus":
        return new JavaPrometheus();
      case "datasource-proxy":
        return new DatasourceProxy();
      case "p6spy":
        return new P6Spy();
      default:
        throw new IllegalArgumentException("unknown instrumentation " + name);
    }
  }

  abstract DataSource wrap(DataSource target);

  /** Executions recorded, or -1 when the variant records none. */
  abstract long recordedExecutions();

  /** The raw driver: the baseline. */
  static final class None extends JdbcInstrumentation {
    @Override
    DataSource wrap(DataSource target) {
      return target;
    }

    @Override
    long recordedExecutions() {
      return -1;
    }
  }

  /** {@code InstrumentedDataSource}: execute counter and duration histogram, labelled children. */
  static final class JavaPrometheus extends JdbcInstrumentation {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final JdbcMetrics metrics =
        JdbcMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), registry));

    @Override
    DataSource wrap(DataSource target) {
      return InstrumentedDataSource.builder(target, metrics).vendor("h2").build();
    }

    @Override
    long recordedExecutions() {
      Double executes =
          TextScrape.of(registry).value("java_db_execute_total{alias=\"default\",vendor=\"h2\"}");
      Double timed =
          TextScrape.of(registry)
              .value("java_db_query_duration_seconds_count{alias=\"default\",vendor=\"h2\"}");
      if (executes == null || !executes.equals(timed)) {
        throw new IllegalStateException("executes " + executes + " but timed " + timed);
      }
      return executes.longValue();
    }
  }

  /** datasource-proxy (the base of datasource-micrometer) with a counting listener. */
  static final class DatasourceProxy extends JdbcInstrumentation {
    private final LongAdder executions = new LongAdder();
    private final LongAdder millis = new LongAdder();

    @Override
    DataSource wrap(DataSource target) {
      return ProxyDataSourceBuilder.create(target)
          .listener(
              new QueryExecutionListener() {
                @Override
                public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {}

                @Override
                public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
                  executions.increment();
                  millis.add(execInfo.getElapsedTime());
                }
              })
          .build();
    }

    @Override
    long recordedExecutions() {
      return executions.sum();
    }
  }

  /** p6spy with a counting listener instead of its file logger. */
  static final class P6Spy extends JdbcInstrumentation {
    private final LongAdder executions = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    static {
      // Only the spy core: no spy.log written by the logging module.
      System.setProperty("p6spy.config.modulelist", "com.p6spy.engine.spy.P6SpyFactory");
    }

    @Override
    DataSource wrap(DataSource target) {
      P6DataSource ds = new P6DataSource(target);
      SimpleJdbcEventListener listener =
          new SimpleJdbcEventListener() {
            @Override
            public void onAfterAnyExecute(
                StatementInformation statementInformation, long timeElapsedNanos, SQLException e) {
              executions.increment();
              nanos.add(timeElapsedNanos);
            }
          };
      ds.setJdbcEventListenerFactory(() -> listener);
      return ds;
    }

    @Override
    long recordedExecutions() {
      return executions.sum();
    }
  }
}
