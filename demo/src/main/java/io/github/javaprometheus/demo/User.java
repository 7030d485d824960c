package io.github.javaprometheus.demo;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * django_demo's User model, a row of {@code t_user}. Its inserts, updates and deletes are counted
 * as {@code <p>_model_*_total{model="User"}} with no code.
 */
@Entity
@Table(name = "t_user")
public class User {
  @Id
  @GeneratedValue(strategy = GenerationType.UUID)
  private String id;

  private String name;
  private int age;
  private String sex;

  protected User() {}

  public User(String name, int age, String sex) {
    this.name = name;
    this.age = age;
    this.sex = sex;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int age() {
    return age;
  }

  public String sex() {
    return sex;
  }
}
