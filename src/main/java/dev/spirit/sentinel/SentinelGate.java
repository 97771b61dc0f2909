package dev.spirit.sentinel;

import dev.spirit.db.Database;
import dev.spirit.db.ReopeningSession;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelTable.Shape;
import dev.spirit.status.ProgressReporter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
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
 *
 * <p>The heartbeat runs on its own thread from registration to the end of the run, wait included, so the row stays
 * fresh while the run does long work at the wait point (an hourly re-verification of the whole table), and it notices
 * a release meanwhile ({@link #releaseSeen}). The heartbeat and the wait each keep one session that is re-opened when
 * it is lost: a wait of days outlives idle limits, failovers and proxies. See docs/sentinel.md.
 */
public final class SentinelGate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SentinelGate.class);

  /** What the gate reports, for the status line. */
  public enum Readiness { NONE, COPYING, READY, UNAVAILABLE, RELEASED }

  private final Database database;
  private final String schema;
  private final Duration heartbeat;
  private final Duration waitLimit;
  private final Duration probeErrorBudget;
  private final SentinelFaults faults;
  private final SentinelRows rows;
  private final ScheduledExecutorService heartbeats;
  private final ReopeningSession heartbeatSession;
  private final ReopeningSession waitSession;

  private volatile Set<String> columns = Set.of();
  private volatile boolean registered;
  private volatile boolean releasedEarly;
  private volatile boolean waiting;
  private volatile boolean releaseSeen;
  private volatile Readiness readiness = Readiness.NONE;
  private volatile long waitingSince;

  public SentinelGate(Database database, String schema, String owner, Duration heartbeat, Duration waitLimit,
      Duration probeErrorBudget, SentinelFaults faults) {
    this.database = database;
    this.schema = schema;
    this.heartbeat = heartbeat;
    this.waitLimit = waitLimit;
    this.probeErrorBudget = probeErrorBudget;
    this.faults = faults;
    this.rows = new SentinelRows(owner, UUID.randomUUID().toString());
    this.heartbeatSession = new ReopeningSession(database);
    this.waitSession = new ReopeningSession(database);
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(Workers.daemons("sentinel-heartbeat"));
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
      if (shape == Shape.PER_OWNER && (register || rows.exists(c))) {
        rows.upsert(c, columns, SentinelTable.COPYING);
        registered = true;
        readiness = Readiness.COPYING;
        long period = heartbeat.toMillis();
        heartbeats.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
      } else if (shape == Shape.SHARED_ROW && register) {
        SentinelRows.sharedRow(c, SentinelTable.COPYING);
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

  /**
   * The heartbeat, for the whole run: a vanished row or table is a release, early before the wait point, the awaited
   * one at it. A failed beat is retried at the next one, on a new session if the old one was lost.
   */
  private void beat() {
    if (releaseSeen) {
      return;
    }
    try {
      if (heartbeatSession.use(rows::touch) == 0) {
        noteRelease();
      }
    } catch (SQLException e) {
      if (SentinelTable.isMissingTable(e)) {
        noteRelease();
      } else {
        LOG.debug("sentinel heartbeat failed, will retry: {}", e.getMessage());
      }
    }
  }

  private void noteRelease() {
    if (releaseSeen) {
      return;
    }
    releaseSeen = true;
    readiness = Readiness.RELEASED;
    if (!waiting) {
      releasedEarly = true;
      LOG.warn("sentinel {} was released before this run was ready: it will cut over right after its checksum",
          location());
    }
  }

  /** Whether a release has been seen (early, or while waiting); long work at the wait point can stop for it. */
  public boolean releaseSeen() {
    return releaseSeen;
  }

  /**
   * The wait point: marks this run {@code ready} and waits until it is released, running {@code whileWaiting} about
   * once a second (keeping the new table current, re-verifying it; it may take long, and may stop early when
   * {@link #releaseSeen}). Returns at once when there is no sentinel.
   *
   * @throws SpiritException TIMED_OUT after the wait limit (the sentinel stays in place)
   */
  public void awaitRelease(Runnable whileWaiting) throws InterruptedException {
    columns = withRetries(() -> waitSession.use(SentinelTable::columns));
    Shape shape = SentinelTable.shapeOf(columns);
    if (shape == Shape.ABSENT || releasedEarly) {
      if (registered || releasedEarly) {
        LOG.warn("sentinel {} is gone: released before this run was ready", location());
      }
      readiness = Readiness.RELEASED;
      return;
    }
    faults.beforeReadyWrite();
    waiting = true; // from here a vanished row is the release this wait is for, not an early one
    boolean perOwner = withRetries(() -> waitSession.use(c -> markReady(c, shape)));
    if (readiness == Readiness.RELEASED) {
      return;
    }
    waitingSince = System.nanoTime();
    LOG.warn("cutover deferred: waiting for {} to be dropped{} (at most {})", location(),
        perOwner ? " or its row owner='" + rows.owner() + "' to be deleted" : "", waitLimit);
    long deadline = System.nanoTime() + waitLimit.toNanos();
    while (!releaseSeen && !released(perOwner)) {
      if (System.nanoTime() > deadline) {
        throw new SpiritException(ErrorCode.TIMED_OUT, "timed out waiting for sentinel table " + location()
            + " to be released after " + ProgressReporter.format(waitLimit)
            + "; the sentinel is left in place, nothing was cut over");
      }
      whileWaiting.run();
      if (!releaseSeen) {
        Thread.sleep(1000);
      }
    }
    releaseSeen = true;
    readiness = Readiness.RELEASED;
    LOG.info("sentinel {} released: cutting over", location());
  }

  /** Writes {@code ready}; returns whether release is judged by this run's row (otherwise by the table alone). */
  private boolean markReady(Connection c, Shape shape) throws SQLException {
    try {
      if (shape == Shape.PER_OWNER) {
        int marked;
        if (registered) {
          marked = rows.markReady(c, columns);
        } else {
          // A sentinel someone else created: take part with a row of our own, straight as ready.
          rows.upsert(c, columns, SentinelTable.READY);
          registered = true;
          marked = 1;
        }
        if (marked == 0) {
          LOG.info("sentinel {}: this run's row was removed while it was being marked ready; that is a release",
              location());
          readiness = Readiness.RELEASED;
          return true;
        }
        readiness = Readiness.READY;
        return true;
      }
      if (shape == Shape.SHARED_ROW) {
        SentinelRows.sharedRow(c, SentinelTable.READY);
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

  /** One poll: gone table (or gone own row) is a release. */
  private boolean released(boolean perOwner) throws InterruptedException {
    return withRetries(() -> {
      faults.beforePoll();
      return waitSession.use(c -> {
        if (!perOwner) {
          return !SentinelTable.exists(c);
        }
        try {
          return rows.touch(c) == 0;
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
    });
  }

  interface Probe<T> {
    T run() throws SQLException;
  }

  /**
   * Retries a failing probe for a bounded time, each try on a live session (a lost one is re-opened): a blip over a
   * 48-hour wait must not abort the run.
   */
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
              + ProgressReporter.format(probeErrorBudget) + ": " + e.getMessage(), e);
        }
        LOG.warn("reading sentinel {} failed, retrying: {}", location(), e.getMessage());
        Thread.sleep(1000);
      }
    }
  }

  /** Best effort, on every exit without cutover: the row says {@code stopped} and why. */
  public void markStopped(String reason) {
    stopHeartbeat();
    if (!registered) {
      return;
    }
    try (Connection c = database.connect()) {
      rows.markStopped(c, columns, reason);
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
    return "sentinel " + location() + " readiness=" + readiness.name().toLowerCase(Locale.ROOT) + waited
        + " max-wait=" + ProgressReporter.format(waitLimit);
  }

  /** The gate's state for machine-readable status. */
  public dev.spirit.status.Progress.Sentinel status() {
    return new dev.spirit.status.Progress.Sentinel(location(), readiness.name().toLowerCase(Locale.ROOT),
        waitingSince == 0 ? null : Duration.ofNanos(System.nanoTime() - waitingSince).toSeconds());
  }

  private String location() {
    return "`" + schema + "`." + SentinelTable.NAME;
  }

  private void stopHeartbeat() {
    Workers.stop(heartbeats, Duration.ofSeconds(10), "the sentinel heartbeat");
  }

  @Override
  public void close() {
    stopHeartbeat();
    heartbeatSession.close();
    waitSession.close();
  }
}
