package dev.spirit.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  @Test
  void copyLineHasPercentRowsRateEtaAndBinlogBacklog() {
    String line = ProgressReporter.render(new Progress(Phase.COPY, 250_000, 1_000_000, 120, 3_400), 50_000);
    assertThat(line).isEqualTo(
        "copy   25.0%  250,000/1,000,000 rows  50,000 rows/s  ETA 15.0s  binlog: 120 rows behind, 3,400 applied");
  }

  @Test
  void anEstimateBelowTheRowsDoneNeverShowsOverAHundredPercent() {
    String line = ProgressReporter.render(new Progress(Phase.CHECKSUM, 1200, 1000, 0, 0), 100);
    assertThat(line).startsWith("checksum  100.0%  1,200/1,200 rows").doesNotContain("ETA");
  }

  @Test
  void otherPhasesShowOnlyTheBinlog() {
    assertThat(ProgressReporter.render(new Progress(Phase.CUTOVER, 0, 10, 3, 7), 0))
        .isEqualTo("cutover  binlog: 3 rows behind, 7 applied");
  }

  @Test
  void durationsReadLikeAnOperatorWouldWriteThem() {
    assertThat(ProgressReporter.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(ProgressReporter.format(Duration.ofSeconds(125))).isEqualTo("2m05s");
    assertThat(ProgressReporter.format(Duration.ofSeconds(3 * 3600 + 61))).isEqualTo("3h01m01s");
  }

  @Test
  void phaseChangesArePrintedAndTimed() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ProgressReporter reporter = new ProgressReporter(new PrintStream(buffer, true, StandardCharsets.UTF_8),
        false, () -> null)) {
      reporter.enter(Phase.COPY);
      reporter.enter(Phase.CHECKSUM);
      assertThat(reporter.phaseTimes()).containsKeys(Phase.PREFLIGHT, Phase.COPY, Phase.CHECKSUM);
      assertThat(reporter.phase()).isEqualTo(Phase.CHECKSUM);
    }
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("spirit: copy (").contains("spirit: checksum (");
  }
}
