package dev.spirit.cli;

import static dev.spirit.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.cli.CliHarness.Result;
import dev.spirit.config.HostPort;
import dev.spirit.config.MoveConfig;
import dev.spirit.config.TlsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoveCommandTest {
  @TempDir Path dir;

  @Test
  void defaultsMatchUpstream() {
    MoveConfig config = moveOk(Map.of());
    assertThat(config.source().address()).isEqualTo(new HostPort("127.0.0.1", 3306));
    assertThat(config.source().user()).isEqualTo("spirit");
    assertThat(config.source().password().reveal()).isEqualTo("spirit");
    assertThat(config.source().schema()).isEqualTo("src");
    assertThat(config.target().schema()).isEqualTo("dest");
    assertThat(config.copy().threads()).isEqualTo(2);
    assertThat(config.copy().writeThreads()).isEqualTo(4);
    assertThat(config.copy().targetChunkSize().bytes()).isEqualTo(2_097_152L);
    assertThat(config.cutover().lockWaitTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.cutover().deferCutover()).isFalse();
    assertThat(config.checkpointMaxAge()).isEqualTo(Duration.ofHours(168));
    assertThat(config.reverseWindow()).isZero();
    assertThat(config.deferSecondaryIndexes()).isFalse();
    assertThat(config.force()).isFalse();
    assertThat(config.tls().mode()).isEqualTo(TlsMode.PREFERRED);
    assertThat(config.replicaThrottle().maxLag()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.reporting().statusFormat()).isEqualTo(dev.spirit.config.StatusFormat.TEXT);
    assertThat(config.reporting().dryRun()).isFalse();
  }

  @Test
  void statusFormatAndDryRunAreReadLikeMigrates() {
    MoveConfig config = moveOk(Map.of(), "--status-format", "json", "--dry-run");
    assertThat(config.reporting().statusFormat()).isEqualTo(dev.spirit.config.StatusFormat.JSON);
    assertThat(config.reporting().dryRun()).isTrue();
  }

  @Test
  void metricsListenNeedsAPortAndIsRefusedWithADryRun() {
    MoveConfig config = moveOk(Map.of(), "--metrics-listen", "0.0.0.0:9090");
    assertThat(config.reporting().metricsListen()).contains(new HostPort("0.0.0.0", 9090));
    Result migrate = run("migrate", "--statement", "ALTER TABLE t ADD c INT", "--metrics-listen", "127.0.0.1:9091");
    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
    assertThat(migrate.migrate().reporting().metricsListen()).contains(new HostPort("127.0.0.1", 9091));

    Result noPort = run("move", "--metrics-listen", "localhost");
    assertThat(noPort.exitCode()).isEqualTo(2);
    assertThat(noPort.err()).contains("--metrics-listen", "has no port");
    Result dry = run("move", "--dry-run", "--metrics-listen", "127.0.0.1:9090");
    assertThat(dry.exitCode()).isEqualTo(2);
    assertThat(dry.err()).contains("--metrics-listen", "--dry-run");
    assertThat(dry.config()).isNull();
  }

  @Test
  void sentinelStatusTakesAStatusFormatAndReleaseDoesNot() {
    Result status = run("sentinel", "status", "--status-format", "json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(((dev.spirit.config.SentinelRequest) status.config()).statusFormat())
        .isEqualTo(dev.spirit.config.StatusFormat.JSON);
    Result release = run("sentinel", "release", "--status-format", "json");
    assertThat(release.exitCode()).isEqualTo(2);
    assertThat(release.config()).as("refused, never accepted and ignored").isNull();
  }

  @Test
  void readsEveryMoveOption() {
    MoveConfig config = moveOk(Map.of(),
        "--source-dsn", "app:s3cret@tcp(old-db:3306)/shop",
        "--target-dsn", "app:s3cret@tcp(new-db:3307)/shop",
        "--threads", "8", "--write-threads", "6", "--target-chunk-size", "4MiB",
        "--defer-cutover", "--defer-cutover-timeout", "12h", "--lock-wait-timeout", "10s",
        "--defer-secondary-indexes", "--checkpoint-max-age", "1h", "--force", "--reverse-window", "30m",
        "--replica-dsn", "r:p@tcp(replica)/", "--replica-max-lag", "1m", "--tls-mode", "required");
    assertThat(config.source().address()).isEqualTo(new HostPort("old-db", 3306));
    assertThat(config.target().address()).isEqualTo(new HostPort("new-db", 3307));
    assertThat(config.copy().threads()).isEqualTo(8);
    assertThat(config.copy().writeThreads()).isEqualTo(6);
    assertThat(config.copy().targetChunkSize().bytes()).isEqualTo(4L << 20);
    assertThat(config.cutover().deferCutover()).isTrue();
    assertThat(config.cutover().deferCutoverTimeout()).isEqualTo(Duration.ofHours(12));
    assertThat(config.cutover().lockWaitTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.deferSecondaryIndexes()).isTrue();
    assertThat(config.checkpointMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(config.force()).isTrue();
    assertThat(config.reverseWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.replicaThrottle().replicas()).hasSize(1);
    assertThat(config.replicaThrottle().maxLag()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.tls().mode()).isEqualTo(TlsMode.REQUIRED);
  }

  @Test
  void dsnsComeFromTheEnvironmentUnlessGivenOnTheCommandLine() {
    Map<String, String> env = Map.of("SPIRIT_SOURCE_DSN", "e:pw@tcp(env-src)/a", "SPIRIT_TARGET_DSN",
        "e:pw@tcp(env-dst)/a");
    MoveConfig fromEnv = moveOk(env);
    assertThat(fromEnv.source().address().host()).isEqualTo("env-src");
    assertThat(fromEnv.target().address().host()).isEqualTo("env-dst");
    MoveConfig fromCli = moveOk(env, "--target-dsn", "c:pw@tcp(cli-dst)/a");
    assertThat(fromCli.target().address().host()).isEqualTo("cli-dst");
  }

  @Test
  void moveDoesNotReadTheOptionFile() throws IOException {
    Path conf = Files.writeString(dir.resolve("my.cnf"), "[client]\ntls-mode=DISABLED\n");
    assertThat(moveOk(Map.of("SPIRIT_CONF", conf.toString())).tls().mode()).isEqualTo(TlsMode.PREFERRED);
  }

  private static MoveConfig moveOk(Map<String, String> env, String... extra) {
    String[] args = new String[extra.length + 1];
    args[0] = "move";
    System.arraycopy(extra, 0, args, 1, extra.length);
    Result result = run(env, args);
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    return result.move();
  }
}
