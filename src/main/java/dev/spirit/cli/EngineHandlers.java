package dev.spirit.cli;

import dev.spirit.config.MigrateConfig;
import dev.spirit.config.MoveConfig;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.migration.Migrations;
import dev.spirit.sentinel.SentinelAdmin;
import java.io.PrintStream;

/**
 * The production handlers: each command runs its engine.
 */
public final class EngineHandlers implements CommandHandlers {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  public EngineHandlers(PrintStream out, PrintStream err, boolean terminal) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public int migrate(MigrateConfig config) {
    return Migrations.migrate(config, out, err, terminal);
  }

  @Override
  public int sentinel(dev.spirit.config.SentinelRequest request, boolean release) {
    return SentinelAdmin.run(request, release, out);
  }

  @Override
  public int move(MoveConfig config) {
    return dev.spirit.move.Moves.move(config, out, err, terminal);
  }
}
