package dev.spirit.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Application writers for a move: on tables {@code (id BIGINT PRIMARY KEY, v INT NOT NULL)} of the source they insert,
 * update, change primary keys and delete, each thread on its own keys, and keep an independent copy of what each table
 * must hold. A move's cutover renames the source tables, after which every write fails with 1146 ("table doesn't
 * exist"): expected here, where the application would have been switched to the target, so those are counted apart.
 * Only committed writes change the copy.
 */
public final class MoveWriters implements AutoCloseable {
  private final Map<String, Map<Long, Integer>> expected = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong retired = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  /** Every table holds ids 1..initialRows with v = 0 when this starts. */
  public MoveWriters(TestDatabase db, List<String> tables, int threadCount, long initialRows, long seed) {
    for (String t : tables) {
      Map<Long, Integer> rows = new ConcurrentHashMap<>();
      for (long id = 1; id <= initialRows; id++) {
        rows.put(id, 0);
      }
      expected.put(t, rows);
    }
    for (int i = 0; i < threadCount; i++) {
      int me = i;
      Random random = new Random(seed + i);
      threads.add(new Thread(() -> run(db, tables, me, threadCount, initialRows, random), "move-writer-" + i));
    }
  }

  public MoveWriters start() {
    threads.forEach(Thread::start);
    return this;
  }

  private void run(TestDatabase db, List<String> tables, int me, int threadCount, long initialRows, Random random) {
    long next = 1_000_000_000L + me * 10_000_000L;
    try (Connection c = db.connection()) {
      while (!stop.get() && !Thread.currentThread().isInterrupted()) {
        String table = tables.get(random.nextInt(tables.size()));
        Map<Long, Integer> rows = expected.get(table);
        // This thread's keys: me+1, me+1+threadCount, … of the initial rows, and the ids it inserts.
        long mine = me + 1 + (long) threadCount * random.nextInt((int) Math.max(1, initialRows / threadCount));
        int op = random.nextInt(10);
        try {
          if (op < 3) {
            long id = next++;
            execute(c, "INSERT INTO " + table + " (id, v) VALUES (?, 0)", id);
            rows.put(id, 0);
          } else if (op < 7) {
            if (rows.containsKey(mine) && execute(c, "UPDATE " + table + " SET v = v + 1 WHERE id = ?", mine) == 1) {
              rows.merge(mine, 1, Integer::sum);
            }
          } else if (op < 9) {
            long to = next++;
            Integer v = rows.get(mine);
            if (v != null && execute(c, "UPDATE " + table + " SET id = " + to + " WHERE id = ?", mine) == 1) {
              rows.remove(mine);
              rows.put(to, v);
            }
          } else if (rows.containsKey(mine) && execute(c, "DELETE FROM " + table + " WHERE id = ?", mine) == 1) {
            rows.remove(mine);
          }
          writes.incrementAndGet();
          Thread.sleep(1);
        } catch (SQLException e) {
          if (e.getErrorCode() == 1146) {
            retired.incrementAndGet();
            pause();
          } else if (errors.size() < 20) {
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

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  /** Writes that found the table renamed away by the cutover. */
  public long retired() {
    return retired.get();
  }

  /** Errors other than the cutover's 1146. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  public List<List<String>> expectedRows(String table) {
    return CountingWriters.rows(expected.get(table));
  }

  @Override
  public void close() throws InterruptedException {
    CountingWriters.stopAll(stop, threads);
  }
}
