package dev.spirit.sentinel;

import dev.spirit.db.Database;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelTable.Shape;
import dev.spirit.status.ProgressReporter;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cutover gate behind {@code _spirit_sentinel}, shared by {@code migrate} and {@code move}: it registers this
 * run's row as {@code copying} before any work, flips it to {@code ready} only at the wait point, refreshes
 * {@code updated_at} as a heartbeat, and waits until the table is dropped or this run's row is deleted.
 *
 * <p>Release is recognised only by absence (of the table, or of this run's row), never by reading a status, so no
 * value an operator writes can release a run. Every exit without cutover marks the row {@code stopped}, best effort.
 * See docs/sentinel.md for the contract automation relies on.
 */
public final class SentinelGate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SentinelGate.class);

  /** What the gate reports, for the status line. */
  public enum Readiness { NONE, COPYING, READY, UNAVAILABLE, RELEASED }

  private final Database database;
  private final String schema;
  private final String owner;
  private final Duration heartbeat;
  private final Duration waitLimit;
  private final Duration probeErrorBudget;
  private final SentinelFaults faults;
  private final String runId = UUID.randomUUID().toString();
  private final ScheduledExecutorService heartbeats;

  private volatile java.util.Set<String> columns = java.util.Set.of();
  private volatile boolean registered;
  private volatile boolean releasedEarly;
  private volatile Readiness readiness = Readiness.NONE;
  private volatile long waitingSince;

  public SentinelGate(Database database, String schema, String owner, Duration heartbeat, Duration waitLimit,
      Duration probeErrorBudget, SentinelFaults faults) {
    this.database = database;
    this.schema = schema;
    this.owner = owner;
    this.heartbeat = heartbeat;
    this.waitLimit = waitLimit;
    this.probeErrorBudget = probeErrorBudget;
    this.faults = faults;
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sentinel-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Before any other work of the run. With {@code create}, makes sure the sentinel exists and registers this run as
   * {@code copying}; without it, only puts back to {@code copying} a row this owner left behind (a dead run's stale
   * {@code ready} must never release a run that is not at its wait point).
   */
  public void open(boolean create) throws SQLException {
    open(create, create);
  }

  /**
   * Before any other work of a resumed run. Without {@code deferCutover} as {@link #open open(false)}. With it, the
   * sentinel is never created: if it is gone, it was dropped while spirit was not running, so the gate is already
   * released and the run will cut over right after its checksum; if it is there, this run's row is (re-)registered
   * as {@code copying}, even if an operator deleted it meanwhile, so the gate stays closed.
   */
  public void reopen(boolean deferCutover) throws SQLException {
    if (deferCutover) {
      try (Connection c = database.connect()) {
        if (!SentinelTable.exists(c)) {
          releasedEarly = true;
          readiness = Readiness.RELEASED;
          LOG.warn("sentinel {} was dropped while spirit was not running: the gate is already released, and this"
              + " resumed run will cut over right after its checksum", location());
          return;
        }
      }
    }
    open(false, deferCutover);
  }

  private void open(boolean create, boolean register) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      if (create) {
        s.execute(SentinelTable.CREATE);
      }
      columns = SentinelTable.columns(c);
      Shape shape = SentinelTable.shapeOf(columns);
      if (shape == Shape.PER_OWNER && (register || ownRowExists(c))) {
        upsertOwnRow(c, SentinelTable.COPYING);
        registered = true;
        readiness = Readiness.COPYING;
        long period = heartbeat.toMillis();
        heartbeats.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
      } else if (shape == Shape.SHARED_ROW && register) {
        s.execute("INSERT INTO " + SentinelTable.NAME + " (id, status) VALUES (1, 'copying')"
            + " ON DUPLICATE KEY UPDATE status = 'copying'");
        readiness = Readiness.COPYING;
        LOG.warn("sentinel {} has a status column but no owner column: runs in this schema share one row and"
            + " cannot be told apart", location());
      } else if (shape == Shape.LEGACY && register) {
        readiness = Readiness.UNAVAILABLE;
        LOG.warn("sentinel {} has no status column (made by hand or by upstream Spirit): this run will wait for it"
            + " to be dropped but cannot report readiness", location());
      }
    }
  }

  private boolean ownRowExists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + SentinelTable.NAME + " WHERE owner = ?")) {
      ps.setString(1, owner);
      return ps.executeQuery().next();
    }
  }

  /**
   * Inserts or resets this run's row. Only owner, status and updated_at are required: a sentinel made by an operator
   * may lack the informational columns (host, run_id, reason), and spirit never alters a table it did not create.
   */
  private void upsertOwnRow(Connection c, String status) throws SQLException {
    java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("owner", "status"));
    java.util.List<String> values = new java.util.ArrayList<>(java.util.List.of(owner, status));
    if (columns.contains("host")) {
      names.add("host");
      values.add(host());
    }
    if (columns.contains("run_id")) {
      names.add("run_id");
      values.add(runId);
    }
    StringBuilder update = new StringBuilder("status = VALUES(status), updated_at = NOW(6)");
    for (String optional : java.util.List.of("host", "run_id")) {
      if (names.contains(optional)) {
        update.append(", ").append(optional).append(" = VALUES(").append(optional).append(')');
      }
    }
    if (columns.contains("reason")) {
      update.append(", reason = NULL");
    }
    String sql = "INSERT INTO " + SentinelTable.NAME + " (" + String.join(", ", names) + ", updated_at) VALUES ("
        + "?, ".repeat(names.size()) + "NOW(6)) ON DUPLICATE KEY UPDATE " + update;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        ps.setString(i + 1, values.get(i));
      }
      ps.executeUpdate();
    }
  }

  /** The heartbeat before the wait point; a vanished row or table means the operator released the run early. */
  private void beat() {
    if (releasedEarly) {
      return;
    }
    try (Connection c = database.connect()) {
      if (touch(c) == 0) {
        noteEarlyRelease();
      }
    } catch (SQLException e) {
      if (SentinelTable.isMissingTable(e)) {
        noteEarlyRelease();
      } else {
        LOG.debug("sentinel heartbeat failed, will retry: {}", e.getMessage());
      }
    }
  }

  private void noteEarlyRelease() {
    if (!releasedEarly) {
      releasedEarly = true;
      readiness = Readiness.RELEASED;
      LOG.warn("sentinel {} was released before this run was ready: it will cut over right after its checksum",
          location());
    }
  }

  private int touch(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + SentinelTable.NAME
        + " SET updated_at = NOW(6) WHERE owner = ?")) {
      ps.setString(1, owner);
      return ps.executeUpdate();
    }
  }

  /**
   * The wait point: marks this run {@code ready} and waits until it is released, running {@code whileWaiting} about
   * once a second (keeping the new table current, re-verifying it). Returns at once when there is no sentinel.
   *
   * @throws SpiritException TIMED_OUT after the wait limit (the sentinel stays in place)
   */
  public void awaitRelease(Runnable whileWaiting) throws InterruptedException {
    heartbeats.shutdownNow();
    try (Connection c = database.connect()) {
      columns = withRetries(() -> SentinelTable.columns(c));
      Shape shape = SentinelTable.shapeOf(columns);
      if (shape == Shape.ABSENT || releasedEarly) {
        if (registered || releasedEarly) {
          LOG.warn("sentinel {} is gone: released before this run was ready", location());
        }
        readiness = Readiness.RELEASED;
        return;
      }
      faults.beforeReadyWrite();
      boolean perOwner = markReady(c, shape);
      if (readiness == Readiness.RELEASED) {
        return;
      }
      waitingSince = System.nanoTime();
      LOG.warn("cutover deferred: waiting for {} to be dropped{} (at most {})", location(),
          perOwner ? " or its row owner='" + owner + "' to be deleted" : "", waitLimit);
      long deadline = System.nanoTime() + waitLimit.toNanos();
      while (!released(c, perOwner)) {
        if (System.nanoTime() > deadline) {
          throw new SpiritException(ErrorCode.TIMED_OUT, "timed out waiting for sentinel table " + location()
              + " to be released after " + ProgressReporter.format(waitLimit)
              + "; the sentinel is left in place, nothing was cut over");
        }
        whileWaiting.run();
        Thread.sleep(1000);
      }
      readiness = Readiness.RELEASED;
      LOG.info("sentinel {} released: cutting over", location());
    } catch (SQLException e) {
      throw new SpiritException(ErrorCode.SQL_FAILED, "cannot reach sentinel " + location() + ": " + e.getMessage(),
          e);
    }
  }

  /** Writes {@code ready}; returns whether release is judged by this run's row (otherwise by the table alone). */
  private boolean markReady(Connection c, Shape shape) throws SQLException {
    try {
      if (shape == Shape.PER_OWNER) {
        int rows;
        if (registered) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE " + SentinelTable.NAME
              + " SET status = 'ready', updated_at = NOW(6)" + (columns.contains("reason") ? ", reason = NULL" : "")
              + " WHERE owner = ?")) {
            ps.setString(1, owner);
            rows = ps.executeUpdate();
          }
        } else {
          // A sentinel someone else created: take part with a row of our own, straight as ready.
          upsertOwnRow(c, SentinelTable.READY);
          registered = true;
          rows = 1;
        }
        if (rows == 0) {
          LOG.info("sentinel {}: this run's row was removed while it was being marked ready; that is a release",
              location());
          readiness = Readiness.RELEASED;
          return true;
        }
        readiness = Readiness.READY;
        return true;
      }
      if (shape == Shape.SHARED_ROW) {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO " + SentinelTable.NAME + " (id, status) VALUES (1, 'ready')"
              + " ON DUPLICATE KEY UPDATE status = 'ready'");
        }
        readiness = Readiness.READY;
        return false;
      }
      readiness = Readiness.UNAVAILABLE;
      LOG.warn("sentinel {} has no status column: waiting for it to be dropped, readiness cannot be reported",
          location());
      return false;
    } catch (SQLException e) {
      if (SentinelTable.isMissingTable(e)) {
        LOG.info("sentinel {} was dropped while this run was being marked ready; that is a release", location());
        readiness = Readiness.RELEASED;
        return false;
      }
      if (SentinelTable.isMissingColumn(e)) {
        readiness = Readiness.UNAVAILABLE;
        LOG.warn("sentinel {} was re-created without a status column: waiting for it to be dropped, readiness"
            + " cannot be reported", location());
        return false;
      }
      throw e;
    }
  }

  /** One poll: gone table (or gone own row) is a release; the update doubles as the heartbeat. */
  private boolean released(Connection c, boolean perOwner) throws InterruptedException {
    return withRetries(() -> {
      faults.beforePoll();
      if (!perOwner) {
        return !SentinelTable.exists(c);
      }
      try {
        return touch(c) == 0;
      } catch (SQLException e) {
        if (SentinelTable.isMissingTable(e)) {
          return true;
        }
        if (SentinelTable.isMissingColumn(e)) {
          return !SentinelTable.exists(c); // re-created in legacy shape: wait on existence
        }
        throw e;
      }
    });
  }

  interface Probe<T> {
    T run() throws SQLException;
  }

  /** Retries a failing probe for a bounded time: a blip over a 48-hour wait must not abort the run. */
  private <T> T withRetries(Probe<T> probe) throws InterruptedException {
    long giveUp = System.nanoTime() + probeErrorBudget.toNanos();
    while (true) {
      try {
        return probe.run();
      } catch (SQLException | RuntimeException e) {
        if (e instanceof SpiritException s) {
          throw s;
        }
        if (System.nanoTime() > giveUp) {
          throw new SpiritException(ErrorCode.SQL_FAILED, "sentinel " + location() + " could not be read for "
              + probeErrorBudget + ": " + e.getMessage(), e);
        }
        LOG.warn("reading sentinel {} failed, retrying: {}", location(), e.getMessage());
        Thread.sleep(1000);
      }
    }
  }

  /** Best effort, on every exit without cutover: the row says {@code stopped} and why. */
  public void markStopped(String reason) {
    heartbeats.shutdownNow();
    if (!registered) {
      return;
    }
    boolean withReason = columns.contains("reason");
    try (Connection c = database.connect();
        PreparedStatement ps = c.prepareStatement("UPDATE " + SentinelTable.NAME + " SET status = 'stopped'"
            + (withReason ? ", reason = ?" : "") + ", updated_at = NOW(6) WHERE owner = ?")) {
      ps.setQueryTimeout(5);
      int index = 1;
      if (withReason) {
        ps.setString(index++, reason.length() > 255 ? reason.substring(0, 255) : reason);
      }
      ps.setString(index, owner);
      ps.executeUpdate();
    } catch (SQLException e) {
      LOG.debug("could not mark the sentinel row stopped: {}", e.getMessage());
    }
  }

  /** Whether a sentinel exists in the schema now, whoever made it. */
  public boolean present() throws SQLException {
    try (Connection c = database.connect()) {
      return SentinelTable.exists(c);
    }
  }

  public Readiness readiness() {
    return readiness;
  }

  /** {@code sentinel `shop`._spirit_sentinel readiness=ready waiting=1m05s max-wait=48h}. */
  public String statusLine() {
    String waited = waitingSince == 0 ? "" : " waiting=" + ProgressReporter.format(
        Duration.ofNanos(System.nanoTime() - waitingSince));
    return "sentinel " + location() + " readiness=" + readiness.name().toLowerCase(java.util.Locale.ROOT) + waited
        + " max-wait=" + ProgressReporter.format(waitLimit);
  }

  private String location() {
    return "`" + schema + "`." + SentinelTable.NAME;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
    } catch (java.io.IOException e) {
      return "pid " + ProcessHandle.current().pid();
    }
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
  }
}
