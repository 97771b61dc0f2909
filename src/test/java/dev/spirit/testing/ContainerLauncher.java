package dev.spirit.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.mysql.MySQLContainer;

/**
 * A server in a Docker container, used only when a Docker engine answers. Machines without one (ours) skip these
 * flavours without trying to pull anything.
 */
final class ContainerLauncher implements ServerLauncher {
  static final List<String> IMAGES = List.of("mysql:8.0", "mysql:8.4", "mariadb:11");

  private final String image;

  ContainerLauncher(String image) {
    this.image = image;
  }

  @Override
  public String name() {
    return "container-" + image.replace(':', '-');
  }

  @Override
  public boolean requiredInCi() {
    return false;
  }

  @Override
  public TestServer start() throws Exception {
    if (!dockerMayBePresent() || !DockerClientFactory.instance().isDockerAvailable()) {
      throw new ServerUnavailableException("no Docker engine answers on this machine");
    }
    JdbcDatabaseContainer<?> container;
    if (image.startsWith("mariadb")) {
      container = new MariaDBContainer(image).withCommand("--log-bin=binlog", "--server-id=1",
          "--binlog-format=ROW", "--binlog-row-image=FULL", "--binlog-row-metadata=FULL");
    } else {
      container = new MySQLContainer(image).withCommand("--log-bin=binlog", "--server-id=1",
          "--gtid-mode=ON", "--enforce-gtid-consistency=ON");
    }
    container.withUsername("root").withPassword("spirit");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-" + name()));
    String version;
    try (var c = container.createConnection("");
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      version = rs.getString(1);
    }
    String flavor = image.startsWith("mariadb") ? "mariadb" : "mysql";
    return new TestServer(flavor + "-" + version.split("-")[0] + "-docker", "container " + image,
        container.getHost(), container.getMappedPort(3306), "root", "spirit", version);
  }

  /** Asking Testcontainers costs seconds and log noise where there is plainly no engine; look for one first. */
  private static boolean dockerMayBePresent() {
    return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
  }
}
