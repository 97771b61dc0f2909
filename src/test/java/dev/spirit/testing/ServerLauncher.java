package dev.spirit.testing;

/** One way to obtain a server for the tests. Started at most once per test JVM by {@link TestServers}. */
interface ServerLauncher {

  /** A stable name for this source, e.g. {@code mysql-8.0} or {@code mariadb}; used in notices and filters. */
  String name();

  /** Whether CI must have this server; a required server that is missing fails the run there. */
  boolean requiredInCi();

  /** How the server is configured beyond its flavour. */
  default ServerVariant variant() {
    return ServerVariant.STANDARD;
  }

  /**
   * Starts (or connects to) the server.
   *
   * @throws ServerUnavailableException when the server cannot be had on this machine, with the reason and the fix
   */
  TestServer start() throws Exception;

  final class ServerUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    ServerUnavailableException(String message) {
      super(message);
    }
  }
}
