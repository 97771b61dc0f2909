package dev.spirit.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import dev.spirit.testing.TypeMatrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves between flavours: from each test server to the move target of the other flavour (MySQL 8.0 to MariaDB 10.11
 * and back). The values arrive byte for byte, definitions are translated where a value-preserving mapping exists and
 * refused where none does.
 */
class MoveCrossFlavourIT {
  private static TestDatabase target(TestDatabase source) {
    return TestServers.otherFlavourMoveTargetDatabase(source.server(), MoveCrossFlavourIT.class);
  }

  /**
   * The type matrix and the zero dates under mirrored writers, byte-exact. The one value left out is -0.0 in FLOAT
   * and DOUBLE: MariaDB stores it as +0.0 (numerically equal; docs/move.md).
   */
  @ServerTest
  void everyTypeMovesByteExactToTheOtherFlavour(TestDatabase source) throws Exception {
    Map<String, List<String>> values = new LinkedHashMap<>(TypeMatrix.VALUES);
    values.put("f", values.get("f").stream().filter(v -> !v.equals("-0.0")).toList());
    values.put("d", values.get("d").stream().filter(v -> !v.equals("-0.0")).toList());
    TestDatabase target = target(source);
    MoveTypesIT.moveUnderMirroredWriters(source, target, values);
    String created = target.queryRows("SHOW CREATE TABLE types").get(0).get(1);
    if (target.server().isMariaDb()) {
      assertThat(created).contains("utf8mb4_uca1400_nopad_ai_ci").doesNotContain("0900");
    } else {
      assertThat(created).doesNotContain("uca1400");
    }
  }

  /** A definition the other flavour cannot take as it means is refused before either server changes. */
  @ServerTest
  void aDefinitionWithoutAValuePreservingMappingIsRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "fine", 10);
    if (source.server().isMariaDb()) {
      source.execute("CREATE TABLE odd (id INT PRIMARY KEY, ip INET6, tx TEXT COLLATE utf8mb4_uca1400_ai_ci)");
    } else {
      source.execute("CREATE TABLE odd (id INT PRIMARY KEY, a VARCHAR(10), KEY fk ((LOWER(a))))");
    }
    MoveIT.Run run = MoveIT.move(source, target);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("refusing to move `" + source.schema() + "`.`odd` to "
        + (target.server().isMariaDb() ? "MariaDB" : "MySQL"));
    if (source.server().isMariaDb()) {
      assertThat(run.err()).contains("column `ip` is of MariaDB's type inet6")
          .contains("column `tx` uses the collation utf8mb4_uca1400_ai_ci");
    } else {
      assertThat(run.err()).contains("is a functional index");
    }
    assertThat(MoveIT.tables(target)).isEmpty();
    assertThat(MoveIT.tables(source)).containsExactly("fine", "odd");
  }

  /**
   * A resume between flavours: the target table the first run created is recognised by its shape (the other flavour
   * prints it differently), so the same command resumes instead of refusing.
   */
  @ServerTest
  void aStoppedMoveResumesAcrossFlavours(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    source.execute("CREATE TABLE shaped (id INT NOT NULL PRIMARY KEY, y YEAR, j JSON, s VARCHAR(20) NOT NULL,"
        + " n INT UNSIGNED, g INT AS (id * 2) VIRTUAL, UNIQUE KEY us (s), KEY kn (n))",
        "INSERT INTO shaped (id, y, j, s, n) VALUES (1, 2001, '[1]', 'a', 1), (2, NULL, NULL, 'b', NULL)");
    MoveIT.Run failed = MoveIT.move(source, target, "--cutover-hook", "exit 3");
    assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
    source.execute("INSERT INTO shaped (id, y, j, s, n) VALUES (3, 2003, '{\"k\": 3}', 'c', 3)");
    MoveIT.Run again = MoveIT.move(source, target);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.err()).contains("resuming `" + source.schema() + "`.`shaped`");
    assertThat(target.queryRows("SELECT id, CAST(y AS CHAR), s, n, g FROM shaped ORDER BY id")).containsExactly(
        List.of("1", "2001", "a", "1", "2"), java.util.Arrays.asList("2", null, "b", null, "4"),
        List.of("3", "2003", "c", "3", "6"));
  }
}
