package dev.spirit.move;

import dev.spirit.error.ErrorCode;
import dev.spirit.migration.Preflight;
import dev.spirit.table.CreateTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source table's definition made into one the other flavour's server creates with the same meaning, or refused.
 * Only rewrites that keep every value and every constraint are made (docs/move.md lists them, with their evidence in
 * docs/move-cross-flavour-findings.md); a clause the target would reject, or worse accept and silently drop (MariaDB
 * ignores MySQL 8's version comments such as {@code /*!80023 INVISIBLE *}{@code /}), refuses the move before anything
 * is created, naming the table, the clause and the fix. Between servers of one flavour the definition is used as is.
 */
final class DefinitionTranslation {
  /** MySQL 8's UCA 9.0 collations and MariaDB's UCA 14.0 ones of the same strength and padding (NO PAD). */
  static final Map<String, String> MYSQL_TO_MARIADB_COLLATIONS = Map.of(
      "utf8mb4_0900_ai_ci", "utf8mb4_uca1400_nopad_ai_ci",
      "utf8mb4_0900_as_ci", "utf8mb4_uca1400_nopad_as_ci",
      "utf8mb4_0900_as_cs", "utf8mb4_uca1400_nopad_as_cs",
      "utf8mb4_0900_bin", "utf8mb4_nopad_bin");
  static final Map<String, String> MARIADB_TO_MYSQL_COLLATIONS = invert(MYSQL_TO_MARIADB_COLLATIONS);

  private static final Pattern COLLATION = Pattern.compile("\\b(?:utf8mb4|utf8mb3|utf8|ucs2|utf16|utf16le|utf32)_"
      + "[a-z0-9_]+\\b");
  /** Collation names only one flavour has: refused unless mapped. */
  private static final Pattern MYSQL_ONLY = Pattern.compile("_0900_");
  private static final Pattern MARIADB_ONLY = Pattern.compile("uca1400|_nopad_");
  private static final Pattern VERSION_COMMENT = Pattern.compile("/\\*!(\\d{5})(.*?)\\*/");
  private static final Pattern COLUMN = Pattern.compile("^`((?:[^`]|``)+)` (\\w+)");
  private static final Pattern DEFAULT_CALL = Pattern.compile(" DEFAULT ([a-z_][a-z0-9_]*)\\(",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern DEFAULT_LITERAL = Pattern.compile(" DEFAULT ('(?:[^'\\\\]|''|\\\\.)*'|-?[0-9.]+"
      + "(?:e[-+]?[0-9]+)?)", Pattern.CASE_INSENSITIVE);
  private static final List<String> BLOB_TYPES = List.of("tinytext", "text", "mediumtext", "longtext", "tinyblob",
      "blob", "mediumblob", "longblob", "json", "geometry", "point", "linestring", "polygon", "multipoint",
      "multilinestring", "multipolygon", "geometrycollection");
  private static final List<String> MARIADB_ONLY_TYPES = List.of("uuid", "inet4", "inet6");
  private static final List<String> MARIADB_ONLY_OPTIONS = List.of("WITH SYSTEM VERSIONING", "PAGE_COMPRESSED",
      "PAGE_CHECKSUM", "TRANSACTIONAL=", "ENCRYPTED=", "ENCRYPTION_KEY_ID", "SEQUENCE=1", "ENGINE=Aria");

  private DefinitionTranslation() {}

  private static Map<String, String> invert(Map<String, String> map) {
    Map<String, String> inverse = new HashMap<>();
    map.forEach((k, v) -> inverse.put(v, k));
    return Map.copyOf(inverse);
  }

  /**
   * The definition for the target.
   *
   * @param quotedTable the source table, for messages
   * @throws dev.spirit.error.SpiritException (exit 3) listing every clause the target cannot take as it means
   */
  static CreateTable translate(CreateTable definition, boolean fromMariaDb,
      boolean toMariaDb, String quotedTable) {
    if (fromMariaDb == toMariaDb) {
      return definition;
    }
    List<String> problems = new ArrayList<>();
    Map<String, String> types = columnTypes(definition);
    List<String> elements = new ArrayList<>();
    for (String element : definition.elements()) {
      elements.add(toMariaDb ? toMariaDb(element, problems) : toMySql(element, types, problems));
    }
    String tail = toMariaDb ? toMariaDbTail(definition.tail(), problems) : toMySqlTail(definition.tail(), problems);
    if (!problems.isEmpty()) {
      throw Preflight.refuse(ErrorCode.UNSUPPORTED_TABLE, "refusing to move " + quotedTable + " to "
          + (toMariaDb ? "MariaDB" : "MySQL") + ": " + String.join("; ", problems) + ". Nothing was changed.");
    }
    return new CreateTable(definition.head(), elements, tail);
  }

  private static Map<String, String> columnTypes(CreateTable definition) {
    Map<String, String> types = new HashMap<>();
    for (String element : definition.elements()) {
      Matcher m = COLUMN.matcher(element);
      if (m.find()) {
        types.put(m.group(1).replace("``", "`"), m.group(2).toLowerCase(Locale.ROOT));
      }
    }
    return types;
  }

  private static String collations(String text, Map<String, String> mapping, Pattern foreign, String target,
      List<String> problems, String where) {
    Matcher m = COLLATION.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group();
      String mapped = mapping.get(name);
      if (mapped == null && foreign.matcher(name).find()) {
        problems.add(where + " uses the collation " + name + ", which " + target + " does not have (convert it on"
            + " the source first, e.g. to utf8mb4_unicode_520_ci or utf8mb4_bin, which both servers have)");
        mapped = name;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(mapped == null ? name : mapped));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String describe(String element) {
    Matcher m = COLUMN.matcher(element);
    return m.find() ? "column `" + m.group(1) + "`" : "`" + element + "`";
  }

  private static String toMariaDb(String element, List<String> problems) {
    String where = describe(element);
    String out = collations(element, MYSQL_TO_MARIADB_COLLATIONS, MYSQL_ONLY, "MariaDB", problems, where);
    boolean column = out.startsWith("`");
    Matcher m = VERSION_COMMENT.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int version = Integer.parseInt(m.group(1));
      String clause = m.group(2).trim();
      String replacement = m.group();
      if (clause.equals("INVISIBLE")) {
        replacement = column ? "INVISIBLE" : "IGNORED";
      } else if (version >= 50700 && version < 100000) {
        problems.add(where + " has the clause " + m.group() + ", which MariaDB would silently ignore"
            + (clause.startsWith("NOT ENFORCED") ? " (the check would become enforced; drop it or enforce it on the"
                + " source first)" : clause.startsWith("SRID") ? " (drop the SRID on the source first)"
                : " (remove it on the source first)"));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    out = sb.toString();
    if (!column && out.matches("^(UNIQUE |FULLTEXT |SPATIAL )?KEY `(?:[^`]|``)*` \\(\\(.*")) {
      problems.add(where + " is a functional index, which MariaDB does not have (index a generated column on the"
          + " source instead)");
    }
    return out;
  }

  private static String toMariaDbTail(String tail, List<String> problems) {
    return collations(tail, MYSQL_TO_MARIADB_COLLATIONS, MYSQL_ONLY, "MariaDB", problems, "the table");
  }

  private static String toMySql(String element, Map<String, String> types, List<String> problems) {
    String where = describe(element);
    String out = collations(element, MARIADB_TO_MYSQL_COLLATIONS, MARIADB_ONLY, "MySQL", problems, where);
    Matcher column = COLUMN.matcher(out);
    if (column.find()) {
      String type = column.group(2).toLowerCase(Locale.ROOT);
      if (MARIADB_ONLY_TYPES.contains(type)) {
        problems.add(where + " is of MariaDB's type " + type + ", which MySQL does not have (change it to a"
            + (type.equals("uuid") ? " CHAR(36) or BINARY(16)" : " VARBINARY(16)") + " on the source first)");
      }
      if (out.contains("nextval(")) {
        problems.add(where + " takes its default from a sequence, which MySQL does not have (use AUTO_INCREMENT)");
      }
      return parenthesizedDefault(out, BLOB_TYPES.contains(type));
    }
    if (out.endsWith(" IGNORED")) {
      out = out.substring(0, out.length() - " IGNORED".length()) + " /*!80000 INVISIBLE */";
    }
    if (out.contains(" USING HASH")) {
      String index = out;
      List<String> blobs = types.entrySet().stream().filter(e -> BLOB_TYPES.contains(e.getValue()))
          .map(Map.Entry::getKey).filter(c -> index.contains("`" + c + "`")).sorted().toList();
      if (!blobs.isEmpty()) {
        problems.add(where + " is a unique key on the whole of " + blobs + " (USING HASH), which MySQL cannot index"
            + " (give the key a prefix length, or drop it, on the source first)");
      }
      // On other columns MySQL builds the same unique key as a B-tree.
      out = out.replace(" USING HASH", "");
    }
    return out;
  }

  /**
   * MariaDB prints a default expression as {@code DEFAULT uuid()} and a TEXT or BLOB literal default as
   * {@code DEFAULT 'x'}; MySQL takes both only in parentheses. Temporal functions stay as they are.
   */
  static String parenthesizedDefault(String column, boolean blobType) {
    Matcher call = DEFAULT_CALL.matcher(column);
    if (call.find()) {
      String function = call.group(1).toLowerCase(Locale.ROOT);
      if (function.equals("current_timestamp") || function.equals("now") || function.equals("localtime")
          || function.equals("localtimestamp")) {
        return column;
      }
      int start = call.start() + " DEFAULT ".length();
      int end = closingParenthesis(column, call.end() - 1);
      return column.substring(0, start) + "(" + column.substring(start, end + 1) + ")" + column.substring(end + 1);
    }
    Matcher literal = DEFAULT_LITERAL.matcher(column);
    if (blobType && literal.find()) {
      return column.substring(0, literal.start(1)) + "(" + literal.group(1) + ")" + column.substring(literal.end(1));
    }
    return column;
  }

  private static int closingParenthesis(String text, int open) {
    int depth = 0;
    boolean quoted = false;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')' && --depth == 0) {
        return i;
      }
    }
    return text.length() - 1;
  }

  private static String toMySqlTail(String tail, List<String> problems) {
    String out = collations(tail, MARIADB_TO_MYSQL_COLLATIONS, MARIADB_ONLY, "MySQL", problems, "the table");
    for (String option : MARIADB_ONLY_OPTIONS) {
      if (out.toUpperCase(Locale.ROOT).contains(option.toUpperCase(Locale.ROOT))) {
        problems.add("the table has the MariaDB option " + option.replace("=", "").replace("1", "").trim()
            + ", which MySQL does not have (remove it on the source first)");
      }
    }
    return out;
  }
}
