package dev.spirit.cli;

import dev.spirit.config.Defaults;
import dev.spirit.config.OptionNames;
import dev.spirit.config.ReplicaThrottle;
import java.time.Duration;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * {@code spirit move}'s replica options: upstream's move has none, and ours does not throttle yet, so they are parsed
 * (a bad value is still reported) and a run given replicas is refused.
 */
final class MoveReplicaOptions {
  @Option(
      names = OptionNames.REPLICA_DSN,
      paramLabel = "<dsn,...>",
      showDefaultValue = Visibility.NEVER, // DSNs hold passwords
      description = "Not available for move yet: a move given replicas is refused (exit 3).")
  String replicaDsns;

  @Option(
      names = OptionNames.REPLICA_MAX_LAG,
      defaultValue = Defaults.REPLICA_MAX_LAG,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "Not available for move yet (goes with --replica-dsn); 10s to 4h.")
  Duration replicaMaxLag;

  ReplicaThrottle toThrottle() {
    return new ReplicaThrottle(ReplicaThrottle.parseDsnList(replicaDsns), replicaMaxLag);
  }
}
