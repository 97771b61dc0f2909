package dev.spirit.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writers whose every acknowledged write is accounted for, so a test can compute the table's exact expected content
 * without asking the tool: each thread owns the ids {@code id % threads == thread}, inserts new ids of its own,
 * increments {@code v} of its ids and deletes ids it inserted. Table shape: {@code (id BIGINT PRIMARY KEY, v INT)}
 * plus any columns with defaults. Any error at all is recorded: the application must see none.
 */
public final class CountingWriters implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<Long, Integer> expected = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
  private volatile long pauseMillis;

  /** @param initialRows ids 1..initialRows exist with v = 0 */
  public CountingWriters(TestDatabase db, String table, int threadCount, long initialRows, long seed) {
    for (long id = 1; id <= initialRows; id++) {
      expected.put(id, 0);
    }
    for (int t = 0; t < threadCount; t++) {
      int me = t;
      Random random = new Random(seed + t);
      threads.add(new Thread(() -> run(db, table, me, threadCount, initialRows, random), "counting-writer-" + t));
    }
  }

  /** Each writer sleeps this long after every statement: a steady trickle rather than as fast as the server goes. */
  public CountingWriters paced(long millis) {
    pauseMillis = millis;
    return this;
  }

  public CountingWriters start() {
    threads.forEach(Thread::start);
    return this;
  }

  private void run(TestDatabase db, String table, int me, int threadCount, long initialRows, Random random) {
    List<Long> inserted = new ArrayList<>();
    long next = 1_000_000_000L + me * 10_000_000L;
    try (Connection c = db.connection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (id, v) VALUES (?, 0)");
        PreparedStatement bump = c.prepareStatement("UPDATE " + table + " SET v = v + 1 WHERE id = ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
      for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
        int op = random.nextInt(10);
        try {
          if (op < 3) {
            long id = next++;
            insert.setLong(1, id);
            insert.executeUpdate();
            expected.put(id, 0);
            inserted.add(id);
          } else if (op < 9) {
            long id = random.nextInt(4) == 0 && !inserted.isEmpty()
                ? inserted.get(random.nextInt(inserted.size()))
                : me + 1 + (long) threadCount * random.nextInt((int) Math.max(1, initialRows / threadCount));
            if (id > initialRows && id < 1_000_000_000L) {
              continue;
            }
            bump.setLong(1, id);
            if (bump.executeUpdate() == 1) {
              expected.merge(id, 1, Integer::sum);
            }
          } else if (!inserted.isEmpty()) {
            long id = inserted.remove(random.nextInt(inserted.size()));
            delete.setLong(1, id);
            if (delete.executeUpdate() == 1) {
              expected.remove(id);
            }
          }
          writes.incrementAndGet();
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (SQLException e) {
          if (errors.size() < 20) {
            errors.add(e.getErrorCode() + " " + e.getMessage());
          }
        }
      }
    } catch (SQLException e) {
      errors.add("connection: " + e.getMessage());
    }
  }

  public long writes() {
    return writes.get();
  }

  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** The table's exact expected content, as rows of (id, v) in id order, rendered as strings. */
  public List<List<String>> expectedRows() {
    return rows(expected);
  }

  /** A writers' copy of a table, id to v, as rows of (id, v) in id order, rendered as strings. */
  public static List<List<String>> rows(Map<Long, Integer> content) {
    List<List<String>> rows = new ArrayList<>();
    new TreeMap<>(content).forEach((id, v) -> rows.add(List.of(id.toString(), v.toString())));
    return rows;
  }

  @Override
  public void close() throws InterruptedException {
    stopAll(stop, threads);
  }

  /** Tells writer threads to stop and waits for each, at most 30 s. */
  public static void stopAll(AtomicBoolean stop, List<Thread> threads) throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }
}
