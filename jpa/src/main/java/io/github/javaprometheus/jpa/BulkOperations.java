package io.github.javaprometheus.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;

/**
 * Counts what entity events cannot see: bulk JPQL/HQL and criteria {@code UPDATE}/{@code DELETE}
 * (and {@code INSERT ... SELECT}) run as one statement, never load the entities and so never reach
 * a listener. Pass the row count the statement returned:
 *
 * <pre>{@code
 * BulkOperations.updated(em, User.class,
 *     em.createQuery("update User u set u.age = u.age + 1").executeUpdate());
 * }</pre>
 *
 * <p>Counted as the listeners count: with Hibernate after the transaction commits (nothing on a
 * rollback), in a Spring-managed transaction at its commit, else at once. Returns {@code rows}, so
 * the call can wrap {@code executeUpdate()}.
 */
public final class BulkOperations {
  private static final boolean HIBERNATE = present("org.hibernate.engine.spi.SharedSessionContractImplementor");

  private BulkOperations() {}

  /** Counts {@code rows} inserts of {@code entityClass} made by a bulk statement. */
  public static int inserted(EntityManager entityManager, Class<?> entityClass, int rows) {
    return count(entityManager, entityClass, rows, Operation.INSERT);
  }

  /** Counts {@code rows} updates of {@code entityClass} made by a bulk statement. */
  public static int updated(EntityManager entityManager, Class<?> entityClass, int rows) {
    return count(entityManager, entityClass, rows, Operation.UPDATE);
  }

  /** Counts {@code rows} deletes of {@code entityClass} made by a bulk statement. */
  public static int deleted(EntityManager entityManager, Class<?> entityClass, int rows) {
    return count(entityManager, entityClass, rows, Operation.DELETE);
  }

  private static int count(EntityManager em, Class<?> entityClass, int rows, Operation operation) {
    if (rows <= 0) {
      return rows;
    }
    ModelMetrics metrics = null;
    try {
      if (HIBERNATE && HibernateSessions.count(em, entityClass, rows, operation)) {
        return rows;
      }
      metrics = ModelMetricsListener.metrics();
      if (metrics != null) {
        ModelMetrics.ModelCounters counters = metrics.counters(ModelNames.of(entityClass));
        AfterCommit.run(() -> operation.counter(counters).inc(rows));
      }
    } catch (RuntimeException | LinkageError e) {
      if (metrics != null) {
        metrics.failed(e);
      }
    }
    return rows;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, BulkOperations.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Only loaded when Hibernate is on the classpath. */
  private static final class HibernateSessions {
    /** False when the entity manager is not Hibernate's; true when it was handled here. */
    static boolean count(EntityManager em, Class<?> entityClass, int rows, Operation operation) {
      SharedSessionContractImplementor session;
      try {
        session = em.unwrap(SharedSessionContractImplementor.class);
      } catch (PersistenceException notHibernate) {
        return false;
      }
      ModelMetrics metrics = CountingFactories.metricsFor(session.getFactory());
      if (metrics == null) {
        // A session factory with model metrics turned off.
        return true;
      }
      try {
        ModelMetrics.ModelCounters counters = metrics.counters(ModelNames.of(entityClass));
        if (session.isTransactionInProgress()) {
          session
              .getTransactionCompletionCallbacks()
              .registerCallback(
                  (TransactionCompletionCallbacks.AfterCompletionCallback)
                      (success, s) -> {
                        if (success) {
                          operation.counter(counters).inc(rows);
                        }
                      });
        } else {
          operation.counter(counters).inc(rows);
        }
      } catch (RuntimeException | LinkageError e) {
        metrics.failed(e);
      }
      return true;
    }
  }
}
