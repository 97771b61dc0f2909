package dev.spirit.testing;

/**
 * A running database server that integration tests may use.
 *
 * @param id what the server is, shown in every test name: {@code mysql-8.0.31}, {@code mariadb-10.11.19}
 * @param origin how it was obtained: embedded, local binary, external, container
 */
public record TestServer(
    String id, String origin, String host, int port, String user, String password, String version) {

  public boolean isMariaDb() {
    return version.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
  }

  public String jdbcUrl(String schema) {
    return "jdbc:mysql://" + host + ":" + port + "/" + (schema == null ? "" : schema)
        + "?sslMode=PREFERRED&allowPublicKeyRetrieval=true&connectTimeout=10000";
  }

  /** A binlog client for this server, not yet connected. */
  public com.github.shyiko.mysql.binlog.BinaryLogClient binlogClient() {
    return new com.github.shyiko.mysql.binlog.BinaryLogClient(host, port, user, password);
  }

  /** host:port as the tool's {@code --host} flag takes it. */
  public String hostAndPort() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return id + " (" + origin + " at " + host + ":" + port + ")";
  }
}
