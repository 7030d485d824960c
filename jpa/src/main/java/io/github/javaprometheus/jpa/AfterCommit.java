package io.github.javaprometheus.jpa;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a count when the Spring-managed transaction of this thread commits (never when it rolls
 * back), or at once when there is none. Spring is optional: without it, counts run at once.
 */
final class AfterCommit {
  private static final boolean SPRING_TX = present();

  private AfterCommit() {}

  static void run(Runnable count) {
    if (!SPRING_TX || !SpringTransactions.defer(count)) {
      count.run();
    }
  }

  private static boolean present() {
    try {
      Class.forName(
          "org.springframework.transaction.support.TransactionSynchronizationManager",
          false,
          AfterCommit.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Only loaded when spring-tx is on the classpath. */
  private static final class SpringTransactions {
    static boolean defer(Runnable count) {
      if (!TransactionSynchronizationManager.isSynchronizationActive()
          || !TransactionSynchronizationManager.isActualTransactionActive()) {
        return false;
      }
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
              if (status == STATUS_COMMITTED) {
                count.run();
              }
            }
          });
      return true;
    }
  }
}
