package dev.spirit.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.SpiritException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's --cutover-hook as a process: its environment, its output, its exit status, its time limit. */
class CutoverHookTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);

  @Test
  void aHookSeesTheMoveInItsEnvironmentAndItsOutputIsShown() {
    TargetFinish.runHook("echo \"tables=$SPIRIT_MOVE_TABLES\"", Map.of("SPIRIT_MOVE_TABLES", "a,b"),
        Duration.ofSeconds(10), err);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("tables=a,b\n");
  }

  @Test
  void aFailingHookStopsTheCutover() {
    assertThatThrownBy(() -> TargetFinish.runHook("echo no; exit 7", Map.of(), Duration.ofSeconds(10), err))
        .isInstanceOf(SpiritException.class).hasMessageContaining("--cutover-hook exited with status 7")
        .hasMessageContaining("nothing was renamed");
  }

  /** A hook that hangs with its output open (a child keeps it) is killed at its limit, child and all. */
  @Test
  void aHangingHookIsKilledAtItsLimit() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> TargetFinish.runHook("sleep 30; echo late", Map.of(), Duration.ofMillis(500), err))
        .isInstanceOf(SpiritException.class).hasMessageContaining("did not finish within");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
