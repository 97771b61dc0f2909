package dev.spirit.config;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configuration layers below the command line: environment variables, then the {@code --conf} option file. (The
 * command line above them and the built-in defaults below them are applied by the CLI.)
 *
 * <p>Every option {@code --some-flag} can be set as {@code SPIRIT_SOME_FLAG}; the name is derived, never listed. An
 * environment variable set to the empty string counts as unset, so {@code SPIRIT_X=} can switch a variable off. Only
 * the options with a {@code [client]} counterpart can come from the option file.
 *
 * <p>The option file is read once, when first needed. A file that cannot be read does not fail the lookups (the
 * CLI's parser would swallow the reason); {@link #optionFile()} reports it instead. Not thread-safe: one run, one
 * thread.
 */
public final class ConfigSources {
  public static final String ENV_PREFIX = "SPIRIT_";

  private static final Pattern OPTION_NAME = Pattern.compile("--[a-z0-9]+(-[a-z0-9]+)*");
  private static final Map<String, Function<OptionFile, Optional<OptionFile.Value>>> FROM_OPTION_FILE =
      Map.of(
          OptionNames.HOST, OptionFile::hostWithPort,
          OptionNames.USERNAME, file -> file.value(OptionFile.ClientKey.USER),
          OptionNames.PASSWORD, file -> file.value(OptionFile.ClientKey.PASSWORD),
          OptionNames.DATABASE, file -> file.value(OptionFile.ClientKey.DATABASE),
          OptionNames.TLS_MODE, file -> file.value(OptionFile.ClientKey.TLS_MODE),
          OptionNames.TLS_CA, file -> file.value(OptionFile.ClientKey.TLS_CA));

  /** A value found below the command line, and where: an environment variable name, or file and line. */
  public record ResolvedValue(String value, String origin) {
    @Override
    public String toString() {
      // The value may be a password.
      return "ResolvedValue[origin=" + origin + "]";
    }
  }

  private final Map<String, String> env;
  private final String confPath;
  private boolean optionFileRead;
  private OptionFile optionFile;
  private SpiritException optionFileFailure;

  /**
   * @param env the process environment
   * @param confFromCommandLine the {@code --conf} value found on the command line before parsing, or null; it wins
   *     over {@code SPIRIT_CONF}
   */
  public ConfigSources(Map<String, String> env, String confFromCommandLine) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.confPath = confFromCommandLine != null ? confFromCommandLine : environment(OptionNames.CONF);
  }

  /** {@code --write-threads} becomes {@code SPIRIT_WRITE_THREADS}. */
  public static String envName(String optionName) {
    if (!OPTION_NAME.matcher(optionName).matches()) {
      throw new IllegalArgumentException("not a long option name: " + optionName);
    }
    return ENV_PREFIX + optionName.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The option file to read, from the command line or {@code SPIRIT_CONF}. */
  public Optional<String> confPath() {
    return Optional.ofNullable(confPath);
  }

  /**
   * The value of an option from the environment, else (when {@code withOptionFile}) from the option file.
   * Never fails: an unreadable option file simply contributes nothing here.
   */
  public Optional<ResolvedValue> lookup(String optionName, boolean withOptionFile) {
    String fromEnv = environment(optionName);
    if (fromEnv != null) {
      return Optional.of(new ResolvedValue(fromEnv, envName(optionName)));
    }
    Function<OptionFile, Optional<OptionFile.Value>> fromFile = FROM_OPTION_FILE.get(optionName);
    if (!withOptionFile || fromFile == null) {
      return Optional.empty();
    }
    try {
      return optionFile().flatMap(file -> fromFile.apply(file)
          .map(v -> new ResolvedValue(v.text(), file.path() + " line " + v.line())));
    } catch (SpiritException unreadable) {
      return Optional.empty();
    }
  }

  /** The option file, read on first use; empty when none is configured. Fails if it cannot be read or is invalid. */
  public Optional<OptionFile> optionFile() {
    if (!optionFileRead) {
      optionFileRead = true;
      if (confPath != null) {
        try {
          optionFile = OptionFile.read(toPath(confPath));
        } catch (SpiritException e) {
          optionFileFailure = e;
        }
      }
    }
    if (optionFileFailure != null) {
      throw optionFileFailure;
    }
    return Optional.ofNullable(optionFile);
  }

  private String environment(String optionName) {
    String value = env.get(envName(optionName));
    return value == null || value.isEmpty() ? null : value;
  }

  private static Path toPath(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new SpiritException(ErrorCode.CONFIG_FILE, OptionNames.CONF + ": '" + text + "' is not a valid path", e);
    }
  }
}
