package dev.spirit.cli;

import dev.spirit.config.MigrateConfig;
import dev.spirit.config.MoveConfig;

/**
 * The single seam between the command line and the engine: the CLI parses and validates, then hands over a valid
 * configuration and returns whatever exit code the engine returns. Failures travel as
 * {@link dev.spirit.error.SpiritException}s, whose error code decides the exit code.
 */
public interface CommandHandlers {
  int migrate(MigrateConfig config);

  int move(MoveConfig config);

  /** {@code spirit sentinel status} ({@code release} false) or {@code spirit sentinel release}. */
  int sentinel(dev.spirit.config.SentinelRequest request, boolean release);
}
