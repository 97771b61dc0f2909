package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spirit.cli.EngineHandlers;
import dev.spirit.cli.Main;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code --status-format json} on real runs: every line of stdout is a JSON object of schema version 1 (read by
 * Jackson, not by the code that writes them), the phases come in order with upstream's names, status ticks carry the
 * figures, the sentinel's readiness shows while the run waits, and the last line is the result, for a run that
 * copies, one the server makes directly, and one that is refused.
 */
public class StatusJsonIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Output(int exitCode, String stdout, String stderr) {
    List<JsonNode> lines() throws Exception {
      return lines("migrate");
    }

    /** Every line of stdout, each checked for the fields every line has; the result comes last, once. */
    public List<JsonNode> lines(String command) throws Exception {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        if (!line.isBlank()) {
          JsonNode node = JSON.readTree(line);
          assertThat(node.isObject()).as(line).isTrue();
          assertThat(node.path("v").asInt()).as(line).isEqualTo(1);
          assertThat(node.path("command").asText()).isEqualTo(command);
          assertThat(node.path("elapsedSeconds").isNumber()).as(line).isTrue();
          lines.add(node);
        }
      }
      assertThat(lines).as("stdout: " + stdout).isNotEmpty();
      assertThat(lines.get(lines.size() - 1).path("type").asText()).as("the result comes last").isEqualTo("result");
      assertThat(lines.stream().filter(l -> l.path("type").asText().equals("result"))).hasSize(1);
      return lines;
    }
  }

  static Output migrate(TestDatabase db, String... args) {
    List<String> all = new ArrayList<>(List.of("migrate", "--host", db.server().hostAndPort(), "--database",
        db.schema(), "--username", db.server().user(), "--password", db.server().password(), "--threads", "2",
        "--status-format", "json"));
    all.addAll(List.of(args));
    return run(all);
  }

  /** Runs the command line in this process with the production handlers; stdout apart from everything else. */
  public static Output run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StringWriter cliErr = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(cliErr), Map.of(),
        new EngineHandlers(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false), args.toArray(String[]::new));
    return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) + cliErr);
  }

  private static List<String> phases(List<JsonNode> lines) {
    return lines.stream().filter(l -> l.path("type").asText().equals("phase")).map(l -> l.path("phase").asText())
        .distinct().collect(Collectors.toList());
  }

  @ServerTest
  void aCopyThatWaitsOnTheSentinelReportsEveryPhaseTicksAndItsResult(TestDatabase db) throws Exception {
    SentinelIT.table(db, "json_copy", 20000);
    CompletableFuture<Output> run = CompletableFuture.supplyAsync(() -> migrate(db, "--defer-cutover",
        "--statement", "ALTER TABLE json_copy ADD INDEX (v)"));
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!(SentinelIT.sentinelExists(db)
        && db.queryLong("SELECT COUNT(*) FROM _spirit_sentinel WHERE status = 'ready'") == 1)) {
      assertThat(run).isNotDone();
      assertThat(System.nanoTime()).as("the run reached its wait point").isLessThan(deadline);
      Thread.sleep(50);
    }
    Thread.sleep(6000); // at least one status tick while waiting
    db.execute("DROP TABLE _spirit_sentinel");
    Output out = run.get();
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    List<JsonNode> lines = out.lines();

    assertThat(phases(lines)).containsSubsequence("initial", "copyRows", "applyChangeset", "checksum",
        "waitingOnSentinelTable", "cutOver", "close");
    JsonNode waiting = lines.stream().filter(l -> l.path("type").asText().equals("status")
        && l.path("phase").asText().equals("waitingOnSentinelTable")).findFirst().orElseThrow();
    assertThat(waiting.path("sentinel").path("readiness").asText()).isEqualTo("ready");
    assertThat(waiting.path("sentinel").path("location").asText()).contains("_spirit_sentinel");
    assertThat(waiting.path("sentinel").path("waitingSeconds").isNumber()).isTrue();
    assertThat(waiting.path("throttle").path("throttled").asBoolean()).isFalse();
    assertThat(waiting.path("rowsTotalEstimate").asLong()).isPositive();
    assertThat(waiting.path("eta").path("state").asText()).isEqualTo("none");

    JsonNode result = lines.get(lines.size() - 1);
    assertThat(result.path("outcome").asText()).isEqualTo("completed");
    assertThat(result.path("exitCode").asInt()).isZero();
    assertThat(result.path("path").asText()).isEqualTo("COPY");
    long rows = db.queryLong("SELECT COUNT(*) FROM json_copy");
    assertThat(result.path("rowsCopied").asLong()).isEqualTo(rows);
    assertThat(result.path("rowsChecked").asLong()).isGreaterThanOrEqualTo(rows);
    assertThat(result.path("chunksRepaired").asLong()).isZero();
    assertThat(result.path("checksumStartWriteHoldMillis").isNumber()).isTrue();
    assertThat(result.path("cutoverWriteHoldMillis").isNumber()).isTrue();
    assertThat(result.path("tables").get(0).path("table").asText()).contains("json_copy");
    assertThat(result.path("phaseSeconds").path("copy").isNumber()).isTrue();
    assertThat(result.path("phaseSeconds").path("waitForRelease").asDouble()).isGreaterThan(5);
    assertThat(out.stderr()).as("the human lines stay on stderr").contains("spirit: migrated");
  }

  @ServerTest
  void aChangeTheServerMakesDirectlyReportsItsPath(TestDatabase db) throws Exception {
    SentinelIT.table(db, "json_instant", 100);
    Output out = migrate(db, "--statement", "ALTER TABLE json_instant ADD COLUMN extra INT");
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    JsonNode result = out.lines().get(out.lines().size() - 1);
    assertThat(result.path("outcome").asText()).isEqualTo("completed");
    assertThat(result.path("path").asText()).isEqualTo("INSTANT");
    assertThat(result.path("rowsCopied").asLong()).isZero();
  }

  @ServerTest
  void aRefusedRunEndsWithItsErrorAsTheResult(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS json_nokey", "CREATE TABLE json_nokey (v INT)", "INSERT INTO json_nokey VALUES (1)");
    Output out = migrate(db, "--statement", "ALTER TABLE json_nokey ADD INDEX (v)");
    assertThat(out.exitCode()).as(out.stderr()).isEqualTo(3);
    List<JsonNode> lines = out.lines();
    JsonNode result = lines.get(lines.size() - 1);
    assertThat(result.path("outcome").asText()).isEqualTo("refused");
    assertThat(result.path("exitCode").asInt()).isEqualTo(3);
    assertThat(result.path("error").path("code").asText()).isNotBlank();
    String message = result.path("error").path("message").asText();
    assertThat(message).contains("json_nokey");
    assertThat(out.stderr()).as("the same message as on stderr").contains(message);
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '\\_json\\_nokey%'")).isZero();
  }
}
