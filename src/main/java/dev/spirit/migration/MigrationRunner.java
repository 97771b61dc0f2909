package dev.spirit.migration;

import com.zaxxer.hikari.HikariDataSource;
import dev.spirit.applier.Applier;
import dev.spirit.applier.ChangeDrain;
import dev.spirit.applier.DdlWhileApplying;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.checkpoint.CheckpointWriter;
import dev.spirit.checksum.ChecksumResult;
import dev.spirit.checksum.Checksummer;
import dev.spirit.checksum.LockedSnapshots;
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
import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.db.ServerFlavor;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.sentinel.SentinelGate;
import dev.spirit.sentinel.SentinelTable;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.status.MetricsEndpoint;
import dev.spirit.status.Phase;
import dev.spirit.status.Progress;
import dev.spirit.status.ProgressReporter;
import dev.spirit.status.StatusStream;
import dev.spirit.table.Identifiers;
import dev.spirit.table.NameCase;
import dev.spirit.throttle.Replicas;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code spirit migrate} of one or several tables by shadow-table copy, from preflight to summary. It composes
 * the engine's parts over one {@link TableMigration} per table and keeps no table's state itself; each phase's rules
 * live in its package. Several tables are copied together and swapped in one atomic cutover. Until the cutover starts
 * the originals stay exactly as they were; a failure drops the shadow and checkpoint tables, except the failures a
 * re-run can resume from (see {@link Resumption#keepsStateAfter}).
 */
public final class MigrationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);
  static final DateTimeFormatter OLD_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
  static final Duration SENTINEL_HEARTBEAT = Duration.ofSeconds(5);
  static final Duration SENTINEL_PROBE_BUDGET = Duration.ofMinutes(5);
  /** The sentinel's owner column holds 255 characters. */
  static final int MAX_OWNER = 255;

  private final MigrateConfig config;
  /** As parsed; the tables are looked up as the server names them in preflight. */
  private final List<AlterTableStatement> statements;
  private final PrintStream err;
  private final boolean liveProgress;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final ZonedDateTime startedAt = ZonedDateTime.now(ZoneOffset.UTC);

  private volatile List<TableMigration> tables = List.of();
  private volatile Checksummer checksummer;
  private volatile ChangeDrain drain;
  private volatile ProgressReporter reporter;
  private volatile SentinelGate gate;
  private volatile Replicas replicas = Replicas.none();
  private volatile BackgroundPriority priority = BackgroundPriority.normal("not decided yet");
  private volatile SentinelFaults faults = SentinelFaults.NONE;
  private volatile StatusStream status = StatusStream.off();

  public MigrationRunner(MigrateConfig config, List<AlterTableStatement> statements, PrintStream err,
      boolean liveProgress) {
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("a migration needs at least one statement");
    }
    this.config = config;
    this.statements = List.copyOf(statements);
    this.err = err;
    this.liveProgress = liveProgress;
  }

  public MigrationRunner(MigrateConfig config, AlterTableStatement statement, PrintStream err, boolean liveProgress) {
    this(config, List.of(statement), err, liveProgress);
  }

  /** Where the run's machine-readable status goes (off unless {@code --status-format json}). */
  public MigrationRunner withStatus(StatusStream status) {
    this.status = status;
    return this;
  }

  /** The time of each phase so far; empty before the run began. */
  public Map<Phase, Duration> phaseTimes() {
    ProgressReporter r = reporter;
    return r == null ? Map.of() : r.phaseTimes();
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
      throw interrupted();
    }
  }

  private SpiritException interrupted() {
    return new SpiritException(ErrorCode.INTERRUPTED, "interrupted; " + quotedTables() + isOrAre() + " unchanged");
  }

  private String schema() {
    return statements.get(0).schema();
  }

  /** The tables, quoted as the server names them once preflight found them, else as given. */
  private String quotedTables() {
    List<TableMigration> found = tables;
    return found.isEmpty()
        ? statements.stream().map(st -> Identifiers.quote(st.schema(), st.table())).collect(Collectors.joining(", "))
        : found.stream().map(TableMigration::quoted).collect(Collectors.joining(", "));
  }

  private String isOrAre() {
    return statements.size() == 1 ? " is" : " are";
  }

  public void run() throws SQLException, InterruptedException {
    try (ProgressReporter progress = new ProgressReporter(err, liveProgress, this::progress, status);
        MetricsEndpoint metrics = MetricsEndpoint.start(config.reporting().metricsListen(), progress, err)) {
      reporter = progress;
      Inspection inspection = Inspection.of(config, statements);
      tables = inspection.tables();
      Endpoint endpoint = inspection.endpoint();
      Database database = inspection.database();
      ServerFlavor flavor = inspection.flavor();
      NameCase nameCase = inspection.nameCase();
      for (TableMigration t : tables) {
        err.println("spirit: migrating " + t.quoted() + " on " + flavor.version() + " (~" + t.estimatedRows()
            + " rows): " + t.statement().alterText());
      }
      int poolSize = config.copy().threads() + config.copy().writeThreads() + 4;
      try (HikariDataSource pool = database.pool("main", poolSize);
          AdvisoryLock lock = AdvisoryLock.acquire(database, inspection.lockClaims())) {
        checkCancelled();
        try (Connection c = database.connect()) {
          database.endBlockersWith(MetadataLockBlockers.enable(database, flavor, c));
        }
        // Checked before the fast path too: a replica given and not usable is refused, whatever the change.
        try (Replicas replicas = Replicas.open(config.replicaThrottle(), config.connection(), database, flavor,
            "migrate")) {
          this.replicas = replicas;
          if (tables.size() == 1 && fastPath(database, pool)) {
            return;
          }
          tables.forEach(t -> Preflight.refuseCopyOfPartitionData(t.statement()));
          Resumption resumption = Resumption.decide(pool, config, tables);
          try (SentinelGate gate = new SentinelGate(database, schema(), owner(), SENTINEL_HEARTBEAT,
              config.cutover().deferCutoverTimeout(), SENTINEL_PROBE_BUDGET, faults)) {
            this.gate = gate;
            resumption.openGate(gate); // before any other work, so a stale ready is reset first
            copyAndSwap(database, endpoint, pool, flavor, nameCase, resumption, lock);
          }
        }
      }
    }
  }

  /** Only for one table: several must all change in one cutover, which a direct ALTER of each cannot give. */
  private boolean fastPath(Database database, HikariDataSource pool) throws SQLException {
    reporter.enter(Phase.FAST_PATH);
    var fast = FastPath.attempt(database, tables.get(0).statement());
    if (fast.isEmpty()) {
      return false;
    }
    try (Connection c = pool.getConnection()) {
      if (SentinelTable.exists(c)) {
        LOG.warn("the server made the change directly ({}), so the sentinel {}.{} was not waited on",
            fast.get().describe(), Identifiers.quote(schema()), SentinelTable.NAME);
      }
    }
    summarize(fast.get(), null, false);
    status.completed(RunSummary.result(fast.get().name(), tables, null, -1, List.of(), replicas.throttler(), false),
        reporter.phaseTimes());
    return true;
  }

  /**
   * Adds back the indexes this run or an earlier one left off the shadows during the copy, each in one online build
   * while the changes keep being applied; then checks that every shadow is what its ALTER makes.
   */
  private void restoreDeferredIndexes(DataSource pool, List<Applier> appliers, BinlogSubscription binlog,
      AdvisoryLock lock) throws SQLException, InterruptedException {
    for (TableMigration t : tables) {
      String restore;
      try (Connection c = pool.getConnection()) {
        restore = t.deferredIndexes().restoreSql(c);
      }
      if (restore == null) {
        continue;
      }
      reporter.enter(Phase.BUILD_INDEXES);
      long started = System.nanoTime();
      binlog.expectOwnStatement(restore);
      DdlWhileApplying.run(pool, restore, "adding the deferred indexes of " + t.quoted() + " back", appliers, () -> {
        lock.checkHeld();
        binlog.checkHealthy();
      }, cancelled::get);
      try (Connection c = pool.getConnection()) {
        t.deferredIndexes().verifyRestored(c);
        t.rereadShadowDefinition(c);
      }
      LOG.info("the deferred indexes of {} were built in {} ms", t.quoted(), (System.nanoTime() - started) / 1_000_000);
      drain.catchUp();
    }
  }

  private void copyAndSwap(Database database, Endpoint endpoint, HikariDataSource pool, ServerFlavor flavor,
      NameCase nameCase, Resumption resumption, AdvisoryLock lock) throws SQLException, InterruptedException {
    String oldSuffix = config.skipDropAfterCutover() ? "_old_" + startedAt.format(OLD_SUFFIX) : "_old";
    List<String> oldNames = tables.stream().map(t -> Identifiers.helperName(t.table(), oldSuffix)).toList();
    boolean swapped = false;
    String stopReason = "failed before cutover";
    BinlogSubscription binlog = null;
    CheckpointWriter checkpoints = null;
    Throwable failure = null;
    try {
      reporter.enter(Phase.SETUP);
      BinlogPosition start;
      long serverId;
      try (Connection c = pool.getConnection()) {
        for (TableMigration t : tables) {
          t.planIndexes(c, config.deferSecondaryIndexes(), resumption.resuming());
        }
        start = resumption.prepare(c, flavor);
        for (TableMigration t : tables) {
          t.describe(c);
          SessionZone.verify(t.mapping(), database.utc());
        }
        priority = BackgroundPriority.detect(c, flavor);
        serverId = BinlogSubscription.unusedServerId(c);
      }
      err.println("spirit: the copy and the checksum's reads run at " + priority.description());
      List<String> watchedForDdl = new ArrayList<>();
      tables.forEach(t -> watchedForDdl.addAll(List.of(t.table(), t.shadow())));
      binlog = new BinlogSubscription(endpoint::binlogClient, tables.stream().map(TableMigration::watched).toList(),
          nameCase, start, watchedForDdl, serverId);
      binlog.start(Duration.ofSeconds(30));
      List<Applier> appliers = new ArrayList<>();
      for (TableMigration t : tables) {
        appliers.add(t.startApplying(pool, flavor, database.utc(), config.copy().writeThreads()));
      }
      ChangeDrain drain = new ChangeDrain(pool, flavor, binlog, appliers, Duration.ofMinutes(5));
      this.drain = drain;

      reporter.enter(Phase.COPY);
      long chunkBytes = config.copy().targetChunkSize().bytes();
      for (TableMigration t : tables) {
        t.startCopy(pool, chunkBytes);
      }
      checkpoints = resumption.writer(pool, binlog, lock);
      checkpoints.start();
      if (!resumption.copyCompleted()) {
        List<TableMigration> toCopy = tables.stream().filter(t -> !t.copyCompletedBefore()).toList();
        Copier copier = new Copier(toCopy.stream().map(t -> t.rangeCopy(pool, priority)).toList(),
            config.copy().threads(), replicas.throttler());
        new CopyPhase(copier, tables, binlog, checkpoints, lock).run(cancelled::get);
        checkCancelled();
      }
      checkpoints.write();

      reporter.enter(Phase.CATCH_UP);
      drain.catchUp();
      restoreDeferredIndexes(pool, appliers, binlog, lock);
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        for (TableMigration t : tables) {
          s.execute("ANALYZE TABLE " + Identifiers.quote(schema(), t.shadow()));
        }
      }
      checkCancelled();

      lock.checkHeld();
      reporter.enter(Phase.CHECKSUM);
      checksummer = new Checksummer(tables.stream().map(t -> t.checksumPair(pool, chunkBytes, priority)).toList(),
          LockedSnapshots.sameServer(database, tables.stream().map(TableMigration::source).toList(), drain),
          config.copy().threads());
      ChecksumResult checksum = checksummer.run(cancelled::get);
      checkCancelled();

      if (gate.present()) {
        reporter.enter(Phase.WAIT_FOR_RELEASE);
        checkpoints.write();
        gate.awaitRelease(new WhileWaiting(drain, checkpoints, lock, checksummer, gate, cancelled::get,
            this::interrupted, quotedTables()));
      }

      replicas.checkHealthy("the cutover");
      checkpoints.checkHealthy();
      checkpoints.close(); // none once the cutover starts: the shadows are about to become the tables
      reporter.enter(Phase.CUTOVER);
      drain.catchUp();
      if (!config.skipDropAfterCutover()) {
        oldNames.forEach(name -> dropQuietly(pool, name));
      }
      lock.verifyHeld();
      List<CutoverPlan.Swap> swaps = new ArrayList<>();
      Map<String, String> definitions = new HashMap<>();
      for (int i = 0; i < tables.size(); i++) {
        swaps.add(tables.get(i).swap(oldNames.get(i)));
        definitions.putAll(tables.get(i).definitions());
      }
      CutoverResult cutover = new Cutover(CutoverStrategy.forTables(flavor, tables.size()), 100).run(new CutoverPlan(database,
          schema(), swaps, drain, binlog, definitions));
      long lockedMillis = cutover.lockedMillis();
      oldNames = cutover.oldTables();
      swapped = true;
      binlog.close();
      resumption.dropCheckpoint(pool);

      reporter.enter(Phase.CLEANUP);
      if (!config.skipDropAfterCutover()) {
        oldNames.forEach(name -> dropQuietly(pool, name));
      }
      List<String> keptOld = config.skipDropAfterCutover()
          ? oldNames.stream().map(n -> Identifiers.quote(schema(), n)).toList() : List.of();
      summarize(FastPath.Path.COPY, checksum, true);
      err.println(RunSummary.holdsAndOldTables(quotedTables(), checksum, lockedMillis, keptOld));
      status.completed(RunSummary.result(FastPath.Path.COPY.name(), tables, checksum, lockedMillis, keptOld,
          replicas.throttler(), resumption.resuming()), reporter.phaseTimes());
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
      tables.forEach(TableMigration::close);
      if (!swapped) {
        if (!(failure instanceof SpiritException e && e.code() == ErrorCode.LOCK_LOST)) {
          gate.markStopped(cancelled.get() ? "cancelled" : stopReason); // not another run's row
        }
        err.println(resumption.cleanUpAfterFailure(pool, failure, binlog, cancelled.get()));
      }
    }
  }

  /**
   * This run's row in the sentinel: {@code migrate:<schema>.<table>}, or for several tables
   * {@code migrate:<schema>.<a>,<b>,…}; a list too long for the column is cut and ends in a hash of the whole, so a
   * re-run of the same statement finds the same row.
   */
  String owner() {
    String owner = "migrate:" + schema() + "." + statements.stream().map(AlterTableStatement::table)
        .collect(Collectors.joining(","));
    if (owner.length() <= MAX_OWNER) {
      return owner;
    }
    String hash = "…#" + Integer.toHexString(owner.hashCode());
    return owner.substring(0, MAX_OWNER - hash.length()) + hash;
  }

  private Progress progress() {
    return RunSummary.progress(reporter, tables, checksummer, drain, gate, replicas.throttler());
  }

  private void summarize(FastPath.Path path, ChecksumResult checksum, boolean copied) {
    reporter.enter(Phase.DONE);
    err.println(RunSummary.of(quotedTables(), path, copied ? tables : List.of(), checksum, reporter)
        + RunSummary.throttled(replicas.throttler()));
  }

  private void dropQuietly(HikariDataSource pool, String table) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + Identifiers.quote(schema(), table));
    } catch (SQLException e) {
      LOG.warn("could not drop {}: {}", Identifiers.quote(schema(), table), e.getMessage());
    }
  }
}
