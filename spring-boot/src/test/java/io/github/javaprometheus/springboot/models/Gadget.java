package io.github.javaprometheus.springboot.models;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.UUID;

/** An entity for the auto-configuration tests. */
@Entity
public class Gadget {
  @Id public String id = UUID.randomUUID().toString();

  public String name;

  protected Gadget() {}

  public Gadget(String name) {
    this.name = name;
  }
}
