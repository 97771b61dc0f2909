package dev.spirit.migration;

import dev.spirit.error.ErrorCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, from {@code SHOW GRANTS}, that the user may do everything a run does: follow the binlog (REPLICATION SLAVE
 * and REPLICATION CLIENT, which MariaDB 10.5+ calls BINLOG MONITOR) and create, fill, lock, rename and drop tables in
 * the schema. Grants that come through roles cannot be read this way; then the check only warns.
 */
public final class Privileges {
  private static final Logger LOG = LoggerFactory.getLogger(Privileges.class);
  private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);
  static final List<String> SCHEMA_PRIVILEGES = List.of("ALTER", "CREATE", "DELETE", "DROP", "INDEX", "INSERT",
      "LOCK TABLES", "SELECT", "UPDATE");

  private Privileges() {}

  static void check(Connection c, String schema) throws SQLException {
    check(c, schema, SCHEMA_PRIVILEGES, true, "migrate", "a migration");
  }

  /**
   * Refuses the run when the user lacks a privilege it needs on the schema, or, with {@code replication}, the right to
   * follow the binlog.
   *
   * @param verb what the run does ({@code migrate}, {@code move}), for the message
   * @param run what needs them, for the message ("a migration", "a move's target")
   */
  public static void check(Connection c, String schema, List<String> schemaPrivileges, boolean replication,
      String verb, String run) throws SQLException {
    List<String> grants = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        grants.add(rs.getString(1));
      }
    }
    List<String> missing = missing(grants, schema, schemaPrivileges, replication);
    if (missing == null) {
      LOG.warn("privileges granted through roles cannot be checked before the run; continuing");
      return;
    }
    if (!missing.isEmpty()) {
      throw Preflight.refuse(ErrorCode.PREFLIGHT_FAILED, verb, "the user lacks privileges " + run + " needs: "
          + String.join(", ", missing) + ". Grant " + (replication ? "REPLICATION SLAVE, REPLICATION CLIENT ON *.*"
          + " and " : "") + String.join(", ", schemaPrivileges) + " ON `" + schema + "`.*");
    }
  }

  /** The privileges missing for {@code schema}; null when role grants make the answer unknowable. */
  static List<String> missing(List<String> grants, String schema) {
    return missing(grants, schema, SCHEMA_PRIVILEGES, true);
  }

  static List<String> missing(List<String> grants, String schema, List<String> schemaPrivileges,
      boolean replication) {
    Set<String> global = new HashSet<>();
    Set<String> onSchema = new HashSet<>();
    for (String grant : grants) {
      Matcher m = GRANT.matcher(grant.trim());
      if (!m.find()) {
        continue;
      }
      String scope = m.group(2).replace("`", "");
      String privileges = m.group(1).toUpperCase(Locale.ROOT);
      if (!scope.contains(".")) {
        return null; // "GRANT role TO user": a role
      }
      Set<String> target = scope.equals("*.*") ? global : covers(scope, schema) ? onSchema : null;
      if (target == null) {
        continue;
      }
      for (String p : privileges.split(",")) {
        target.add(p.trim().replaceAll("\\s+", " "));
      }
    }
    if (grants.stream().anyMatch(g -> g.toUpperCase(Locale.ROOT).startsWith("GRANT `")
        || g.toUpperCase(Locale.ROOT).startsWith("GRANT '"))) {
      return null; // role grants are listed as GRANT `role`@`host` TO ...
    }
    List<String> missing = new ArrayList<>();
    boolean allGlobal = global.contains("ALL PRIVILEGES") || global.contains("ALL");
    if (!allGlobal && replication) {
      if (!global.contains("REPLICATION SLAVE") && !global.contains("REPLICATION REPLICA")) {
        missing.add("REPLICATION SLAVE ON *.*");
      }
      if (!global.contains("REPLICATION CLIENT") && !global.contains("BINLOG MONITOR")
          && !global.contains("SUPER")) {
        missing.add("REPLICATION CLIENT ON *.*");
      }
    }
    boolean allSchema = allGlobal || onSchema.contains("ALL PRIVILEGES") || onSchema.contains("ALL");
    for (String p : schemaPrivileges) {
      if (!allSchema && !global.contains(p) && !onSchema.contains(p)) {
        missing.add(p + " ON `" + schema + "`.*");
      }
    }
    return missing;
  }

  /** Whether a grant scope like {@code shop.*}, {@code sh%.*} or {@code shop\_db.*} covers the whole schema. */
  static boolean covers(String scope, String schema) {
    if (!scope.endsWith(".*")) {
      return false;
    }
    String pattern = scope.substring(0, scope.length() - 2);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (ch == '%') {
        regex.append(".*");
      } else if (ch == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return schema.matches(regex.toString());
  }
}
