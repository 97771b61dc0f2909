package dev.spirit.db;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import dev.spirit.config.ConnectionSettings;
import dev.spirit.config.TlsMode;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One server as the operator named it: host, port, credentials, schema and TLS, turned into the two kinds of
 * connection the tool makes, JDBC sessions ({@link #database}) and the binlog replica connection
 * ({@link #binlogClient}), with the same TLS rules for both.
 */
public final class Endpoint {
  private final ConnectionSettings settings;
  private final Path trustStore;
  private final String trustStorePassword = UUID.randomUUID().toString();

  public Endpoint(ConnectionSettings settings) {
    this.settings = settings;
    this.trustStore = settings.tls().caFile().map(this::trustStoreFromPem).orElse(null);
  }

  public String host() {
    return settings.host().host();
  }

  public int port() {
    return settings.host().port();
  }

  public String schema() {
    return settings.database();
  }

  public Database database(Duration lockWaitTimeout) {
    return new Database(jdbcUrl(), settings.username(), settings.password().reveal(), lockWaitTimeout);
  }

  String jdbcUrl() {
    String host = host().contains(":") ? "[" + host() + "]" : host();
    StringBuilder url = new StringBuilder("jdbc:mysql://").append(host).append(':').append(port()).append('/')
        .append(URLEncoder.encode(schema(), StandardCharsets.UTF_8))
        .append("?sslMode=").append(settings.tls().mode().name())
        .append("&connectTimeout=10000");
    if (settings.tls().mode() == TlsMode.DISABLED) {
      // caching_sha2_password without TLS needs the server's RSA key, which the driver may then fetch; with TLS in
      // play a downgraded connection must never do that (a man in the middle could serve its own key and read the
      // password), so only an operator who turned TLS off gets it.
      url.append("&allowPublicKeyRetrieval=true");
    }
    if (trustStore != null) {
      url.append("&trustCertificateKeyStoreUrl=").append(URLEncoder.encode(trustStore.toUri().toString(),
              StandardCharsets.UTF_8))
          .append("&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=").append(trustStorePassword);
    }
    return url.toString();
  }

  /** A binlog client for this server, not yet connected, with the same TLS mode and CA as the JDBC sessions. */
  public BinaryLogClient binlogClient() {
    BinaryLogClient client = new BinaryLogClient(host(), port(), settings.username(), settings.password().reveal());
    client.setSSLMode(SSLMode.valueOf(settings.tls().mode().name()));
    if (trustStore != null && settings.tls().mode() != TlsMode.DISABLED) {
      SSLContext context = sslContext();
      client.setSslSocketFactory(socket -> {
        try {
          return (javax.net.ssl.SSLSocket) context.getSocketFactory()
              .createSocket(socket, host(), port(), true);
        } catch (IOException e) {
          throw new java.net.SocketException(e.getMessage());
        }
      });
    }
    return client;
  }

  private SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(trustStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, trustStorePassword.toCharArray());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new SpiritException(ErrorCode.CONFIG_FILE, "cannot use the CA certificate for the binlog connection: "
          + e.getMessage(), e);
    }
  }

  /** The driver takes a key store, not a PEM file: convert the CA bundle once, into a file only we can read. */
  private Path trustStoreFromPem(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      if (i == 0) {
        throw new SpiritException(ErrorCode.CONFIG_FILE, "--tls-ca " + pem + " holds no certificate");
      }
      Path file = Files.createTempFile("spirit-ca-", ".p12");
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, trustStorePassword.toCharArray());
      }
      return file;
    } catch (IOException | GeneralSecurityException e) {
      throw new SpiritException(ErrorCode.CONFIG_FILE, "cannot read the CA certificate " + pem + ": "
          + e.getMessage(), e);
    }
  }
}
