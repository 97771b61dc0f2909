package dev.spirit.migration;

import dev.spirit.config.ByteSize;
import dev.spirit.config.ConnectionSettings;
import dev.spirit.config.CopySettings;
import dev.spirit.config.CutoverSettings;
import dev.spirit.config.HostPort;
import dev.spirit.config.MigrateConfig;
import dev.spirit.config.ReplicaThrottle;
import dev.spirit.config.SchemaChange;
import dev.spirit.config.Secret;
import dev.spirit.config.TlsMode;
import dev.spirit.config.TlsSettings;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.status.Phase;
import dev.spirit.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A migration running in the background of a sentinel test, with its phase observable and its faults injectable. */
final class SentinelRun {
  final MigrationRunner runner;
  final CompletableFuture<Void> done;
  final String owner;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  SentinelRun(TestDatabase db, String statement, boolean defer, Duration waitLimit, SentinelFaults faults) {
    this(db, db.schema(), statement, defer, waitLimit, faults);
  }

  /** @param schema the schema as the operator types it in {@code --database} (its case may differ from the server's) */
  SentinelRun(TestDatabase db, String schema, String statement, boolean defer, Duration waitLimit,
      SentinelFaults faults) {
    MigrateConfig config = new MigrateConfig(
        new ConnectionSettings(new HostPort(db.server().host(), db.server().port()), db.server().user(),
            Secret.of(db.server().password()), schema, new TlsSettings(TlsMode.PREFERRED, Optional.empty())),
        new SchemaChange.Statement(statement),
        new CopySettings(1, 2, new ByteSize(100)),
        new CutoverSettings(Duration.ofSeconds(10), defer, waitLimit),
        false, new ReplicaThrottle(List.of(), Duration.ofSeconds(120)), Duration.ofHours(168));
    runner = new MigrationRunner(config, Migrations.alters(Migrations.parse(config)),
        new PrintStream(err, true, StandardCharsets.UTF_8), false).withSentinelFaults(faults);
    owner = runner.owner();
    done = CompletableFuture.runAsync(() -> {
      try {
        runner.run();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  /** The status of {@code owner}'s row in the schema's sentinel, or null when there is no such row or no sentinel. */
  static String status(TestDatabase db, String owner) {
    try {
      java.util.List<java.util.List<String>> rows =
          db.queryRows("SELECT status FROM _spirit_sentinel WHERE owner = '" + owner + "'");
      return rows.isEmpty() ? null : rows.get(0).get(0);
    } catch (java.sql.SQLException e) {
      return null; // no sentinel
    }
  }

  Phase phase() {
    return runner.phase();
  }

  String output() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Waits for a condition, failing the test with the run's output if it does not come. */
  void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (done.isDone() && !condition.getAsBoolean()) {
        throw new AssertionError("the run ended before " + what + ": " + outcome() + "\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** Null when the run succeeded, else its failure. */
  Throwable outcome() {
    try {
      done.get(120, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable t = e.getCause();
      return t instanceof java.util.concurrent.CompletionException c ? c.getCause() : t;
    } catch (Exception e) {
      return e;
    }
  }
}
