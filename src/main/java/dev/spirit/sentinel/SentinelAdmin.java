package dev.spirit.sentinel;

import dev.spirit.config.SentinelRequest;
import dev.spirit.db.Database;
import dev.spirit.db.Endpoint;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.ExitCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelTable.Shape;
import dev.spirit.config.StatusFormat;
import dev.spirit.status.Json;
import dev.spirit.status.ProgressReporter;
import dev.spirit.status.StatusStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What automation runs: {@code spirit sentinel status} (is every run in the schema ready and alive?) and
 * {@code spirit sentinel release} (release only if so, checked and released so that no run can turn not-ready in
 * between). The contract is in docs/sentinel.md.
 */
public final class SentinelAdmin {
  private final SentinelRequest request;
  private final Database database;

  public SentinelAdmin(SentinelRequest request) {
    this.request = request;
    this.database = new Endpoint(request.connection()).database(Duration.ofSeconds(10));
  }

  /** One run's row, with the age of its heartbeat as the server measures it. */
  record Row(String owner, String status, double ageSeconds, String host, String reason) {
    boolean readyAndFresh(Duration maxAge) {
      return SentinelTable.READY.equals(status) && ageSeconds <= maxAge.toMillis() / 1000.0;
    }
  }

  /** Prints each run's row on {@code out}; exit 0 only when the schema is ready to release. */
  public int status(PrintStream out) throws SQLException {
    try (Connection c = database.connect()) {
      Shape shape = SentinelTable.shape(c);
      if (request.statusFormat() == StatusFormat.JSON) {
        return statusJson(shape, shape == Shape.PER_OWNER ? rows(c) : List.of(), out);
      }
      out.println("sentinel " + location() + ": " + describe(shape));
      if (shape != Shape.PER_OWNER) {
        return ExitCode.RUNTIME_FAILURE.code();
      }
      List<Row> rows = rows(c);
      out.printf(Locale.ROOT, "%-40s %-8s %-12s %s%n", "owner", "status", "heartbeat", "host / reason");
      for (Row r : rows) {
        out.printf(Locale.ROOT, "%-40s %-8s %-12s %s%n", r.owner().isEmpty() ? "''" : r.owner(), r.status(),
            ProgressReporter.format(Duration.ofMillis((long) (r.ageSeconds() * 1000))) + " ago",
            (r.host() == null ? "" : r.host()) + (r.reason() == null ? "" : "  " + r.reason()));
      }
      String verdict = verdict(rows);
      out.println(verdict == null ? "READY: every run is ready and alive; the sentinel may be released"
          : "NOT READY: " + verdict);
      return verdict == null ? ExitCode.OK.code() : ExitCode.RUNTIME_FAILURE.code();
    }
  }

  /**
   * {@code sentinel status --status-format json}: one object, the verdict and every run's row, with the exit code the
   * text form has (docs/status.md).
   */
  private int statusJson(Shape shape, List<Row> rows, PrintStream out) {
    String verdict = shape == Shape.PER_OWNER ? verdict(rows) : "sentinel " + location() + " " + describe(shape);
    int code = verdict == null ? ExitCode.OK.code() : ExitCode.RUNTIME_FAILURE.code();
    out.println(Json.object().put("v", StatusStream.VERSION).put("type", "sentinel").put("command",
        "sentinel status").put("location", location()).put("shape", shape.name()).put("ready", verdict == null)
        .put("notReadyBecause", verdict).put("maxAgeSeconds", request.maxAge().toSeconds())
        .put("runs", rows.stream().map(r -> (Object) Json.object().put("owner", r.owner()).put("status", r.status())
            .put("heartbeatAgeSeconds", r.ageSeconds()).put("host", r.host()).put("reason", r.reason())
            .put("readyAndAlive", r.readyAndFresh(request.maxAge()))).toList())
        .put("exitCode", code));
    out.flush();
    return code;
  }

