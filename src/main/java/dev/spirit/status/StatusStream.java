package dev.spirit.status;

import dev.spirit.config.StatusFormat;
import dev.spirit.error.ExitCode;
import dev.spirit.error.SpiritException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The machine-readable status of a run (docs/status.md): JSON lines on stdout, one at each phase change, one per
 * status tick, and the result last. Every line carries the schema's version, the kind of line and the time since the
 * run began; the human lines on stderr are unchanged. Off, it writes nothing.
 */
public final class StatusStream {
  /** The schema's version: raised when a field changes meaning or goes; new fields do not raise it. */
  public static final int VERSION = 1;
  /** How often a status line is written; the human line's 30 s is too coarse for a control plane. */
  public static final Duration TICK = Duration.ofSeconds(5);

  private final PrintStream out;
  private final String command;
  private final long started = System.nanoTime();
  private boolean resultWritten;

  private StatusStream(PrintStream out, String command) {
    this.out = out;
    this.command = command;
  }

  public static StatusStream off() {
    return new StatusStream(null, null);
  }

  /** @param command {@code migrate} or {@code move} */
  public static StatusStream of(StatusFormat format, PrintStream out, String command) {
    return format == StatusFormat.JSON ? new StatusStream(out, command) : off();
  }

  public boolean on() {
    return out != null;
  }

  /** A line of {@code type}, with the fields every line has. */
  private Json line(String type) {
    return Json.object().put("v", VERSION).put("type", type).put("command", command)
        .put("elapsedSeconds", (System.nanoTime() - started) / 1e9);
  }

  private synchronized void write(Json line) {
    out.println(line);
    out.flush();
  }

  /** The run entered {@code phase}; {@code now} is its progress at that moment, null when there is none yet. */
  public void phase(Phase phase, Progress now) {
    if (on()) {
      write(figures(line("phase").put("phase", phase.upstreamName()).put("step", phase.key()), now, 0, null));
    }
  }

  /** A status tick: the figures of the phase, with the copy's rate and when it should end. */
  public void status(Progress now, double rowsPerSecond, Duration eta) {
    if (on() && now != null) {
      write(figures(line("status").put("phase", now.phase().upstreamName()).put("step", now.phase().key()), now,
          rowsPerSecond, eta));
    }
  }

  private static Json figures(Json line, Progress p, double rowsPerSecond, Duration eta) {
    if (p == null) {
      return line;
    }
    boolean measured = p.phase() == Phase.COPY || p.phase() == Phase.CHECKSUM;
    line.put("rowsDone", p.done()).put("rowsTotalEstimate", Math.max(p.total(), p.done()))
        .put("rowsPerSecond", measured ? rowsPerSecond : null)
        .put("eta", Json.object().put("state", !measured ? "none" : eta == null ? "measuring" : "ready")
            .put("seconds", eta == null ? null : eta.toSeconds()))
        .put("binlogBacklog", p.pending()).put("changesApplied", p.applied())
        .put("throttle", Json.object().put("throttled", p.throttled() != null).put("reason", p.throttled()))
        .put("sentinel", p.sentinel() == null ? null : Json.object().put("location", p.sentinel().location())
            .put("readiness", p.sentinel().readiness()).put("waitingSeconds", p.sentinel().waitingSeconds()));
    if (p.tables().size() > 1) {
      line.put("tables", p.tables().stream().map(t -> (Object) Json.object().put("table", t.name())
          .put("rowsCopied", t.copied()).put("rowsTotalEstimate", t.estimated())).toList());
    }
    return line;
  }

  /** A dry run's plan (docs/status.md): what the real run would do, written before the result. */
  public void plan(Json plan) {
    if (on()) {
      Json line = line("plan");
      write(line.put("plan", plan));
    }
  }

  /**
   * The last line of a run that completed.
   *
   * @param result its figures (path, rows, checksum, holds), in the order written
   * @param phaseSeconds the time of every phase it went through
   */
  public void completed(Map<String, Object> result, Map<Phase, Duration> phaseSeconds) {
    if (!on()) {
      return;
    }
    Json line = line("result").put("outcome", "completed").put("exitCode", 0);
    result.forEach(line::put);
    write(line.put("phaseSeconds", phases(phaseSeconds)));
    resultWritten = true;
  }

  /** The last line of a run that did not complete; nothing when a result was already written. */
  public void failed(int exitCode, String errorCode, String message, Map<Phase, Duration> phaseSeconds) {
    if (!on() || resultWritten) {
      return;
    }
    String outcome = exitCode == ExitCode.REFUSED.code() ? "refused"
        : exitCode == ExitCode.INTERRUPTED.code() ? "interrupted"
        : exitCode == ExitCode.USAGE.code() ? "invalid" : "failed";
    write(line("result").put("outcome", outcome).put("exitCode", exitCode)
        .put("error", Json.object().put("code", errorCode).put("message", message))
        .put("phaseSeconds", phaseSeconds == null ? Json.object() : phases(phaseSeconds)));
    resultWritten = true;
  }

  /**
   * The last line of a run stopped by {@code e}: a {@link SpiritException} with its exit code and error code, anything
   * else as an internal runtime failure.
   */
  public void failed(RuntimeException e, Map<Phase, Duration> phaseSeconds) {
    if (e instanceof SpiritException se) {
      failed(se.exitCode().code(), se.code().name(), se.getMessage(), phaseSeconds);
    } else {
      failed(ExitCode.RUNTIME_FAILURE.code(), "INTERNAL", String.valueOf(e.getMessage()), phaseSeconds);
    }
  }

  private static Json phases(Map<Phase, Duration> times) {
    Json j = Json.object();
    times.forEach((p, d) -> {
      if (p != Phase.DONE) {
        j.put(p.key(), d.toMillis() / 1000.0);
      }
    });
    return j;
  }
}
