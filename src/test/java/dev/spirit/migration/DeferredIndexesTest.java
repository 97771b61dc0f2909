package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.CreateTable;
import org.junit.jupiter.api.Test;

class DeferredIndexesTest {
  @Test
  void theIndexNameIsTakenAsPrintedWithItsQuotes() {
    assertThat(DeferredIndexes.indexName("KEY `ib` (`b`)")).isEqualTo("`ib`");
    assertThat(DeferredIndexes.indexName("KEY `a``b c` (`x`,`y`(10) DESC) COMMENT 'k'")).isEqualTo("`a``b c`");
    assertThat(DeferredIndexes.indexName("KEY ```` (`x`)")).isEqualTo("````");
  }

  @Test
  void onlyPlainKeysAreSecondaryIndexes() {
    CreateTable t = CreateTable.parse("CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `a` int DEFAULT NULL,\n"
        + "  `b` text,\n  `g` point NOT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `u` (`a`),\n  KEY `k` (`a`),\n"
        + "  FULLTEXT KEY `f` (`b`),\n  SPATIAL KEY `s` (`g`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    assertThat(t.secondaryIndexes()).containsExactly("KEY `k` (`a`)");
    assertThat(t.elements()).hasSize(9);
    assertThat(t.tail()).isEqualTo(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  }
}
