package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The wrappers are whole: for every interface a wrapper implements, every method (abstract or
 * default) is declared by our class, and calling it on the wrapper reaches the driver's object
 * with the very arguments given, exactly once. The driver's object is a JDK proxy that records
 * what it receives; the few methods a wrapper answers itself (to lead back to measured objects)
 * are checked for that answer and for not asking the driver.
 */
class WrapperDelegationTest {
  private static final String PACKAGE = InstrumentedConnection.class.getPackageName();

  private final TestMetrics metrics = new TestMetrics();
  private final DatabaseLabels labels = metrics.jdbc.labels("default", "fake");
  private final InstrumentedConnection connection =
      new InstrumentedConnection(recorder(Connection.class, new Recorder()), labels);
  private final InstrumentedStatement statement =
      new InstrumentedStatement(connection, recorder(Statement.class, new Recorder()), labels);

  /** One interface of one wrapper; {@code wrap} builds the wrapper around a given delegate. */
  private static final class Case {
    final Class<?> iface;
    final Function<Object, Object> wrap;
    final List<String> ownAnswers;
    final Function<Object, Object> expectedOwnAnswer;

    Case(Class<?> iface, Function<Object, Object> wrap) {
      this(iface, wrap, List.of(), w -> null);
    }

    Case(
        Class<?> iface,
        Function<Object, Object> wrap,
        List<String> ownAnswers,
        Function<Object, Object> expectedOwnAnswer) {
      this.iface = iface;
      this.wrap = wrap;
      this.ownAnswers = ownAnswers;
      this.expectedOwnAnswer = expectedOwnAnswer;
    }
  }

  private List<Case> cases() {
    return List.of(
        new Case(Connection.class, d -> new InstrumentedConnection((Connection) d, labels)),
        new Case(
            Statement.class,
            d -> new InstrumentedStatement(connection, (Statement) d, labels),
            List.of("getConnection"),
            w -> connection),
        new Case(
            PreparedStatement.class,
            d -> new InstrumentedPreparedStatement(connection, (PreparedStatement) d, labels),
            List.of("getConnection"),
            w -> connection),
        new Case(
            CallableStatement.class,
            d -> new InstrumentedCallableStatement(connection, (CallableStatement) d, labels),
            List.of("getConnection"),
            w -> connection),
        new Case(
            ResultSet.class,
            d -> new InstrumentedResultSet((ResultSet) d, statement),
            List.of("getStatement"),
            w -> statement),
        // A metadata result set asks the driver for its statement, and wraps what it gets.
        new Case(ResultSet.class, d -> InstrumentedResultSet.ofMetaData((ResultSet) d, connection)),
        new Case(
            DatabaseMetaData.class,
            d -> new InstrumentedDatabaseMetaData((DatabaseMetaData) d, connection),
            List.of("getConnection"),
            w -> connection),
        new Case(
            DataSource.class,
            d ->
                InstrumentedDataSource.builder((DataSource) d, metrics.jdbc)
                    .vendor("fake")
                    .build()),
        new Case(ConnectionBuilder.class, d -> builderOver((ConnectionBuilder) d)),
        new Case(
            MetricsTrackerFactory.class,
            d ->
                new PrometheusMetricsTrackerFactory(
                    metrics.jdbc, "default", "fake", (MetricsTrackerFactory) d)),
        new Case(
            IMetricsTracker.class,
            d ->
                new PrometheusMetricsTrackerFactory(
                        metrics.jdbc,
                        "default",
                        "fake",
                        (poolName, stats) -> (IMetricsTracker) d)
                    .create("pool", null)));
  }

