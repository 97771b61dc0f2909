package dev.spirit.move;

import com.zaxxer.hikari.HikariDataSource;
import dev.spirit.applier.Applier;
import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.checksum.ChecksumResult;
import dev.spirit.checksum.Checksummer;
import dev.spirit.checksum.LockedSnapshots;
import dev.spirit.config.ConnectionSettings;
import dev.spirit.config.MoveConfig;
import dev.spirit.config.MysqlDsn;
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
import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.db.ServerFlavor;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.migration.CopyPhase;
import dev.spirit.migration.RunSummary;
import dev.spirit.migration.WhileWaiting;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.sentinel.SentinelGate;
import dev.spirit.status.MetricsEndpoint;
import dev.spirit.status.Phase;
import dev.spirit.status.Progress;
import dev.spirit.status.ProgressReporter;
import dev.spirit.status.StatusStream;
import dev.spirit.table.CreateTable;
import dev.spirit.table.Identifiers;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableDefinition;
import dev.spirit.table.TableInfo;
import dev.spirit.throttle.Throttler;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One {@code spirit move}: tables of a source schema copied to a schema on another server and kept in sync from the
 * source's binlog, verified row by row across the two servers, then the source tables renamed to {@code <t>_old} while
 * locked, after the last change reached the target and the operator's traffic switch ran. It composes the engine's
 * parts over one {@link TableMove} per table and keeps no table's state itself. Until the cutover the source tables
 * are never written.
 */
public final class MoveRunner {
  static final Duration SENTINEL_HEARTBEAT = Duration.ofSeconds(5);
  static final Duration SENTINEL_PROBE_BUDGET = Duration.ofMinutes(5);
  static final int MAX_OWNER = 255;

  private final MoveConfig config;
  private final PrintStream err;
  private final boolean liveProgress;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile List<TableMove> tables = List.of();
  private volatile Checksummer checksummer;
  private volatile ChangeDrain drain;
  private volatile ProgressReporter reporter;
  private volatile SentinelGate gate;
  private SentinelFaults faults = SentinelFaults.NONE;
  private volatile StatusStream status = StatusStream.off();

  public MoveRunner(MoveConfig config, PrintStream err, boolean liveProgress) {
    this.config = config;
    this.err = err;
    this.liveProgress = liveProgress;
  }

  /** Where the run's machine-readable status goes (off unless {@code --status-format json}). */
  public MoveRunner withStatus(StatusStream status) {
    this.status = status;
    return this;
  }

  /** The time spent in each phase so far; empty before the run starts. */
  public Map<Phase, Duration> phaseTimes() {
    ProgressReporter r = reporter;
    return r == null ? Map.of() : r.phaseTimes();
  }

  /** Asks the run to stop at the next safe point; ignored once the cutover has begun. */
  public void cancel() {
    cancelled.set(true);
  }

  public Phase phase() {
    ProgressReporter r = reporter;
    return r == null ? Phase.PREFLIGHT : r.phase();
  }

  private void checkCancelled() {
    if (cancelled.get()) {
      throw interrupted();
    }
  }

  private SpiritException interrupted() {
    return new SpiritException(ErrorCode.INTERRUPTED, "interrupted; " + quotedTables() + " unchanged on the source");
  }

  private String sourceSchema() {
    return config.source().schema();
  }

  private String targetSchema() {
    return config.target().schema();
  }

  private String quotedTables() {
    List<TableMove> found = tables;
    return found.isEmpty() ? "`" + sourceSchema() + "`" : found.stream().map(TableMove::quoted)
        .collect(Collectors.joining(", "));
  }

  static ConnectionSettings settings(MysqlDsn dsn, MoveConfig config) {
    return new ConnectionSettings(dsn.address(), dsn.user(), dsn.password(), dsn.schema(), config.tls());
  }

