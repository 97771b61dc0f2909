package dev.spirit.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code spirit move} was asked to do, validated: copy the schema of {@code source} (or the tables of
 * {@code sourceTables}, when any are named) into {@code target}, keep it in sync from the binlog, then cut over, running
 * {@code cutoverHook} (a shell command, or null) while the source tables are locked.
 */
public record MoveConfig(
    MysqlDsn source,
    MysqlDsn target,
    CopySettings copy,
    CutoverSettings cutover,
    ReplicaThrottle replicaThrottle,
    TlsSettings tls,
    Duration checkpointMaxAge,
    boolean deferSecondaryIndexes,
    boolean force,
    Duration reverseWindow,
    List<String> sourceTables,
    String cutoverHook,
    Reporting reporting) {

  /** A real run with human status only. */
  public MoveConfig(MysqlDsn source, MysqlDsn target, CopySettings copy, CutoverSettings cutover,
      ReplicaThrottle replicaThrottle, TlsSettings tls, Duration checkpointMaxAge, boolean deferSecondaryIndexes,
      boolean force, Duration reverseWindow, List<String> sourceTables, String cutoverHook) {
    this(source, target, copy, cutover, replicaThrottle, tls, checkpointMaxAge, deferSecondaryIndexes, force,
        reverseWindow, sourceTables, cutoverHook, Reporting.TEXT);
  }

  public MoveConfig {
    Objects.requireNonNull(reporting, "reporting");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(copy, "copy");
    Objects.requireNonNull(cutover, "cutover");
    Objects.requireNonNull(replicaThrottle, "replicaThrottle");
    Objects.requireNonNull(tls, "tls");
    requireSchema(OptionNames.SOURCE_DSN, source);
    requireSchema(OptionNames.TARGET_DSN, target);
    // Only the literal same address and schema is caught; two names for one server are the preflight's to find.
    if (source.address().equals(target.address()) && source.schema().equals(target.schema())) {
      throw new InvalidOptionException(
          OptionNames.SOURCE_DSN + " and " + OptionNames.TARGET_DSN + " name the same schema ("
              + source.schema() + " on " + source.address() + "); a move needs a different target",
          OptionNames.SOURCE_DSN, OptionNames.TARGET_DSN);
    }
    OptionChecks.positive(OptionNames.CHECKPOINT_MAX_AGE, Objects.requireNonNull(checkpointMaxAge, "checkpointMaxAge"));
    sourceTables = List.copyOf(Objects.requireNonNull(sourceTables, "sourceTables"));
    cutoverHook = cutoverHook == null || cutoverHook.isBlank() ? null : cutoverHook;
    OptionChecks.notNegative(OptionNames.REVERSE_WINDOW, Objects.requireNonNull(reverseWindow, "reverseWindow"));
  }

  private static void requireSchema(String option, MysqlDsn dsn) {
    if (dsn.schema().isBlank()) {
      throw new InvalidOptionException(
          option + ": the DSN names no schema after '/'; move copies one schema", option);
    }
  }
}
