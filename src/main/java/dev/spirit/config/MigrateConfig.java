package dev.spirit.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code spirit migrate} was asked to do, validated. Building one is the last step that can refuse an
 * option; the engine receives only valid values.
 */
public record MigrateConfig(
    ConnectionSettings connection,
    SchemaChange change,
    CopySettings copy,
    CutoverSettings cutover,
    boolean skipDropAfterCutover,
    ReplicaThrottle replicaThrottle,
    Duration checkpointMaxAge,
    Reporting reporting,
    boolean deferSecondaryIndexes) {

  /** Without {@code --defer-secondary-indexes}. */
  public MigrateConfig(ConnectionSettings connection, SchemaChange change, CopySettings copy, CutoverSettings cutover,
      boolean skipDropAfterCutover, ReplicaThrottle replicaThrottle, Duration checkpointMaxAge, Reporting reporting) {
    this(connection, change, copy, cutover, skipDropAfterCutover, replicaThrottle, checkpointMaxAge, reporting, false);
  }

  /** A real run. */
  public MigrateConfig(ConnectionSettings connection, SchemaChange change, CopySettings copy, CutoverSettings cutover,
      boolean skipDropAfterCutover, ReplicaThrottle replicaThrottle, Duration checkpointMaxAge,
      StatusFormat statusFormat) {
    this(connection, change, copy, cutover, skipDropAfterCutover, replicaThrottle, checkpointMaxAge,
        new Reporting(statusFormat, false, java.util.Optional.empty()));
  }

  /** Human status only. */
  public MigrateConfig(ConnectionSettings connection, SchemaChange change, CopySettings copy, CutoverSettings cutover,
      boolean skipDropAfterCutover, ReplicaThrottle replicaThrottle, Duration checkpointMaxAge) {
    this(connection, change, copy, cutover, skipDropAfterCutover, replicaThrottle, checkpointMaxAge,
        Reporting.TEXT);
  }

  public MigrateConfig {
    Objects.requireNonNull(reporting, "reporting");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(copy, "copy");
    Objects.requireNonNull(cutover, "cutover");
    Objects.requireNonNull(replicaThrottle, "replicaThrottle");
    OptionChecks.positive(OptionNames.CHECKPOINT_MAX_AGE, Objects.requireNonNull(checkpointMaxAge, "checkpointMaxAge"));
  }
}
