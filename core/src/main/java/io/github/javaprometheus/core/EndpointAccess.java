package io.github.javaprometheus.core;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Who may read the metrics endpoints, from {@link AccessSettings}: first the network allow-list
 * (403), then basic auth (401). Used alike by the application port's {@code /metrics} servlet and
 * the dedicated exporter, so both are protected the same way. Open by default.
 *
 * <p>The remote address is the socket's. {@code X-Forwarded-For} is believed only when the socket's
 * address is a trusted proxy ({@code prometheus.trusted-proxies}); then the client is the right-most
 * entry that is not a trusted proxy.
 */
public final class EndpointAccess {
  /** The outcome of a check. */
  public enum Decision {
    ALLOWED,
    /** No or wrong credentials: answer 401 with {@link #challenge()}. */
    UNAUTHORIZED,
    /** The client's network is not allowed: answer 403. */
    FORBIDDEN
  }

  private static final EndpointAccess OPEN =
      new EndpointAccess(null, null, Networks.none(), Networks.none());
  private static final String REALM = "prometheus";

  private final byte[] username;
  private final PasswordHash password;
  private final Networks allowed;
  private final Networks proxies;
  // SHA-256 of the last Authorization header that matched, so that a slow PBKDF2 is not run on
  // every scrape; never the header itself.
  private volatile byte[] lastAccepted;

  private EndpointAccess(String username, PasswordHash password, Networks allowed, Networks proxies) {
    this.username = username == null ? null : username.getBytes(StandardCharsets.UTF_8);
    this.password = password;
    this.allowed = allowed;
    this.proxies = proxies;
  }

  /** Anyone may read. */
  public static EndpointAccess open() {
    return OPEN;
  }

  /**
   * The access the settings describe.
   *
   * @throws InvalidSettingException when a user name has no password hash, a hash no user name,
   *     or both hash forms are set, naming the keys
   */
  public static EndpointAccess of(PrometheusSettings settings) {
    String user = settings.get(AccessSettings.USERNAME);
    PasswordHash sha = settings.get(AccessSettings.PASSWORD_SHA256);
    PasswordHash pbkdf2 = settings.get(AccessSettings.PASSWORD_PBKDF2);
    Networks allowed = settings.get(AccessSettings.ALLOWED_NETWORKS);
    Networks proxies = settings.get(AccessSettings.TRUSTED_PROXIES);
    if (sha != null && pbkdf2 != null) {
      throw new InvalidSettingException(
          AccessSettings.PASSWORD_PBKDF2.key(),
          "<hidden>",
          "set either prometheus.auth.password-sha256 or prometheus.auth.password-pbkdf2, not both");
    }
    PasswordHash hash = sha != null ? sha : pbkdf2;
    if (user != null && hash == null) {
      throw new InvalidSettingException(
          AccessSettings.USERNAME.key(),
          user,
          "a user name needs prometheus.auth.password-sha256 or prometheus.auth.password-pbkdf2");
    }
    if (user == null && hash != null) {
      throw new InvalidSettingException(
          AccessSettings.USERNAME.key(),
          null,
          "a password hash needs prometheus.auth.username");
    }
    if (user == null && allowed.isEmpty()) {
      return OPEN;
    }
    return new EndpointAccess(user, hash, allowed, proxies);
  }

  /** Whether every request is allowed (no check needed). */
  public boolean isOpen() {
    return this == OPEN;
  }

  /** Whether basic auth is required. */
  public boolean requiresAuthentication() {
    return username != null;
  }

  /** The {@code WWW-Authenticate} value that goes with a 401. */
  public String challenge() {
    return "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
  }

  /**
   * Decides one request.
   *
   * @param remote the socket's remote address
   * @param forwardedFor the {@code X-Forwarded-For} header, or null
   * @param authorization the {@code Authorization} header, or null
   */
  public Decision check(InetAddress remote, String forwardedFor, String authorization) {
    if (this == OPEN) {
      return Decision.ALLOWED;
    }
    if (!allowed.isEmpty() && !allowed.contains(client(remote, forwardedFor))) {
      return Decision.FORBIDDEN;
    }
    if (username != null && !authenticated(authorization)) {
      return Decision.UNAUTHORIZED;
    }
    return Decision.ALLOWED;
  }

  private InetAddress client(InetAddress remote, String forwardedFor) {
    if (forwardedFor == null || proxies.isEmpty() || !proxies.contains(remote)) {
      return remote;
    }
    String[] hops = forwardedFor.split(",");
    InetAddress client = remote;
    for (int i = hops.length - 1; i >= 0; i--) {
      InetAddress hop = Networks.literal(hops[i]);
      if (hop == null) {
        // Not an address: whoever wrote it is not to be believed further left.
        return null;
      }
      client = hop;
      if (!proxies.contains(hop)) {
        return hop;
      }
    }
    return client;
  }

  /** Whether the header carries the configured user and password; the same time for any user. */
  public boolean authenticated(String authorization) {
    if (username == null) {
      return true;
    }
    if (authorization == null || authorization.length() < 6
        || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] digest = sha256(authorization.getBytes(StandardCharsets.UTF_8));
    byte[] last = lastAccepted;
    if (last != null && MessageDigest.isEqual(digest, last)) {
      return true;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = -1;
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      Arrays.fill(decoded, (byte) 0);
      return false;
    }
    byte[] user = Arrays.copyOfRange(decoded, 0, colon);
    char[] pass = utf8(decoded, colon + 1);
    Arrays.fill(decoded, (byte) 0);
    try {
      // Both compared, whatever the first says, so that timing tells nothing about the user name.
      boolean userMatches = MessageDigest.isEqual(sha256(user), sha256(username));
      boolean passwordMatches = pass != null && password.matches(pass);
      if (userMatches && passwordMatches) {
        lastAccepted = digest;
        return true;
      }
      return false;
    } finally {
      if (pass != null) {
        Arrays.fill(pass, '\0');
      }
    }
  }

  private static char[] utf8(byte[] bytes, int from) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, from, bytes.length - from));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      if (chars.hasArray()) {
        Arrays.fill(chars.array(), '\0');
      }
      return out;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    if (this == OPEN) {
      return "open";
    }
    return "basic auth "
        + (username == null ? "off" : "on (" + Objects.toString(password) + ")")
        + ", allowed networks "
        + (allowed.isEmpty() ? "any" : allowed)
        + (proxies.isEmpty() ? "" : ", trusted proxies " + proxies);
  }
}
