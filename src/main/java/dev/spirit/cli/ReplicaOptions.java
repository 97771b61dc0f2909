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
      description = "Replicas to watch for lag, as comma-separated Go MySQL DSNs (user:password@tcp(host:port)/).")
  String replicaDsns;

  @Option(
      names = OptionNames.REPLICA_MAX_LAG,
      defaultValue = Defaults.REPLICA_MAX_LAG,
      converter = ValueConverters.GoDurationConverter.class,
      paramLabel = "<duration>",
      description = "Throttle the copy while the slowest replica lags more than this; 10s to 4h.")
  Duration replicaMaxLag;

  ReplicaThrottle toThrottle() {
    return new ReplicaThrottle(ReplicaThrottle.parseDsnList(replicaDsns), replicaMaxLag);
  }
}