  public void run() throws SQLException, InterruptedException {
    Endpoint sourceEndpoint = new Endpoint(settings(config.source(), config));
    Database source = sourceEndpoint.database(config.cutover().lockWaitTimeout());
    Database target = new Endpoint(settings(config.target(), config)).database(config.cutover().lockWaitTimeout());
    try (ProgressReporter progress = new ProgressReporter(err, liveProgress, this::progress, status);
        MetricsEndpoint metrics = MetricsEndpoint.start(config.reporting().metricsListen(), progress, err)) {
      reporter = progress;
      MoveInspection inspection = MoveInspection.of(source, target, config);
      tables = inspection.tables();
      ServerFlavor flavor = inspection.flavor();
      NameCase nameCase = inspection.nameCase();
      List<CreateTable> definitions = inspection.definitions();
      MoveState.DefinitionMatch match = inspection.match();
      err.println("spirit: moving " + quotedTables() + " from " + config.source().address() + " (" + flavor.version()
          + ") to " + config.target().address() + "/" + targetSchema());
      int poolSize = config.copy().threads() + config.copy().writeThreads() + 4;
      try (HikariDataSource sourcePool = source.pool("source", poolSize);
          HikariDataSource targetPool = target.pool("target", poolSize + config.copy().writeThreads());
          AdvisoryLock lock = AdvisoryLock.acquire(source, inspection.lockClaims())) {
        checkCancelled();
        try (Connection s = source.connect()) {
          source.endBlockersWith(MetadataLockBlockers.enable(source, flavor, s));
        }
        MoveState state = new MoveState(targetSchema(), tables, description(), config.deferSecondaryIndexes());
        try (Connection s = source.connect(); Connection t = target.connect()) {
          state.decide(s, t, config.checkpointMaxAge(), config.force(), match);
          TargetTables.createMissing(t, targetSchema(), tables.stream().map(TableMove::table).toList(), definitions,
              !config.deferSecondaryIndexes());
        }
        try (SentinelGate gate = new SentinelGate(target, targetSchema(), owner(), SENTINEL_HEARTBEAT,
            config.cutover().deferCutoverTimeout(), SENTINEL_PROBE_BUDGET, faults)) {
          this.gate = gate;
          if (state.resuming()) {
            gate.reopen(config.cutover().deferCutover());
          } else {
            gate.open(config.cutover().deferCutover());
          }
          new MoveRun(source, target, sourceEndpoint, sourcePool, targetPool, flavor, nameCase, state, lock,
              definitions).run();
        }
      }
    }
  }

  /** Owner of this run's sentinel row: {@code move:<address>/<schema>:<sorted tables, or * for all>}. */
  String owner() {
    return owner(config, tables);
  }

  static String owner(MoveConfig config, List<TableMove> tables) {
    String tablesPart = config.sourceTables().isEmpty() ? "*" : String.join(",", tables.stream()
        .map(TableMove::table).sorted().toList());
    String owner = "move:" + config.source().address() + "/" + config.source().schema() + ":" + tablesPart;
    if (owner.length() <= MAX_OWNER) {
      return owner;
    }
    String hash = "…#" + Integer.toHexString(owner.hashCode());
    return owner.substring(0, MAX_OWNER - hash.length()) + hash;
  }

  /** What the checkpoint records as the run's statement: a resume must be of the same move. */
  String description() {
    return description(config, tables);
  }

  static String description(MoveConfig config, List<TableMove> tables) {
    return "move " + config.source().address() + "/" + config.source().schema() + " to " + config.target().address()
        + "/" + config.target().schema() + ": " + String.join(",", tables.stream().map(TableMove::table).toList())
        + (config.deferSecondaryIndexes() ? " (secondary indexes deferred)" : "");
  }

  /** The phases after preflight, with the resources they share. */
  private final class MoveRun {
    private final Database source;
    private final Database target;
    private final Endpoint sourceEndpoint;
    private final HikariDataSource sourcePool;
    private final HikariDataSource targetPool;
    private final ServerFlavor flavor;
    private final NameCase nameCase;
    private final MoveState state;
    private final AdvisoryLock lock;
    private final List<CreateTable> definitions;

