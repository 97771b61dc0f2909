package dev.spirit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Application-like writers that keep an independent expectation of a table: every transaction runs the same statement
 * on the table under test and on a plain {@code mirror} table of the same definition, {@code BEGIN; <dml on table>;
 * <dml on mirror>; COMMIT}. Whatever a tool does to the table, its content must stay equal to the mirror's, which no
 * tool touches.
 *
 * <p>Statements are templates: {@value #TABLE} stands for the table's name, {@value #AUTO} for {@code NULL} on the
 * table (let AUTO_INCREMENT choose) and {@code LAST_INSERT_ID()} on the mirror (take the id the table chose). They
 * must be deterministic (no RAND(), NOW(), UUID()). A statement the table rejects with a duplicate key, a deadlock or a
 * lock wait timeout rolls the transaction back and is counted as rejected; every other error, and any difference
 * between the two tables' affected-row counts, is recorded in {@link #errors} and rolled back.
 */
public final class MirroredWriters implements AutoCloseable {
  public static final String TABLE = "{t}";
  public static final String AUTO = "{auto}";

  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> issuedIds = new ConcurrentLinkedQueue<>();
  private final AtomicLong retired = new AtomicLong();
  private volatile boolean retirementExpected;

  /**
   * @param sessionSetup statements run once on each writer's own session (e.g. a permissive sql_mode)
   * @param templates each call returns the next statement template for one transaction
   */
  public MirroredWriters(TestDatabase db, String table, String mirror, int threadCount, long seed,
      int maxTransactions, List<String> sessionSetup, Function<Random, String> templates) {
    for (int i = 0; i < threadCount; i++) {
      Random random = new Random(seed + i);
      Thread t = new Thread(() -> run(db, table, mirror, sessionSetup, random, maxTransactions, templates),
          "mirrored-writer-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  /**
   * For a move, whose cutover renames the table away: a statement the table rejects with 1146 ("doesn't exist") is
   * rolled back and counted in {@link #retired} instead of being an error. A migration must never cause one.
   */
  public MirroredWriters expectRetirement() {
    retirementExpected = true;
    return this;
  }

  /** Transactions rolled back because the table had been renamed away (only with {@link #expectRetirement}). */
  public long retired() {
    return retired.get();
  }

  public MirroredWriters start() {
    threads.forEach(Thread::start);
    return this;
  }

  /** A session of its own (not from the pool, so its settings cannot leak into other tests), set up as given. */
  public static Connection session(TestDatabase db, List<String> sessionSetup) throws SQLException {
    TestServer server = db.server();
    Connection c = DriverManager.getConnection(server.jdbcUrl(db.schema()) + "&characterEncoding=UTF-8",
        server.user(), server.password());
    try (Statement s = c.createStatement()) {
      for (String sql : sessionSetup) {
        s.execute(sql);
      }
    }
    return c;
  }

  /** Runs each template on both tables, in one transaction per template, on a session set up as given. */
  public static void executeOnBoth(TestDatabase db, String table, String mirror, List<String> sessionSetup,
      String... templates) throws SQLException {
    try (Connection c = session(db, sessionSetup); Statement s = c.createStatement()) {
      for (String template : templates) {
        s.execute(render(template, table, false));
        s.execute(render(template, mirror, true));
      }
    }
  }

  static String render(String template, String table, boolean mirror) {
    return template.replace(TABLE, "`" + table.replace("`", "``") + "`")
        .replace(AUTO, mirror ? "LAST_INSERT_ID()" : "NULL");
  }

  private void run(TestDatabase db, String table, String mirror, List<String> sessionSetup, Random random,
      int maxTransactions, Function<Random, String> templates) {
    try (Connection c = session(db, sessionSetup); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (int i = 0; i < maxTransactions && !stop.get(); i++) {
        String template = templates.apply(random);
        String onTable = render(template, table, false);
        String onMirror = render(template, mirror, true);
        boolean tableDone = false;
        try {
          int a = s.executeUpdate(onTable);
          long issued = 0;
          if (template.contains(AUTO) && a == 1) {
            try (ResultSet rs = s.executeQuery("SELECT LAST_INSERT_ID()")) {
              rs.next();
              issued = rs.getLong(1);
            }
          }
          tableDone = true;
          int b = s.executeUpdate(onMirror);
          if (a != b) {
            c.rollback();
            error("rows affected differ: " + table + " " + a + ", " + mirror + " " + b + " <- " + onTable);
            continue;
          }
          c.commit();
          committed.incrementAndGet();
          if (issued != 0) {
            issuedIds.add(issued);
          }
        } catch (SQLException e) {
          rollbackQuietly(c);
          int code = e.getErrorCode();
          boolean normal = code == 1213 || code == 1205 || (code == 1062 && !tableDone);
          if (code == 1146 && !tableDone && retirementExpected) {
            retired.incrementAndGet();
          } else if (normal) {
            rejected.incrementAndGet();
          } else {
            error(code + " " + e.getMessage() + " <- " + (tableDone ? onMirror : onTable));
          }
        }
      }
    } catch (SQLException e) {
      error("connection: " + e.getMessage());
    }
  }

  private void error(String message) {
    if (errors.size() < 20) {
      errors.add(java.time.LocalTime.now() + " " + message);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the next statement reports it
    }
  }

  /** Transactions committed on both tables. */
  public long committed() {
    return committed.get();
  }

  /** Transactions the table rejected with a duplicate key, deadlock or lock wait timeout (rolled back). */
  public long rejected() {
    return rejected.get();
  }

  /** Everything else that went wrong, including differences in affected rows between the two tables. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** AUTO_INCREMENT values the table issued for {@value #AUTO} inserts that committed, in commit order per thread. */
  public List<Long> issuedIds() {
    return List.copyOf(issuedIds);
  }

  /**
   * Waits, without a timing assertion, until at least {@code n} transactions have committed, the writers ended, or
   * one of them met an error.
   */
  public MirroredWriters awaitCommitted(long n) throws InterruptedException {
    while (committed.get() < n && errors.isEmpty() && threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(10);
    }
    return this;
  }

  /** Stops the writers and waits for them. */
  @Override
  public void close() throws InterruptedException {
    CountingWriters.stopAll(stop, threads);
  }

  /**
   * Asserts that {@code table} holds exactly the rows of {@code mirror}, compared over the mirror's columns (the
   * table may have more) by their stored bytes: every value is rendered as {@code HEX(CAST(col AS BINARY))} (FLOAT
   * through an exact DOUBLE first), so a lost trailing zero byte, a changed character set, a rounded fraction or a
   * flipped case shows. Rows are matched by the mirror's primary key; a failure lists missing rows, extra rows and,
   * for rows present in both, each differing column with both renderings.
   */
  public static void assertSameContent(TestDatabase db, String table, String mirror) throws SQLException {
    assertSameContent(db, table, db, mirror);
  }

  /** As {@link #assertSameContent(TestDatabase, String, String)}, with the mirror in another schema or server. */
  public static void assertSameContent(TestDatabase db, String table, TestDatabase mirrorDb, String mirror)
      throws SQLException {
    List<List<String>> described = mirrorDb.queryRows("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + mirror + "' ORDER BY ORDINAL_POSITION");
    List<String> columns = described.stream().map(r -> r.get(0)).toList();
    Map<String, String> types = new LinkedHashMap<>();
    described.forEach(r -> types.put(r.get(0), r.get(1)));
    List<String> key = mirrorDb.queryRows("SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA ="
        + " DATABASE() AND TABLE_NAME = '" + mirror + "' AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX").stream()
        .map(r -> r.get(0)).toList();
    assertThat(key).as("primary key of %s", mirror).isNotEmpty();
    String select = "SELECT " + key.stream().map(k -> rendered(k, types.get(k))).collect(Collectors.joining(", "))
        + ", " + columns.stream().map(c -> rendered(c, types.get(c))).collect(Collectors.joining(", "))
        + " FROM `%s` ORDER BY "
        + key.stream().map(k -> "`" + k + "`").collect(Collectors.joining(", "));
    Map<List<String>, List<String>> actual = byKey(db.queryRows(String.format(select, table)), key.size());
    Map<List<String>, List<String>> expected = byKey(mirrorDb.queryRows(String.format(select, mirror)), key.size());
    assertThat(expected).as("rows in %s: an empty expectation proves nothing", mirror).isNotEmpty();

    List<String> problems = new ArrayList<>();
    for (Map.Entry<List<String>, List<String>> e : expected.entrySet()) {
      List<String> got = actual.get(e.getKey());
      if (got == null) {
        problems.add("missing from " + table + ": " + describe(columns, e.getValue()));
      } else if (!got.equals(e.getValue())) {
        StringBuilder sb = new StringBuilder("differs, key " + e.getKey() + ":");
        for (int i = 0; i < columns.size(); i++) {
          if (!got.get(i).equals(e.getValue().get(i))) {
            sb.append(" ").append(columns.get(i)).append(" ").append(table).append("=").append(got.get(i))
                .append(" ").append(mirror).append("=").append(e.getValue().get(i)).append(";");
          }
        }
        problems.add(sb.toString());
      }
    }
    for (Map.Entry<List<String>, List<String>> e : actual.entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        problems.add("extra in " + table + ": " + describe(columns, e.getValue()));
      }
    }
    assertThat(problems.subList(0, Math.min(problems.size(), 15)))
        .as("%s compared with %s (%d rows expected, %d found, %d problem(s); values are HEX of the stored bytes)",
            table, mirror, expected.size(), actual.size(), problems.size())
        .isEmpty();
  }

  /**
   * The stored bytes; a FLOAT or DOUBLE as the IEEE bits of its exact double value (a point's X in well-known binary),
   * since servers print FLOATs with six digits and some DOUBLEs with fewer than it takes, and -0 shows as such.
   */
  private static String rendered(String column, String dataType) {
    String value = "`" + column + "`";
    if ("float".equalsIgnoreCase(dataType) || "double".equalsIgnoreCase(dataType)) {
      return "IFNULL(HEX(SUBSTRING(ST_AsBinary(Point(CAST(" + value + " AS DOUBLE), 0)), 6, 8)), 'NULL')";
    }
    return "IFNULL(HEX(CAST(" + value + " AS BINARY)), 'NULL')";
  }

  private static Map<List<String>, List<String>> byKey(List<List<String>> rows, int keyColumns) {
    Map<List<String>, List<String>> map = new LinkedHashMap<>();
    for (List<String> row : rows) {
      List<String> previous = map.put(List.copyOf(row.subList(0, keyColumns)),
          List.copyOf(row.subList(keyColumns, row.size())));
      assertThat(previous).as("two rows with the key %s", row.subList(0, keyColumns)).isNull();
    }
    return map;
  }

  private static String describe(List<String> columns, List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(columns.get(i)).append("=").append(values.get(i));
    }
    return sb.toString();
  }
}
