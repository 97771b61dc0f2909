package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real {@code spirit migrate} as a process of its own, as an operator runs it, so a test can SIGKILL it: no
 * cleanup, no shutdown hook, only what the server holds survives. Checkpoints are written every second.
 */
public final class SpiritProcess {
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final Thread reader;

  private SpiritProcess(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (output) {
            output.add(line);
          }
        }
      } catch (java.io.IOException e) {
        // the process is gone
      }
    }, "spirit-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code spirit migrate} against the test schema with {@code extra} arguments (the statement and flags). */
  static SpiritProcess migrate(TestDatabase db, String... extra) throws java.io.IOException {
    List<String> args = new ArrayList<>(List.of("migrate", "--host", db.server().hostAndPort(), "--username",
        db.server().user(), "--password", db.server().password(), "--database", db.schema()));
    args.addAll(List.of(extra));
    return start(args);
  }

  /** {@code spirit} with these arguments, checkpoints every second. */
  public static SpiritProcess start(List<String> args) throws java.io.IOException {
    Path jar = Path.of("target/spirit.jar");
    assertThat(jar).as("the shaded jar is built in the package phase, before integration tests").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Dspirit.checkpoint.intervalSeconds=1", "-jar",
        jar.toString()));
    command.addAll(args);
    return new SpiritProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits for a condition while the process lives; fails with its output if the process ends first. */
  public void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive() && !condition.getAsBoolean()) {
        throw new AssertionError("spirit ended (exit " + process.exitValue() + ") before " + what + ":\n"
            + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ":\n" + output());
      }
      Thread.sleep(10);
    }
  }

  /** Sends a signal ({@code INT}, {@code TERM}, …) and returns at once. */
  public void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
  }

  /** SIGKILL: the process gets no chance to clean anything up. */
  public void kill() throws Exception {
    new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start().waitFor();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
    reader.join(5000);
  }

  /** Waits for the process to end and returns its exit code. */
  public int exitCode() throws InterruptedException {
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("spirit ended:\n%s", output()).isTrue();
    reader.join(5000);
    return process.exitValue();
  }
}
