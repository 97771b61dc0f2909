package dev.spirit.bench;

import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServer;
import dev.spirit.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A migration of a table with a 36-character string key while every one of its rows (two million by default) is
 * changed during the copy, with spirit's heap capped at 512 MB: the change buffer must stay bounded, or the run dies of
 * an OutOfMemoryError. Prints what spirit printed, when the changes and the copy ended, and the largest heap in use
 * after a collection (from the JVM's GC log). Run it with {@code scripts/bench-memory.sh}.
 */
public final class ManyChangedKeys {
  private static final int BATCH = 20_000;

  private ManyChangedKeys() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    String heap = args.length > 1 ? args[1] : "512m";
    TestServer server = TestServers.startEmbeddedMySql();
    TestDatabase db = TestDatabase.create(server, "bench_mem");
    long t = System.nanoTime();
    db.execute("CREATE TABLE keyed (id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY, v INT NOT NULL,"
        + " pad CHAR(60) NOT NULL)");
    String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
        + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
    for (int base = 0; base < rows; base += 10_000) {
      db.execute("INSERT INTO keyed SELECT LPAD(HEX(" + base + " + a.d + b.d * 10 + c.d * 100 + e.d * 1000), 36, '0'),"
          + " 0, REPEAT('p', 60) FROM " + digits + " a, " + digits + " b, " + digits + " c, " + digits + " e"
          + " WHERE " + base + " + a.d + b.d * 10 + c.d * 100 + e.d * 1000 < " + rows);
    }
    System.out.printf(Locale.ROOT, "loaded %,d rows in %s%n", db.queryLong("SELECT COUNT(*) FROM keyed"), since(t));

    Path gcLog = Files.createTempFile("spirit-gc-", ".log");
    Path output = Files.createTempFile("spirit-out-", ".log");
    List<String> command = new ArrayList<>(List.of("bin/spirit", "migrate", "--host", server.hostAndPort(),
        "--username", server.user(), "--database", db.schema(), "--threads", "1", "--target-chunk-size", "256KiB",
        "--statement", "ALTER TABLE keyed ADD COLUMN note VARCHAR(10) NULL, ADD INDEX (v)"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("SPIRIT_PASSWORD", server.password());
    pb.environment().put("JAVA_OPTS", "-Xmx" + heap + " -Xlog:gc:file=" + gcLog);
    long started = System.nanoTime();
    Process spirit = pb.start();
    awaitShadow(db, spirit);
    long changesStarted = System.nanoTime();
    int changed = 0;
    for (int high = rows; high > 0; high -= BATCH) {
      int low = Math.max(0, high - BATCH);
      changed += (int) db.queryLong("SELECT COUNT(*) FROM keyed WHERE id >= LPAD(HEX(" + low + "), 36, '0')"
          + " AND id < LPAD(HEX(" + high + "), 36, '0')");
      db.execute("UPDATE keyed SET v = v + 1 WHERE id >= LPAD(HEX(" + low + "), 36, '0')"
          + " AND id < LPAD(HEX(" + high + "), 36, '0')");
    }
    double changesDone = seconds(started);
    String copyEnded = null;
    if (!spirit.waitFor(60, TimeUnit.MINUTES)) {
      spirit.destroyForcibly();
      throw new IllegalStateException("spirit did not finish within an hour");
    }
    String out = Files.readString(output, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("spirit: catch-up \\(([^)]*) elapsed\\)").matcher(out);
    if (m.find()) {
      copyEnded = m.group(1);
    }
    System.out.println(out);
    System.out.printf(Locale.ROOT, "changes: %,d distinct keys, from %.1f s to %.1f s after spirit started; the copy"
        + " ended at %s%n", changed, (changesStarted - started) / 1e9, changesDone, copyEnded);
    System.out.printf(Locale.ROOT, "spirit exited %d with -Xmx%s; largest heap after a collection: %s%n",
        spirit.exitValue(), heap, largestAfterGc(gcLog));
    long wrong = db.queryLong("SELECT COUNT(*) FROM keyed WHERE v <> 1");
    System.out.printf(Locale.ROOT, "rows with a lost change: %,d of %,d%n", wrong, db.queryLong("SELECT COUNT(*)"
        + " FROM keyed"));
    System.exit(spirit.exitValue() == 0 && wrong == 0 ? 0 : 1);
  }

  private static void awaitShadow(TestDatabase db, Process spirit) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '_keyed_chkpnt'") == 0) {
      if (!spirit.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("spirit ended or never started its copy");
      }
      Thread.sleep(50);
    }
  }

  /** The largest "after" heap size of the GC log's lines ({@code 123M->45M(512M)}). */
  private static String largestAfterGc(Path gcLog) throws IOException {
    Matcher m = Pattern.compile("\\d+M->(\\d+)M\\(").matcher(Files.readString(gcLog, StandardCharsets.UTF_8));
    long max = -1;
    while (m.find()) {
      max = Math.max(max, Long.parseLong(m.group(1)));
    }
    return max < 0 ? "no collection logged" : max + " MB";
  }

  private static String since(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - nanos) / 1e9);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
