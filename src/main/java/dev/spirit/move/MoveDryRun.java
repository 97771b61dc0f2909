package dev.spirit.move;

import dev.spirit.config.MoveConfig;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.Database;
import dev.spirit.db.Endpoint;
import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.error.ExitCode;
import dev.spirit.sentinel.SentinelTable;
import dev.spirit.status.Json;
import dev.spirit.status.StatusStream;
import dev.spirit.table.Column;
import dev.spirit.table.CreateTable;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code spirit move --dry-run}: the move's checks on both servers ({@link MoveInspection}, the advisory locks, the
 * blockers, the resume decision), a proof that the target takes each definition the run would create, then the plan.
 * Neither server is changed: the definitions are tried as temporary tables of one session, which ROW binlogging does
 * not log, and the copy's rate is measured by reading a sample of each table from the source.
 */
final class MoveDryRun {
  static final int SAMPLE_ROWS = 10_000;

  private MoveDryRun() {}

  static int run(MoveConfig config, PrintStream err, StatusStream status) {
    try {
      return plan(config, err, status);
    } catch (SQLException e) {
      throw dev.spirit.error.SpiritException.sql(dev.spirit.error.ErrorCode.SQL_FAILED, "the dry run failed", e,
          null);
    }
  }

  private static int plan(MoveConfig config, PrintStream err, StatusStream status) throws SQLException {
    Database source = new Endpoint(MoveRunner.settings(config.source(), config)).database(
        config.cutover().lockWaitTimeout());
    Database target = new Endpoint(MoveRunner.settings(config.target(), config)).database(
        config.cutover().lockWaitTimeout());
    MoveInspection inspection = MoveInspection.of(source, target, config);
    List<TableMove> tables = inspection.tables();
    String targetSchema = config.target().schema();
    List<String> lines = new ArrayList<>();
    Json plan = Json.object().put("source", config.source().address() + "/" + config.source().schema() + " ("
        + inspection.flavor().version() + ")").put("target", config.target().address() + "/" + targetSchema);
    try (Connection s = source.connect(); Connection t = target.connect()) {
      AdvisoryLock.checkFree(s, inspection.lockClaims());
      List<String> blockers = MetadataLockBlockers.missing(inspection.flavor(), s, false);
      plan.put("blockers", Json.object().put("canEnd", blockers.isEmpty()).put("missing", List.copyOf(blockers)));
      if (!blockers.isEmpty()) {
        lines.add("blocking sessions cannot be ended: " + String.join("; ", blockers));
      }
      MoveState state = new MoveState(targetSchema, tables, MoveRunner.description(config, tables),
          config.deferSecondaryIndexes());
      MoveState.Assessment start = state.assess(s, t, config.checkpointMaxAge(), inspection.match());
      if (start.kind() == MoveState.Assessment.Kind.PROBLEM && !config.force()) {
        throw state.refusal(start.problem());
      }
      String checkpoint = Identifiers.quote(targetSchema, MoveState.CHECKPOINT);
      plan.put("start", Json.object().put("kind", start.kind().name()).put("description",
          start.describe(config.force(), checkpoint))).put("checkpoint", checkpoint);
      lines.add("start: " + start.describe(config.force(), checkpoint));
      // A resume creates nothing; a fresh move creates the missing tables; dropping what stands there recreates all.
      List<String> created = new ArrayList<>();
      List<CreateTable> definitions = new ArrayList<>();
      for (int i = 0; i < tables.size(); i++) {
        boolean creates = switch (start.kind()) {
          case RESUME -> false;
          case FRESH -> !TableInfo.exists(t, targetSchema, tables.get(i).table());
          case EMPTY_CHECKPOINT, PROBLEM -> true;
        };
        if (creates) {
          created.add(tables.get(i).table());
          definitions.add(inspection.definitions().get(i));
        }
      }
      TargetTables.checkAccepted(t, targetSchema, created, definitions, !config.deferSecondaryIndexes());
      List<Object> planned = new ArrayList<>();
      double seconds = 0;
      for (TableMove m : tables) {
        Sample sample = sample(s, m);
        seconds += sample.estimate();
        planned.add(Json.object().put("table", m.quoted()).put("target", Identifiers.quote(targetSchema, m.table()))
            .put("rowsEstimate", m.estimatedRows()).put("created", created.contains(m.table()))
            .put("old", Identifiers.quote(config.source().schema(), m.oldName())).put("sample", sample.json()));
        lines.add(m.quoted() + ": ~" + m.estimatedRows() + " rows to " + Identifiers.quote(targetSchema, m.table())
            + (created.contains(m.table()) ? " (created; the target accepts its definition)" : "") + "; "
            + sample.description() + "; renamed to " + m.oldName() + " at the cutover");
      }
      plan.put("tables", planned).put("copySecondsEstimate", seconds)
          .put("deferSecondaryIndexes", config.deferSecondaryIndexes())
          .put("cutoverHook", config.cutoverHook() != null);
      boolean sentinelExists = SentinelTable.exists(t);
      String sentinel = Identifiers.quote(targetSchema, SentinelTable.NAME);
      String owner = MoveRunner.owner(config, tables);
      plan.put("sentinel", Json.object().put("deferCutover", config.cutover().deferCutover()).put("table", sentinel)
          .put("exists", sentinelExists).put("owner", owner));
      if (config.cutover().deferCutover()) {
        lines.add("--defer-cutover: " + (sentinelExists ? "" : "creates ") + sentinel + " with the row " + owner
            + " (copying, then ready at the wait point)");
      }
    }
    err.println("spirit: dry run of move from " + config.source().address() + " (" + inspection.flavor().version()
        + ") to " + config.target().address() + "; nothing was changed");
    lines.forEach(l -> err.println("  " + l));
    err.println("spirit: the real run would proceed (exit 0)");
    status.plan(plan);
    status.completed(Map.of("dryRun", true), Map.of());
    return ExitCode.OK.code();
  }

  /** Rows read from the source in key order, timed: the copy's read side in one stream. */
  record Sample(int rows, double seconds, double estimate) {
    Json json() {
      return Json.object().put("rows", rows).put("seconds", seconds)
          .put("rowsPerSecond", seconds > 0 ? rows / seconds : null).put("copySecondsEstimate", estimate);
    }

    String description() {
      return String.format(Locale.ROOT, "a sample of %d rows read at %.0f rows/s in one stream: about %.0f s to"
          + " read", rows, seconds > 0 ? rows / seconds : 0, estimate);
    }
  }

  static Sample sample(Connection source, TableMove m) throws SQLException {
    TableInfo info = m.source();
    String columns = info.storedColumns().stream().map(Column::quotedName)
        .collect(Collectors.joining(", "));
    String order = info.primaryKey().stream().map(Column::quotedName).collect(Collectors.joining(", "));
    long started = System.nanoTime();
    int rows = 0;
    try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SELECT " + columns + " FROM "
        + m.quoted() + " ORDER BY " + order + " LIMIT " + SAMPLE_ROWS)) {
      int width = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= width; i++) {
          rs.getBytes(i);
        }
        rows++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double estimate = rows == 0 || seconds <= 0 ? 0 : m.estimatedRows() / (rows / seconds);
    return new Sample(rows, seconds, estimate);
  }
}
