package io.github.javaprometheus.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A plain entity: its label is its entity name, {@code Book}. */
@Entity
public class Book {
  /** Assigned here: the same DDL on SQLite and PostgreSQL, and the id is known before the insert. */
  @Id String id = java.util.UUID.randomUUID().toString();

  String title;
  int pages;

  protected Book() {}

  Book(String title, int pages) {
    this.title = title;
    this.pages = pages;
  }
}
