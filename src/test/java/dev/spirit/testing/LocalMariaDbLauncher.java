package dev.spirit.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** MariaDB from the machine's own {@code mariadbd} (Debian's mariadb-server), in a data directory of its own. */
final class LocalMariaDbLauncher implements ServerLauncher {
  private final ServerVariant variant;

  LocalMariaDbLauncher(ServerVariant variant) {
    this.variant = variant;
  }

  @Override
  public String name() {
    return "mariadb" + variant.suffix();
  }

  @Override
  public ServerVariant variant() {
    return variant;
  }

  @Override
  public boolean requiredInCi() {
    return true;
  }

  @Override
  public TestServer start() throws Exception {
    Path mariadbd = find("mariadbd").orElseThrow(() -> new ServerUnavailableException(
        "mariadbd is not installed (apt-get install -y mariadb-server)"));
    Path installDb = find("mariadb-install-db").or(() -> find("mysql_install_db")).orElseThrow(
        () -> new ServerUnavailableException("mariadb-install-db is not installed (apt-get install -y mariadb-server)"));
    LocalServerProcess server = LocalServerProcess.prepare(name());

    List<String> init = new ArrayList<>(List.of(installDb.toString(), "--no-defaults",
        "--datadir=" + server.dataDir(), "--auth-root-authentication-method=normal", "--skip-test-db",
        // The bootstrap's temporary tables go to the server's own directory: a shared /tmp has made it fail with
        // "Unknown table 'mysql.tmp_user_sys'" when the temporary file vanished under it.
        "--tmpdir=" + server.workDir()));
    if (LocalServerProcess.runningAsRoot()) {
      init.add("--user=root");
    }
    server.runToCompletion(init, Duration.ofMinutes(3));

    List<String> run = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults"));
    run.addAll(server.commonServerOptions());
    run.addAll(List.of("--binlog-format=ROW", "--binlog-row-image=FULL", "--binlog-row-metadata=FULL"));
    run.addAll(variant.options());
    String version = server.start(run);
    return new TestServer("mariadb-" + version.split("-")[0] + variant.suffix(), "local mariadbd", "127.0.0.1",
        server.port(), LocalServerProcess.USER, LocalServerProcess.PASSWORD, version);
  }

  private static Optional<Path> find(String binary) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    // Debian puts the server in sbin, which is not on a normal user's PATH.
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"));
    return dirs.stream().map(d -> Path.of(d, binary)).filter(Files::isExecutable).findFirst();
  }
}