    MoveRun(Database source, Database target, Endpoint sourceEndpoint, HikariDataSource sourcePool,
        HikariDataSource targetPool, ServerFlavor flavor, NameCase nameCase, MoveState state, AdvisoryLock lock,
        List<CreateTable> definitions) {
      this.source = source;
      this.target = target;
      this.sourceEndpoint = sourceEndpoint;
      this.sourcePool = sourcePool;
      this.targetPool = targetPool;
      this.flavor = flavor;
      this.nameCase = nameCase;
      this.state = state;
      this.lock = lock;
      this.definitions = definitions;
    }

    void run() throws SQLException, InterruptedException {
      boolean cutOver = false;
      String stopReason = "failed before cutover";
      BinlogSubscription binlog = null;
      CheckpointWriter checkpoints = null;
      ExecutorService writers = Executors.newFixedThreadPool(config.copy().writeThreads(),
          Workers.daemons("move-writer"));
      Throwable failure = null;
      try {
        reporter.enter(Phase.SETUP);
        BinlogPosition start;
        long serverId;
        BackgroundPriority priority;
        try (Connection s = sourcePool.getConnection(); Connection t = targetPool.getConnection()) {
          for (TableMove m : tables) {
            m.describeTarget(t, targetSchema());
          }
          start = state.prepare(t, flavor.currentPosition(s));
          priority = BackgroundPriority.detect(s, flavor);
          serverId = BinlogSubscription.unusedServerId(s);
        }
        for (TableMove t : tables) {
          long deleted = t.deleteFromWatermark(targetPool);
          if (state.resuming()) {
            err.println("spirit: resuming " + t.quoted() + ": " + (t.copyCompletedBefore() ? "copy completed"
                : "copy continues from key " + t.resumedWatermark() + (deleted > 0 ? ", " + deleted
                + " row(s) at or above it removed from the target" : "")));
          }
        }
        binlog = new BinlogSubscription(sourceEndpoint::binlogClient, tables.stream().map(TableMove::watched)
            .toList(), nameCase, start, tables.stream().map(TableMove::table).toList(), serverId);
        binlog.start(Duration.ofSeconds(30));
        List<Applier> appliers = new ArrayList<>();
        for (TableMove t : tables) {
          appliers.add(t.startApplying(sourcePool, targetPool, flavor, config.copy().writeThreads()));
        }
        ChangeDrain drain = new ChangeDrain(sourcePool, flavor, binlog, appliers, Duration.ofMinutes(5));
        MoveRunner.this.drain = drain;

        reporter.enter(Phase.COPY);
        long chunkBytes = config.copy().targetChunkSize().bytes();
        for (TableMove t : tables) {
          t.startCopy(sourcePool, chunkBytes);
        }
        checkpoints = state.writer(targetPool, binlog, lock);
        checkpoints.start();
        List<TableMove> toCopy = tables.stream().filter(t -> !t.copyCompletedBefore()).toList();
        if (!toCopy.isEmpty()) {
          Copier copier = new Copier(toCopy.stream().map(t -> t.rangeCopy(sourcePool, targetPool, writers))
              .toList(), config.copy().threads());
          new CopyPhase(copier, tables, binlog, checkpoints, lock).run(cancelled::get);
          checkCancelled();
        }
        checkpoints.write();

        reporter.enter(Phase.CATCH_UP);
        drain.catchUp();
        if (config.deferSecondaryIndexes()) {
          reporter.enter(Phase.BUILD_INDEXES);
          new IndexRestore(targetPool, targetSchema(), drain, appliers, binlog, lock).run(tables, definitions,
              cancelled::get);
        }
        try (Connection t = targetPool.getConnection(); var s = t.createStatement()) {
          for (TableMove m : tables) {
            s.execute("ANALYZE TABLE " + m.quotedTarget());
          }
        }
        checkCancelled();

        lock.checkHeld();
        reporter.enter(Phase.CHECKSUM);
        checksummer = new Checksummer(tables.stream().map(t -> t.checksumPair(sourcePool, targetPool, chunkBytes,
            priority)).toList(), LockedSnapshots.acrossServers(source, target, tables.stream().map(TableMove::source)
            .toList(), drain), config.copy().threads());
        ChecksumResult checksum = checksummer.run(cancelled::get);
        checkCancelled();

        if (gate.present()) {
          reporter.enter(Phase.WAIT_FOR_RELEASE);
          checkpoints.write();
          gate.awaitRelease(new WhileWaiting(drain, checkpoints, lock, checksummer, gate, cancelled::get,
              MoveRunner.this::interrupted, quotedTables()));
        }

        checkpoints.checkHealthy();
        checkpoints.write();
        checkpoints.close();
        reporter.enter(Phase.CUTOVER);
        drain.catchUp();
        lock.verifyHeld();
        Map<String, String> sourceDefinitions = new HashMap<>();
        tables.forEach(t -> sourceDefinitions.put(t.table(), t.definition()));
        CutoverResult result = new Cutover(CutoverStrategy.forTables(flavor, tables.size()), 100).run(
            new CutoverPlan(source, sourceSchema(), tables.stream().map(TableMove::swap).toList(), drain, binlog,
                sourceDefinitions, new TargetFinish(targetPool, tables, config.cutoverHook(), err), id -> { }));
        cutOver = true;
        binlog.close();
        state.dropCheckpoint(targetPool);
        reporter.enter(Phase.DONE);
        err.println(summary(checksum, result));
        status.completed(RunSummary.result("COPY", tables, checksum, result.lockedMillis(),
            result.oldTables().stream().map(n -> Identifiers.quote(sourceSchema(), n)).toList(), Throttler.NONE,
            state.resuming()), reporter.phaseTimes());
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
        Workers.stop(writers);
        tables.forEach(TableMove::close);
        if (!cutOver) {
          if (!(failure instanceof SpiritException e && e.code() == ErrorCode.LOCK_LOST)) {
            gate.markStopped(cancelled.get() ? "cancelled" : stopReason);
          }
          err.println(state.cleanUp(targetPool, keepsState(failure), quotedTables()));
        }
      }
    }
  }

