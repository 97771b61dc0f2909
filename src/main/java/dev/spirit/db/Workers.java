package dev.spirit.db;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping a pool of threads that run statements. A JDBC statement ignores interrupts, so a stopped worker may still
 * be inside one; whatever comes next (dropping the shadow table, the next phase) waits for it, as HikariCP's ordered
 * shutdown does, rather than race it.
 */
public final class Workers {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
  private static final long WAIT_MINUTES = 5;

  private Workers() {}

  public static void stop(ExecutorService workers) {
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(WAIT_MINUTES, TimeUnit.MINUTES)) {
        LOG.warn("worker threads still run a statement after {} minutes; going on without them", WAIT_MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
