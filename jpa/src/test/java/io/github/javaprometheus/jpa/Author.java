package io.github.javaprometheus.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Labelled by our annotation, as django-prometheus's {@code ExportModelOperationsMixin("writer")}. */
@Entity
@ModelLabel("writer")
public class Author {
  /** Assigned here: the same DDL on SQLite and PostgreSQL, and the id is known before the insert. */
  @Id String id = java.util.UUID.randomUUID().toString();

  String name;

  protected Author() {}

  Author(String name) {
    this.name = name;
  }
}
