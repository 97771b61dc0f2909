package dev.spirit.cli;

import dev.spirit.config.ByteSize;
import dev.spirit.config.ConfigSources;
import dev.spirit.config.CopySettings;
import dev.spirit.config.Defaults;
import dev.spirit.config.MoveConfig;
import dev.spirit.config.MysqlDsn;
import dev.spirit.config.OptionNames;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spirit move}: parses and validates the options into a {@link MoveConfig} for the engine. */
@Command(
    name = "move",
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Copy the tables of a schema to another server and keep them in sync from the source's binlog, verify every"
          + " row across the two servers, then cut over: the source tables are locked, the last changes applied,"
          + " --cutover-hook run (the traffic switch), and the source tables renamed to <table>_old. MySQL and"
          + " MariaDB in either direction; a definition the target cannot take with the same meaning is refused."
          + " See docs/move.md.",
      ""
    },
    footerHeading = "%nConfiguration:%n",
    footer = {
      "Every option can also be set as an environment variable SPIRIT_<OPTION>, upper case with '-' as '_'"
          + " (SPIRIT_SOURCE_DSN, SPIRIT_WRITE_THREADS). Precedence: command line, environment, built-in default."
          + " An empty environment variable counts as unset."
    })
final class MoveCommand implements Callable<Integer> {
  private final CommandHandlers handlers;
  private final ConfigSources sources;

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(
      names = OptionNames.SOURCE_DSN,
      defaultValue = Defaults.SOURCE_DSN,
      paramLabel = "<dsn>",
      showDefaultValue = Visibility.NEVER, // DSNs hold passwords
      description = "Source as a Go MySQL DSN, user:password@tcp(host:port)/schema. Default: schema src on"
          + " 127.0.0.1:3306 as user spirit.")
  String sourceDsn;

  @Option(
      names = OptionNames.TARGET_DSN,
      defaultValue = Defaults.TARGET_DSN,
      paramLabel = "<dsn>",
      showDefaultValue = Visibility.NEVER,
      description = "Target as a Go MySQL DSN. Default: schema dest on 127.0.0.1:3306 as user spirit.")
  String targetDsn;

  @Option(names = OptionNames.THREADS, defaultValue = Defaults.MOVE_THREADS, paramLabel = "<n>",
      description = "Parallel readers for the copy and the checksum; 1 to 64.")
  int threads;

  @Option(names = OptionNames.WRITE_THREADS, defaultValue = Defaults.WRITE_THREADS, paramLabel = "<n>",
      description = "Parallel writers per target; 1 to 64.")
  int writeThreads;

  @Option(
      names = OptionNames.TARGET_CHUNK_SIZE,
      defaultValue = Defaults.TARGET_CHUNK_SIZE,
      converter = ValueConverters.ByteSizeConverter.class,
      paramLabel = "<bytes>",
      description = "Memory budget of one copied chunk: bytes, or a number with KiB/MiB/GiB (powers of 1024) or"
          + " KB/MB/GB (powers of 1000).")
  ByteSize targetChunkSize;

  @Mixin CutoverOptions cutover;

  @Option(names = OptionNames.DEFER_SECONDARY_INDEXES, arity = "0..1", fallbackValue = "true",
      paramLabel = "<true|false>",
      description = "Create target tables without secondary indexes and add them back before the checksum.")
  boolean deferSecondaryIndexes;

  @Option(
      names = OptionNames.CHECKPOINT_MAX_AGE,
      defaultValue = Defaults.CHECKPOINT_MAX_AGE,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "A checkpoint older than this is an error rather than a resume point.")
  Duration checkpointMaxAge;

  @Option(names = OptionNames.FORCE, arity = "0..1", fallbackValue = "true", paramLabel = "<true|false>",
      description = "When a resume is impossible, drop the target tables and start over.")
  boolean force;

  @Option(
      names = OptionNames.REVERSE_WINDOW,
      defaultValue = Defaults.REVERSE_WINDOW,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "Not available yet: only 0s (no reverse replication after the cutover) is accepted.")
  Duration reverseWindow;

  @Option(names = OptionNames.SOURCE_TABLES, split = ",", paramLabel = "<table>",
      description = "Move only these tables (comma-separated); default: every table of the source schema but"
          + " spirit's own (_spirit_*).")
  java.util.List<String> sourceTables = new java.util.ArrayList<>();

  @Option(names = OptionNames.CUTOVER_HOOK, paramLabel = "<command>",
      description = "A shell command run at the cutover while the source tables are locked and every change is on"
          + " the target, to switch the application's traffic (a proxy or DNS flip); a non-zero exit renames"
          + " nothing and leaves the source serving. Runs at most once, for up to 60 s.")
  String cutoverHook;

  @Mixin MoveReplicaOptions replicas;

  @Mixin TlsOptions tls;

  @Mixin RunOutputOptions output;

  MoveCommand(CommandHandlers handlers, ConfigSources sources) {
    this.handlers = handlers;
    this.sources = sources;
  }

  @Override
  public Integer call() {
    MoveConfig config = ConfigValidation.build(spec, new OptionOrigins(sources), this::toConfig);
    return handlers.move(config);
  }

  private MoveConfig toConfig() {
    return new MoveConfig(
        MysqlDsn.parse(OptionNames.SOURCE_DSN, sourceDsn),
        MysqlDsn.parse(OptionNames.TARGET_DSN, targetDsn),
        new CopySettings(threads, writeThreads, targetChunkSize),
        cutover.toSettings(),
        replicas.toThrottle(),
        tls.toSettings(),
        checkpointMaxAge,
        deferSecondaryIndexes,
        force,
        reverseWindow,
        sourceTables == null ? java.util.List.of() : sourceTables,
        cutoverHook,
        output.toReporting());
  }
}
