package dev.spirit.db;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads a run starts, and stopping them. They are daemons, so a thread left behind never keeps the JVM alive. A
 * JDBC statement ignores interrupts, so a stopped worker may still be inside one; whatever comes next (dropping the
 * shadow table, the next phase) waits for it, as HikariCP's ordered shutdown does, rather than race it. The wait is
 * bounded, so a statement the server never ends cannot hold the run forever.
 */
public final class Workers {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
  private static final Duration STATEMENT_WAIT = Duration.ofMinutes(5);

  private Workers() {}

  /** Daemon threads named {@code name}. */
  public static ThreadFactory daemons(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops a pool of statement workers: up to five minutes for the statements in flight. */
  public static void stop(ExecutorService workers) {
    stop(workers, STATEMENT_WAIT, "worker threads running a statement");
  }

  /**
   * Interrupts the threads and waits up to {@code wait} for them to end.
   *
   * @param what the threads, as the warning names them when they outlast the wait
   */
  public static void stop(ExecutorService threads, Duration wait, String what) {
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not end within {} s; the run goes on without waiting longer", what, wait.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits up to {@code wait} for work whose outcome was already taken elsewhere, only so that nothing races its
   * statements; how it ended is logged at debug level. A null future is no work.
   */
  public static void awaitQuietly(Future<?> work, Duration wait, String what) {
    if (work == null) {
      return;
    }
    try {
      work.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("{} ended with {}", what, e.toString());
    }
  }
}
