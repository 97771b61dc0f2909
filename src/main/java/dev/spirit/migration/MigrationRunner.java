package dev.spirit.migration;

import com.zaxxer.hikari.HikariDataSource;
import dev.spirit.applier.Applier;
import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.binlog.KeyCodec;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.checksum.ChecksumResult;
import dev.spirit.checksum.Checksummer;
import dev.spirit.config.MigrateConfig;
import dev.spirit.copier.Copier;
import dev.spirit.cutover.Cutover;
import dev.spirit.cutover.CutoverPlan;
import dev.spirit.cutover.CutoverResult;
import dev.spirit.cutover.CutoverStrategy;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.Database;
import dev.spirit.db.Endpoint;
import dev.spirit.db.ServerFlavor;
import dev.spirit.db.SqlErrors;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.sentinel.SentinelGate;
import dev.spirit.sentinel.SentinelTable;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.status.Phase;
import dev.spirit.status.Progress;
import dev.spirit.status.ProgressReporter;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.Identifiers;
import dev.spirit.table.KeyComparison;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableDefinition;
import dev.spirit.table.TableInfo;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code spirit migrate} of one table by shadow-table copy, from preflight to summary. It composes the engine's
 * parts; each phase's rules live in its package. Until the cutover starts the original stays exactly as it was; a
 * failure drops the shadow and checkpoint tables, except the failures a re-run can resume from (see
 * {@link Resumption#keepsStateAfter}).
 */
public final class MigrationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);
  static final DateTimeFormatter OLD_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
  static final Duration SENTINEL_HEARTBEAT = Duration.ofSeconds(5);
  static final Duration SENTINEL_PROBE_BUDGET = Duration.ofMinutes(5);

  private final MigrateConfig config;
  /** As parsed, then on the table as the server names it once preflight has found it. */
  private volatile AlterTableStatement statement;
  private volatile NameCase nameCase = NameCase.SENSITIVE;
  private final PrintStream err;
  private final boolean liveProgress;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final ZonedDateTime startedAt = ZonedDateTime.now(ZoneOffset.UTC);

  private volatile Chunker chunker;
  private volatile Checksummer checksummer;
  private volatile ChangeBuffer buffer;
  private volatile Applier applier;
  private volatile ProgressReporter reporter;
  private volatile SentinelGate gate;
  private volatile BackgroundPriority priority = BackgroundPriority.normal("not decided yet");
  private volatile SentinelFaults faults = SentinelFaults.NONE;
  private volatile long estimatedRows;

  public MigrationRunner(MigrateConfig config, AlterTableStatement statement, PrintStream err, boolean liveProgress) {
    this.config = config;
    this.statement = statement;
    this.err = err;
    this.liveProgress = liveProgress;
  }

  /** Test-only: fault points in the sentinel gate. */
  public MigrationRunner withSentinelFaults(SentinelFaults faults) {
    this.faults = faults;
    return this;
  }

  /** The phase the run is in, for tests and status. */
  public Phase phase() {
    ProgressReporter r = reporter;
    return r == null ? Phase.PREFLIGHT : r.phase();
  }

  /** The sentinel's status line while the run has a gate, else null. */
  public String sentinelStatus() {
    SentinelGate g = gate;
    return g == null ? null : g.statusLine();
  }

  /** Asks the run to stop at the next safe point; ignored once the cutover has begun. */
  public void cancel() {
    cancelled.set(true);
  }

  private void checkCancelled() {
    if (cancelled.get()) {
      throw new SpiritException(ErrorCode.INTERRUPTED, "interrupted; " + quotedTable() + " is unchanged");
    }
  }

  private String quotedTable() {
    return Identifiers.quote(statement.schema(), statement.table());
  }

  public void run() throws SQLException, InterruptedException {
    Endpoint endpoint = new Endpoint(config.connection());
    Database database = endpoint.database(config.cutover().lockWaitTimeout());
    try (ProgressReporter progress = new ProgressReporter(err, liveProgress, this::progress)) {
      reporter = progress;
      ServerFlavor flavor;
      TableInfo source;
      try (Connection c = database.connect()) {
        flavor = ServerFlavor.detect(c);
        Preflight.checkServer(flavor, flavor.binlogSettings(c));
        source = TableInfo.load(c, statement.schema(), statement.table());
        statement = statement.onTable(source.schema(), source.name());
        nameCase = NameCase.of(c);
        Privileges.check(c, statement.schema());
        Preflight.checkTable(c, source, statement);
        new KeyCodec(source); // refuses key types the binlog reader cannot track
        CutoverStrategy.checkFeasible(flavor, List.of(statement.table()));
      }
      if (SessionZone.convertsTimestamps(statement, source)) {
        database = database.inServerTimeZone();
        try (Connection c = database.connect()) {
          SessionZone.checkKeysExact(c, source);
        }
      }
      estimatedRows = source.estimatedRows();
      err.println("spirit: migrating " + quotedTable() + " on " + flavor.version() + " (~" + estimatedRows
          + " rows): " + statement.alterText());
      int poolSize = config.copy().threads() + config.copy().writeThreads() + 4;
      try (HikariDataSource pool = database.pool("main", poolSize);
          AdvisoryLock lock = AdvisoryLock.acquire(database, quotedTable(),
              AdvisoryLock.nameFor(statement.schema(), statement.table()))) {
        checkCancelled();
        progress.enter(Phase.FAST_PATH);
        var fast = FastPath.attempt(database, statement);
        if (fast.isPresent()) {
          try (Connection c = pool.getConnection()) {
            if (SentinelTable.exists(c)) {
              LOG.warn("the server made the change directly ({}), so the sentinel {}.{} was not waited on",
                  fast.get().describe(), Identifiers.quote(statement.schema()), SentinelTable.NAME);
            }
          }
          summarize(fast.get(), null, false);
          return;
        }
        Preflight.refuseCopyOfPartitionData(statement);
        String shadow = Identifiers.helperName(statement.table(), "_new");
        Resumption resumption = Resumption.decide(pool, config, statement, shadow);
        try (SentinelGate gate = new SentinelGate(database, statement.schema(), owner(), SENTINEL_HEARTBEAT,
            config.cutover().deferCutoverTimeout(), SENTINEL_PROBE_BUDGET, faults)) {
          this.gate = gate;
          resumption.openGate(gate); // before any other work, so a stale ready is reset first
          copyAndSwap(database, endpoint, pool, flavor, source, shadow, resumption, lock);
        }
      }
    }
  }

  private void copyAndSwap(Database database, Endpoint endpoint, HikariDataSource pool, ServerFlavor flavor,
      TableInfo source, String shadow, Resumption resumption, AdvisoryLock lock)
      throws SQLException, InterruptedException {
    String oldName = config.skipDropAfterCutover()
        ? Identifiers.helperName(statement.table(), "_old_" + startedAt.format(OLD_SUFFIX))
        : Identifiers.helperName(statement.table(), "_old");
    boolean swapped = false;
    String stopReason = "failed before cutover";
    BinlogSubscription binlog = null;
    CheckpointWriter checkpoints = null;
    Throwable failure = null;
    try {
      reporter.enter(Phase.SETUP);
      TableInfo target;
      BinlogPosition start;
      long serverId;
      Map<String, String> definitions;
      try (Connection c = pool.getConnection()) {
        start = resumption.prepare(c, flavor, source);
        target = TableInfo.load(c, statement.schema(), shadow);
        priority = BackgroundPriority.detect(c, flavor);
        serverId = BinlogSubscription.unusedServerId(c);
        definitions = Map.of(statement.table(), TableDefinition.read(c, statement.schema(), statement.table()),
            shadow, TableDefinition.read(c, statement.schema(), shadow));
      }
      err.println("spirit: the copy and the checksum's reads run at " + priority.description());
      ColumnMapping mapping = ColumnMapping.between(source, target, statement.renamedColumns(),
          statement.recreatedColumns());
      SessionZone.verify(mapping, database.utc());
      buffer = source.hasIntegerPrimaryKey()
          ? new ChangeBuffer((a, b) -> KeyComparison.compareIntegerTuples(a.values(), b.values()),
              ChangeBuffer.defaultCapacity())
          : new ChangeBuffer(null, ChangeBuffer.defaultCapacity());
      binlog = new BinlogSubscription(endpoint::binlogClient, source, nameCase, start, buffer,
          List.of(statement.table(), shadow), serverId);
      binlog.start(Duration.ofSeconds(30));
      applier = new Applier(pool, flavor, source, target, mapping, new KeyCodec(source, database.utc()), buffer,
          config.copy().writeThreads());
      ChangeDrain drain = new ChangeDrain(pool, flavor, binlog, applier, Duration.ofMinutes(5));
      long rowBytes = Math.max(1, TableInfo.averageRowLength(pool, source));

      reporter.enter(Phase.COPY);
      chunker = new Chunker(pool, source, new ChunkSizer(config.copy().targetChunkSize().bytes(), rowBytes,
          Duration.ofSeconds(2)), resumption.copyFrom());
      checkpoints = resumption.writer(pool, binlog, chunker, lock, definitions.get(statement.table()));
      checkpoints.start();
      if (!resumption.copyCompleted()) {
        new CopyPhase(new Copier(pool, chunker, target, mapping, config.copy().threads(), priority), chunker, applier,
            source.hasIntegerPrimaryKey(), binlog, checkpoints, lock).run(cancelled::get);
        checkCancelled();
      }
      checkpoints.write();

      reporter.enter(Phase.CATCH_UP);
      drain.catchUp();
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("ANALYZE TABLE " + target.quotedName());
      }
      checkCancelled();

      lock.checkHeld();
      reporter.enter(Phase.CHECKSUM);
      checksummer = new Checksummer(database, pool, source, target, mapping, drain, config.copy().threads(),
          config.copy().targetChunkSize().bytes() / rowBytes, priority);
      ChecksumResult checksum = checksummer.run(cancelled::get);
      checkCancelled();

      if (gate.present()) {
        reporter.enter(Phase.WAIT_FOR_RELEASE);
        checkpoints.write();
        gate.awaitRelease(whileWaiting(drain, checkpoints, lock));
      }

      checkpoints.checkHealthy();
      checkpoints.close(); // none once the cutover starts: the shadow is about to become the table
      reporter.enter(Phase.CUTOVER);
      drain.catchUp();
      if (!config.skipDropAfterCutover()) {
        dropQuietly(pool, oldName);
      }
      lock.verifyHeld();
      CutoverResult cutover = new Cutover(CutoverStrategy.forFlavor(flavor), 100).run(new CutoverPlan(database,
          statement.schema(), statement.table(), shadow, oldName, drain, binlog, definitions));
      long lockedMillis = cutover.lockedMillis();
      oldName = cutover.oldTable();
      swapped = true;
      binlog.close();
      resumption.dropCheckpoint(pool);

      reporter.enter(Phase.CLEANUP);
      if (!config.skipDropAfterCutover()) {
        dropQuietly(pool, oldName);
      }
      summarize(FastPath.Path.COPY, checksum, true);
      err.println("  checksum start: writes to " + quotedTable() + " blocked for " + checksum.longestWriteHoldMillis()
          + " ms (reads went on)");
      err.println("  cutover: writes to " + quotedTable() + " blocked for "
          + (lockedMillis < 0 ? "an unknown time (the session was lost after the swap)" : lockedMillis + " ms"));
      err.println("  old table: " + (config.skipDropAfterCutover()
          ? "kept as " + Identifiers.quote(statement.schema(), oldName) : "dropped"));
    } catch (Throwable t) {
      failure = t;
      if (t instanceof SpiritException e) {
        stopReason = e.code() == ErrorCode.INTERRUPTED ? "cancelled" : e.getMessage();
      }
      throw t;
    } finally {
      if (checkpoints != null) {
        checkpoints.close();
      }
      if (binlog != null) {
        binlog.close();
      }
      if (applier != null) {
        applier.close();
      }
      if (!swapped) {
        if (!(failure instanceof SpiritException e && e.code() == ErrorCode.LOCK_LOST)) {
          gate.markStopped(cancelled.get() ? "cancelled" : stopReason); // not another run's row
        }
        err.println(resumption.cleanUpAfterFailure(pool, failure, binlog, cancelled.get()));
      }
    }
  }

  /** {@code migrate:<schema>.<table>}: this run's row in the sentinel. */
  String owner() {
    return "migrate:" + statement.schema() + "." + statement.table();
  }

  /**
   * While the sentinel holds the cutover: keep applying changes, so the cutover inherits no backlog, and re-verify
   * the whole table every {@link #continuousChecksumInterval}; a difference that repairs cannot clear stops the run.
   */
  private Runnable whileWaiting(ChangeDrain drain, CheckpointWriter checkpoints, AdvisoryLock lock) {
    long[] nextPass = {System.nanoTime() + continuousChecksumInterval().toNanos()};
    return () -> {
      try {
        checkCancelled();
        lock.checkHeld();
        checkpoints.checkHealthy();
        drain.catchUp();
        if (System.nanoTime() > nextPass[0]) {
          reverify();
          nextPass[0] = System.nanoTime() + continuousChecksumInterval().toNanos();
        }
      } catch (SQLException e) {
        throw SpiritException.sql(ErrorCode.SQL_FAILED, "applying changes while waiting failed", e, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SpiritException(ErrorCode.INTERRUPTED, "interrupted; " + quotedTable() + " is unchanged");
      }
    };
  }

  /**
   * One full checksum pass while waiting. A release stops it (the cutover drains every change under its lock anyway);
   * a lock it cannot get in time (a long transaction on the table) defers it to the next interval, since a wait of
   * days must not end on one busy moment; a difference that repairs cannot clear stops the run.
   */
  private void reverify() throws SQLException, InterruptedException {
    LOG.info("re-verifying {} while waiting for the sentinel", quotedTable());
    try {
      checksummer.run(() -> cancelled.get() || gate.releaseSeen());
    } catch (SpiritException e) {
      if (e.code() != ErrorCode.INTERRUPTED || cancelled.get()) {
        throw e;
      }
      LOG.info("re-verification of {} stopped: the sentinel was released", quotedTable());
    } catch (SQLException e) {
      if (!SqlErrors.isLockConflict(e)) { // 1205 is also the metadata lock wait timeout
        throw e;
      }
      LOG.warn("re-verification of {} deferred to the next interval: {}", quotedTable(), e.getMessage());
    }
  }

  /** An hour, as upstream; {@code -Dspirit.sentinel.checksumIntervalSeconds} shortens it for tests. */
  static Duration continuousChecksumInterval() {
    return Duration.ofSeconds(Long.getLong("spirit.sentinel.checksumIntervalSeconds", 3600));
  }

  private Progress progress() {
    ProgressReporter r = reporter;
    if (r == null) {
      return null;
    }
    Phase phase = r.phase();
    long done = phase == Phase.CHECKSUM && checksummer != null ? checksummer.rowsChecked()
        : chunker != null ? chunker.rowsCopied() : 0;
    SentinelGate g = gate;
    return new Progress(phase, done, estimatedRows, buffer == null ? 0 : buffer.size(),
        applier == null ? 0 : applier.applied(), phase == Phase.WAIT_FOR_RELEASE && g != null ? g.statusLine() : null);
  }

  private void summarize(FastPath.Path path, ChecksumResult checksum, boolean copied) {
    reporter.enter(Phase.DONE);
    StringBuilder sb = new StringBuilder("spirit: migrated " + quotedTable() + " by " + path.describe() + " in "
        + ProgressReporter.format(reporter.elapsed()));
    if (copied) {
      sb.append(String.format(java.util.Locale.ROOT,
          "%n  rows copied %,d; changed rows refreshed %,d, left to the copy %,d", chunker.rowsCopied(),
          applier.applied(), applier.discarded()));
      sb.append(String.format(java.util.Locale.ROOT,
          "%n  checksum: %,d rows in %,d chunks, %d repaired, %d pass(es), clean", checksum.rowsChecked(),
          checksum.chunksChecked(), checksum.chunksRepaired(), checksum.passes()));
    }
    sb.append("\n  phases:");
    reporter.phaseTimes().forEach((p, d) -> {
      if (p != Phase.DONE) {
        sb.append(' ').append(p.label()).append(' ').append(ProgressReporter.format(d)).append(',');
      }
    });
    sb.setLength(sb.length() - 1);
    err.println(sb);
  }

  private void dropQuietly(HikariDataSource pool, String table) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + Identifiers.quote(statement.schema(), table));
    } catch (SQLException e) {
      LOG.warn("could not drop {}: {}", Identifiers.quote(statement.schema(), table), e.getMessage());
    }
  }
}
