package dev.spirit.cli;

import dev.spirit.config.ByteSize;
import dev.spirit.config.ConfigSources;
import dev.spirit.config.CopySettings;
import dev.spirit.config.Defaults;
import dev.spirit.config.MigrateConfig;
import dev.spirit.config.OptionNames;
import dev.spirit.config.SchemaChange;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spirit migrate}: parses and validates the options into a {@link MigrateConfig} for the engine. */
@Command(
    name = "migrate",
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Change a table's schema online: copy its rows into a new table with the new schema, keep it up to date from"
          + " the binlog, verify it with a checksum, then swap the tables.",
      ""
    },
    footerHeading = "%nConfiguration:%n",
    footer = {
      "Every option can also be set as an environment variable SPIRIT_<OPTION>, upper case with '-' as '_'"
          + " (SPIRIT_WRITE_THREADS, SPIRIT_PASSWORD). The [client] section of the --conf file supplies host, port,"
          + " user, password, database, tls-mode and tls-ca. Precedence: command line, environment, --conf file,"
          + " built-in default. An empty environment variable counts as unset."
    })
final class MigrateCommand implements Callable<Integer> {
  private final CommandHandlers handlers;
  private final ConfigSources sources;

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Mixin ConnectionOptions connection;

  @Option(names = OptionNames.STATEMENT, paramLabel = "<sql>",
      description = "The statement to run, such as ALTER TABLE t ADD COLUMN c INT.")
  String statement;

  @Option(names = OptionNames.TABLE, paramLabel = "<table>",
      description = "Table to change, with --alter (gh-ost style, instead of --statement).")
  String table;

  @Option(names = OptionNames.ALTER, paramLabel = "<clauses>",
      description = "The ALTER clauses for --table, such as 'ADD COLUMN c INT'.")
  String alter;

  @Option(names = OptionNames.THREADS, defaultValue = Defaults.MIGRATE_THREADS, paramLabel = "<n>",
      description = "Parallel readers for the copy and the checksum; 1 to 64.")
  int threads;

  @Option(names = OptionNames.WRITE_THREADS, defaultValue = Defaults.WRITE_THREADS, paramLabel = "<n>",
      description = "Parallel writers that apply concurrent changes to the new table; 1 to 64.")
  int writeThreads;

  @Option(
      names = OptionNames.TARGET_CHUNK_SIZE,
      defaultValue = Defaults.TARGET_CHUNK_SIZE,
      converter = ValueConverters.ByteSizeConverter.class,
      paramLabel = "<bytes>",
      description = "Size of one copied key range, divided by the average row length to give 100 to 100,000 rows:"
          + " bytes, or a number with KiB/MiB/GiB (powers of 1024) or KB/MB/GB (powers of 1000).")
  ByteSize targetChunkSize;

  @Mixin CutoverOptions cutover;

  @Option(names = OptionNames.SKIP_DROP_AFTER_CUTOVER, arity = "0..1", fallbackValue = "true",
      paramLabel = "<true|false>", description = "Keep the old table, renamed, after the cutover.")
  boolean skipDropAfterCutover;

  @Mixin ReplicaOptions replicas;

  @Option(names = OptionNames.DEFER_SECONDARY_INDEXES, arity = "0..1", fallbackValue = "true",
      paramLabel = "<true|false>",
      description = "Leave the plain secondary indexes the ALTER adds off the new table during the copy and build "
          + "them after it in one sorted build; replicas apply that build as one long DDL.")
  boolean deferSecondaryIndexes;

  @Option(
      names = OptionNames.CHECKPOINT_MAX_AGE,
      defaultValue = Defaults.CHECKPOINT_MAX_AGE,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "Resume from a checkpoint only if it is younger than this; an older one is discarded.")
  Duration checkpointMaxAge;

  @Mixin RunOutputOptions output;

  MigrateCommand(CommandHandlers handlers, ConfigSources sources) {
    this.handlers = handlers;
    this.sources = sources;
  }

  @Override
  public Integer call() {
    MigrateConfig config = ConfigValidation.build(spec, new OptionOrigins(sources), this::toConfig);
    return handlers.migrate(config);
  }

  private MigrateConfig toConfig() {
    return new MigrateConfig(
        connection.toSettings(sources),
        SchemaChange.fromOptions(statement, table, alter),
        new CopySettings(threads, writeThreads, targetChunkSize),
        cutover.toSettings(),
        skipDropAfterCutover,
        replicas.toThrottle(),
        checkpointMaxAge,
        output.toReporting(),
        deferSecondaryIndexes);
  }

}
