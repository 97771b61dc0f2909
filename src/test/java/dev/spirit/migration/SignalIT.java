package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM during the copy: the real {@code spirit} process stops cleanly with exit 130, the original table
 * is untouched and the shadow table is gone.
 */
class SignalIT {

  @ServerTest
  void sigintDuringTheCopyExits130AndLeavesTheTableAsItWas(TestDatabase db) throws Exception {
    interruptDuringCopy(db, "sigint", "INT");
  }

  @ServerTest
  void sigtermDuringTheCopyExits130AndLeavesTheTableAsItWas(TestDatabase db) throws Exception {
    interruptDuringCopy(db, "sigterm", "TERM");
  }

  private static void interruptDuringCopy(TestDatabase db, String table, String signal) throws Exception {
    Path jar = Path.of("target/spirit.jar");
    assertThat(jar).as("the shaded jar is built in the package phase, before integration tests").exists();
    db.execute("DROP TABLE IF EXISTS " + table,
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)",
        "INSERT INTO " + table + " SELECT seq, seq FROM (" + ChunkerIT.numbers(9999) + ") n",
        "INSERT INTO " + table + " SELECT id + 10000, v FROM " + table,
        "INSERT INTO " + table + " SELECT id + 20000, v FROM " + table);
    String before = db.queryString("SHOW CREATE TABLE " + table);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process spirit = new ProcessBuilder(java, "-jar", jar.toString(), "migrate", "--host", db.server().hostAndPort(),
        "--username", db.server().user(), "--password", db.server().password(), "--database", db.schema(),
        "--threads", "1", "--target-chunk-size", "100", "--statement", "ALTER TABLE " + table + " ADD INDEX (v)")
        .redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Void> copying = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(spirit.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (output) {
            output.add(line);
          }
          if (line.startsWith("spirit: copy")) {
            copying.complete(null);
          }
        }
      } catch (java.io.IOException e) {
        copying.completeExceptionally(e);
      }
    });
    reader.start();
    copying.get(60, TimeUnit.SECONDS);
    Thread.sleep(300);
    new ProcessBuilder("kill", "-" + signal, Long.toString(spirit.pid())).start().waitFor();
    assertThat(spirit.waitFor(60, TimeUnit.SECONDS)).as("spirit stopped").isTrue();
    reader.join(5000);
    String log;
    synchronized (output) {
      log = String.join("\n", output);
    }
    assertThat(spirit.exitValue()).as(log).isEqualTo(130);
    assertThat(log).contains("unchanged");
    assertThat(db.queryString("SHOW CREATE TABLE " + table)).isEqualTo(before);
    assertThat(db.queryLong("SELECT COUNT(*) FROM " + table)).isEqualTo(40000 - 4);
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '\\_" + table + "\\_%'")).isZero();
    Files.deleteIfExists(Path.of("target", table + ".log"));
  }
}
