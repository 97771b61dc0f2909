package dev.spirit.cli;

import dev.spirit.config.Defaults;
import dev.spirit.config.OptionNames;
import dev.spirit.config.ReplicaThrottle;
import java.time.Duration;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** Replica-lag throttling options shared by {@code migrate} and {@code move}. */
final class ReplicaOptions {
  @Option(
      names = OptionNames.REPLICA_DSN,
      paramLabel = "<dsn,...>",
      showDefaultValue = Visibility.NEVER, // DSNs hold passwords
      description = "Not available yet: replica-lag throttling is still being built, and a run given replicas is"
          + " refused (exit 3). Upstream's form: comma-separated Go MySQL DSNs (user:password@tcp(host:port)/).")
  String replicaDsns;

  @Option(
      names = OptionNames.REPLICA_MAX_LAG,
      defaultValue = Defaults.REPLICA_MAX_LAG,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "Not available yet (goes with --replica-dsn): the lag that would pause the copy; 10s to 4h.")
  Duration replicaMaxLag;

  ReplicaThrottle toThrottle() {
    return new ReplicaThrottle(ReplicaThrottle.parseDsnList(replicaDsns), replicaMaxLag);
  }
}
