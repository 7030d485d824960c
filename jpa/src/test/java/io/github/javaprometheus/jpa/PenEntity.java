package io.github.javaprometheus.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity name that is not the class name: the label is {@code Pen}. */
@Entity(name = "Pen")
public class PenEntity {
  /** Assigned here: the same DDL on SQLite and PostgreSQL, and the id is known before the insert. */
  @Id String id = java.util.UUID.randomUUID().toString();

  String colour;

  protected PenEntity() {}

  PenEntity(String colour) {
    this.colour = colour;
  }
}
