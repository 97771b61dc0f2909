package dev.spirit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.config.ConfigSources.ResolvedValue;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSourcesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "--write-threads, SPIRIT_WRITE_THREADS",
    "--password, SPIRIT_PASSWORD",
    "--conf, SPIRIT_CONF",
    "--skip-drop-after-cutover, SPIRIT_SKIP_DROP_AFTER_CUTOVER",
    "--tls-ca, SPIRIT_TLS_CA",
  })
  void derivesEnvironmentNamesFromOptionNames(String option, String env) {
    assertThat(ConfigSources.envName(option)).isEqualTo(env);
  }

  @ParameterizedTest
  @ValueSource(strings = {"threads", "-t", "--", "--Threads", "--write_threads", "--a--b"})
  void refusesWhatIsNotALongOptionName(String name) {
    assertThatThrownBy(() -> ConfigSources.envName(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void environmentBeatsTheOptionFile() throws IOException {
    Path conf = write("[client]\nuser=from-file\npassword=file-pw\n");
    ConfigSources sources = new ConfigSources(Map.of("SPIRIT_USERNAME", "from-env"), conf.toString());
    assertThat(sources.lookup("--username", true)).hasValue(new ResolvedValue("from-env", "SPIRIT_USERNAME"));
    assertThat(sources.lookup("--password", true))
        .hasValue(new ResolvedValue("file-pw", conf + " line 3"));
  }

  @Test
  void theOptionFileIsUsedOnlyWhenAsked() throws IOException {
    Path conf = write("[client]\nuser=from-file\n");
    ConfigSources sources = new ConfigSources(Map.of(), conf.toString());
    assertThat(sources.lookup("--username", false)).isEmpty();
    assertThat(sources.lookup("--username", true)).map(ResolvedValue::value).hasValue("from-file");
  }

  @Test
  void theOptionFileOnlyAnswersForItsKeys() throws IOException {
    Path conf = write("[client]\nthreads=9\n");
    assertThat(new ConfigSources(Map.of(), conf.toString()).lookup("--threads", true)).isEmpty();
  }

  @Test
  void anEmptyEnvironmentVariableCountsAsUnset() throws IOException {
    Path conf = write("[client]\npassword=file-pw\n");
    ConfigSources sources = new ConfigSources(Map.of("SPIRIT_PASSWORD", "", "SPIRIT_CONF", ""), conf.toString());
    assertThat(sources.lookup("--password", true)).map(ResolvedValue::value).hasValue("file-pw");
    assertThat(new ConfigSources(Map.of("SPIRIT_CONF", ""), null).confPath()).isEmpty();
  }

  @Test
  void theCommandLineConfBeatsSpiritConf() throws IOException {
    Path fromArgs = write("[client]\nuser=args\n");
    Path fromEnv = Files.writeString(dir.resolve("env.cnf"), "[client]\nuser=env\n");
    ConfigSources both = new ConfigSources(Map.of("SPIRIT_CONF", fromEnv.toString()), fromArgs.toString());
    assertThat(both.confPath()).hasValue(fromArgs.toString());
    assertThat(both.lookup("--username", true)).map(ResolvedValue::value).hasValue("args");
    ConfigSources envOnly = new ConfigSources(Map.of("SPIRIT_CONF", fromEnv.toString()), null);
    assertThat(envOnly.lookup("--username", true)).map(ResolvedValue::value).hasValue("env");
  }

  @Test
  void anUnreadableOptionFileContributesNothingButIsReported() {
    Path missing = dir.resolve("missing.cnf");
    ConfigSources sources = new ConfigSources(Map.of(), missing.toString());
    assertThat(sources.lookup("--password", true)).isEmpty();
    assertThatThrownBy(sources::optionFile)
        .isInstanceOf(SpiritException.class)
        .hasMessage("--conf: " + missing + " does not exist")
        .satisfies(e -> assertThat(((SpiritException) e).code()).isEqualTo(ErrorCode.CONFIG_FILE));
  }

  @Test
  void noOptionFileWithoutConf() {
    assertThat(new ConfigSources(Map.of(), null).optionFile()).isEmpty();
  }

  @Test
  void resolvedValuesDoNotPrintTheirValue() {
    assertThat(new ResolvedValue("hunter2", "SPIRIT_PASSWORD").toString()).doesNotContain("hunter2");
  }

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("my.cnf"), content);
  }
}
