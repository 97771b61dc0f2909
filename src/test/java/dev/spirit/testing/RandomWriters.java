package dev.spirit.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Application-like load for concurrency tests: threads that run random statements against a table until stopped,
 * each in autocommit, and count what succeeded and what failed (with the first errors kept for the assertion
 * message). Bounded: every thread stops by itself after {@code maxStatements}.
 */
public final class RandomWriters implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong succeeded = new AtomicLong();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

  /**
   * @param statements each call picks one statement to run from a random source; deadlocks are retried by the
   *     caller's design (the statement is simply counted as failed-and-expected only if listed in tolerated codes)
   */
  public RandomWriters(TestDatabase db, int threadCount, long seed, int maxStatements,
      Function<Random, String> statements) {
    for (int i = 0; i < threadCount; i++) {
      Random random = new Random(seed + i);
      Thread t = new Thread(() -> run(db, random, maxStatements, statements), "random-writer-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  public RandomWriters start() {
    threads.forEach(Thread::start);
    return this;
  }

  private void run(TestDatabase db, Random random, int maxStatements, Function<Random, String> statements) {
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      for (int i = 0; i < maxStatements && !stop.get(); i++) {
        String sql = statements.apply(random);
        try {
          s.execute(sql);
          succeeded.incrementAndGet();
        } catch (SQLException e) {
          // Duplicate keys and deadlocks are the application's normal life under random writes, not our errors.
          if (e.getErrorCode() != 1062 && e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
            if (errors.size() < 20) {
              errors.add(e.getErrorCode() + " " + e.getMessage() + " <- " + sql);
            }
          }
        }
      }
    } catch (SQLException e) {
      errors.add("connection: " + e.getMessage());
    }
  }

  public long succeeded() {
    return succeeded.get();
  }

  /** Application errors that are not duplicate keys, deadlocks or row-lock waits. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Stops the writers and waits for them. */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }
}
