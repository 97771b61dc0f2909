package dev.spirit.cli;

import dev.spirit.config.MigrateConfig;
import dev.spirit.config.MoveConfig;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;

/**
 * The production handlers until the engine exists: they say plainly that nothing ran, rather than pretend to work.
 * Replace with the engine's implementation of {@link CommandHandlers} when it lands.
 */
public final class EngineNotBuiltHandlers implements CommandHandlers {
  @Override
  public int migrate(MigrateConfig config) {
    throw new SpiritException(
        ErrorCode.NOT_IMPLEMENTED, "spirit migrate: the migration engine is not built yet; nothing was changed");
  }

  @Override
  public int move(MoveConfig config) {
    throw new SpiritException(
        ErrorCode.NOT_IMPLEMENTED, "spirit move: the move engine is not built yet; nothing was changed");
  }
}
