package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.cli.EngineHandlers;
import dev.spirit.cli.Main;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The automation contract (docs/sentinel.md, scenario 30): {@code spirit sentinel status} is ready only when every
 * run is ready and alive, and {@code spirit sentinel release} releases only then.
 */
public class SentinelAdminIT {

  public record Result(int exitCode, String out) {}

  /** {@code spirit sentinel <command>} in this process against the test schema; its stdout and stderr. */
  public static Result sentinel(TestDatabase db, String command, String... extra) {
    List<String> args = new ArrayList<>(List.of("sentinel", command, "--host", db.server().hostAndPort(),
        "--username", db.server().user(), "--password", db.server().password(), "--database", db.schema()));
    args.addAll(List.of(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(),
        new EngineHandlers(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, false),
        args.toArray(String[]::new));
    return new Result(code, out.toString(StandardCharsets.UTF_8) + err);
  }


  /** {@code sentinel status --status-format json}: stdout is exactly one JSON object, whose exit code is the run's. */
  private static com.fasterxml.jackson.databind.JsonNode statusJson(TestDatabase db, int exitCode) throws Exception {
    Result r = sentinel(db, "status", "--status-format", "json");
    assertThat(r.exitCode()).as(r.out()).isEqualTo(exitCode);
    assertThat(r.out().strip().lines()).as(r.out()).hasSize(1);
    com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(r.out());
    assertThat(node.path("v").asInt()).isEqualTo(1);
    assertThat(node.path("command").asText()).isEqualTo("sentinel status");
    assertThat(node.path("exitCode").asInt()).isEqualTo(exitCode);
    return node;
  }

  @ServerTest
  void releasesOnlyWhenEveryRunIsReadyAndAlive(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "DROP TABLE IF EXISTS fast", "DROP TABLE IF EXISTS slow",
        "CREATE TABLE fast (id INT PRIMARY KEY, v INT)", "INSERT INTO fast VALUES (1, 1), (2, 2)",
        "CREATE TABLE slow (id INT PRIMARY KEY, v INT)",
        "INSERT INTO slow SELECT seq, seq FROM (" + ChunkerIT.numbers(9999) + ") n",
        "INSERT INTO slow SELECT id + 10000, v FROM slow");
    assertThat(sentinel(db, "status").exitCode()).as("no sentinel").isEqualTo(1);
    assertThat(statusJson(db, 1).path("shape").asText()).isEqualTo("ABSENT");

    SentinelRun a = new SentinelRun(db, "ALTER TABLE fast ADD INDEX (v)", true, Duration.ofMinutes(5),
        SentinelFaults.NONE);
    a.await("fast ready", () -> "ready".equals(SentinelRun.status(db, a.owner)));
    SentinelRun b = new SentinelRun(db, "ALTER TABLE slow ADD INDEX (v)", true, Duration.ofMinutes(5),
        SentinelFaults.NONE);
    b.await("slow registered", () -> "copying".equals(SentinelRun.status(db, b.owner)));

    Result notReady = sentinel(db, "status");
    assertThat(notReady.exitCode()).isEqualTo(1);
    assertThat(notReady.out()).contains(a.owner).contains(b.owner).contains("NOT READY").contains("copying");
    com.fasterxml.jackson.databind.JsonNode notReadyJson = statusJson(db, 1);
    assertThat(notReadyJson.path("ready").asBoolean()).isFalse();
    assertThat(notReadyJson.path("notReadyBecause").asText()).contains(b.owner);
    assertThat(notReadyJson.path("runs").findValuesAsText("status")).containsExactlyInAnyOrder("ready", "copying");
    Result refused = sentinel(db, "release");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).contains("not released").contains(b.owner);
    assertThat(a.done).isNotDone();

    b.await("slow ready", () -> "ready".equals(SentinelRun.status(db, b.owner)));
    Result ready = sentinel(db, "status");
    assertThat(ready.exitCode()).as(ready.out()).isZero();
    assertThat(ready.out()).contains("READY");
    com.fasterxml.jackson.databind.JsonNode readyJson = statusJson(db, 0);
    assertThat(readyJson.path("ready").asBoolean()).isTrue();
    assertThat(readyJson.path("runs").findValuesAsText("owner")).containsExactlyInAnyOrder(a.owner, b.owner);
    Result released = sentinel(db, "release");
    assertThat(released.exitCode()).as(released.out()).isZero();
    assertThat(a.outcome()).as(a.output()).isNull();
    assertThat(b.outcome()).as(b.output()).isNull();
  }

  @ServerTest
  void releasesOneOwnerAndRefusesStaleOrUnknownOnes(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "DROP TABLE IF EXISTS one",
        "CREATE TABLE one (id INT PRIMARY KEY, v INT)", "INSERT INTO one VALUES (1, 1)");
    SentinelRun run = new SentinelRun(db, "ALTER TABLE one ADD INDEX (v)", true, Duration.ofMinutes(5),
        SentinelFaults.NONE);
    run.await("ready", () -> "ready".equals(SentinelRun.status(db, run.owner)));
    // A row left behind by a dead run: ready, but its heartbeat stopped long ago.
    db.execute("INSERT INTO _spirit_sentinel (owner, status, updated_at) VALUES ('migrate:gone.t', 'ready',"
        + " NOW(6) - INTERVAL 10 MINUTE)");
    Result stale = sentinel(db, "status");
    assertThat(stale.exitCode()).isEqualTo(1);
    assertThat(stale.out()).contains("migrate:gone.t").contains("heartbeat is older");
    assertThat(sentinel(db, "release").exitCode()).isEqualTo(1);
    Result unknown = sentinel(db, "release", "--owner", "migrate:nobody.t");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.out()).contains("no row for owner");
    Result mine = sentinel(db, "release", "--owner", run.owner);
    assertThat(mine.exitCode()).as(mine.out()).isZero();
    assertThat(run.outcome()).as(run.output()).isNull();
    assertThat(db.queryRows("SELECT owner FROM _spirit_sentinel")).containsExactly(List.of("migrate:gone.t"));
    db.execute("DROP TABLE _spirit_sentinel");
  }

  @ServerTest
  void aLegacySentinelIsNeverReleasedByTheTool(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "CREATE TABLE _spirit_sentinel (id INT PRIMARY KEY)");
    Result status = sentinel(db, "status");
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.out()).contains("no status column");
    Result release = sentinel(db, "release");
    assertThat(release.exitCode()).isEqualTo(1);
    assertThat(release.out()).contains("by hand");
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '_spirit_sentinel'")).isOne();
    db.execute("DROP TABLE _spirit_sentinel");
  }
}
