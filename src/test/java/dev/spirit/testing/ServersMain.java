package dev.spirit.testing;

/**
 * Starts the integration tests' servers by hand, exactly as the tests start them, and keeps them until Ctrl-C. Run it
 * through {@code scripts/test-servers.sh}.
 */
public final class ServersMain {
  private ServersMain() {}

  public static void main(String[] args) throws InterruptedException {
    for (TestServers.Outcome o : TestServers.outcomes()) {
      if (o.available()) {
        TestServer s = o.server();
        System.out.printf("%-20s mysql -h%s -P%d -u%s -p%s    (spirit --host %s --username %s --password %s)%n",
            s.id(), s.host(), s.port(), s.user(), s.password(), s.hostAndPort(), s.user(), s.password());
      }
    }
    System.out.println("Servers are up; press Ctrl-C to stop them and remove their data directories"
        + " (set SPIRIT_TEST_KEEP=1 to keep the data).");
    Thread.currentThread().join();
  }
}
