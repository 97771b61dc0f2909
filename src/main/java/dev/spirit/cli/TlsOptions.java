package dev.spirit.cli;

import dev.spirit.config.Defaults;
import dev.spirit.config.OptionNames;
import dev.spirit.config.TlsMode;
import dev.spirit.config.TlsSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** TLS options shared by {@code migrate} and {@code move}. */
final class TlsOptions {
  @Option(
      names = OptionNames.TLS_MODE,
      defaultValue = Defaults.TLS_MODE,
      converter = ValueConverters.TlsModeConverter.class,
      paramLabel = "<mode>",
      description = "DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY (any case).")
  TlsMode mode;

  @Option(
      names = OptionNames.TLS_CA,
      paramLabel = "<file>",
      description = "PEM file of the CA that signed the server's certificate; must be readable.")
  Path caFile;

  TlsSettings toSettings() {
    return new TlsSettings(mode, Optional.ofNullable(caFile));
  }
}