  /**
   * Releases the whole schema (drops the sentinel) or one owner's run (deletes its row), only if ready and fresh. The
   * check and the release happen under a write lock on the sentinel (or in one DELETE for an owner), so a run's
   * status change waits for the decision and cannot slip between check and release.
   */
  public int release(PrintStream out) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      Shape shape = SentinelTable.shape(c);
      if (shape != Shape.PER_OWNER) {
        out.println("not released: sentinel " + location() + " " + describe(shape)
            + (shape == Shape.ABSENT ? "" : "; readiness cannot be judged, release it by hand if you are sure"));
        return ExitCode.RUNTIME_FAILURE.code();
      }
      if (request.owner().isPresent()) {
        return releaseOwner(c, request.owner().get(), out);
      }
      s.execute("LOCK TABLES " + SentinelTable.NAME + " WRITE");
      try {
        String verdict = verdict(rows(c));
        if (verdict != null) {
          out.println("not released: " + verdict);
          return ExitCode.RUNTIME_FAILURE.code();
        }
        s.execute("DROP TABLE " + SentinelTable.NAME);
        out.println("released: dropped " + location() + "; every waiting run now cuts over");
        return ExitCode.OK.code();
      } finally {
        s.execute("UNLOCK TABLES");
      }
    }
  }

  private int releaseOwner(Connection c, String owner, PrintStream out) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SentinelTable.NAME + " WHERE owner = ?"
        + " AND status = 'ready' AND updated_at > NOW(6) - INTERVAL ? MICROSECOND")) {
      ps.setString(1, owner);
      ps.setLong(2, request.maxAge().toNanos() / 1000);
      if (ps.executeUpdate() == 1) {
        out.println("released: deleted the row of " + owner + " in " + location() + "; that run now cuts over");
        return ExitCode.OK.code();
      }
    }
    List<Row> mine = rows(c).stream().filter(r -> r.owner().equals(owner)).toList();
    out.println("not released: " + (mine.isEmpty() ? "no row for owner " + owner
        : owner + " is " + mine.get(0).status() + " with a heartbeat "
            + ProgressReporter.format(Duration.ofMillis((long) (mine.get(0).ageSeconds() * 1000))) + " old"));
    return ExitCode.RUNTIME_FAILURE.code();
  }

  /** Null when the schema is ready to release, else why not. */
  private String verdict(List<Row> rows) {
    if (rows.isEmpty()) {
      return "the sentinel has no rows: no run has registered";
    }
    List<String> problems = new ArrayList<>();
    for (Row r : rows) {
      if (!r.readyAndFresh(request.maxAge())) {
        problems.add((r.owner().isEmpty() ? "''" : r.owner()) + " is " + r.status()
            + (r.ageSeconds() > request.maxAge().toSeconds() ? " and its heartbeat is older than "
                + ProgressReporter.format(request.maxAge()) : ""));
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private List<Row> rows(Connection c) throws SQLException {
    List<Row> rows = new ArrayList<>();
    java.util.Set<String> columns = SentinelTable.columns(c);
    String sql = "SELECT owner, status, TIMESTAMPDIFF(MICROSECOND, updated_at, NOW(6)) / 1e6, "
        + (columns.contains("host") ? "host" : "NULL") + ", " + (columns.contains("reason") ? "reason" : "NULL")
        + " FROM " + SentinelTable.NAME + " ORDER BY owner";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(new Row(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4), rs.getString(5)));
      }
    }
    return rows;
  }

  private static String describe(Shape shape) {
    return switch (shape) {
      case ABSENT -> "does not exist";
      case LEGACY -> "has no status column (made by hand or by upstream Spirit)";
      case SHARED_ROW -> "has a status column but no owner column (one shared row)";
      case PER_OWNER -> "present";
    };
  }

  private String location() {
    return "`" + request.connection().database() + "`." + SentinelTable.NAME;
  }

  /** Runs a request, turning SQL failures into the tool's error format. */
  public static int run(SentinelRequest request, boolean release, PrintStream out) {
    try {
      SentinelAdmin admin = new SentinelAdmin(request);
      return release ? admin.release(out) : admin.status(out);
    } catch (SQLException e) {
      throw SpiritException.sql(ErrorCode.SQL_FAILED, "reading the sentinel failed", e, null);
    }
  }
}
