package dev.spirit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A mysqld or mariadbd started by the tests on a free loopback port, with its own data directory, and stopped when the
 * test JVM exits. Both servers take the same shape of command line, so one class serves both.
 */
final class LocalServerProcess {
  static final String USER = "spirit";
  static final String PASSWORD = "spirit";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String id;
  private final Path workDir;
  private final Path socketDir;
  private final int port;
  private Process process;
  private List<String> command;
  /** The servers this JVM started, by port, for {@link #restart}. */
  private static final Map<Integer, LocalServerProcess> RUNNING = new ConcurrentHashMap<>();

  private LocalServerProcess(String id, Path workDir, Path socketDir, int port) {
    this.id = id;
    this.workDir = workDir;
    this.socketDir = socketDir;
    this.port = port;
  }

  /** Prepares an empty work directory and picks a free port; nothing runs yet. */
  static LocalServerProcess prepare(String id) throws IOException {
    Path root = Path.of(System.getProperty("spirit.test.workdir", "target/test-servers")).toAbsolutePath();
    Files.createDirectories(root);
    Path workDir = Files.createTempDirectory(root, id + "-");
    // Unix socket paths are limited to ~107 bytes; a deep checkout path would not fit.
    Path socketDir = Files.createTempDirectory("spirit-sock-");
    return new LocalServerProcess(id, workDir, socketDir, freePort());
  }

  Path dataDir() {
    return workDir.resolve("data");
  }

  Path workDir() {
    return workDir;
  }

  int port() {
    return port;
  }

  /** The SQL the server runs at start-up: it creates the tests' user, so no root login is ever needed. */
  Path writeInitFile() throws IOException {
    Path init = workDir.resolve("init.sql");
    Files.writeString(init, String.join("\n",
        "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';",
        "GRANT ALL ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;",
        ""), StandardCharsets.UTF_8);
    return init;
  }

  /** Options every local server gets: its files, its port, loopback only, and the binlog the tool needs. */
  List<String> commonServerOptions() throws IOException {
    List<String> options = new ArrayList<>(List.of(
        "--datadir=" + dataDir(),
        "--port=" + port,
        "--bind-address=127.0.0.1",
        "--socket=" + socketDir.resolve("server.sock"),
        "--pid-file=" + workDir.resolve("server.pid"),
        "--log-error=" + errorLog(),
        "--tmpdir=" + workDir,
        "--init-file=" + writeInitFile(),
        "--skip-name-resolve",
        "--server-id=1",
        "--log-bin=binlog",
        "--max-connections=500",
        "--innodb-buffer-pool-size=256M",
        // The tests need a server, not durability: keep fsyncs off the critical path.
        "--innodb-flush-log-at-trx-commit=2",
        "--sync-binlog=0"));
    if (runningAsRoot()) {
      options.add("--user=root");
    }
    // Later options win, so the benchmark can size the server like a production one (a buffer pool that holds
    // the table, a larger redo log) without the tests paying for it.
    String extra = System.getenv("SPIRIT_TEST_SERVER_OPTIONS");
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.trim().split("\\s+")));
    }
    return options;
  }

  Path errorLog() {
    return workDir.resolve("error.log");
  }

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs a one-shot command (data directory initialisation) and fails with its output if it fails. */
  void runToCompletion(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Path log = workDir.resolve("initialize.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(id + ": " + command.get(0) + " did not finish within " + timeout + "\n" + tail(log));
    }
    if (p.exitValue() != 0) {
      throw new IOException(id + ": " + String.join(" ", command) + " exited " + p.exitValue() + "\n" + tail(log));
    }
  }

  /** Starts the server and waits until the tests' user can log in. Returns the server's {@code VERSION()}. */
  String start(List<String> command) throws IOException, InterruptedException {
    String version = launch(command);
    this.command = List.copyOf(command);
    RUNNING.put(port, this);
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-" + id));
    return version;
  }

  /**
   * Shuts the server on {@code port} down cleanly and starts it again on the same files and port, as an operator's
   * restart does (the binlog rotates to a new file; everything committed stays).
   */
  static void restart(int port) throws IOException, InterruptedException {
    LocalServerProcess server = RUNNING.get(port);
    if (server == null) {
      throw new IllegalStateException("no server this test run started listens on port " + port);
    }
    synchronized (server) {
      server.process.destroy();
      if (!server.process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IOException(server.id + ": did not shut down within 60 s\n" + tail(server.errorLog()));
      }
      server.launch(server.command);
    }
  }

  private String launch(List<String> command) throws IOException, InterruptedException {
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("stdout.log").toFile()))
        .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(id + ": server exited with " + process.exitValue() + " during start-up\n"
            + tail(errorLog()));
      }
      try (Connection c = DriverManager.getConnection(
              "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=PREFERRED&allowPublicKeyRetrieval=true"
                  + "&connectTimeout=2000", USER, PASSWORD);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT VERSION()")) {
        rs.next();
        return rs.getString(1);
      } catch (SQLException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    stop();
    throw new IOException(id + ": server did not accept connections within " + START_TIMEOUT + " (last error: "
        + (last == null ? "none" : last.getMessage()) + ")\n" + tail(errorLog()));
  }

  /** Stops the server (SIGTERM, a clean shutdown) and removes its files unless SPIRIT_TEST_KEEP is set. */
  synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (System.getenv("SPIRIT_TEST_KEEP") == null) {
      deleteRecursively(workDir);
    }
    deleteRecursively(socketDir);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  static String tail(Path file) {
    try {
      if (!Files.exists(file)) {
        return "(no " + file.getFileName() + ")";
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("warning: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
