package dev.spirit.move;

import static dev.spirit.testing.TypeMatrix.PERMISSIVE;
import static dev.spirit.testing.TypeMatrix.SESSION;
import static dev.spirit.testing.TypeMatrix.VALUES;
import static dev.spirit.testing.TypeMatrix.createTypes;
import static dev.spirit.testing.TypeMatrix.createZeros;
import static dev.spirit.testing.TypeMatrix.typesDml;
import static dev.spirit.testing.TypeMatrix.zerosDml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.util.List;
import java.util.Map;

/**
 * Every column type, zero and invalid dates, moved to another server under writers: the target must hold the same
 * bytes as a mirror table on the source that each writer transaction changed alike and no tool touched.
 */
class MoveTypesIT {
  @ServerTest
  void everyTypeAndZeroDateMovesByteExactUnderWriters(TestDatabase source) throws Exception {
    moveUnderMirroredWriters(source, TestServers.moveTargetDatabase(source.server(), MoveTypesIT.class), VALUES);
  }

  /**
   * Moves the type matrix with {@code values} and the zero dates from {@code source} to {@code target} under mirrored
   * writers, and asserts the target holds the mirrors' bytes.
   */
  static void moveUnderMirroredWriters(TestDatabase source, TestDatabase target, Map<String, List<String>> values)
      throws Exception {
    MoveIT.reset(source, target);
    int rows = 3000;
    createTypes(source, "types", "types_mirror", values, rows);
    createZeros(source, "zeros", "zeros_mirror", rows);
    MoveIT.Run run;
    try (MirroredWriters types = new MirroredWriters(source, "types", "types_mirror", 2, 11, 4000, SESSION,
            r -> typesDml(values, r, rows)).expectRetirement();
        MirroredWriters zeros = new MirroredWriters(source, "zeros", "zeros_mirror", 1, 12, 4000, PERMISSIVE,
            r -> zerosDml(r, rows)).expectRetirement()) {
      types.start().awaitCommitted(50);
      zeros.start().awaitCommitted(50);
      long before = types.committed() + zeros.committed();
      run = MoveIT.move(source, target, "--source-tables", "types,zeros", "--target-chunk-size", "4KB");
      long during = types.committed() + zeros.committed() - before;
      types.close();
      zeros.close();
      System.out.println("[" + source.server().id() + "] move of types, zeros\n" + run.err() + "writers: " + during
          + " committed during; " + (types.retired() + zeros.retired()) + " found the table retired");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(types.errors()).as("application errors on types").isEmpty();
      assertThat(zeros.errors()).as("application errors on zeros").isEmpty();
      assertThat(during).as("transactions committed during the move").isPositive();
    }
    MirroredWriters.assertSameContent(target, "types", source, "types_mirror");
    MirroredWriters.assertSameContent(target, "zeros", source, "zeros_mirror");
    assertThat(target.queryLong("SELECT COUNT(*) FROM zeros WHERE CAST(d AS CHAR) = '2021-02-31'")).isPositive();
    assertThat(target.queryLong("SELECT COUNT(*) FROM zeros WHERE CAST(d AS CHAR) = '0000-00-00'")).isPositive();
    assertThat(MoveIT.tables(source)).containsExactly("types_mirror", "types_old", "zeros_mirror", "zeros_old");
    assertThat(target.queryString("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'types' AND COLUMN_NAME = 'gv'")).containsIgnoringCase("VIRTUAL");
    assertThat(target.queryString("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'types' AND COLUMN_NAME = 'gs'")).satisfiesAnyOf(
            x -> assertThat(x).containsIgnoringCase("STORED"), x -> assertThat(x).containsIgnoringCase("PERSISTENT"));
    assertThat(run.err()).contains("clean");
  }
}
