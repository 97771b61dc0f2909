package dev.spirit.cli;

import static dev.spirit.cli.CliHarness.migrate;
import static dev.spirit.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.cli.CliHarness.Result;
import dev.spirit.config.ConfigSources;
import dev.spirit.config.HostPort;
import dev.spirit.config.MigrateConfig;
import dev.spirit.config.SchemaChange;
import dev.spirit.config.TlsMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Command line beats environment beats the --conf file beats the built-in default. */
class PrecedenceTest {
  @TempDir Path dir;

  @Test
  void builtInDefaultsMatchUpstream() {
    MigrateConfig config = migrateOk(Map.of());
    assertThat(config.connection().host()).isEqualTo(new HostPort("127.0.0.1", 3306));
    assertThat(config.connection().username()).isEqualTo("spirit");
    assertThat(config.connection().password().reveal()).isEqualTo("spirit");
    assertThat(config.connection().database()).isEqualTo("test");
    assertThat(config.connection().tls().mode()).isEqualTo(TlsMode.PREFERRED);
    assertThat(config.connection().tls().caFile()).isEmpty();
    assertThat(config.copy().threads()).isEqualTo(4);
    assertThat(config.copy().writeThreads()).isEqualTo(4);
    assertThat(config.copy().targetChunkSize().bytes()).isEqualTo(2_097_152L);
    assertThat(config.cutover().lockWaitTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.cutover().deferCutover()).isFalse();
    assertThat(config.cutover().deferCutoverTimeout()).isEqualTo(Duration.ofHours(48));
    assertThat(config.skipDropAfterCutover()).isFalse();
    assertThat(config.replicaThrottle().replicas()).isEmpty();
    assertThat(config.replicaThrottle().maxLag()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.checkpointMaxAge()).isEqualTo(Duration.ofHours(168));
    assertThat(config.change()).isEqualTo(new SchemaChange.Statement("ALTER TABLE t ADD COLUMN c INT"));
  }

  @Test
  void passwordFromEachOfTheFourLayers() throws IOException {
    Path conf = conf("[client]", "password=from-file");
    Map<String, String> env = Map.of("SPIRIT_PASSWORD", "from-env");
    assertThat(password(env, "--conf", conf.toString(), "--password", "from-cli")).isEqualTo("from-cli");
    assertThat(password(env, "--conf", conf.toString())).isEqualTo("from-env");
    assertThat(password(Map.of(), "--conf", conf.toString())).isEqualTo("from-file");
    assertThat(password(Map.of())).isEqualTo("spirit");
  }

  @Test
  void anEmptyPasswordOnTheCommandLineIsAnEmptyPassword() throws IOException {
    Path conf = conf("[client]", "password=from-file");
    assertThat(password(Map.of("SPIRIT_PASSWORD", "from-env"), "--conf", conf.toString(), "--password="))
        .isEmpty();
  }

  @Test
  void passwordsThatLookLikeTemplatesArriveVerbatim() throws IOException {
    String fromEnv = "a${sys:user.name}b${env:HOME}";
    assertThat(password(Map.of("SPIRIT_PASSWORD", fromEnv))).isEqualTo(fromEnv);
    Path conf = conf("[client]", "password=\"p${DEFAULT-VALUE}q\"");
    assertThat(password(Map.of(), "--conf", conf.toString())).isEqualTo("p${DEFAULT-VALUE}q");
  }

  @Test
  void threadsFromCommandLineEnvironmentAndDefault() {
    Map<String, String> env = Map.of("SPIRIT_THREADS", "6", "SPIRIT_WRITE_THREADS", "7");
    MigrateConfig cli = migrateOk(env, "--threads", "8", "--write-threads=9");
    assertThat(cli.copy().threads()).isEqualTo(8);
    assertThat(cli.copy().writeThreads()).isEqualTo(9);
    MigrateConfig fromEnv = migrateOk(env);
    assertThat(fromEnv.copy().threads()).isEqualTo(6);
    assertThat(fromEnv.copy().writeThreads()).isEqualTo(7);
  }

