package dev.spirit.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.error.SpiritException;
import dev.spirit.table.CreateTable;
import org.junit.jupiter.api.Test;

/** Definitions printed by one flavour made into ones the other creates with the same meaning, or refused. */
class DefinitionTranslationTest {
  private static String toMariaDb(String printed) {
    return DefinitionTranslation.translate(CreateTable.parse(printed), false, true, "`s`.`t`")
        .render(true);
  }

  private static String toMySql(String printed) {
    return DefinitionTranslation.translate(CreateTable.parse(printed), true, false, "`s`.`t`")
        .render(true);
  }

  @Test
  void mySqlCollationsInvisibleColumnsAndIndexesAreMapped() {
    String printed = "CREATE TABLE `t` (\n"
        + "  `id` int NOT NULL,\n"
        + "  `a` varchar(10) COLLATE utf8mb4_0900_as_cs DEFAULT NULL,\n"
        + "  `b` int DEFAULT NULL /*!80023 INVISIBLE */,\n"
        + "  `j` json DEFAULT NULL,\n"
        + "  PRIMARY KEY (`id`),\n"
        + "  KEY `ka` (`a`) /*!80000 INVISIBLE */\n"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";
    assertThat(toMariaDb(printed)).isEqualTo("CREATE TABLE `t` (\n"
        + "  `id` int NOT NULL,\n"
        + "  `a` varchar(10) COLLATE utf8mb4_uca1400_nopad_as_cs DEFAULT NULL,\n"
        + "  `b` int DEFAULT NULL INVISIBLE,\n"
        + "  `j` json DEFAULT NULL,\n"
        + "  PRIMARY KEY (`id`),\n"
        + "  KEY `ka` (`a`) IGNORED\n"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_nopad_ai_ci");
  }

  @Test
  void whatMariaDbWouldIgnoreOrCannotTakeIsRefusedWithEveryClause() {
    String printed = "CREATE TABLE `t` (\n"
        + "  `id` int NOT NULL,\n"
        + "  `a` varchar(10) COLLATE utf8mb4_ja_0900_as_cs DEFAULT NULL,\n"
        + "  `g` point NOT NULL /*!80003 SRID 4326 */,\n"
        + "  PRIMARY KEY (`id`),\n"
        + "  KEY `fk` ((lower(`a`))),\n"
        + "  CONSTRAINT `c2` CHECK ((`id` < 100)) /*!80016 NOT ENFORCED */\n"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";
    assertThatThrownBy(() -> toMariaDb(printed)).isInstanceOf(SpiritException.class)
        .hasMessageContaining("refusing to move `s`.`t` to MariaDB")
        .hasMessageContaining("column `a` uses the collation utf8mb4_ja_0900_as_cs")
        .hasMessageContaining("column `g` has the clause /*!80003 SRID 4326 */")
        .hasMessageContaining("`KEY `fk` ((lower(`a`)))` is a functional index")
        .hasMessageContaining("/*!80016 NOT ENFORCED */, which MariaDB would silently ignore (the check would become"
            + " enforced")
        .hasMessageContaining("Nothing was changed");
  }

  @Test
  void mariaDbDefaultsIgnoredIndexesAndHashKeysAreMapped() {
    String printed = "CREATE TABLE `t` (\n"
        + "  `id` int(11) NOT NULL,\n"
        + "  `tx` text DEFAULT 'it''s',\n"
        + "  `u` varchar(36) DEFAULT uuid(),\n"
        + "  `ts` timestamp(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),\n"
        + "  `n` int(11) DEFAULT 5,\n"
        + "  `v` varchar(20) COLLATE utf8mb4_uca1400_nopad_ai_ci DEFAULT NULL,\n"
        + "  PRIMARY KEY (`id`),\n"
        + "  UNIQUE KEY `uv` (`v`) USING HASH,\n"
        + "  KEY `kn` (`n`) IGNORED\n"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
    assertThat(toMySql(printed)).isEqualTo("CREATE TABLE `t` (\n"
        + "  `id` int(11) NOT NULL,\n"
        + "  `tx` text DEFAULT ('it''s'),\n"
        + "  `u` varchar(36) DEFAULT (uuid()),\n"
        + "  `ts` timestamp(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),\n"
        + "  `n` int(11) DEFAULT 5,\n"
        + "  `v` varchar(20) COLLATE utf8mb4_0900_ai_ci DEFAULT NULL,\n"
        + "  PRIMARY KEY (`id`),\n"
        + "  UNIQUE KEY `uv` (`v`),\n"
        + "  KEY `kn` (`n`) /*!80000 INVISIBLE */\n"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci");
  }

  @Test
  void whatMySqlCannotTakeIsRefused() {
    String printed = "CREATE TABLE `t` (\n"
        + "  `id` uuid NOT NULL,\n"
        + "  `ip` inet6 DEFAULT NULL,\n"
        + "  `n` int(11) DEFAULT nextval(`s`.`seq`),\n"
        + "  `tx` text COLLATE utf8mb4_uca1400_ai_ci DEFAULT NULL,\n"
        + "  PRIMARY KEY (`id`),\n"
        + "  UNIQUE KEY `utx` (`tx`) USING HASH\n"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci WITH SYSTEM VERSIONING";
    assertThatThrownBy(() -> toMySql(printed)).isInstanceOf(SpiritException.class)
        .hasMessageContaining("to MySQL")
        .hasMessageContaining("column `id` is of MariaDB's type uuid")
        .hasMessageContaining("column `ip` is of MariaDB's type inet6")
        .hasMessageContaining("column `n` takes its default from a sequence")
        .hasMessageContaining("column `tx` uses the collation utf8mb4_uca1400_ai_ci")
        .hasMessageContaining("unique key on the whole of [tx] (USING HASH)")
        .hasMessageContaining("the MariaDB option WITH SYSTEM VERSIONING");
  }

  @Test
  void oneFlavourKeepsTheDefinitionAndAPartitionClauseStaysInTheTail() {
    String printed = "CREATE TABLE `t` (\n"
        + "  `id` int NOT NULL,\n"
        + "  PRIMARY KEY (`id`)\n"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci\n"
        + "/*!50100 PARTITION BY HASH (`id`)\n"
        + "PARTITIONS 4 */";
    CreateTable d = CreateTable.parse(printed);
    assertThat(d.elements()).containsExactly("`id` int NOT NULL", "PRIMARY KEY (`id`)");
    assertThat(DefinitionTranslation.translate(d, false, false, "`s`.`t`").render(true)).isEqualTo(printed);
    assertThat(toMariaDb(printed)).endsWith("COLLATE=utf8mb4_uca1400_nopad_ai_ci\n/*!50100 PARTITION BY HASH (`id`)\n"
        + "PARTITIONS 4 */");
  }
}
