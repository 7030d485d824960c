package io.github.javaprometheus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.EndpointAccess.Decision;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EndpointAccessTest {
  private static final String SECRET = "s3cr\u00e9t:with colon";

  private static String sha256Hex(String password) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static InetAddress ip(String literal) {
    return Networks.literal(literal);
  }

  private static EndpointAccess access(String... keyValues) {
    PrometheusSettings.Builder b = PrometheusSettings.builder();
    for (int i = 0; i < keyValues.length; i += 2) {
      b.set(keyValues[i], keyValues[i + 1]);
    }
    return EndpointAccess.of(b.build());
  }

  @Test
  void openByDefault() {
    EndpointAccess access = EndpointAccess.of(PrometheusSettings.defaults());
    assertThat(access.isOpen()).isTrue();
    assertThat(access.check(ip("203.0.113.9"), null, null)).isEqualTo(Decision.ALLOWED);
  }

  @Test
  void basicAuthWithASha256Hash() throws Exception {
    EndpointAccess access =
        access("prometheus.auth.username", "scraper", "prometheus.auth.password-sha256", sha256Hex(SECRET));
    InetAddress local = ip("127.0.0.1");
    assertThat(access.check(local, null, basic("scraper", SECRET))).isEqualTo(Decision.ALLOWED);
    // Twice: the second is answered from the accepted-header digest.
    assertThat(access.check(local, null, basic("scraper", SECRET))).isEqualTo(Decision.ALLOWED);
    assertThat(access.check(local, null, basic("scraper", "wrong"))).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.check(local, null, basic("other", SECRET))).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.check(local, null, null)).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.check(local, null, "Bearer abc")).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.check(local, null, "Basic !!!not-base64")).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.check(local, null, "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.challenge()).isEqualTo("Basic realm=\"prometheus\", charset=\"UTF-8\"");
    assertThat(access.toString()).doesNotContain(sha256Hex(SECRET)).contains("<hidden>");
  }

  @Test
  void basicAuthWithAPbkdf2Hash() {
    String hash = PasswordHash.newPbkdf2(SECRET.toCharArray());
    assertThat(hash).startsWith("pbkdf2-sha256:210000:");
    EndpointAccess access =
        access("prometheus.auth.username", "scraper", "prometheus.auth.password-pbkdf2", hash);
    assertThat(access.check(ip("::1"), null, basic("scraper", SECRET))).isEqualTo(Decision.ALLOWED);
    assertThat(access.check(ip("::1"), null, basic("scraper", SECRET + "x")))
        .isEqualTo(Decision.UNAUTHORIZED);
    // Another salt, another hash, the same password.
    assertThat(PasswordHash.newPbkdf2(SECRET.toCharArray())).isNotEqualTo(hash);
  }

  @Test
  void allowListOfIpv4AndIpv6Networks() {
    EndpointAccess access = access("prometheus.allowed-networks", "10.0.0.0/8, 192.168.1.7,fd00::/8,::1");
    assertThat(access.check(ip("10.200.3.4"), null, null)).isEqualTo(Decision.ALLOWED);
    assertThat(access.check(ip("11.0.0.1"), null, null)).isEqualTo(Decision.FORBIDDEN);
    assertThat(access.check(ip("192.168.1.7"), null, null)).isEqualTo(Decision.ALLOWED);
    assertThat(access.check(ip("192.168.1.8"), null, null)).isEqualTo(Decision.FORBIDDEN);
    assertThat(access.check(ip("fd12:3456::1"), null, null)).isEqualTo(Decision.ALLOWED);
    assertThat(access.check(ip("fe80::1"), null, null)).isEqualTo(Decision.FORBIDDEN);
    assertThat(access.check(ip("::1"), null, null)).isEqualTo(Decision.ALLOWED);
    // An IPv4-mapped IPv6 address is the IPv4 address.
    assertThat(access.check(ip("::ffff:10.1.2.3"), null, null)).isEqualTo(Decision.ALLOWED);
    // Without trusted proxies a forwarded-for header changes nothing.
    assertThat(access.check(ip("11.0.0.1"), "10.0.0.1", null)).isEqualTo(Decision.FORBIDDEN);
  }

  @Test
  void aNonByteAlignedPrefix() {
    EndpointAccess access = access("prometheus.allowed-networks", "172.16.0.0/12");
    assertThat(access.check(ip("172.31.255.255"), null, null)).isEqualTo(Decision.ALLOWED);
    assertThat(access.check(ip("172.32.0.0"), null, null)).isEqualTo(Decision.FORBIDDEN);
    assertThat(access.check(ip("172.15.255.255"), null, null)).isEqualTo(Decision.FORBIDDEN);
  }

  @Test
  void forwardedForIsBelievedOnlyFromTrustedProxies() {
    EndpointAccess access =
        access(
            "prometheus.allowed-networks", "10.0.0.0/8",
            "prometheus.trusted-proxies", "127.0.0.1,192.168.0.0/16");
    // Through two trusted proxies: the right-most untrusted hop is the client.
    assertThat(access.check(ip("127.0.0.1"), "10.1.1.1, 192.168.5.5", null)).isEqualTo(Decision.ALLOWED);
    // A spoofed left-most entry does not help when the real client is outside.
    assertThat(access.check(ip("127.0.0.1"), "10.1.1.1, 8.8.8.8", null)).isEqualTo(Decision.FORBIDDEN);
    // An untrusted socket's header is ignored.
    assertThat(access.check(ip("8.8.4.4"), "10.1.1.1", null)).isEqualTo(Decision.FORBIDDEN);
    // Garbage in the header: not believed.
    assertThat(access.check(ip("127.0.0.1"), "10.1.1.1, evil", null)).isEqualTo(Decision.FORBIDDEN);
  }

  @Test
  void networkIsCheckedBeforeCredentials() throws Exception {
    EndpointAccess access =
        access(
            "prometheus.allowed-networks", "10.0.0.0/8",
            "prometheus.auth.username", "scraper",
            "prometheus.auth.password-sha256", sha256Hex(SECRET));
    assertThat(access.check(ip("8.8.8.8"), null, basic("scraper", SECRET))).isEqualTo(Decision.FORBIDDEN);
    assertThat(access.check(ip("10.0.0.2"), null, null)).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.check(ip("10.0.0.2"), null, basic("scraper", SECRET))).isEqualTo(Decision.ALLOWED);
  }

  @Test
  void badSettingsFailNamingTheKeyAndNeverShowASecret() throws Exception {
    assertThatThrownBy(() -> access("prometheus.allowed-networks", "10.0.0.0/33"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.allowed-networks")
        .hasMessageContaining("'10.0.0.0/33' is not a network");
    assertThatThrownBy(() -> access("prometheus.allowed-networks", "intranet.example.com"))
        .hasMessageContaining("prometheus.allowed-networks");
    assertThatThrownBy(() -> access("prometheus.trusted-proxies", "1.2.3.4/x"))
        .hasMessageContaining("prometheus.trusted-proxies");
    assertThatThrownBy(() -> access("prometheus.auth.username", "scraper"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.auth.username")
        .hasMessageContaining("needs prometheus.auth.password-sha256");
    assertThatThrownBy(() -> access("prometheus.auth.password-sha256", sha256Hex(SECRET)))
        .hasMessageContaining("a password hash needs prometheus.auth.username");
    assertThatThrownBy(() -> access("prometheus.auth.username", "a:b", "prometheus.auth.password-sha256", sha256Hex(SECRET)))
        .hasMessageContaining("prometheus.auth.username");
    assertThatThrownBy(
            () -> access("prometheus.auth.username", "scraper", "prometheus.auth.password-sha256", "plaintext-password"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.auth.password-sha256")
        .hasMessageContaining("64 hex digits")
        .hasMessageNotContaining("plaintext-password");
    assertThatThrownBy(
            () -> access("prometheus.auth.username", "scraper", "prometheus.auth.password-pbkdf2", "pbkdf2-sha256:5:abc:def"))
        .hasMessageContaining("prometheus.auth.password-pbkdf2")
        .hasMessageNotContaining("abc:def");
    String pbkdf2 = PasswordHash.newPbkdf2("x".toCharArray());
    assertThatThrownBy(
            () ->
                access(
                    "prometheus.auth.username", "scraper",
                    "prometheus.auth.password-sha256", sha256Hex(SECRET),
                    "prometheus.auth.password-pbkdf2", pbkdf2))
        .hasMessageContaining("not both");
  }

  @Test
  void settingsToStringHidesTheHash() throws Exception {
    PrometheusSettings s =
        PrometheusSettings.builder()
            .set("prometheus.auth.username", "scraper")
            .set("prometheus.auth.password-sha256", sha256Hex(SECRET))
            .build();
    assertThat(s.toString())
        .contains("prometheus.auth.password-sha256=sha256:<hidden>")
        .doesNotContain(sha256Hex(SECRET));
  }
}
