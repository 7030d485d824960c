package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Known answers of CPython 3.11 and prometheus_client 0.16 (PythonCompatibilityIT checks against them live). */
class PythonTextTest {

  @Test
  void keysAreJsonDumpsWithSortedLabelsAndAsciiEscapes() {
    assertThat(
            PythonText.key(
                "http", "http_total", new String[] {"view", "method"},
                new String[] {"caf\u00e9 \"q\" \\ \n\t\u0001\u007f\uD83D\uDE00", "GET"}, "Help\n"))
        .isEqualTo(
            "[\"http\", \"http_total\", {\"method\": \"GET\", \"view\":"
                + " \"caf\\u00e9 \\\"q\\\" \\\\ \\n\\t\\u0001\\u007f\\ud83d\\ude00\"}, \"Help\\n\"]");
    assertThat(PythonText.key("g", "g", new String[0], new String[0], "")).isEqualTo("[\"g\", \"g\", {}, \"\"]");
  }

  @Test
  void reprIsPythonsShortestRoundTrip() {
    assertThat(PythonText.repr(1.0)).isEqualTo("1.0");
    assertThat(PythonText.repr(0.1)).isEqualTo("0.1");
    assertThat(PythonText.repr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(PythonText.repr(1e-4)).isEqualTo("0.0001");
    assertThat(PythonText.repr(1e-5)).isEqualTo("1e-05");
    assertThat(PythonText.repr(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(PythonText.repr(1e16)).isEqualTo("1e+16");
    assertThat(PythonText.repr(1234567890123456.0)).isEqualTo("1234567890123456.0");
    assertThat(PythonText.repr(1e300)).isEqualTo("1e+300");
    assertThat(PythonText.repr(-2.5)).isEqualTo("-2.5");
    assertThat(PythonText.repr(5e-324)).isEqualTo("5e-324");
    assertThat(PythonText.repr(Math.pow(2, 60))).isEqualTo("1.152921504606847e+18");
  }

  @Test
  void bucketBoundsAreFloatToGoString() {
    assertThat(PythonText.floatToGoString(0.01, true)).isEqualTo("0.01");
    assertThat(PythonText.floatToGoString(75, true)).isEqualTo("75.0");
    assertThat(PythonText.floatToGoString(0, true)).isEqualTo("0.0");
    assertThat(PythonText.floatToGoString(Double.POSITIVE_INFINITY, true)).isEqualTo("+Inf");
    assertThat(PythonText.floatToGoString(1000000, true)).isEqualTo("1e+06");
    assertThat(PythonText.floatToGoString(536870912, true)).isEqualTo("5.36870912e+08");
    assertThat(PythonText.floatToGoString(1e10, true)).isEqualTo("1e+010");
    assertThat(PythonText.floatToGoString(1e10, false)).isEqualTo("1e+10");
    assertThat(PythonText.parseFloat("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PythonText.parseFloat("5.36870912e+08")).isEqualTo(536870912.0);
  }
}
