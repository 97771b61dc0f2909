package dev.spirit.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link CountingWriters} spread over many tables: a few threads, each picking a table at random for every write, so
 * that fifty tables are written concurrently without fifty connections. Every acknowledged write is accounted for in
 * the writers' own copy of each table. Thread {@code t} owns the ids {@code id % threads == t} of every table. Table
 * shape: {@code (id BIGINT PRIMARY KEY, v INT)} plus columns with defaults; ids 1..initialRows exist with v = 0.
 */
public final class ManyTableWriters implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, Map<Long, Integer>> expected = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private final AtomicLong writes = new AtomicLong();

  public ManyTableWriters(TestDatabase db, List<String> tables, int threadCount, long initialRows, long seed) {
    for (String table : tables) {
      Map<Long, Integer> rows = new ConcurrentHashMap<>();
      for (long id = 1; id <= initialRows; id++) {
        rows.put(id, 0);
      }
      expected.put(table, rows);
    }
    for (int t = 0; t < threadCount; t++) {
      int me = t;
      Random random = new Random(seed + t);
      threads.add(new Thread(() -> run(db, tables, me, threadCount, initialRows, random), "many-table-writer-" + t));
    }
  }

  public ManyTableWriters start() {
    threads.forEach(Thread::start);
    return this;
  }

  private void run(TestDatabase db, List<String> tables, int me, int threadCount, long initialRows, Random random) {
    long next = 1_000_000_000L + me * 10_000_000L;
    try (Connection c = db.connection()) {
      while (!stop.get()) {
        String table = tables.get(random.nextInt(tables.size()));
        Map<Long, Integer> rows = expected.get(table);
        int op = random.nextInt(10);
        try {
          if (op < 3) {
            long id = next++;
            execute(c, "INSERT INTO " + table + " (id, v) VALUES (?, 0)", id);
            rows.put(id, 0);
          } else if (op < 8) {
            long id = me + 1 + (long) threadCount * random.nextInt((int) Math.max(1, initialRows / threadCount));
            if (id <= initialRows && execute(c, "UPDATE " + table + " SET v = v + 1 WHERE id = ?", id) == 1) {
              rows.merge(id, 1, Integer::sum);
            }
          } else {
            long id = me + 1 + (long) threadCount * random.nextInt((int) Math.max(1, initialRows / threadCount));
            if (id <= initialRows && execute(c, "DELETE FROM " + table + " WHERE id = ?", id) == 1) {
              rows.remove(id);
            }
          }
          writes.incrementAndGet();
          Thread.sleep(1);
        } catch (SQLException e) {
          if (errors.size() < 20) {
            errors.add(table + ": " + e.getErrorCode() + " " + e.getMessage());
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    } catch (SQLException e) {
      errors.add("connection: " + e.getMessage());
    }
  }

  private static int execute(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      return ps.executeUpdate();
    }
  }

  public long writes() {
    return writes.get();
  }

  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** A table's exact expected content, as rows of (id, v) in id order, rendered as strings. */
  public List<List<String>> expectedRows(String table) {
    return CountingWriters.rows(expected.get(table));
  }

  @Override
  public void close() throws InterruptedException {
    CountingWriters.stopAll(stop, threads);
  }
}
