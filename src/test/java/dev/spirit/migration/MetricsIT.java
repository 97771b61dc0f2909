package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code --metrics-listen}: the Prometheus endpoint scraped during a real run (the copy's figures, the phase while
 * the cutover waits on the sentinel, the per-phase seconds), gone when the run ends, and a port that cannot be bound
 * refused before anything changes.
 */
public class MetricsIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** One scrape: each sample line's {@code name{labels}} and value; empty when nothing listens. */
  public static Map<String, Double> scrape(int port) {
    Map<String, Double> samples = new LinkedHashMap<>();
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      for (String line : r.body().split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          int space = line.lastIndexOf(' ');
          samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
      }
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return samples;
  }

  @ServerTest
  void aRunServesItsFiguresWhileItRunsAndStopsServingWhenItEnds(TestDatabase db) throws Exception {
    SentinelIT.table(db, "metered", 20000);
    int port = freePort();
    CompletableFuture<StatusJsonIT.Output> run = CompletableFuture.supplyAsync(() -> StatusJsonIT.migrate(db,
        "--defer-cutover", "--metrics-listen", "127.0.0.1:" + port, "--statement",
        "ALTER TABLE metered ADD INDEX (v)"));
    List<Map<String, Double>> scrapes = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Map<String, Double> last = Map.of();
    while (last.getOrDefault("workflow_phase", -1.0) != 7.0 || !last.containsKey(
        "sentinel_readiness{readiness=\"ready\"}")) {
      assertThat(run).as("the run reaches its wait point").isNotDone();
      assertThat(System.nanoTime()).as("the run reached its wait point").isLessThan(deadline);
      last = scrape(port);
      if (!last.isEmpty()) {
        scrapes.add(last);
      }
      Thread.sleep(100);
    }
    long rows = db.queryLong("SELECT COUNT(*) FROM metered");
    assertThat(last.get("copy_rows_completed")).isEqualTo(rows);
    assertThat(last.get("copy_rows_total_estimate")).isPositive();
    assertThat(last.get("checksum_rows_checked")).isGreaterThanOrEqualTo(rows);
    assertThat(last.get("applier_pending_work")).isNotNegative();
    assertThat(last.get("throttler_throttled")).isZero();
    assertThat(last.get("workflow_step{phase=\"waitingOnSentinelTable\",step=\"waitForRelease\"}")).isEqualTo(1);
    assertThat(last.get("workflow_phase_seconds{step=\"copy\"}")).isPositive();
    assertThat(last.get("sentinel_waiting_seconds")).isNotNegative();
    assertThat(last.keySet()).anyMatch(k -> k.startsWith("table_rows_copied{table=") && k.contains("metered"));
    assertThat(scrapes.stream().map(s -> s.get("workflow_phase")).distinct().toList())
        .as("scraped in the phases the run went through").contains(7.0).hasSizeGreaterThan(1);

    db.execute("DROP TABLE _spirit_sentinel");
    StatusJsonIT.Output out = run.get();
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(out.stderr()).contains("metrics at http://127.0.0.1:" + port + "/metrics");
    assertThat(scrape(port)).as("nothing listens after the run").isEmpty();
  }

  @ServerTest
  void aPortThatCannotBeBoundIsRefusedBeforeAnythingChanges(TestDatabase db) throws Exception {
    SentinelIT.table(db, "unmetered", 10);
    List<List<String>> before = db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1");
    try (ServerSocket taken = new ServerSocket(0)) {
      StatusJsonIT.Output out = StatusJsonIT.migrate(db, "--metrics-listen", "127.0.0.1:" + taken.getLocalPort(),
          "--statement", "ALTER TABLE unmetered ADD INDEX (v)");
      assertThat(out.exitCode()).as(out.stderr()).isEqualTo(2);
      assertThat(out.stderr()).contains("--metrics-listen 127.0.0.1:" + taken.getLocalPort(), "cannot listen");
      assertThat(out.lines().get(out.lines().size() - 1).path("outcome").asText()).isEqualTo("invalid");
    }
    assertThat(db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " ORDER BY 1")).isEqualTo(before);
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'unmetered' AND COLUMN_NAME = 'v'")).as("the index was not added").isZero();
  }
}