  /** Our connection builder, over a data source whose builder is {@code driver}'s. */
  private ConnectionBuilder builderOver(ConnectionBuilder driver) {
    InvocationHandler handsOutTheBuilder =
        (proxy, method, args) ->
            method.getName().equals("createConnectionBuilder") ? driver : null;
    DataSource target = recorder(DataSource.class, handsOutTheBuilder);
    try {
      return InstrumentedDataSource.wrap(target, metrics.jdbc).createConnectionBuilder();
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everyInterfaceMethodIsDeclaredByOurWrapperAndReachesTheDelegateOnce() throws Exception {
    int checked = 0;
    for (Case c : cases()) {
      Object sample = c.wrap.apply(recorder(c.iface, new Recorder()));
      Class<?> wrapper = sample.getClass();
      for (Method m : interfaceMethods(c.iface)) {
        Method impl = wrapper.getMethod(m.getName(), m.getParameterTypes());
        Class<?> declaring = impl.getDeclaringClass();
        assertThat(declaring.isInterface())
            .as("%s.%s is inherited from %s", wrapper.getName(), m.getName(), declaring)
            .isFalse();
        assertThat(declaring.getPackageName())
            .as("%s.%s is declared in %s", wrapper.getName(), m.getName(), declaring)
            .isEqualTo(PACKAGE);

        Recorder delegate = new Recorder();
        Object wrapped = c.wrap.apply(recorder(c.iface, delegate));
        Object[] args = sampleArguments(m);
        Object answer = invoke(m, wrapped, args);
        String what =
            wrapper.getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes());
        if (c.ownAnswers.contains(m.getName()) && m.getParameterCount() == 0) {
          assertThat(answer).as(what).isSameAs(c.expectedOwnAnswer.apply(wrapped));
          assertThat(delegate.calls).as(what).isEmpty();
        } else {
          assertThat(delegate.calls).as(what + " reaches the delegate once").hasSize(1);
          Call call = delegate.calls.get(0);
          assertThat(call.method.getName()).as(what).isEqualTo(m.getName());
          assertThat(call.method.getParameterTypes()).as(what).isEqualTo(m.getParameterTypes());
          assertSameArguments(what, call.args, args);
        }
        checked++;
      }
    }
    // Connection 50+, Statement 40+, ResultSet 190+, DatabaseMetaData 180+, ...
    assertThat(checked).isGreaterThan(1_000);
  }

  @Test
  void everyClassOfOursThatImplementsAJdbcInterfaceIsCoveredAbove() throws Exception {
    Set<Class<?>> covered = new LinkedHashSet<>();
    for (Case c : cases()) {
      covered.add(c.wrap.apply(recorder(c.iface, new Recorder())).getClass());
    }
    covered.add(PrometheusDriver.class); // below: its delegate is found through DriverManager

    Set<Class<?>> jdbcClasses = new LinkedHashSet<>();
    for (Class<?> type : classesOfTheMainPackage()) {
      if (!type.isInterface() && implementsJdbc(type)) {
        jdbcClasses.add(type);
      }
    }
    assertThat(jdbcClasses).isNotEmpty();
    assertThat(covered).containsAll(jdbcClasses);
  }

  @Test
  void theDriverPassesConnectAndPropertyInfoToTheRealDriver() throws Exception {
    for (Method m : interfaceMethods(Driver.class)) {
      Method impl = PrometheusDriver.class.getMethod(m.getName(), m.getParameterTypes());
      assertThat(impl.getDeclaringClass()).as(m.getName()).isEqualTo(PrometheusDriver.class);
    }
    Recorder real = new Recorder();
    InvocationHandler acceptsItsScheme =
        (proxy, method, args) ->
            method.getName().equals("acceptsURL")
                ? ((String) args[0]).startsWith("jdbc:recording:")
                : real.invoke(proxy, method, args);
    Driver recording = recorder(Driver.class, acceptsItsScheme);
    DriverManager.registerDriver(recording);
    PrometheusDriver.useMetrics(metrics.jdbc);
    try {
      PrometheusDriver ours = new PrometheusDriver();
      Properties info = new Properties();
      assertThat(ours.connect("jdbc:prometheus:recording:db", info)).isNull();
      assertThat(ours.getPropertyInfo("jdbc:prometheus:recording:db", info)).isNull();

      assertThat(real.calls).hasSize(2);
      assertThat(real.calls.get(0).method.getName()).isEqualTo("connect");
      assertSameArguments(
          "connect", real.calls.get(0).args, new Object[] {"jdbc:recording:db", info});
      assertThat(real.calls.get(1).method.getName()).isEqualTo("getPropertyInfo");
      assertSameArguments(
          "getPropertyInfo", real.calls.get(1).args, new Object[] {"jdbc:recording:db", info});
      // A driver answering null opened nothing: no new connection, and no error either.
      assertThat(metrics.db("new_connections_total", "default", "recording")).isZero();
      assertThat(metrics.db("new_connection_errors_total", "default", "recording")).isZero();
    } finally {
      PrometheusDriver.useMetrics(null);
      DriverManager.deregisterDriver(recording);
    }
  }

  /** A method call the delegate received. */
  private static final class Call {
    final Method method;
    final Object[] args;

    Call(Method method, Object[] args) {
      this.method = method;
      this.args = args == null ? new Object[0] : args;
    }
  }

  /** Records every call and answers the type's default: null, 0 or false. */
  private static final class Recorder implements InvocationHandler {
    final List<Call> calls = new ArrayList<>();

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          default:
            return "recording " + proxy.getClass().getInterfaces()[0].getSimpleName();
        }
      }
      calls.add(new Call(method, args));
      return defaultValue(method.getReturnType());
    }
  }

  private static <T> T recorder(Class<T> iface, InvocationHandler handler) {
    return iface.cast(
        Proxy.newProxyInstance(
            WrapperDelegationTest.class.getClassLoader(), new Class<?>[] {iface}, handler));
  }

  private static Object defaultValue(Class<?> type) {
    if (!type.isPrimitive() || type == void.class) {
      return null;
    }
    return Array.get(Array.newInstance(type, 1), 0);
  }

  private static List<Method> interfaceMethods(Class<?> iface) {
    return Arrays.stream(iface.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .sorted((a, b) -> a.toString().compareTo(b.toString()))
        .collect(Collectors.toList());
  }

  /** Distinct values per parameter, so a wrapper that passes the wrong one is caught. */
  private static Object[] sampleArguments(Method m) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = sample(types[i], i);
    }
    return args;
  }

  private static Object sample(Class<?> type, int i) {
    if (type == int.class) {
      return 11 + i;
    }
    if (type == long.class) {
      return 21L + i;
    }
    if (type == short.class) {
      return (short) (31 + i);
    }
    if (type == byte.class) {
      return (byte) (41 + i);
    }
    if (type == double.class) {
      return 1.5 + i;
    }
    if (type == float.class) {
      return 2.5f + i;
    }
    if (type == boolean.class) {
      return true;
    }
    if (type == String.class) {
      return "arg" + i;
    }
    if (type == Class.class) {
      // No wrapper or delegate is a Runnable: unwrap and isWrapperFor must ask the delegate.
      return Runnable.class;
    }
    if (type.isArray()) {
      return Array.newInstance(type.getComponentType(), 1);
    }
    if (type.isInterface()) {
      return recorder(type, new Recorder());
    }
    if (type == Object.class) {
      return new Object();
    }
    if (type == Properties.class) {
      return new Properties();
    }
    return null; // abstract classes (streams, readers, Calendar, PoolStats): null will do
  }

  private static Object invoke(Method m, Object target, Object[] args) throws Exception {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(m + " threw", e.getCause());
    }
  }

  private static void assertSameArguments(String what, Object[] actual, Object[] expected) {
    assertThat(actual).as(what + " arguments").hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      Object e = expected[i];
      if (e == null || e instanceof Number || e instanceof Boolean || e instanceof String) {
        assertThat(actual[i]).as(what + " argument " + i).isEqualTo(expected[i]);
      } else {
        assertThat(actual[i]).as(what + " argument " + i).isSameAs(expected[i]);
      }
    }
  }

  private static boolean implementsJdbc(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        String p = i.getPackageName();
        if (p.equals("java.sql") || p.equals("javax.sql")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The compiled classes of the main code's package (target/classes), loaded. */
  private static List<Class<?>> classesOfTheMainPackage()
      throws IOException, URISyntaxException, ClassNotFoundException {
    java.net.URL classes =
        InstrumentedConnection.class.getProtectionDomain().getCodeSource().getLocation();
    Path root = Path.of(classes.toURI());
    Path dir = root.resolve(PACKAGE.replace('.', '/'));
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".class")) {
          found.add(Class.forName(PACKAGE + "." + name.substring(0, name.length() - 6)));
        }
      }
    }
    return found;
  }
}
