package dev.spirit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.db.BinlogPosition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResumeDecisionTest {
  private static final String SQL = "ALTER TABLE t ADD INDEX (v)";
  private static final Duration MAX = Duration.ofHours(168);
  private static final String DEFINITION = "CREATE TABLE `t` (`id` int NOT NULL, PRIMARY KEY (`id`))";
  private static final Checkpoint GOOD = new Checkpoint(List.of(500L), new BinlogPosition("binlog.000003", 1234,
      null), SQL, "t", false, Duration.ofMinutes(5), DEFINITION);

  private static ResumeDecision decide(boolean shadow, boolean table, Optional<Checkpoint> cp, String unreadable,
      List<String> files) {
    return ResumeDecision.decide(new ResumeDecision.Found(shadow, table, cp, unreadable, files,
        DEFINITION), SQL, "t", MAX,
        "_t_new", "_t_chkpnt");
  }

  private static String freshReason(ResumeDecision d) {
    assertThat(d).isInstanceOf(ResumeDecision.Fresh.class);
    return ((ResumeDecision.Fresh) d).reason();
  }

  @Test
  void aValidCheckpointResumes() {
    ResumeDecision d = decide(true, true, Optional.of(GOOD), null, List.of("binlog.000002", "binlog.000003"));
    assertThat(d).isEqualTo(new ResumeDecision.Resume(GOOD));
  }

  @Test
  void nothingLeftBehindIsAQuietFreshStart() {
    assertThat(freshReason(decide(false, false, Optional.empty(), null, List.of()))).isNull();
  }

  @Test
  void everyDefinitiveReasonStartsFreshWithTheReason() {
    List<String> files = List.of("binlog.000003");
    assertThat(freshReason(decide(true, false, Optional.empty(), null, files))).contains("without a checkpoint");
    assertThat(freshReason(decide(false, true, Optional.empty(), null, files))).contains("without the shadow");
    assertThat(freshReason(decide(true, true, Optional.empty(), "1054 Unknown column", files)))
        .contains("cannot be read").contains("1054");
    assertThat(freshReason(decide(true, true, Optional.empty(), null, files))).contains("no checkpoint");
    Checkpoint otherSql = new Checkpoint(GOOD.watermark(), GOOD.position(), SQL + " ", "t", false, GOOD.age(),
        DEFINITION);
    assertThat(freshReason(decide(true, true, Optional.of(otherSql), null, files))).contains("different statement");
    Checkpoint otherTable = new Checkpoint(GOOD.watermark(), GOOD.position(), SQL, "t2", false, GOOD.age(),
        DEFINITION);
    assertThat(freshReason(decide(true, true, Optional.of(otherTable), null, files))).contains("`t2`");
    Checkpoint old = new Checkpoint(GOOD.watermark(), GOOD.position(), SQL, "t", false, MAX, DEFINITION);
    Checkpoint altered = new Checkpoint(GOOD.watermark(), GOOD.position(), SQL, "t", false, GOOD.age(),
        DEFINITION.replace("int", "bigint"));
    assertThat(freshReason(decide(true, true, Optional.of(altered), null, List.of("binlog.000003"))))
        .contains("definition of `t` changed");
    assertThat(freshReason(decide(true, true, Optional.of(old), null, files))).contains("--checkpoint-max-age");
    assertThat(freshReason(decide(true, true, Optional.of(GOOD), null, List.of("binlog.000004"))))
        .contains("binlog.000003").contains("no longer");
  }

  @Test
  void positionsAreFileAndOffset() {
    BinlogPosition p = Checkpoint.parsePosition("mysql-bin.000047:104857600");
    assertThat(p.file()).isEqualTo("mysql-bin.000047");
    assertThat(p.position()).isEqualTo(104857600L);
    assertThat(Checkpoint.formatPosition(p)).isEqualTo("mysql-bin.000047:104857600");
    for (String bad : List.of("", "binlog.000001", "binlog.000001:", ":4", "binlog.000001:x", "binlog.000001:2")) {
      assertThatThrownBy(() -> Checkpoint.parsePosition(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void positionsCarryTheirGtidSetWhenItFits() {
    String mysql = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77,5a1e2f3c-0000-11e1-9e33-c80aa9429562:1-5";
    BinlogPosition p = Checkpoint.parsePosition("binlog.000003:1234 gtid=" + mysql);
    assertThat(p).isEqualTo(new BinlogPosition("binlog.000003", 1234, mysql));
    assertThat(Checkpoint.formatPosition(p)).isEqualTo("binlog.000003:1234 gtid=" + mysql);
    assertThat(Checkpoint.parsePosition("binlog.000003:1234 gtid=0-1-100,1-2-7").gtidSet()).isEqualTo("0-1-100,1-2-7");
    assertThat(Checkpoint.formatPosition(new BinlogPosition("binlog.000003", 1234, ""))).isEqualTo("binlog.000003:1234");
    String huge = (mysql + ",").repeat(20);
    assertThat(Checkpoint.formatPosition(new BinlogPosition("binlog.000003", 1234, huge)))
        .as("a set too long for the column: file and offset alone").isEqualTo("binlog.000003:1234");
    assertThatThrownBy(() -> Checkpoint.parsePosition("binlog.000003:1234 gtid=")).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void aGtidCheckpointResumesOnlyWithItsFileAndNothingPurged() {
    Checkpoint byGtid = new Checkpoint(GOOD.watermark(), new BinlogPosition("binlog.000003", 1234, "u:1-9"), SQL, "t",
        false, GOOD.age(), DEFINITION);
    List<String> present = List.of("binlog.000003", "binlog.000004");
    ResumeDecision kept = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        present, DEFINITION, false), SQL, "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(kept).isEqualTo(new ResumeDecision.Resume(byGtid));
    ResumeDecision purged = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        present, DEFINITION, true), SQL, "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(freshReason(purged)).as("an earlier file kept, a later transaction purged").contains("purged")
        .contains("u:1-9").contains("@@gtid_purged");
    List<String> rotatedAway = List.of("binlog.000009");
    ResumeDecision fileGone = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        rotatedAway, DEFINITION, false), SQL, "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(freshReason(fileGone)).as("the subscription starts at the file").contains("no longer");
    ResumeDecision unknown = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        rotatedAway, DEFINITION, null), SQL, "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(freshReason(unknown)).as("MariaDB: the file decides").contains("no longer");
  }

  @Test
  void aCheckpointTakenOnAnotherServerStartsAfreshWhateverTheFilesSay() {
    Checkpoint byGtid = new Checkpoint(GOOD.watermark(), new BinlogPosition("binlog.000003", 1234, "u:1-9"), SQL, "t",
        false, GOOD.age(), DEFINITION);
    ResumeDecision elsewhere = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        List.of("binlog.000003"), DEFINITION, false, "its GTID set u:1-9 holds no transaction of this server"), SQL,
        "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(freshReason(elsewhere)).contains("does not belong to this server").contains("u:1-9");
  }

  @Test
  void aCheckpointWhoseOffsetIsNotThisServersResumesWhereThisServersBinlogHoldsWhatFollowsItsGtidSet() {
    Checkpoint byGtid = new Checkpoint(GOOD.watermark(), new BinlogPosition("binlog.000003", 1234, "u:1-9"), SQL, "t",
        false, GOOD.age(), DEFINITION);
    BinlogPosition located = new BinlogPosition("binlog.000007", 4, "u:1-9");
    ResumeDecision failedOver = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        List.of("binlog.000003", "binlog.000007"), DEFINITION, false, "its GTID set holds no transaction of this"
        + " server", located), SQL, "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(failedOver).isInstanceOf(ResumeDecision.Resume.class);
    ResumeDecision.Resume resume = (ResumeDecision.Resume) failedOver;
    assertThat(resume.checkpoint().position()).isEqualTo(located);
    assertThat(resume.checkpoint().watermark()).isEqualTo(byGtid.watermark());
    assertThat(resume.relocatedBecause()).contains("does not belong to this server");

    ResumeDecision rotated = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        List.of("binlog.000007"), DEFINITION, false, null, located), SQL, "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(((ResumeDecision.Resume) rotated).relocatedBecause()).contains("no longer on the server");

    ResumeDecision lost = ResumeDecision.decide(new ResumeDecision.Found(true, true, Optional.of(byGtid), null,
        List.of("binlog.000007"), DEFINITION, false, "elsewhere", null), SQL, "t", MAX, "_t_new", "_t_chkpnt");
    assertThat(freshReason(lost)).contains("does not belong").contains("nor does this server's binlog hold");

    ResumeDecision.Replay own = ResumeDecision.Replay.judge(byGtid.position(), List.of("binlog.000003"), false, null,
        located);
    assertThat(own.from()).as("an offset of this server's is used as recorded").isEqualTo(byGtid.position());
    assertThat(own.relocatedBecause()).isNull();
  }
}
