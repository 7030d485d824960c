package io.github.javaprometheus.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;

/** Counted by the JPA entity listener, the way for providers other than Hibernate. */
@Entity
@EntityListeners(ModelMetricsListener.class)
public class Note {
  /** Assigned here: the same DDL on SQLite and PostgreSQL, and the id is known before the insert. */
  @Id String id = java.util.UUID.randomUUID().toString();

  String text;

  protected Note() {}

  Note(String text) {
    this.text = text;
  }
}
