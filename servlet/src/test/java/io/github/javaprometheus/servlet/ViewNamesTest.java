package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ViewNamesTest {
  interface Greeter {
    String greet();
  }

  static class Plain {}

  @Test
  void aPlainClassKeepsItsName() {
    assertThat(ViewNames.of(Plain.class)).isEqualTo(Plain.class.getName());
    assertThat(ViewNames.of(String.class)).isEqualTo("java.lang.String");
  }

  @Test
  void aLambdaAndAMethodReferenceAreNamedByTheClassThatDefinedThem() {
    Supplier<String> lambda = () -> "x";
    Supplier<String> reference = this::toString;
    // The generated names differ per start; the label must not.
    assertThat(lambda.getClass().getName()).contains("$$Lambda");
    assertThat(ViewNames.of(lambda.getClass())).isEqualTo(ViewNamesTest.class.getName());
    assertThat(ViewNames.of(reference.getClass())).isEqualTo(ViewNamesTest.class.getName());
  }

  @Test
  void aJdkProxyIsNamedByItsInterface() {
    Object proxy =
        Proxy.newProxyInstance(
            Greeter.class.getClassLoader(), new Class<?>[] {Greeter.class}, (p, m, a) -> "hi");
    assertThat(proxy.getClass().getName()).contains("$Proxy");
    assertThat(ViewNames.of(proxy.getClass())).isEqualTo(Greeter.class.getName());
  }

  /** Stands for a CGLIB subclass: its generated name is dropped for its parent's. */
  static class Plain$$SpringCGLIB$$0 extends Plain {}

  @Test
  void aGeneratedSubclassIsNamedByItsParent() {
    assertThat(ViewNames.of(Plain$$SpringCGLIB$$0.class)).isEqualTo(Plain.class.getName());
  }
}
