package dev.spirit.db;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side named locks ({@code GET_LOCK}) held on a connection of their own for a whole run, so that two runs on
 * the same table cannot overlap: one per table, and for a run of several tables one more on the schema. One session
 * holds them all, so they are held or lost together. The server releases it when that session ends, which is also how it is lost: the
 * tool died, or the idle session was closed (wait_timeout, a proxy's idle limit, a failover). So the session is told
 * not to time out, is used every {@link #CHECK_INTERVAL} to ask the server whether it still holds the lock
 * ({@code IS_USED_LOCK(name) = CONNECTION_ID()} for each), and a lock found lost is never silently re-taken: another run may
 * have taken it meanwhile and own the run's tables now. The run learns of the loss through {@link #checkHeld}.
 */
public final class AdvisoryLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
  /** At most a minute between proofs of ownership, as upstream's refresh; short enough for most proxy idle limits. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(20);
  /** A year, the largest wait_timeout both servers accept. */
  static final long SESSION_TIMEOUT_SECONDS = 31_536_000L;

  private final Connection connection;
  private final List<String> names;
  private final String what;
  private final ScheduledExecutorService keepalive;
  private volatile SpiritException lost;

  private AdvisoryLock(Connection connection, List<String> names, String what) {
    this.connection = connection;
    this.names = List.copyOf(names);
    this.what = what;
    this.keepalive = Executors.newSingleThreadScheduledExecutor(Workers.daemons("advisory-lock-keepalive"));
    long period = CHECK_INTERVAL.toMillis();
    keepalive.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** Lock names are limited to 64 characters; a long schema.table is shortened with a hash to stay unique. */
  public static String nameFor(String schema, String table) {
    return shortened("spirit:" + schema + "." + table);
  }

  /** The lock a run of several tables takes on their schema, so that only one such run works in it at a time. */
  public static String schemaNameFor(String schema) {
    return shortened("spirit-tables-of:" + schema);
  }

  private static String shortened(String name) {
    if (name.length() <= 64) {
      return name;
    }
    return name.substring(0, 55) + "#" + Integer.toHexString(name.hashCode());
  }

  /** What one lock protects, for the message that names a run holding it. */
  public record Claim(String name, String what) {}

  /** Takes one lock without waiting; see {@link #acquire(Database, List)}. */
  public static AdvisoryLock acquire(Database database, String what, String name) throws SQLException {
    return acquire(database, List.of(new Claim(name, what)));
  }

  /**
   * Takes every lock without waiting, on one session, in the order given; if one is held elsewhere, none is kept.
   *
   * @throws SpiritException ALREADY_RUNNING, naming what the lock protects and the session that holds it
   */
  public static AdvisoryLock acquire(Database database, List<Claim> claims) throws SQLException {
    Connection c = database.connect();
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SET SESSION wait_timeout = " + SESSION_TIMEOUT_SECONDS + ", interactive_timeout = "
            + SESSION_TIMEOUT_SECONDS);
      }
      for (Claim claim : claims) {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
          ps.setString(1, claim.name());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getInt(1) == 1) {
              continue;
            }
          }
        }
        String holder = holder(c, claim.name());
        c.close(); // releases the locks taken so far
        throw alreadyRunning(claim, holder);
      }
      return new AdvisoryLock(c, claims.stream().map(Claim::name).toList(),
          claims.stream().map(Claim::what).collect(Collectors.joining(", ")));
    } catch (SQLException | RuntimeException e) {
      if (!c.isClosed()) {
        c.close();
      }
      throw e;
    }
  }

  /**
   * Refuses, as {@link #acquire} would, when another session holds one of the locks; takes none (for a dry run).
   *
   * @throws SpiritException ALREADY_RUNNING, naming what the lock protects and the session that holds it
   */
  public static void checkFree(Connection c, List<Claim> claims) throws SQLException {
    for (Claim claim : claims) {
      try (PreparedStatement ps = c.prepareStatement("SELECT IS_FREE_LOCK(?)")) {
        ps.setString(1, claim.name());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getInt(1) == 1) {
            continue;
          }
        }
      }
      throw alreadyRunning(claim, holder(c, claim.name()));
    }
  }

  private static SpiritException alreadyRunning(Claim claim, String holder) {
    return new SpiritException(ErrorCode.ALREADY_RUNNING, "another spirit run on " + claim.what() + " is in"
        + " progress (" + holder + "); only one may run at a time. Wait for it to finish, or stop it.");
  }

  private static String holder(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT p.ID, p.USER, p.HOST FROM information_schema.PROCESSLIST p"
        + " WHERE p.ID = IS_USED_LOCK(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return "held by connection " + rs.getLong(1) + ", " + rs.getString(2) + "@" + rs.getString(3);
        }
      }
    }
    return "held by a session this user cannot see";
  }

  /** Throws if the lock was found lost; cheap, for the run's every step. */
  public void checkHeld() {
    SpiritException l = lost;
    if (l != null) {
      throw l;
    }
  }

  /** Asks the server now, before a step that must not run without the lock (the cutover). */
  public void verifyHeld() {
    check();
    checkHeld();
  }

  private synchronized void check() {
    if (lost != null) {
      return;
    }
    String why;
    try (PreparedStatement ps = connection.prepareStatement("SELECT " + String.join(" AND ",
        Collections.nCopies(names.size(), "IS_USED_LOCK(?) = CONNECTION_ID()")))) {
      ps.setQueryTimeout(30);
      for (int i = 0; i < names.size(); i++) {
        ps.setString(i + 1, names.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getInt(1) == 1) {
          return;
        }
      }
      why = "the server says its session no longer holds it";
    } catch (SQLException e) {
      why = "its session was lost (" + e.getMessage() + ")";
    }
    lost = new SpiritException(ErrorCode.LOCK_LOST, "the run lost its lock on " + what + " (" + String.join(", ",
        names) + "): " + why
        + ". Another run may own the table's shadow and checkpoint tables now, so this run stopped without touching"
        + " them; the original table is unchanged.");
    LOG.error("{}", lost.getMessage());
  }

  @Override
  public void close() {
    Workers.stop(keepalive, Duration.ofSeconds(35), "the keepalive of lock " + String.join(", ", names));
    try (Statement s = connection.createStatement()) {
      s.executeQuery("SELECT RELEASE_ALL_LOCKS()").close();
    } catch (SQLException e) {
      // The connection's end releases it anyway.
    } finally {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // nothing more to release
      }
    }
  }
}
