package io.github.javaprometheus.jpa;

import org.hibernate.event.spi.PostCommitDeleteEventListener;
import org.hibernate.event.spi.PostCommitInsertEventListener;
import org.hibernate.event.spi.PostCommitUpdateEventListener;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.persister.entity.EntityPersister;
import java.util.Map;

/**
 * Hibernate's post-commit insert, update and delete events: called once per entity row written,
 * after the transaction that wrote it committed. A rolled-back transaction calls the {@code
 * ...CommitFailed} methods instead, which count nothing.
 */
final class HibernateModelListener
    implements PostCommitInsertEventListener,
        PostCommitUpdateEventListener,
        PostCommitDeleteEventListener {
  private final ModelMetrics metrics;
  /** Label children by Hibernate entity name, resolved at start-up from the boot metamodel. */
  private final Map<String, ModelMetrics.ModelCounters> byEntityName;

  HibernateModelListener(ModelMetrics metrics, Map<String, ModelMetrics.ModelCounters> byEntityName) {
    this.metrics = metrics;
    this.byEntityName = byEntityName;
  }

  ModelMetrics metrics() {
    return metrics;
  }

  /** Every entity: Hibernate keeps post-commit work only for persisters a listener asks for. */
  @Override
  public boolean requiresPostCommitHandling(EntityPersister persister) {
    return true;
  }

  @Override
  public void onPostInsert(PostInsertEvent event) {
    try {
      counters(event.getPersister()).inserts.inc();
    } catch (RuntimeException | LinkageError e) {
      metrics.failed(e);
    }
  }

  @Override
  public void onPostUpdate(PostUpdateEvent event) {
    try {
      counters(event.getPersister()).updates.inc();
    } catch (RuntimeException | LinkageError e) {
      metrics.failed(e);
    }
  }

  @Override
  public void onPostDelete(PostDeleteEvent event) {
    try {
      counters(event.getPersister()).deletes.inc();
    } catch (RuntimeException | LinkageError e) {
      metrics.failed(e);
    }
  }

  @Override
  public void onPostInsertCommitFailed(PostInsertEvent event) {
    // Rolled back: the row does not exist, so nothing is counted.
  }

  @Override
  public void onPostUpdateCommitFailed(PostUpdateEvent event) {
    // Rolled back: nothing changed.
  }

  @Override
  public void onPostDeleteCommitFailed(PostDeleteEvent event) {
    // Rolled back: the row is still there.
  }

  private ModelMetrics.ModelCounters counters(EntityPersister persister) {
    ModelMetrics.ModelCounters known = byEntityName.get(persister.getEntityName());
    if (known != null) {
      return known;
    }
    // An entity added after start-up (dynamic mapping): resolved, and kept by ModelMetrics.
    return metrics.counters(ModelNames.of(mappedClass(persister), persister.getJpaEntityName()));
  }

  private static Class<?> mappedClass(EntityPersister persister) {
    Class<?> type = persister.getMappedClass();
    return type == null || Map.class.isAssignableFrom(type) ? null : type;
  }
}
