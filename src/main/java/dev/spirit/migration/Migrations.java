package dev.spirit.migration;

import dev.spirit.config.MigrateConfig;
import dev.spirit.config.SchemaChange;
import dev.spirit.db.Endpoint;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.ExitCode;
import dev.spirit.error.SpiritException;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.statement.DirectStatement;
import dev.spirit.statement.MultiTableAlter;
import dev.spirit.statement.ParsedStatement;
import dev.spirit.statement.StatementParser;
import dev.spirit.status.Phase;
import dev.spirit.status.StatusStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point of {@code spirit migrate}: parses the change, runs a CREATE/DROP/RENAME TABLE directly as upstream
 * does, and runs an ALTER (or the ALTERs of several tables, together) through {@link MigrationRunner} with Ctrl-C and SIGTERM turned into a clean stop (exit 130,
 * original table untouched, shadow and checkpoint tables removed).
 */
public final class Migrations {
  private Migrations() {}

  /**
   * @param out where JSON status lines go with {@code --status-format json}; nothing else is written to it
   */
  public static int migrate(MigrateConfig config, PrintStream out, PrintStream err, boolean liveProgress) {
    StatusStream status = StatusStream.of(config.reporting().statusFormat(), out, "migrate");
    MigrationRunner runner = null;
    try {
      ParsedStatement parsed = parse(config);
      if (config.reporting().dryRun()) {
        return dryRun(config, parsed, err, status);
      }
      if (parsed instanceof DirectStatement direct) {
        int code = runDirect(config, direct, err);
        status.completed(Map.of("path", "DIRECT"), Map.of());
        return code;
      }
      runner = new MigrationRunner(config, alters(parsed), err, liveProgress).withStatus(status);
      return runStoppable(runner::run, runner::cancel, "the migration failed", err, status, runner::phaseTimes);
    } catch (RuntimeException e) {
      status.failed(e, runner == null ? null : runner.phaseTimes());
      throw e;
    }
  }

  private static int dryRun(MigrateConfig config, ParsedStatement parsed, PrintStream err, StatusStream status) {
    try {
      if (parsed instanceof DirectStatement direct) {
        err.println("spirit: dry run: the real run would run this " + direct.kind().name().replace('_', ' ')
            + " directly: " + direct.statement() + "; nothing was changed");
        status.completed(Map.of("dryRun", true, "path", "DIRECT"), Map.of());
        return ExitCode.OK.code();
      }
      return DryRun.migrate(config, alters(parsed), err, status);
    } catch (SQLException e) {
      throw SpiritException.sql(ErrorCode.SQL_FAILED, "the dry run failed", e, null);
    }
  }

  /** A run's work, which the runner's {@code cancel} stops at its next safe point. */
  @FunctionalInterface
  public interface Run {
    void run() throws SQLException, InterruptedException;
  }

  /**
   * Runs a migration or a move with Ctrl-C and SIGTERM turned into a clean stop: the runner is cancelled, cleans up,
   * and the process exits 130 (0 if the run completed meanwhile, since a signal is ignored once the cutover began).
   */
  public static int runStoppable(Run run, Runnable cancel, String failed, PrintStream err) {
    return runStoppable(run, cancel, failed, err, StatusStream.off(), Map::of);
  }

  /**
   * {@link #runStoppable(Run, Runnable, String, PrintStream)}, with the result line of an interrupted run written to
   * {@code status} before the JVM halts.
   */
  public static int runStoppable(Run run, Runnable cancel, String failed, PrintStream err, StatusStream status,
      Supplier<Map<Phase, Duration>> phaseTimes) {
    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean completed = new AtomicBoolean();
    Thread onSignal = new Thread(() -> {
      cancel.run();
      err.println("spirit: interrupted; stopping at the next safe point and removing what the run created");
      try {
        // The JVM is exiting: let the run clean up, then leave with the documented code.
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.flush();
      if (!completed.get()) {
        status.failed(ExitCode.INTERRUPTED.code(), ErrorCode.INTERRUPTED.name(), "interrupted", phaseTimes.get());
      }
      Runtime.getRuntime().halt(completed.get() ? ExitCode.OK.code() : ExitCode.INTERRUPTED.code());
    }, "spirit-signal");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      run.run();
      completed.set(true);
      return ExitCode.OK.code();
    } catch (SQLException e) {
      throw SpiritException.sql(ErrorCode.SQL_FAILED, failed, e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpiritException(ErrorCode.INTERRUPTED, "interrupted");
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running and will halt the JVM
      }
    }
  }

  /** The ALTERs of a change that is migrated by copy: one, or those of several tables run together. */
  static List<AlterTableStatement> alters(ParsedStatement parsed) {
    return parsed instanceof MultiTableAlter multi ? multi.alters() : List.of((AlterTableStatement) parsed);
  }

  static ParsedStatement parse(MigrateConfig config) {
    String schema = config.connection().database();
    if (config.change() instanceof SchemaChange.TableAlter shorthand) {
      return StatementParser.fromTableAndAlter(schema, shorthand.table(), shorthand.alter());
    }
    return StatementParser.parse(config.change().sql(), schema);
  }

  private static int runDirect(MigrateConfig config, DirectStatement direct, PrintStream err) {
    var database = new Endpoint(config.connection()).database(config.cutover().lockWaitTimeout());
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      s.execute(direct.statement());
      err.println("spirit: ran " + direct.kind().name().replace('_', ' ') + " directly: " + direct.statement());
      return ExitCode.OK.code();
    } catch (SQLException e) {
      throw SpiritException.sql(ErrorCode.SQL_FAILED, "the statement failed", e, direct.statement());
    }
  }
}
