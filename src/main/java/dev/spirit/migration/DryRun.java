package dev.spirit.migration;

import com.zaxxer.hikari.HikariDataSource;
import dev.spirit.config.MigrateConfig;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.ExitCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelTable;
import dev.spirit.statement.AlterClause;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.status.Json;
import dev.spirit.status.StatusStream;
import dev.spirit.table.Column;
import dev.spirit.table.Identifiers;
import dev.spirit.throttle.Replicas;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code spirit migrate --dry-run}: every check the real run makes before it changes anything, then the plan. The
 * server is left as it was: no table, lock, plugin or instrument is created or turned on, nothing is written to the
 * binlog. The copy's cost is measured by copying a sample of rows into a session's temporary copy of the table, which
 * no other session sees, ROW binlogging does not log, and the session's end removes; applying the change to it also
 * proves the server accepts the change for this table.
 */
final class DryRun {
  static final int SAMPLE_ROWS = 10_000;

  private DryRun() {}

  static int migrate(MigrateConfig config, List<AlterTableStatement> statements, PrintStream err,
      StatusStream status) throws SQLException {
    Inspection inspection = Inspection.of(config, statements);
    Json plan = Json.object().put("server", inspection.flavor().version().toString());
    List<String> lines = new ArrayList<>();
    try (Connection c = inspection.database().connect()) {
      AdvisoryLock.checkFree(c, inspection.lockClaims());
      List<String> blockers = MetadataLockBlockers.missing(inspection.flavor(), c, false);
      plan.put("blockers", Json.object().put("canEnd", blockers.isEmpty()).put("missing", List.copyOf(blockers)));
      lines.add(blockers.isEmpty() ? "sessions that block the run's table locks are ended after 90 % of"
          + " --lock-wait-timeout" : "blocking sessions cannot be ended: " + String.join("; ", blockers));
    }
    try (Replicas replicas = Replicas.open(config.replicaThrottle(), config.connection(), inspection.database(),
        inspection.flavor(), "migrate")) {
      // opened only to check them, as the real run does before the fast path
    }
    try (HikariDataSource pool = inspection.database().pool("dry-run", 2)) {
      Resumption.Findings start = Resumption.inspect(pool, config, inspection.tables());
      plan.put("start", Json.object().put("resumes", start.resumes()).put("description", start.describe()));
      lines.add("start: " + start.describe());
    }
    PathPlan path = path(inspection.tables());
    plan.put("path", path.json());
    lines.add("path: " + path.description());
    List<Object> tables = new ArrayList<>();
    double seconds = 0;
    for (TableMigration t : inspection.tables()) {
      Json table = Json.object().put("table", t.quoted()).put("change", t.statement().alterText())
          .put("rowsEstimate", t.estimatedRows())
          .put("shadow", t.shadow())
          .put("old", Identifiers.helperName(t.table(), config.skipDropAfterCutover() ? "_old_<time>" : "_old"));
      Sample sample = sample(inspection, t);
      table.put("sample", sample.json());
      seconds += sample.estimate();
      tables.add(table);
      lines.add(t.quoted() + ": ~" + t.estimatedRows() + " rows; shadow " + Identifiers.quote(t.source().schema(),
          t.shadow()) + "; " + sample.description());
    }
    plan.put("tables", tables).put("checkpoint", Identifiers.helperName(inspection.tables().get(0).table(),
        "_chkpnt")).put("copySecondsEstimate", seconds);
    try (Connection c = inspection.database().connect()) {
      boolean exists = SentinelTable.exists(c);
      plan.put("sentinel", Json.object().put("deferCutover", config.cutover().deferCutover())
          .put("table", Identifiers.quote(inspection.schema(), SentinelTable.NAME)).put("exists", exists));
      if (config.cutover().deferCutover()) {
        lines.add("--defer-cutover: " + (exists ? "" : "creates ") + Identifiers.quote(inspection.schema(),
            SentinelTable.NAME) + " with this run's row (copying, then ready at the wait point); the cutover waits"
            + " until it is released, at most " + config.cutover().deferCutoverTimeout());
      }
    }
    err.println("spirit: dry run of migrate on " + inspection.flavor().version() + "; nothing was changed");
    lines.forEach(l -> err.println("  " + l));
    err.println("spirit: the real run would proceed (exit 0)");
    status.plan(plan);
    status.completed(java.util.Map.of("dryRun", true), java.util.Map.of());
    return ExitCode.OK.code();
  }

