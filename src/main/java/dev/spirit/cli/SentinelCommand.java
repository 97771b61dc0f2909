package dev.spirit.cli;

import dev.spirit.config.ConfigSources;
import dev.spirit.config.SentinelRequest;
import java.time.Duration;
import dev.spirit.config.StatusFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spirit sentinel status|release}: the commands automation uses to release deferred cutovers. */
@Command(
    name = "sentinel",
    description = {"Report or release the _spirit_sentinel gate of a schema (see docs/sentinel.md).", ""},
    synopsisSubcommandLabel = "COMMAND")
final class SentinelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required: status or release");
  }

  /** Options both subcommands take. */
  static class Common {
    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Mixin HelpOption help;

    @Mixin ConnectionOptions connection;

    @Option(
        names = "--max-age",
        defaultValue = "30s",
        converter = ValueConverters.GoDurationConverter.class,
        paramLabel = "<duration>",
        description = "A run counts as alive only if its heartbeat is younger than this (runs beat every 5s);"
            + " at least 6s.%n  Default: ${DEFAULT-VALUE}")
    Duration maxAge;

    SentinelRequest request(ConfigSources sources, Optional<String> owner, StatusFormat format) {
      return ConfigValidation.build(spec, new OptionOrigins(sources),
          () -> new SentinelRequest(connection.toSettings(sources), maxAge, owner, format));
    }
  }

  @Command(name = "status", description = {
      "Print each run's row (owner, status, heartbeat age); exit 0 only when every run is ready and alive.", ""})
  static final class Status implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--status-format",
        defaultValue = "text",
        converter = ValueConverters.StatusFormatConverter.class,
        paramLabel = "text|json",
        description = "text: a table of the runs and a verdict. json: one JSON object on stdout instead, with the"
            + " same exit code (docs/status.md).")
    StatusFormat statusFormat;

    private final CommandHandlers handlers;
    private final ConfigSources sources;

    Status(CommandHandlers handlers, ConfigSources sources) {
      this.handlers = handlers;
      this.sources = sources;
    }

    @Override
    public Integer call() {
      return handlers.sentinel(common.request(sources, Optional.empty(), statusFormat), false);
    }
  }

  @Command(name = "release", description = {
      "Release deferred cutovers, only if every run (or the --owner run) is ready and alive: drops the sentinel,"
          + " or deletes the owner's row. Exits non-zero and says why otherwise.", ""})
  static final class Release implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--owner", paramLabel = "<owner>",
        description = "Release only this run, such as migrate:shop.orders; the others keep waiting.")
    String owner;

    private final CommandHandlers handlers;
    private final ConfigSources sources;

    Release(CommandHandlers handlers, ConfigSources sources) {
      this.handlers = handlers;
      this.sources = sources;
    }

    @Override
    public Integer call() {
      return handlers.sentinel(common.request(sources, Optional.ofNullable(owner), StatusFormat.TEXT), true);
    }
  }
}
