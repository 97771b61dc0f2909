package dev.spirit.cli;

import dev.spirit.config.MigrateConfig;
import dev.spirit.config.MoveConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@link Main#run} with captured output, a given environment and handlers that record what they receive. */
final class CliHarness {
  /** The outcome of one run. {@code config} is what the handler received, or null if it was not called. */
  record Result(int exitCode, String out, String err, Object config) {
    List<String> errLines() {
      return err.lines().toList();
    }

    MigrateConfig migrate() {
      return (MigrateConfig) config;
    }

    MoveConfig move() {
      return (MoveConfig) config;
    }

    String all() {
      return out + err + config;
    }
  }

  /** Records the configuration and answers with a fixed exit code. */
  static final class RecordingHandlers implements CommandHandlers {
    final List<Object> received = new ArrayList<>();
    private final int exitCode;

    RecordingHandlers(int exitCode) {
      this.exitCode = exitCode;
    }

    @Override
    public int migrate(MigrateConfig config) {
      received.add(config);
      return exitCode;
    }

    @Override
    public int move(MoveConfig config) {
      received.add(config);
      return exitCode;
    }

    @Override
    public int sentinel(dev.spirit.config.SentinelRequest request, boolean release) {
      received.add(request);
      return exitCode;
    }
  }

  private CliHarness() {}

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  static Result run(Map<String, String> env, String... args) {
    return run(env, new RecordingHandlers(0), args);
  }

  static Result run(Map<String, String> env, CommandHandlers handlers, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), env, handlers, args);
    Object config = null;
    if (handlers instanceof RecordingHandlers recording && !recording.received.isEmpty()) {
      config = recording.received.get(0);
    }
    return new Result(exitCode, out.toString(), err.toString(), config);
  }

  /** Arguments for a migrate run that passes validation, followed by {@code extra}. */
  static String[] migrate(String... extra) {
    List<String> args = new ArrayList<>(List.of("migrate", "--statement", "ALTER TABLE t ADD COLUMN c INT"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }
}