  @Test
  void aBadEnvironmentValueDoesNotMatterWhenTheCommandLineOverridesIt() {
    assertThat(migrateOk(Map.of("SPIRIT_THREADS", "lots"), "--threads", "3").copy().threads()).isEqualTo(3);
  }

  @Test
  void usernameDatabaseAndTlsFromEachLayer() throws IOException {
    Path ca = Files.writeString(dir.resolve("file-ca.pem"), "pem");
    Path envCa = Files.writeString(dir.resolve("env-ca.pem"), "pem");
    Path conf = conf("[client]", "user=file-user", "database=file_db", "ssl-mode=verify_ca", "ssl_ca=" + ca);
    MigrateConfig fromFile = migrateOk(Map.of(), "--conf", conf.toString());
    assertThat(fromFile.connection().username()).isEqualTo("file-user");
    assertThat(fromFile.connection().database()).isEqualTo("file_db");
    assertThat(fromFile.connection().tls().mode()).isEqualTo(TlsMode.VERIFY_CA);
    assertThat(fromFile.connection().tls().caFile()).hasValue(ca);

    Map<String, String> env = Map.of("SPIRIT_USERNAME", "env-user", "SPIRIT_DATABASE", "env_db",
        "SPIRIT_TLS_MODE", "required", "SPIRIT_TLS_CA", envCa.toString());
    MigrateConfig fromEnv = migrateOk(env, "--conf", conf.toString());
    assertThat(fromEnv.connection().username()).isEqualTo("env-user");
    assertThat(fromEnv.connection().database()).isEqualTo("env_db");
    assertThat(fromEnv.connection().tls().mode()).isEqualTo(TlsMode.REQUIRED);
    assertThat(fromEnv.connection().tls().caFile()).hasValue(envCa);

    MigrateConfig fromCli = migrateOk(env, "--conf", conf.toString(), "--username", "cli-user", "--database",
        "cli_db", "--tls-mode", "DISABLED");
    assertThat(fromCli.connection().username()).isEqualTo("cli-user");
    assertThat(fromCli.connection().database()).isEqualTo("cli_db");
    assertThat(fromCli.connection().tls().mode()).isEqualTo(TlsMode.DISABLED);
  }

  @Test
  void theFilePortCompletesOnlyTheFileHost() throws IOException {
    Path conf = conf("[client]", "host=file-db", "port=3307");
    assertThat(host(Map.of(), "--conf", conf.toString())).isEqualTo(new HostPort("file-db", 3307));
    assertThat(host(Map.of(), "--conf", conf.toString(), "--host", "cli-db")).isEqualTo(new HostPort("cli-db", 3306));
    assertThat(host(Map.of(), "--conf", conf.toString(), "--host", "cli-db:3310"))
        .isEqualTo(new HostPort("cli-db", 3310));
    assertThat(host(Map.of("SPIRIT_HOST", "env-db"), "--conf", conf.toString()))
        .isEqualTo(new HostPort("env-db", 3306));
    assertThat(host(Map.of("SPIRIT_HOST", "[::1]:3320"), "--conf", conf.toString()))
        .isEqualTo(new HostPort("::1", 3320));
  }

  @Test
  void aFilePortWithoutAFileHostAppliesToTheDefaultHost() throws IOException {
    Path conf = conf("[client]", "port=3307");
    assertThat(host(Map.of(), "--conf", conf.toString())).isEqualTo(new HostPort("127.0.0.1", 3307));
    assertThat(host(Map.of(), "--conf", conf.toString(), "--host", "cli-db")).isEqualTo(new HostPort("cli-db", 3306));
  }

  @Test
  void theConfFileCanComeFromSpiritConfAndTheCommandLineWins() throws IOException {
    Path envConf = Files.writeString(dir.resolve("env.cnf"), "[client]\nuser=env-file-user\n");
    Path cliConf = conf("[client]", "user=cli-file-user");
    Map<String, String> env = Map.of("SPIRIT_CONF", envConf.toString());
    assertThat(migrateOk(env).connection().username()).isEqualTo("env-file-user");
    assertThat(migrateOk(env, "--conf=" + cliConf).connection().username()).isEqualTo("cli-file-user");
  }

