package io.github.javaprometheus.exporter;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.core.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS for the exporter port from {@code prometheus.export.tls.*}: the keystore is read at start,
 * so a missing file, a wrong password or a keystore without a key fails start-up naming the key.
 */
final class ExporterTls {
  private ExporterTls() {}

  /** The configurator for client_java's HTTPServer; null when no keystore is configured. */
  static HttpsConfigurator configurator(PrometheusSettings settings) {
    String keystore = settings.get(ExporterSettings.TLS_KEYSTORE);
    Secret keystorePassword = settings.get(ExporterSettings.TLS_KEYSTORE_PASSWORD);
    String truststore = settings.get(ExporterSettings.TLS_TRUSTSTORE);
    ExporterSettings.ClientAuth clientAuth = settings.get(ExporterSettings.TLS_CLIENT_AUTH);
    if (keystore == null) {
      if (keystorePassword != null) {
        throw new InvalidSettingException(
            ExporterSettings.TLS_KEYSTORE_PASSWORD.key(),
            "<hidden>",
            "a keystore password needs prometheus.export.tls.keystore");
      }
      if (truststore != null || clientAuth != ExporterSettings.ClientAuth.NONE) {
        throw new InvalidSettingException(
            ExporterSettings.TLS_KEYSTORE.key(),
            null,
            "TLS client authentication (prometheus.export.tls.truststore/client-auth) needs"
                + " prometheus.export.tls.keystore");
      }
      return null;
    }
    if (clientAuth != ExporterSettings.ClientAuth.NONE && truststore == null) {
      throw new InvalidSettingException(
          ExporterSettings.TLS_CLIENT_AUTH.key(),
          clientAuth.name().toLowerCase(java.util.Locale.ROOT),
          "client certificates need prometheus.export.tls.truststore");
    }
    String type = settings.get(ExporterSettings.TLS_KEYSTORE_TYPE);
    try {
      KeyStore keys =
          load(
              keystore,
              keystorePassword,
              type,
              ExporterSettings.TLS_KEYSTORE.key(),
              ExporterSettings.TLS_KEYSTORE_PASSWORD.key());
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      char[] password = keystorePassword == null ? new char[0] : keystorePassword.reveal();
      try {
        kmf.init(keys, password);
      } catch (UnrecoverableKeyException e) {
        throw new InvalidSettingException(
            ExporterSettings.TLS_KEYSTORE_PASSWORD.key(),
            "<hidden>",
            "cannot read the key in " + keystore + " with this password");
      } finally {
        Arrays.fill(password, '\0');
      }
      if (!hasKey(keys)) {
        throw new InvalidSettingException(
            ExporterSettings.TLS_KEYSTORE.key(),
            keystore,
            "the keystore holds no private key with its certificate");
      }
      TrustManagerFactory tmf = null;
      if (truststore != null) {
        KeyStore trusted =
            load(
                truststore,
                settings.get(ExporterSettings.TLS_TRUSTSTORE_PASSWORD),
                type,
                ExporterSettings.TLS_TRUSTSTORE.key(),
                ExporterSettings.TLS_TRUSTSTORE_PASSWORD.key());
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return new Configurator(context, clientAuth);
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException(
          ExporterSettings.TLS_KEYSTORE.key(), keystore, "cannot set up TLS with it: " + e);
    }
  }

  private static boolean hasKey(KeyStore keys) throws GeneralSecurityException {
    for (String alias : java.util.Collections.list(keys.aliases())) {
      if (keys.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }

  private static KeyStore load(
      String file, Secret password, String type, String fileKey, String passwordKey)
      throws GeneralSecurityException {
    Path path = Paths.get(file);
    if (!Files.isReadable(path) || Files.isDirectory(path)) {
      throw new InvalidSettingException(fileKey, file, "cannot read this file");
    }
    KeyStore store = KeyStore.getInstance(type);
    char[] secret = password == null ? null : password.reveal();
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, secret);
      return store;
    } catch (IOException e) {
      // A wrong password is reported by KeyStore.load as an IOException caused by an
      // UnrecoverableKeyException; anything else means the file is not a keystore of this type.
      if (e.getCause() instanceof UnrecoverableKeyException || password == null) {
        throw new InvalidSettingException(
            passwordKey, "<hidden>", "cannot open " + file + " with this password");
      }
      throw new InvalidSettingException(
          fileKey, file, "not a readable " + type + " keystore (" + e.getMessage() + ")");
    } finally {
      if (secret != null) {
        Arrays.fill(secret, '\0');
      }
    }
  }

  private static final class Configurator extends HttpsConfigurator {
    private final ExporterSettings.ClientAuth clientAuth;

    Configurator(SSLContext context, ExporterSettings.ClientAuth clientAuth) {
      super(context);
      this.clientAuth = clientAuth;
    }

    @Override
    public void configure(HttpsParameters params) {
      SSLParameters p = getSSLContext().getDefaultSSLParameters();
      p.setNeedClientAuth(clientAuth == ExporterSettings.ClientAuth.NEED);
      if (clientAuth == ExporterSettings.ClientAuth.WANT) {
        p.setWantClientAuth(true);
      }
      params.setSSLParameters(p);
    }
  }
}
