package io.github.javaprometheus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void nextCanBeBoundOnLoopback() throws Exception {
    int port = FreePorts.next();
    try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void consecutivePortsCanAllBeBound() throws Exception {
    int first = FreePorts.firstOfConsecutive(3);
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (ServerSocket a = new ServerSocket(first, 50, lo);
        ServerSocket b = new ServerSocket(first + 1, 50, lo);
        ServerSocket c = new ServerSocket(first + 2, 50, lo)) {
      assertThat(List.of(a.getLocalPort(), b.getLocalPort(), c.getLocalPort()))
          .containsExactly(first, first + 1, first + 2);
    }
  }

  @Test
  void zeroConsecutivePortsIsRefused() {
    assertThatThrownBy(() -> FreePorts.firstOfConsecutive(0))
        .hasMessage("count must be at least 1, was 0");
  }
}
