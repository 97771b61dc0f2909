package dev.spirit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A server of your own (a MySQL 8.4 or 9.x, say), named in {@code SPIRIT_TEST_SERVERS} as comma-separated
 * {@code user:password@host:port} entries. The user needs ALL on *.* WITH GRANT OPTION; tests create and drop their
 * own schemas there.
 */
final class ExternalServerLauncher implements ServerLauncher {
  static final String ENV = "SPIRIT_TEST_SERVERS";

  private final int index;
  private final String user;
  private final String password;
  private final String host;
  private final int port;

  private ExternalServerLauncher(int index, String user, String password, String host, int port) {
    this.index = index;
    this.user = user;
    this.password = password;
    this.host = host;
    this.port = port;
  }

  static List<ServerLauncher> fromEnvironment() {
    String value = System.getenv(ENV);
    List<ServerLauncher> launchers = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return launchers;
    }
    int index = 0;
    for (String entry : value.split(",")) {
      entry = entry.trim();
      int at = entry.lastIndexOf('@');
      int colon = entry.indexOf(':');
      int portColon = entry.lastIndexOf(':');
      if (at < 0 || colon < 0 || colon > at || portColon < at) {
        throw new IllegalArgumentException(ENV + " entry '" + entry.replaceAll(":[^@]*@", ":***@")
            + "' is not user:password@host:port");
      }
      launchers.add(new ExternalServerLauncher(++index, entry.substring(0, colon), entry.substring(colon + 1, at),
          entry.substring(at + 1, portColon), Integer.parseInt(entry.substring(portColon + 1))));
    }
    return launchers;
  }

  @Override
  public String name() {
    return "external-" + index;
  }

  @Override
  public boolean requiredInCi() {
    return false;
  }

  @Override
  public TestServer start() throws Exception {
    String url = "jdbc:mysql://" + host + ":" + port + "/?sslMode=PREFERRED&allowPublicKeyRetrieval=true";
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      String version = rs.getString(1);
      String flavor = version.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? "mariadb" : "mysql";
      return new TestServer(flavor + "-" + version.split("-")[0] + "-ext" + index, "external", host, port, user,
          password, version);
    }
  }
}
