package dev.spirit.cli;

import dev.spirit.config.ConfigSources;
import dev.spirit.config.ConnectionSettings;
import dev.spirit.config.Defaults;
import dev.spirit.config.HostPort;
import dev.spirit.config.OptionNames;
import dev.spirit.config.Secret;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How to reach the server: shared by {@code migrate} and the {@code sentinel} commands. */
final class ConnectionOptions {
  @Option(
      names = OptionNames.HOST,
      defaultValue = Defaults.HOST,
      converter = ValueConverters.HostPortConverter.class,
      paramLabel = "<host[:port]>",
      description = "MySQL server; port 3306 when absent. An IPv6 address goes in brackets, as in [::1]:3306.")
  HostPort host;

  @Option(names = OptionNames.USERNAME, defaultValue = Defaults.USERNAME, paramLabel = "<user>",
      description = "MySQL user.")
  String username;

  @Option(
      names = OptionNames.PASSWORD,
      defaultValue = Defaults.PASSWORD,
      paramLabel = "<password>",
      showDefaultValue = Visibility.NEVER,
      description = "MySQL password; an empty value means no password. Prefer SPIRIT_PASSWORD or --conf: other"
          + " users can read command lines.")
  String password;

  @Option(names = OptionNames.DATABASE, defaultValue = Defaults.DATABASE, paramLabel = "<schema>",
      description = "Schema of the table to change, or of the sentinel.")
  String database;

  @Option(
      names = OptionNames.CONF,
      paramLabel = "<file>",
      description = "MySQL option file; its [client] section gives defaults for the connection options.")
  String conf;

  @Mixin TlsOptions tls;

  ConnectionSettings toSettings(ConfigSources sources) {
    requireSameOptionFile(sources);
    sources.optionFile(); // a broken --conf is reported even when no value was needed from it
    return new ConnectionSettings(host, username, Secret.of(password), database, tls.toSettings());
  }

  // The defaults were read from the file found by the early scan; they must be that of the parsed option.
  private void requireSameOptionFile(ConfigSources sources) {
    String scanned = sources.confPath().orElse(null);
    if (conf != null && !conf.equals(scanned)) {
      throw new IllegalStateException("--conf parsed as '" + conf + "' but scanned as '" + scanned + "'");
    }
  }
}
