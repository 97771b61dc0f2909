package dev.spirit.applier;

import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * A long statement on a table the appliers write (a deferred index build), run while the changes keep being applied,
 * so that no backlog of changes builds up behind it: the server builds indexes online, taking the applier's writes
 * meanwhile. The run's health is checked throughout; a failure or a cancel stops the wait (the statement itself
 * runs on until the server finishes or its connection closes).
 */
public final class DdlWhileApplying {
  private DdlWhileApplying() {}

  /** Throws when the run must stop (its advisory lock lost, its binlog subscription failed). */
  @FunctionalInterface
  public interface HealthCheck {
    void check();
  }

  /**
   * @param what what the statement does, for messages: "adding the secondary indexes back"
   */
  public static void run(DataSource pool, String sql, String what, List<Applier> appliers, HealthCheck health,
      BooleanSupplier cancelled) throws InterruptedException {
    CompletableFuture<Void> statement = CompletableFuture.runAsync(() -> {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw SpiritException.sql(ErrorCode.SQL_FAILED, what, e, sql);
      }
    });
    try {
      while (!statement.isDone()) {
        if (cancelled.getAsBoolean()) {
          throw new SpiritException(ErrorCode.INTERRUPTED, "interrupted while " + what);
        }
        health.check();
        int applied = 0;
        for (Applier a : appliers) {
          applied += a.flush(Applier.Selection.all());
        }
        if (applied == 0) {
          Thread.sleep(100);
        }
      }
      statement.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof SpiritException s ? s : SpiritException.of(e.getCause(), what);
    } finally {
      Workers.awaitQuietly(statement, Duration.ofHours(24), what);
    }
  }
}
