package io.github.javaprometheus.springboot.shapes;

/** The template {@link GeneratedFailures} renames to make exception classes at run time. */
public class GeneratedFailure0000 extends ShapesApp.RandomFailure {
  private static final long serialVersionUID = 1L;
}
