package dev.spirit.migration;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.table.CreateTable;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --defer-secondary-indexes} on migrate: the plain secondary indexes the ALTER adds (not UNIQUE ones, which
 * decide which rows the copy keeps, nor FULLTEXT or SPATIAL ones) are dropped from the freshly made shadow, so that
 * the copy does not insert every row into them one by one, and added back after the copy in one
 * {@code ALTER TABLE … ADD …, ALGORITHM=INPLACE, LOCK=NONE}, which the server builds by sorting while the changes
 * keep being applied.
 *
 * <p>What the shadow must become is read from the ALTER applied to a session temporary table (not written to the
 * binlog), on every run, so that a resumed run finds indexes an earlier run left off whether or not this run was
 * asked to defer any. The indexes are only added back when the shadow lacks nothing else the ALTER makes.
 */
final class DeferredIndexes {
  private static final Pattern QUOTED_NAME = Pattern.compile(Identifiers.QUOTED_PATTERN);
  private final String schema;
  private final String shadow;
  /** The elements of the table the ALTER makes (columns, keys), as the server prints them; empty when unknown. */
  private final List<String> intended;
  /** The plain secondary indexes the ALTER adds, in their order. */
  private final List<String> added;

  private DeferredIndexes(String schema, String shadow, List<String> intended, List<String> added) {
    this.schema = schema;
    this.shadow = shadow;
    this.intended = intended;
    this.added = added;
  }

  /**
   * Reads what the ALTER makes of the table. An ALTER the server does not take on a temporary table (FULLTEXT and
   * SPATIAL indexes, partitioning) leaves nothing to defer, and nothing an earlier run could have deferred.
   */
  static DeferredIndexes plan(Connection c, AlterTableStatement statement, String shadow) throws SQLException {
    String schema = statement.schema();
    String scratchName = Identifiers.helperName(statement.table(), "_spirit_plan");
    String scratch = Identifiers.quote(schema, scratchName);
    List<String> intended;
    try (Statement s = c.createStatement()) {
      s.execute("DROP TEMPORARY TABLE IF EXISTS " + scratch);
      try {
        s.execute("CREATE TEMPORARY TABLE " + scratch + " LIKE " + Identifiers.quote(schema, statement.table()));
        s.execute("ALTER TABLE " + scratch + " " + statement.alterText());
        intended = CreateTable.parse(TableDefinition.readAsPrinted(c, schema, scratchName)).elements();
      } catch (SQLException notOnATemporaryTable) {
        return none(schema, shadow);
      } finally {
        s.execute("DROP TEMPORARY TABLE IF EXISTS " + scratch);
      }
    }
    Set<String> before = new HashSet<>(CreateTable.parse(TableDefinition.readAsPrinted(c, schema,
        statement.table())).elements());
    List<String> added = intended.stream().filter(e -> CreateTable.isSecondaryIndex(e) && !before.contains(e))
        .toList();
    return new DeferredIndexes(schema, shadow, intended, added);
  }

  /** Nothing to defer and nothing to put back: a fresh run that was not asked to defer. */
  static DeferredIndexes none(String schema, String shadow) {
    return new DeferredIndexes(schema, shadow, List.of(), List.of());
  }

  /** Whether the server told what the ALTER makes (it takes the ALTER on a temporary table). */
  boolean known() {
    return !intended.isEmpty();
  }

  /** The indexes this run would leave off, as the server prints them. */
  List<String> added() {
    return added;
  }

  /**
   * Drops the added indexes from the new, empty shadow, if the shadow is what the plan says the ALTER makes (else the
   * plan is not trusted to put them back exactly, and nothing is deferred).
   *
   * @return the indexes dropped
   */
  List<String> dropFromShadow(Connection c) throws SQLException {
    if (added.isEmpty() || !sameElements(elements(c), intended)) {
      return List.of();
    }
    List<String> drops = new ArrayList<>();
    for (String index : added) {
      drops.add("DROP INDEX " + indexName(index));
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + Identifiers.quote(schema, shadow) + " " + String.join(", ", drops));
    }
    return added;
  }

  private List<String> elements(Connection c) throws SQLException {
    return CreateTable.parse(TableDefinition.readAsPrinted(c, schema, shadow)).elements();
  }

  private static boolean sameElements(List<String> a, List<String> b) {
    return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
  }

  /**
   * The statement that gives the shadow the indexes it lacks, or null when it lacks none. A shadow that lacks more
   * than plain secondary indexes, or has what the ALTER does not make, is not touched: that is no deferral's doing.
   */
  String restoreSql(Connection c) throws SQLException {
    if (intended.isEmpty()) {
      return null;
    }
    List<String> now = elements(c);
    List<String> missing = intended.stream().filter(e -> !now.contains(e)).toList();
    if (missing.isEmpty() || !missing.stream().allMatch(CreateTable::isSecondaryIndex)
        || !intended.containsAll(now)) {
      return null;
    }
    return "ALTER TABLE " + Identifiers.quote(schema, shadow) + " "
        + String.join(", ", missing.stream().map(i -> "ADD " + i).toList()) + ", ALGORITHM=INPLACE, LOCK=NONE";
  }

  /** Checks that the shadow now has everything the ALTER makes, after its indexes were added back. */
  void verifyRestored(Connection c) throws SQLException {
    List<String> now = elements(c);
    if (!sameElements(now, intended)) {
      throw new SpiritException(ErrorCode.SCHEMA_CHANGED, "the indexes of " + Identifiers.quote(schema, shadow)
          + " were added back after the copy, but the table is not what the ALTER makes: expected " + intended
          + ", found " + now + ". Nothing was renamed; the original table is unchanged.");
    }
  }

  /** {@code KEY `a``b` (…)} → {@code `a``b`}: the name as printed, quoted. */
  static String indexName(String element) {
    Matcher m = QUOTED_NAME.matcher(element);
    if (!m.find()) {
      throw new IllegalArgumentException("no quoted index name in " + element);
    }
    return m.group();
  }
}
