package io.github.javaprometheus.springboot.models;

import io.github.javaprometheus.jpa.ModelLabel;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.UUID;

/** Labelled by annotation: {@code model="widget"}. */
@Entity
@ModelLabel("widget")
public class Widget {
  @Id public String id = UUID.randomUUID().toString();

  public Widget() {}
}
