package dev.spirit.move;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spirit.migration.StatusJsonIT;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code spirit move --status-format json} and {@code move --dry-run} on two real servers: every line of a real move
 * parsed, its result's figures; a dry run's plan with both servers left as they were (tables, plugins, binlog
 * position), and its refusal in the real run's words. Isolated, since the binlog positions are the servers'.
 */
@Isolated // acts on the whole server (docs/testing.md)
class MoveStatusIT {

  private static TestDatabase target(TestDatabase source) {
    return TestServers.moveTargetDatabase(source.server(), MoveStatusIT.class);
  }

  static StatusJsonIT.Output move(TestDatabase source, TestDatabase target, String... args) {
    List<String> all = new ArrayList<>(List.of("move", "--source-dsn", MoveIT.dsn(source), "--target-dsn",
        MoveIT.dsn(target), "--threads", "2", "--write-threads", "2", "--lock-wait-timeout", "10s",
        "--status-format", "json"));
    all.addAll(List.of(args));
    return StatusJsonIT.run(all);
  }

  private static List<List<String>> state(TestDatabase db) throws SQLException {
    return dev.spirit.migration.DryRunIT.state(db);
  }

  @ServerTest
  void aMoveWritesItsPhasesAndResultAsJsonLines(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 3000);
    StatusJsonIT.Output out = move(source, target);
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    List<JsonNode> lines = out.lines("move");
    assertThat(lines.stream().filter(l -> l.path("type").asText().equals("phase"))
        .map(l -> l.path("phase").asText()).distinct().toList())
        .contains("initial", "copyRows", "checksum", "cutOver");
    JsonNode result = lines.get(lines.size() - 1);
    assertThat(result.path("outcome").asText()).isEqualTo("completed");
    assertThat(result.path("exitCode").asInt()).isZero();
    assertThat(result.path("path").asText()).isEqualTo("COPY");
    assertThat(result.path("rowsCopied").asLong()).isEqualTo(3000);
    assertThat(result.path("rowsChecked").asLong()).isGreaterThanOrEqualTo(3000);
    assertThat(result.path("cutoverWriteHoldMillis").isNumber()).isTrue();
    assertThat(result.path("oldTablesKept").get(0).asText()).isEqualTo("`" + source.schema() + "`.`orders_old`");
    assertThat(result.path("phaseSeconds").path("copy").isNumber()).isTrue();
  }

  @ServerTest
  void aDryRunPlansTheMoveAndChangesNeitherServer(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 2500);
    MoveIT.numbered(source, "items", 100);
    if (source.server().isMariaDb() && source.queryLong("SELECT COUNT(*) FROM information_schema.PLUGINS"
        + " WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO'") > 0) {
      source.execute("UNINSTALL SONAME 'metadata_lock_info'"); // a real run loads it; a dry run must not
    }
    List<List<String>> sourceBefore = state(source);
    List<List<String>> targetBefore = state(target);
    StatusJsonIT.Output out = move(source, target, "--dry-run", "--defer-cutover");
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(state(source)).as("the source: nothing created, loaded or binlogged").isEqualTo(sourceBefore);
    assertThat(state(target)).as("the target: nothing created or binlogged").isEqualTo(targetBefore);

    List<JsonNode> lines = out.lines("move");
    JsonNode plan = lines.get(0).path("plan");
    assertThat(plan.path("start").path("kind").asText()).isEqualTo("FRESH");
    assertThat(plan.path("tables")).hasSize(2);
    JsonNode orders = plan.path("tables").get(1);
    assertThat(orders.path("table").asText()).isEqualTo("`" + source.schema() + "`.`orders`");
    assertThat(orders.path("created").asBoolean()).isTrue();
    assertThat(orders.path("sample").path("rows").asInt()).isEqualTo(2500);
    assertThat(orders.path("old").asText()).endsWith("`orders_old`");
    assertThat(plan.path("sentinel").path("deferCutover").asBoolean()).isTrue();
    assertThat(plan.path("sentinel").path("owner").asText()).startsWith("move:");
    assertThat(lines.get(lines.size() - 1).path("dryRun").asBoolean()).isTrue();
    assertThat(out.stderr()).contains("dry run of move", "nothing was changed", "the real run would proceed");
  }

  @ServerTest
  void aDryRunRefusesATargetTheRealRunRefusesInItsWords(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 10);
    MoveIT.numbered(target, "orders", 3);
    List<List<String>> targetBefore = state(target);
    StatusJsonIT.Output dry = move(source, target, "--dry-run");
    assertThat(state(target)).isEqualTo(targetBefore);
    StatusJsonIT.Output real = move(source, target);
    assertThat(dry.exitCode()).as(dry.stderr()).isEqualTo(3).isEqualTo(real.exitCode());
    JsonNode dryResult = dry.lines("move").get(dry.lines("move").size() - 1);
    JsonNode realResult = real.lines("move").get(real.lines("move").size() - 1);
    assertThat(dryResult.path("outcome").asText()).isEqualTo("refused");
    assertThat(dryResult.path("error").path("message").asText()).contains("`orders`", "--force")
        .isEqualTo(realResult.path("error").path("message").asText());

    StatusJsonIT.Output forced = move(source, target, "--dry-run", "--force");
    assertThat(forced.exitCode()).as(forced.stderr()).isZero();
    assertThat(forced.lines("move").get(0).path("plan").path("start").path("description").asText())
        .startsWith("--force: ");
    assertThat(target.queryLong("SELECT COUNT(*) FROM orders")).as("--force in a dry run drops nothing").isEqualTo(3);
  }

  @ServerTest
  void aMoveServesItsMetricsWhileItWaitsOnTheTargetsSentinel(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 4000);
    int port = dev.spirit.migration.MetricsIT.freePort();
    java.util.concurrent.CompletableFuture<StatusJsonIT.Output> run = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> move(source, target, "--defer-cutover", "--metrics-listen", "127.0.0.1:" + port));
    long deadline = System.nanoTime() + 120_000_000_000L;
    Map<String, Double> scraped = Map.of();
    while (scraped.getOrDefault("workflow_phase", -1.0) != 7.0
        || !scraped.containsKey("sentinel_readiness{readiness=\"ready\"}")) {
      assertThat(run).as("the move reaches its wait point").isNotDone();
      assertThat(System.nanoTime()).as("the move reached its wait point").isLessThan(deadline);
      scraped = dev.spirit.migration.MetricsIT.scrape(port);
      Thread.sleep(100);
    }
    assertThat(scraped.get("copy_rows_completed")).isEqualTo(4000);
    assertThat(scraped.get("checksum_rows_checked")).isGreaterThanOrEqualTo(4000);
    assertThat(scraped.get("table_rows_copied{table=\"`" + source.schema() + "`.`orders`\"}")).isEqualTo(4000);
    target.execute("DROP TABLE _spirit_sentinel");
    StatusJsonIT.Output out = run.get();
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(dev.spirit.migration.MetricsIT.scrape(port)).as("nothing listens after the move").isEmpty();
  }
}
