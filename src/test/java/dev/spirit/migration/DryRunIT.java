package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code migrate --dry-run} on real servers: the plan of a run that would proceed, the refusals of one that would
 * not (the real run's own message), and nothing changed on the server: the same tables, plugins and binlog position
 * before and after. Isolated, since the binlog position is the whole server's.
 */
@Isolated // acts on the whole server (docs/testing.md)
public class DryRunIT {

  /**
   * What a dry run must leave as it was on a server: the schema's tables, the loaded plugins and the binlog position
   * (none on a server without a binlog).
   */
  public static List<List<String>> state(TestDatabase db) throws SQLException {
    List<List<String>> state = new java.util.ArrayList<>(db.queryRows("SELECT TABLE_NAME, CREATE_TIME FROM"
        + " information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"));
    state.addAll(db.queryRows("SELECT PLUGIN_NAME, PLUGIN_STATUS FROM information_schema.PLUGINS ORDER BY 1"));
    for (List<String> row : db.queryRows("SHOW MASTER STATUS")) {
      state.add(List.of(row.get(0), row.get(1)));
    }
    return state;
  }

  @ServerTest
  void aRunThatWouldCopyIsPlannedAndNothingChanges(TestDatabase db) throws Exception {
    SentinelIT.table(db, "dry_copy", 5000);
    if (db.server().isMariaDb() && db.queryLong("SELECT COUNT(*) FROM information_schema.PLUGINS"
        + " WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO'") > 0) {
      // a real run loads it; the dry run must only say that it would
      db.execute("UNINSTALL SONAME 'metadata_lock_info'");
    }
    List<List<String>> before = state(db);
    StatusJsonIT.Output out = StatusJsonIT.migrate(db, "--dry-run", "--defer-cutover", "--statement",
        "ALTER TABLE dry_copy ADD INDEX (v)");
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(state(db)).as("nothing created, loaded or binlogged").isEqualTo(before);

    List<JsonNode> lines = out.lines();
    JsonNode plan = lines.get(0).path("plan");
    assertThat(lines.get(0).path("type").asText()).isEqualTo("plan");
    assertThat(plan.path("path").path("expected").asText()).isEqualTo("COPY");
    assertThat(plan.path("path").path("certain").asBoolean()).isTrue();
    JsonNode table = plan.path("tables").get(0);
    assertThat(table.path("table").asText()).contains("dry_copy");
    assertThat(table.path("shadow").asText()).isEqualTo("_dry_copy_new");
    assertThat(table.path("sample").path("rows").asInt()).isEqualTo(5000);
    assertThat(table.path("sample").path("rowsPerSecond").asDouble()).isPositive();
    assertThat(plan.path("copySecondsEstimate").isNumber()).isTrue();
    assertThat(plan.path("sentinel").path("deferCutover").asBoolean()).isTrue();
    assertThat(plan.path("sentinel").path("exists").asBoolean()).isFalse();
    JsonNode result = lines.get(lines.size() - 1);
    assertThat(result.path("outcome").asText()).isEqualTo("completed");
    assertThat(result.path("dryRun").asBoolean()).isTrue();
    assertThat(out.stderr()).contains("dry run of migrate", "the real run would proceed");
    if (db.server().isMariaDb()) {
      assertThat(plan.path("blockers").path("missing").get(0).asText()).contains("metadata_lock_info");
    }
  }

  @ServerTest
  void aChangeTheServerMayMakeDirectlyIsNotPredicted(TestDatabase db) throws Exception {
    SentinelIT.table(db, "dry_instant", 100);
    StatusJsonIT.Output out = StatusJsonIT.migrate(db, "--dry-run", "--statement",
        "ALTER TABLE dry_instant ADD COLUMN extra INT");
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    JsonNode path = out.lines().get(0).path("plan").path("path");
    assertThat(path.path("expected").isNull()).isTrue();
    assertThat(path.path("tries").get(0).asText()).isEqualTo("INSTANT");
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'dry_instant' AND COLUMN_NAME = 'extra'")).as("the column was not added").isZero();
  }

  @ServerTest
  void aRunThatWouldBeRefusedExitsThreeWithTheRealRunsMessage(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS dry_nokey", "CREATE TABLE dry_nokey (v INT)", "INSERT INTO dry_nokey VALUES (1)");
    List<List<String>> before = state(db);
    StatusJsonIT.Output dry = StatusJsonIT.migrate(db, "--dry-run", "--statement",
        "ALTER TABLE dry_nokey ADD INDEX (v)");
    assertThat(state(db)).isEqualTo(before);
    StatusJsonIT.Output real = StatusJsonIT.migrate(db, "--statement", "ALTER TABLE dry_nokey ADD INDEX (v)");
    assertThat(dry.exitCode()).isEqualTo(3).isEqualTo(real.exitCode());
    JsonNode dryResult = dry.lines().get(dry.lines().size() - 1);
    JsonNode realResult = real.lines().get(real.lines().size() - 1);
    assertThat(dryResult.path("outcome").asText()).isEqualTo("refused");
    assertThat(dryResult.path("error").path("message").asText()).contains("no primary key")
        .isEqualTo(realResult.path("error").path("message").asText());
  }

  @ServerTest
  void aChangeTheServerRejectsIsRefused(TestDatabase db) throws Exception {
    SentinelIT.table(db, "dry_bad", 10);
    List<List<String>> before = state(db);
    StatusJsonIT.Output out = StatusJsonIT.migrate(db, "--dry-run", "--statement",
        "ALTER TABLE dry_bad ADD COLUMN v INT");
    assertThat(out.exitCode()).as(out.stderr()).isEqualTo(3);
    assertThat(out.stderr()).contains("dry_bad");
    assertThat(state(db)).isEqualTo(before);
  }

  @ServerTest
  void whatAnEarlierRunLeftIsReportedAndKept(TestDatabase db) throws Exception {
    SentinelIT.table(db, "dry_left", 100);
    db.execute("DROP TABLE IF EXISTS _dry_left_new", "CREATE TABLE _dry_left_new LIKE dry_left");
    List<List<String>> before = state(db);
    StatusJsonIT.Output out = StatusJsonIT.migrate(db, "--dry-run", "--statement",
        "ALTER TABLE dry_left ADD INDEX (v)");
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    JsonNode start = out.lines().get(0).path("plan").path("start");
    assertThat(start.path("resumes").asBoolean()).isFalse();
    assertThat(start.path("description").asText()).startsWith("starts afresh and drops");
    assertThat(out.stderr()).doesNotContain("discarding");
    assertThat(state(db)).as("the earlier run's shadow is kept").isEqualTo(before);
    db.execute("DROP TABLE _dry_left_new");
  }
}
