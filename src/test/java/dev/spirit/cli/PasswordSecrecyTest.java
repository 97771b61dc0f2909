package dev.spirit.cli;

import static dev.spirit.cli.CliHarness.migrate;
import static dev.spirit.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.spirit.cli.CliHarness.Result;
import dev.spirit.config.Defaults;
import dev.spirit.config.MigrateConfig;
import dev.spirit.config.MoveConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Passwords from any layer never show up in help, errors, stack traces or printed configuration. */
class PasswordSecrecyTest {
  private static final String CLI_PW = "Cli-Pw-7f3a";
  private static final String ENV_PW = "Env-Pw-91bc";
  private static final String FILE_PW = "File-Pw-c4d2";
  private static final String DSN_PW = "Dsn-Pw-5e6f";

  @TempDir Path dir;

  @AfterEach
  void resetLogLevel() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
  }

  @Test
  void helpNeverShowsAPasswordOrItsDefault() throws IOException {
    Path conf = Files.writeString(dir.resolve("my.cnf"), "[client]\npassword=" + FILE_PW + "\n");
    Map<String, String> env = Map.of("SPIRIT_PASSWORD", ENV_PW, "SPIRIT_SOURCE_DSN", "u:" + DSN_PW + "@tcp(h)/a",
        "SPIRIT_REPLICA_DSN", "u:" + DSN_PW + "@tcp(r)/");
    String migrateHelp = run(env, "migrate", "--conf", conf.toString(), "--help").out();
    String moveHelp = run(env, "move", "--help").out();
    for (String help : List.of(migrateHelp, moveHelp)) {
      assertThat(help).doesNotContain(ENV_PW, FILE_PW, DSN_PW, Defaults.SOURCE_DSN, Defaults.TARGET_DSN);
    }
    assertThat(optionHelp(migrateHelp, "--password=")).doesNotContain("Default");
    assertThat(optionHelp(migrateHelp, "--replica-dsn=")).doesNotContain("Default");
    assertThat(optionHelp(moveHelp, "--source-dsn=")).doesNotContain("Default: spirit");
    // Sanity check of optionHelp: an option with a default does show it.
    assertThat(optionHelp(migrateHelp, "--username=")).contains("Default: spirit");
  }

  @Test
  void noOutputOrConfigurationEverShowsAPassword() throws IOException {
    Path conf = Files.writeString(dir.resolve("my.cnf"), "[client]\npassword=" + FILE_PW + "\n");
    Map<String, String> env = Map.of("SPIRIT_PASSWORD", ENV_PW);
    List<Result> results = new ArrayList<>();
    results.add(run(env, migrate("--conf", conf.toString(), "--password", CLI_PW)));
    results.add(run(env, migrate("--conf", conf.toString())));
    results.add(run(migrate("--conf", conf.toString())));
    results.add(run(env, migrate("--password", CLI_PW, "--threads", "0", "--verbose")));
    results.add(run(env, migrate("--passwrd=" + CLI_PW)));
    results.add(run(env, migrate("--pasword", CLI_PW)));
    results.add(run(env, migrate("--password=", CLI_PW)));
    results.add(run(env, "--verbose", "migrate", "--conf", conf.toString(), "--statement", "ALTER TABLE t ADD c INT",
        "--replica-dsn", "r:" + DSN_PW + "@tcp(r)/"));
    results.add(run(Map.of(), new EngineHandlers(System.out, System.err, false), "--verbose", "move", "--source-dsn",
        "u:" + DSN_PW + "@tcp(h)/a", "--target-dsn", "u:" + DSN_PW + "@tcp(h)/b"));
    results.add(run("move", "--source-dsn", "u:" + DSN_PW + "@tcp(h)/a", "--target-dsn", "u:" + DSN_PW + "@tcp(h)/a"));
    results.add(run("move", "--source-dsn", "u:" + DSN_PW + "@tcp(h:0)/a"));
    results.add(run("move", "--source-dsn", "u:" + DSN_PW + "@tcp(h)/a", "--replica-dsn", "r:" + DSN_PW + "@x(r)/"));
    results.add(run("move", "--source-dsn", "u:" + DSN_PW + "@tcp(h)/a"));

    for (Result result : results) {
      assertThat(result.all()).doesNotContain(CLI_PW, ENV_PW, FILE_PW, DSN_PW);
    }
    // The runs that reached the handler really did carry the passwords.
    assertThat(((MigrateConfig) results.get(0).config()).connection().password().reveal()).isEqualTo(CLI_PW);
    assertThat(((MigrateConfig) results.get(1).config()).connection().password().reveal()).isEqualTo(ENV_PW);
    assertThat(((MigrateConfig) results.get(2).config()).connection().password().reveal()).isEqualTo(FILE_PW);
    assertThat(((MoveConfig) results.get(12).config()).source().password().reveal()).isEqualTo(DSN_PW);
  }

  private static String optionHelp(String help, String option) {
    List<String> lines = help.lines().toList();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().startsWith(option)) {
        text.append(lines.get(i));
        for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("      ") && !lines.get(j).trim().startsWith("-"); j++) {
          text.append('\n').append(lines.get(j));
        }
      }
    }
    assertThat(text).as("help for " + option).isNotEmpty();
    return text.toString();
  }
}