  /**
   * A failed move keeps the target for a resume unless it was cancelled (Ctrl-C removes what the run created, as a
   * migration does), or a moved table's definition changed (a resume would copy into the old definition).
   */
  private boolean keepsState(Throwable failure) {
    if (cancelled.get()) {
      return false;
    }
    return !(failure instanceof SpiritException e && (e.code() == ErrorCode.SCHEMA_CHANGED
        || e.code() == ErrorCode.INTERRUPTED));
  }

  private String summary(ChecksumResult checksum, CutoverResult result) {
    StringBuilder sb = new StringBuilder("spirit: moved " + quotedTables() + " to " + config.target().address()
        + "/" + targetSchema() + " in " + ProgressReporter.format(reporter.elapsed()));
    sb.append(RunSummary.tableLines(tables));
    sb.append(String.format(Locale.ROOT, "%n  checksum: %,d rows in %,d chunks, %d repaired, %d pass(es), clean;"
        + " writes held %d ms to start it", checksum.rowsChecked(), checksum.chunksChecked(),
        checksum.chunksRepaired(), checksum.passes(), checksum.longestWriteHoldMillis()));
    sb.append("\n  cutover: writes held ").append(result.lockedMillis() < 0 ? "for an unknown time"
        : result.lockedMillis() + " ms").append("; the source tables are kept as ")
        .append(String.join(", ", result.oldTables().stream().map(n -> "`" + sourceSchema() + "`.`" + n + "`")
            .toList()));
    return sb.append(RunSummary.phaseTimes(reporter)).toString();
  }

  private Progress progress() {
    return RunSummary.progress(reporter, tables, checksummer, drain, gate, Throttler.NONE);
  }
}
