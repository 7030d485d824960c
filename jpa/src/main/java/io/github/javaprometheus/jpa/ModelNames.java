package io.github.javaprometheus.jpa;

import jakarta.persistence.Entity;

/** The {@code model} label of an entity: {@link ModelLabel}, else its JPA entity name. */
final class ModelNames {
  /** Per class, so a listener callback resolves its label without reflection after the first one. */
  private static final ClassValue<String> BY_CLASS =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          Class<?> entity = entityClass(type);
          return of(entity, jpaEntityName(entity));
        }
      };

  private ModelNames() {}

  /** The label of an entity whose JPA entity name the provider told us ({@code null}: unknown). */
  static String of(Class<?> type, String entityName) {
    if (type != null) {
      ModelLabel label = type.getAnnotation(ModelLabel.class);
      if (label != null && !label.value().isEmpty()) {
        return label.value();
      }
    }
    if (entityName != null && !entityName.isEmpty()) {
      return entityName;
    }
    return type == null ? "<unknown model>" : type.getSimpleName();
  }

  /** The label of an entity class (or of a provider's subclass of it), from its annotations. */
  static String of(Class<?> type) {
    return BY_CLASS.get(type);
  }

  /** The class carrying {@code @Entity}: providers may hand callbacks a proxy or enhanced subclass. */
  private static Class<?> entityClass(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      if (c.isAnnotationPresent(Entity.class)) {
        return c;
      }
    }
    return type;
  }

  /** {@code @Entity(name = ...)}, else the simple class name, as the JPA specification defines it. */
  private static String jpaEntityName(Class<?> type) {
    Entity entity = type.getAnnotation(Entity.class);
    return entity != null && !entity.name().isEmpty() ? entity.name() : type.getSimpleName();
  }
}
