package dev.spirit.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the sessions that keep the run from taking a table lock, so one idle transaction that once read the table
 * cannot make every cutover attempt time out. Each lock the run takes is {@link #watch watched}: at 90 % of its wait
 * the sessions holding a granted metadata lock on its tables are listed, and those that can be ended are killed, so
 * the lock is granted in the wait's last tenth.
 *
 * <p>Never ended: the run's own sessions ({@link Database#ownsSession}); a session holding an explicit
 * {@code LOCK TABLES}, which is an operator's or an application's deliberate lock (the lock attempt fails naming it);
 * a transaction heavier than {@link #HEAVY_TRANSACTION_WEIGHT}, whose rollback would take longer than the lock is
 * worth (named too). Sessions queued for the table hold nothing granted and are left alone. Every kill is logged with
 * the session's id, user, host, statement and how long its transaction had been open.
 */
public final class MetadataLockBlockers {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataLockBlockers.class);
  /** Upstream Spirit's threshold: rows a transaction changed or locked, as InnoDB weighs it. */
  static final long HEAVY_TRANSACTION_WEIGHT = 1_000_000;
  static final Duration SHORTEST_GRACE = Duration.ofMillis(900);
  private static final int UNKNOWN_THREAD = 1094;

  /** Ends nothing: the server cannot show this user who holds its locks, or the run never asked. */
  public static final MetadataLockBlockers NONE = new MetadataLockBlockers(null, null);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(Workers.daemons("metadata-lock-blockers"));

  private final Database database;
  private final ServerFlavor flavor;

  private MetadataLockBlockers(Database database, ServerFlavor flavor) {
    this.database = database;
    this.flavor = flavor;
  }

  /**
   * Checks that this user can see who holds metadata locks and end their sessions, turning on what the server can
   * turn on without a restart. When something is missing, warns once, naming it and the grant, and returns
   * {@link #NONE}: the run then waits for its locks as it always did.
   */
  public static MetadataLockBlockers enable(Database database, ServerFlavor flavor, Connection c)
      throws SQLException {
    List<String> missing = missing(flavor, c, true);
    if (!missing.isEmpty()) {
      LOG.warn("spirit cannot end the sessions that block its table locks; missing: {}. Until then a long or idle"
          + " transaction on the table makes a lock wait its whole --lock-wait-timeout and fail",
          String.join("; ", missing));
      return NONE;
    }
    return new MetadataLockBlockers(database, flavor);
  }

  /**
   * What keeps this user from ending the sessions that block the run's locks, each with its fix; empty when
   * nothing does.
   *
   * @param mayChange whether what the server can turn on without a restart is turned on (never in a dry run)
   */
  public static List<String> missing(ServerFlavor flavor, Connection c, boolean mayChange) throws SQLException {
    List<String> missing = new ArrayList<>(flavor.openMetadataLockView(c, mayChange));
    List<String> grants = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        grants.add(rs.getString(1));
      }
    }
    if (!hasGlobal(grants, "PROCESS")) {
      missing.add("PROCESS ON *.*, to see other users' sessions and transactions");
    }
    if (!hasGlobal(grants, "CONNECTION_ADMIN", "CONNECTION ADMIN", "SUPER")) {
      missing.add("CONNECTION_ADMIN (MariaDB: CONNECTION ADMIN) or SUPER ON *.*, to end another user's session");
    }
    return missing;
  }

  /**
   * Whether the grants give one of {@code privileges} on {@code *.*} (ALL does); grants through roles cannot be read,
   * so they are trusted.
   */
  static boolean hasGlobal(List<String> grants, String... privileges) {
    List<String> wanted = List.of(privileges);
    for (String grant : grants) {
      String g = grant.toUpperCase(Locale.ROOT).replace('`', ' ').replace('\'', ' ');
      if (!g.contains(" ON ")) {
        return true; // GRANT role TO user
      }
      if (!g.contains(" ON *.* ")) {
        continue;
      }
      String granted = g.substring("GRANT ".length(), g.indexOf(" ON *.* "));
      for (String p : granted.split(",")) {
        String name = p.trim();
        if (wanted.contains(name) || name.startsWith("ALL")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Runs the holders query once, for nothing; an access error becomes the grant that is missing. */
  static List<String> probe(Connection c, String query, String grant) {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, "");
      ps.setString(2, "");
      ps.executeQuery().close();
      return List.of();
    } catch (SQLException e) {
      return List.of(grant + " (" + e.getMessage() + ")");
    }
  }

  /** When to look for blockers: at 90 % of the wait, and never sooner than 0.9 s. */
  static Duration gracePeriod(Duration wait) {
    Duration grace = Duration.ofMillis(wait.toMillis() * 9 / 10);
    return grace.compareTo(SHORTEST_GRACE) < 0 ? SHORTEST_GRACE : grace;
  }

  /**
   * Arms the search for one lock attempt, which must close the watch when it has its lock or has given up.
   *
   * @param wait how long the attempt waits for its lock
   * @param purpose what waits, for the log ("the cutover's lock")
   */
  public Watch watch(Collection<TableName> tables, Duration wait, String purpose) {
    if (database == null) {
      return new Watch(null);
    }
    Watch watch = new Watch(new CountDownLatch(1));
    Map<String, List<String>> bySchema = new LinkedHashMap<>();
    tables.forEach(t -> bySchema.computeIfAbsent(t.schema(), k -> new ArrayList<>()).add(t.name()));
    watch.timer = TIMER.schedule(() -> {
      try {
        bySchema.forEach((schema, names) -> endBlockers(schema, names, purpose, watch));
      } finally {
        watch.done.countDown();
      }
    }, gracePeriod(wait).toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  private void endBlockers(String schema, List<String> tables, String purpose, Watch watch) {
    List<Holder> holders = new ArrayList<>();
    try (Connection c = database.connect();
        PreparedStatement ps = c.prepareStatement(flavor.metadataLockHoldersQuery(tables.size()))) {
      ps.setString(1, schema);
      for (int i = 0; i < tables.size(); i++) {
        ps.setString(i + 2, tables.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long transaction = rs.getLong(5);
          Long transactionSeconds = rs.wasNull() ? null : transaction;
          holders.add(new Holder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
              transactionSeconds, rs.getLong(6), rs.getString(7), new TableName(schema, rs.getString(8)).quoted(),
              rs.getLong(9), rs.getBoolean(10)));
        }
      }
      for (Blocker b : blockers(holders, database::ownsSession)) {
        if (b.spareReason() != null) {
          LOG.warn("{} waits on {}, which spirit does not end: {}", purpose, b.describe(), b.spareReason());
          watch.spared.add(b);
        } else if (end(c, b, purpose)) {
          watch.ended = true;
        }
      }
    } catch (SQLException e) {
      LOG.warn("could not look for the sessions that block {}: {} {}", purpose, e.getErrorCode(), e.getMessage());
    }
  }

  private static boolean end(Connection c, Blocker b, String purpose) {
    try (Statement s = c.createStatement()) {
      s.execute("KILL CONNECTION " + b.id());
      LOG.warn("ended {} to let {} through", b.describe(), purpose);
      return true;
    } catch (SQLException e) {
      if (e.getErrorCode() == UNKNOWN_THREAD) {
        return true; // it ended by itself meanwhile
      }
      LOG.warn("could not end {}: {} {}", b.describe(), e.getErrorCode(), e.getMessage());
      return false;
    }
  }

  /** One granted metadata lock of another session, as the server lists it. */
  record Holder(long id, String user, String host, String statement, Long transactionSeconds, long stateSeconds,
      String mode, String table, long weight, boolean explicit) {}

  /** One session that holds locks on the run's tables, and why it is spared (null when it is to be ended). */
  record Blocker(long id, List<Holder> locks, String spareReason) {
    String describe() {
      Holder first = locks.get(0);
      String statement = first.statement() == null ? "idle" : "running `" + first.statement() + "`";
      String age = first.transactionSeconds() == null ? "no transaction, in this state " + first.stateSeconds() + " s"
          : "transaction open " + first.transactionSeconds() + " s";
      return "session " + id + " (" + first.user() + "@" + first.host() + ", " + statement + ", " + age
          + ") holding " + locks.stream().map(h -> h.mode() + " on " + h.table()).distinct()
          .collect(Collectors.joining(", "));
    }
  }

  /** The other sessions among the holders, each once, with what spares it. */
  static List<Blocker> blockers(List<Holder> holders, LongPredicate own) {
    Map<Long, List<Holder>> bySession = new LinkedHashMap<>();
    for (Holder h : holders) {
      if (!own.test(h.id())) {
        bySession.computeIfAbsent(h.id(), id -> new ArrayList<>()).add(h);
      }
    }
    List<Blocker> result = new ArrayList<>();
    bySession.forEach((id, locks) -> {
      String reason = null;
      if (locks.stream().anyMatch(Holder::explicit)) {
        reason = "it holds an explicit LOCK TABLES; run UNLOCK TABLES in that session (or end it) and run spirit"
            + " again";
      } else if (locks.get(0).weight() > HEAVY_TRANSACTION_WEIGHT) {
        reason = "its transaction has changed or locked " + locks.get(0).weight() + " rows (more than "
            + HEAVY_TRANSACTION_WEIGHT + ") and would take long to roll back; let it finish and run spirit again";
      }
      result.add(new Blocker(id, locks, reason));
    });
    return result;
  }

  /** One lock attempt's search; closing it before the grace period has passed cancels the search. */
  public static final class Watch implements AutoCloseable {
    private final CountDownLatch done;
    private volatile ScheduledFuture<?> timer;
    private volatile boolean ended;
    private final List<Blocker> spared = new CopyOnWriteArrayList<>();

    private Watch(CountDownLatch done) {
      this.done = done;
    }

    /** Whether a blocker was ended: an attempt that still timed out may be worth one more try. */
    public boolean endedAny() {
      return ended;
    }

    /**
     * The attempt's failure, naming the sessions spirit would not end when there were some, so the operator knows
     * which one to deal with.
     */
    public SQLException explain(SQLException failure) {
      if (spared.isEmpty()) {
        return failure;
      }
      SQLException named = new SQLException(failure.getMessage() + "; blocked by " + spared.stream()
          .map(b -> b.describe() + ": " + b.spareReason()).collect(Collectors.joining("; ")),
          failure.getSQLState(), failure.getErrorCode(), failure);
      return named;
    }

    /** Cancels a search that has not started, and waits for one that has, so its kills are logged first. */
    @Override
    public void close() {
      if (timer == null || timer.cancel(false)) {
        return;
      }
      try {
        done.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
