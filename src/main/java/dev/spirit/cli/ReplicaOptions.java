package dev.spirit.cli;

import dev.spirit.config.Defaults;
import dev.spirit.config.OptionNames;
import dev.spirit.config.ReplicaThrottle;
import java.time.Duration;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code spirit migrate}'s replica-lag throttling options ({@link MoveReplicaOptions} are move's). */
final class ReplicaOptions {
  @Option(
      names = OptionNames.REPLICA_DSN,
      paramLabel = "<dsn,...>",
      showDefaultValue = Visibility.NEVER, // DSNs hold passwords
      description = "Replicas whose lag pauses the row copy, as comma-separated Go MySQL DSNs"
          + " (user:password@tcp(host:port)/); TLS as for the primary. Each must be replicating, checked before"
          + " the copy and again before the cutover.")
  String replicaDsns;

  @Option(
      names = OptionNames.REPLICA_MAX_LAG,
      defaultValue = Defaults.REPLICA_MAX_LAG,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "The lag at which the copy pauses until every replica is below it again; 10s to 4h.")
  Duration replicaMaxLag;

  ReplicaThrottle toThrottle() {
    return new ReplicaThrottle(ReplicaThrottle.parseDsnList(replicaDsns), replicaMaxLag);
  }
}
