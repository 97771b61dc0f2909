package dev.spirit.move;

import dev.spirit.cutover.CutoverPlan;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.TableInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The move's last work under the cutover's lock, once every change is on the target: each target table's
 * AUTO_INCREMENT raised to its source's (ids handed out on the source, even to rows deleted since, are never handed
 * out again by the target), then the operator's {@code --cutover-hook}. The hook runs at most once: if it fails,
 * nothing is renamed and the run stops with the source serving; if a later step of its attempt fails, the run stops
 * too rather than switch traffic a second time.
 */
final class TargetFinish implements CutoverPlan.LockedStep {
  private static final Logger LOG = LoggerFactory.getLogger(TargetFinish.class);
  /** A traffic switch that takes longer keeps the application waiting on the lock too long. */
  static final long HOOK_TIMEOUT_SECONDS = 60;

  private final DataSource targetPool;
  private final List<TableMove> tables;
  private final String hook;
  private final PrintStream err;
  private boolean hookRan;

  TargetFinish(DataSource targetPool, List<TableMove> tables, String hook, PrintStream err) {
    this.targetPool = targetPool;
    this.tables = tables;
    this.hook = hook;
    this.err = err;
  }

  @Override
  public void run(Connection lockHolder) throws SQLException {
    if (hookRan) {
      throw new SpiritException(ErrorCode.CUTOVER_FAILED, "the cutover hook ran in an earlier cutover attempt, which"
          + " then failed before its rename; the source tables are unlocked and not renamed. The traffic switch may"
          + " have happened: check where the application writes before running again.");
    }
    try (Connection t = targetPool.getConnection(); Statement s = t.createStatement()) {
      for (TableMove m : tables) {
        long next = TableInfo.autoIncrement(lockHolder, m.source().schema(), m.table());
        if (next > 1 && next > TableInfo.autoIncrement(t, m.target().schema(), m.target().name())) {
          s.execute("ALTER TABLE " + m.quotedTarget() + " AUTO_INCREMENT = " + next);
        }
      }
    }
    if (hook != null && !hook.isBlank()) {
      hookRan = true;
      runHook();
    }
  }

  private void runHook() {
    LOG.info("running the cutover hook while the source tables are locked: {}", hook);
    runHook(hook, Map.of("SPIRIT_MOVE_TABLES", String.join(",", tables.stream().map(TableMove::table).toList()),
        "SPIRIT_MOVE_SOURCE_SCHEMA", tables.get(0).source().schema(),
        "SPIRIT_MOVE_TARGET_SCHEMA", tables.get(0).target().schema()), Duration.ofSeconds(HOOK_TIMEOUT_SECONDS), err);
    LOG.info("the cutover hook succeeded");
  }

  /**
   * Runs {@code hook} with {@code /bin/sh -c}, its output copied to {@code err} as it comes (by a thread of its own, so
   * a hook that hangs with its output open is still timed out), and kills it and everything it started when it
   * outlives {@code timeout}.
   *
   * @throws SpiritException unless the hook exits 0 in time
   */
  static void runHook(String hook, Map<String, String> env, Duration timeout, PrintStream err) {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", hook).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw hookFailed("could not be started (" + e.getMessage() + ")");
    }
    Thread output = new Thread(() -> {
      try {
        p.getInputStream().transferTo(err);
      } catch (IOException e) {
        // the hook is gone; its exit status says how it ended
      }
    }, "cutover-hook-output");
    output.setDaemon(true);
    output.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw hookFailed("did not finish within " + timeout.toSeconds() + " s and was killed");
      }
      output.join(1000);
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw hookFailed("was interrupted");
    }
    if (p.exitValue() != 0) {
      throw hookFailed("exited with status " + p.exitValue());
    }
  }

  private static SpiritException hookFailed(String what) {
    return new SpiritException(ErrorCode.CUTOVER_FAILED, "--cutover-hook " + what + "; nothing was renamed, the"
        + " source tables are unlocked and serving as before. Make sure the hook sent no writes to the target, then"
        + " run the same command again once the hook is fixed: it resumes from its checkpoint (--force starts over).");
  }
}
