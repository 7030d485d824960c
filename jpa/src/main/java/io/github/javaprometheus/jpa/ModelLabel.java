package io.github.javaprometheus.jpa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@code model} label value of an entity, instead of its entity name: {@code @ModelLabel("user")}
 * gives {@code <p>_model_inserts_total{model="user"}}, as django-prometheus's {@code
 * ExportModelOperationsMixin("user")} does. Not inherited: every entity class is its own model.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ModelLabel {
  /** The label value; must not be empty. */
  String value();
}
