package dev.spirit.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Every server flavour this test run can use, each started once per JVM (in parallel, on first use) and stopped when
 * the JVM exits.
 *
 * <p>System property {@code spirit.test.servers} (or env {@code SPIRIT_TEST_ONLY}) narrows the run to some launchers,
 * e.g. {@code mysql-8.0} or {@code mariadb,external-1}. In CI ({@code CI=true}) a missing MySQL 8.0 or MariaDB fails
 * the run instead of being skipped.
 */
public final class TestServers {

  /** What became of one launcher: a server, or why there is none. */
  public record Outcome(String launcher, ServerVariant variant, TestServer server, String unavailableReason,
      Throwable failure, boolean requiredInCi) {
    public boolean available() {
      return server != null;
    }

    public String displayId() {
      return available() ? server.id() : launcher;
    }
  }

  private static List<Outcome> outcomes;

  private TestServers() {}

  public static synchronized List<Outcome> outcomes() {
    if (outcomes == null) {
      outcomes = startAll(selectedLaunchers());
      report(outcomes);
    }
    return outcomes;
  }

  /**
   * Starts only the embedded MySQL 8.0.31, exactly as the tests start it (fresh data directory, free loopback port,
   * user {@code spirit}/{@code spirit}), for programs outside the test run such as the demo. No other flavour is
   * started; the server is stopped and its data directory removed when the JVM exits.
   *
   * @throws IllegalStateException when this machine cannot run it, with the reason and the command that fixes it
   */
  public static TestServer startEmbeddedMySql() throws Exception {
    try {
      return new EmbeddedMySqlLauncher(ServerVariant.STANDARD).start();
    } catch (ServerLauncher.ServerUnavailableException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  /**
   * The second server of {@code source}'s flavour, for a move from {@code source}; the test fails when it did not start.
   */
  public static TestServer moveTarget(TestServer source) {
    return outcomes().stream()
        .filter(o -> o.variant() == ServerVariant.MOVE_TARGET && o.available()
            && o.server().isMariaDb() == source.isMariaDb())
        .map(Outcome::server).findFirst()
        .orElseThrow(() -> new IllegalStateException("no move target server of " + source.id() + "'s flavour"));
  }

  /** The move target of the other flavour than {@code source}'s, for a move between MySQL and MariaDB. */
  public static TestServer otherFlavourMoveTarget(TestServer source) {
    return outcomes().stream()
        .filter(o -> o.variant() == ServerVariant.MOVE_TARGET && o.available()
            && o.server().isMariaDb() != source.isMariaDb())
        .map(Outcome::server).findFirst()
        .orElseThrow(() -> new IllegalStateException("no move target server of the other flavour than "
            + source.id()));
  }

  /** The test class's own schema on the move target of the other flavour than {@code source}'s. */
  public static TestDatabase otherFlavourMoveTargetDatabase(TestServer source, Class<?> testClass) {
    return ServerTestExtension.databaseFor(otherFlavourMoveTarget(source), testClass);
  }

  /** The test class's own schema on the move target of {@code source}'s flavour. */
  public static TestDatabase moveTargetDatabase(TestServer source, Class<?> testClass) {
    return ServerTestExtension.databaseFor(moveTarget(source), testClass);
  }

  private static final Map<String, TestDatabase> REPLICAS = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The schema of {@code primary} on the replica server of its flavour, replicating from it. The first call for a
   * schema starts replication at the primary's current GTID position, filtered to that one schema (the rest of the
   * suite writes other schemas the replica does not have); tables the test creates afterwards reach the replica.
   */
  public static synchronized TestDatabase replicaOf(TestDatabase primary) {
    return REPLICAS.computeIfAbsent(primary.server().id() + "/" + primary.schema(), key -> {
      TestServer replica = replicaServer(primary.server());
      try {
        Replication.start(primary, replica);
        return TestDatabase.create(replica, primary.schema(), false);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("could not make " + replica.id() + " replicate " + primary.schema(), e);
      }
    });
  }

  /** The replica server of {@code primary}'s flavour (another server id), replicating or not. */
  public static TestServer replicaServer(TestServer primary) {
    return outcomes().stream()
        .filter(o -> o.variant() == ServerVariant.REPLICA && o.available() && o.server().isMariaDb() == primary.isMariaDb())
        .map(Outcome::server).findFirst()
        .orElseThrow(() -> new IllegalStateException("no replica server of " + primary.id() + "'s flavour"));
  }

  /** Makes the next {@link #replicaOf} for {@code primary}'s schema start replication again (after a promotion). */
  public static synchronized void forgetReplica(TestDatabase primary) {
    REPLICAS.remove(primary.server().id() + "/" + primary.schema());
  }

  /**
   * Restarts {@code server} (a clean shutdown, then a start on the same files and port); only servers this run
   * started locally can be. Connections to it break; pools reconnect.
   */
  public static void restart(TestServer server) throws Exception {
    LocalServerProcess.restart(server.port());
  }

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static List<ServerLauncher> selectedLaunchers() {
    List<ServerLauncher> all = new ArrayList<>();
    for (ServerVariant variant : ServerVariant.values()) {
      all.add(new EmbeddedMySqlLauncher(variant));
      all.add(new LocalMariaDbLauncher(variant));
    }
    all.addAll(ExternalServerLauncher.fromEnvironment());
    ContainerLauncher.IMAGES.forEach(image -> all.add(new ContainerLauncher(image)));

    String only = System.getProperty("spirit.test.servers", System.getenv("SPIRIT_TEST_ONLY"));
    if (only == null || only.isBlank()) {
      return all;
    }
    Set<String> wanted = Arrays.stream(only.split(",")).map(String::trim).collect(Collectors.toSet());
    return all.stream().filter(l -> wanted.contains(l.name())).collect(Collectors.toList());
  }

  private static List<Outcome> startAll(List<ServerLauncher> launchers) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, launchers.size()), r -> {
      Thread t = new Thread(r, "test-server-start");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<ServerLauncher, Future<TestServer>> started = new LinkedHashMap<>();
      for (ServerLauncher launcher : launchers) {
        started.put(launcher, pool.submit(launcher::start));
      }
      List<Outcome> result = new ArrayList<>();
      for (Map.Entry<ServerLauncher, Future<TestServer>> e : started.entrySet()) {
        ServerLauncher launcher = e.getKey();
        try {
          result.add(new Outcome(launcher.name(), launcher.variant(), e.getValue().get(), null, null,
              launcher.requiredInCi()));
        } catch (java.util.concurrent.ExecutionException ex) {
          Throwable cause = ex.getCause();
          if (cause instanceof ServerLauncher.ServerUnavailableException) {
            result.add(new Outcome(launcher.name(), launcher.variant(), null, cause.getMessage(), null,
                launcher.requiredInCi()));
          } else {
            result.add(new Outcome(launcher.name(), launcher.variant(), null, null, cause,
                launcher.requiredInCi()));
          }
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while starting test servers", ex);
        }
      }
      return result;
    } finally {
      pool.shutdown();
    }
  }

  private static void report(List<Outcome> outcomes) {
    StringBuilder sb = new StringBuilder("\n=== integration test servers ===\n");
    for (Outcome o : outcomes) {
      if (o.available()) {
        sb.append("  USING    ").append(o.server()).append('\n');
      } else if (o.failure() != null) {
        sb.append("  FAILED   ").append(o.launcher()).append(": ").append(o.failure()).append('\n');
      } else if (o.requiredInCi()) {
        sb.append("  SKIPPING ").append(o.launcher()).append(" (").append(o.unavailableReason()).append(")")
            .append(inCi() ? " -- required in CI, its tests will FAIL" : "").append('\n');
      } else {
        sb.append("  skipping ").append(o.launcher()).append(" (").append(o.unavailableReason()).append(")\n");
      }
    }
    System.err.println(sb);
  }
}