  /** The path spirit would take: {@code expected} is null when the server decides only as spirit tries. */
  record PathPlan(String expected, List<String> tries, String description) {
    Json json() {
      return Json.object().put("expected", expected).put("certain", expected != null)
          .put("tries", List.<Object>copyOf(tries)).put("description", description);
    }
  }

  /** A measured sample of the copy, or why none was measured ({@code rows} -1). */
  record Sample(int rows, double seconds, double rowsPerSecond, double estimate, String description) {
    Json json() {
      return Json.object().put("rows", rows < 0 ? null : rows).put("seconds", rows < 0 ? null : seconds)
          .put("rowsPerSecond", rows < 0 ? null : rowsPerSecond)
          .put("copySecondsEstimate", rows < 0 ? null : estimate).put("description", description);
    }
  }

  /** The path spirit would take, certain only where a clause rules the fast path out. */
  static PathPlan path(List<TableMigration> tables) {
    if (tables.size() > 1) {
      return new PathPlan("COPY", List.of("COPY"), "shadow-table copy: several tables are swapped in one cutover");
    }
    AlterTableStatement st = tables.get(0).statement();
    List<AlterClause> copied = st.alwaysCopied();
    if (!copied.isEmpty()) {
      return new PathPlan("COPY", List.of("INSTANT", "COPY"), "shadow-table copy: " + copied.stream()
          .map(c -> c.kind().name()).distinct().collect(Collectors.joining(", "))
          + " cannot be done without rebuilding the table");
    }
    List<String> tries = new ArrayList<>(List.of("INSTANT"));
    if (st.isInplaceSafe()) {
      tries.add("INPLACE");
    }
    tries.add("COPY");
    return new PathPlan(null, tries, "spirit tries " + String.join(", then ", tries) + "; whether the server can"
        + " make this change without a copy is known only when it tries");
  }

  /**
   * Copies up to {@link #SAMPLE_ROWS} rows into a session's temporary copy of the table, then applies the change to
   * it; the rate gives a one-stream estimate of the copy.
   */
  static Sample sample(Inspection inspection, TableMigration t) throws SQLException {
    String temp = Identifiers.quote(t.source().schema(), Identifiers.helperName(t.table(), "_dry"));
    String columns = t.source().storedColumns().stream().map(Column::quotedName)
        .collect(Collectors.joining(", "));
    try (Connection c = inspection.database().connect(); Statement s = c.createStatement()) {
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        s.execute("CREATE TEMPORARY TABLE " + temp + " LIKE " + t.quoted());
      } catch (SQLException e) {
        return new Sample(-1, 0, 0, 0, "copy time not measured: the session's temporary table could not be"
            + " created (" + e.getMessage() + ")");
      }
      try {
        long started = System.nanoTime();
        int rows = s.executeUpdate("INSERT INTO " + temp + " (" + columns + ") SELECT " + columns + " FROM "
            + t.quoted() + " ORDER BY " + t.source().primaryKey().stream().map(Column::quotedName)
            .collect(Collectors.joining(", ")) + " LIMIT " + SAMPLE_ROWS);
        double took = (System.nanoTime() - started) / 1e9;
        try {
          s.execute("ALTER TABLE " + temp + " " + t.statement().alterText());
        } catch (SQLException e) {
          throw new SpiritException(ErrorCode.UNSUPPORTED_STATEMENT, "refusing to migrate " + t.quoted() + ": the"
              + " server rejects the change on a copy of the table (" + e.getErrorCode() + " " + e.getMessage()
              + "); the real run would fail when it sets up the shadow table");
        }
        double rate = rows == 0 || took <= 0 ? 0 : rows / took;
        double estimate = rate == 0 ? 0 : t.estimatedRows() / rate;
        return new Sample(rows, took, rate, estimate, String.format(java.util.Locale.ROOT,
            "a sample of %d rows copied at %.0f rows/s in one stream: about %.0f s to copy", rows, rate, estimate));
      } finally {
        s.execute("DROP TEMPORARY TABLE IF EXISTS " + temp);
      }
    }
  }
}
