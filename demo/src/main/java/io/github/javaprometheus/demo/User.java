package io.github.javaprometheus.demo;

/** A row of {@code t_user}. */
public record User(String name, int age, String sex) {}