  @Test
  void anEmptyEnvironmentVariableFallsThroughToTheFile() throws IOException {
    Path conf = conf("[client]", "user=file-user");
    assertThat(migrateOk(Map.of("SPIRIT_USERNAME", ""), "--conf", conf.toString()).connection().username())
        .isEqualTo("file-user");
  }

  @Test
  void everyOtherOptionComesFromItsEnvironmentVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("SPIRIT_TARGET_CHUNK_SIZE", "8MiB");
    env.put("SPIRIT_LOCK_WAIT_TIMEOUT", "1m");
    env.put("SPIRIT_DEFER_CUTOVER", "true");
    env.put("SPIRIT_DEFER_CUTOVER_TIMEOUT", "2h");
    env.put("SPIRIT_SKIP_DROP_AFTER_CUTOVER", "true");
    env.put("SPIRIT_REPLICA_DSN", "r:pw@tcp(replica:3306)/");
    env.put("SPIRIT_REPLICA_MAX_LAG", "30s");
    env.put("SPIRIT_CHECKPOINT_MAX_AGE", "24h");
    MigrateConfig config = migrateOk(env);
    assertThat(config.copy().targetChunkSize().bytes()).isEqualTo(8L << 20);
    assertThat(config.cutover().lockWaitTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.cutover().deferCutover()).isTrue();
    assertThat(config.cutover().deferCutoverTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(config.skipDropAfterCutover()).isTrue();
    assertThat(config.replicaThrottle().replicas()).singleElement()
        .satisfies(r -> assertThat(r.address()).isEqualTo(new HostPort("replica", 3306)));
    assertThat(config.replicaThrottle().maxLag()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.checkpointMaxAge()).isEqualTo(Duration.ofHours(24));

    MigrateConfig overridden = migrateOk(env, "--defer-cutover=false", "--skip-drop-after-cutover", "false");
    assertThat(overridden.cutover().deferCutover()).isFalse();
    assertThat(overridden.skipDropAfterCutover()).isFalse();
  }

  @Test
  void theChangeCanComeFromTheEnvironment() {
    Result result = run(Map.of("SPIRIT_TABLE", "t", "SPIRIT_ALTER", "ADD COLUMN c INT"), "migrate");
    assertThat(result.exitCode()).isZero();
    assertThat(result.migrate().change().sql()).isEqualTo("ALTER TABLE `t` ADD COLUMN c INT");
  }

  /** Every option of every command answers to its derived environment name; none is listed by hand. */
  @Test
  void everyOptionAnswersToItsDerivedEnvironmentName() {
    CommandLine spirit = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Map.of(), new CliHarness.RecordingHandlers(0));
    List<OptionSpec> options = new ArrayList<>();
    for (String command : List.of("migrate", "move")) {
      spirit.getSubcommands().get(command).getCommandSpec().options().stream()
          .filter(o -> !o.usageHelp() && !o.versionHelp())
          .forEach(options::add);
    }
    assertThat(options).hasSizeGreaterThan(30);
    for (OptionSpec option : options) {
      String envName = ConfigSources.envName(option.longestName());
      assertThat(envName).matches("SPIRIT_[A-Z0-9_]+");
      EnvAndFileDefaultProvider provider =
          new EnvAndFileDefaultProvider(new ConfigSources(Map.of(envName, "value-of-" + envName), null));
      assertThat(provider.defaultValue(option)).as(option.longestName()).isEqualTo("value-of-" + envName);
    }
  }

  private MigrateConfig migrateOk(Map<String, String> env, String... extra) {
    Result result = run(env, migrate(extra));
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    return result.migrate();
  }

  private String password(Map<String, String> env, String... extra) {
    return migrateOk(env, extra).connection().password().reveal();
  }

  private HostPort host(Map<String, String> env, String... extra) {
    return migrateOk(env, extra).connection().host();
  }

  private Path conf(String... lines) throws IOException {
    return Files.writeString(dir.resolve("my.cnf"), String.join("\n", lines) + "\n");
  }
}
