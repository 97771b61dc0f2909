package dev.spirit.migration;

import dev.spirit.config.MigrateConfig;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.Database;
import dev.spirit.db.Endpoint;
import dev.spirit.db.ServerFlavor;
import dev.spirit.cutover.CutoverStrategy;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.table.Identifiers;
import dev.spirit.table.NameCase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a migration finds before it changes anything, and every check on it that can refuse the run: the server and
 * its binlog settings, each table (as the server names it) against its statement, the tables of one run together,
 * the privileges and whether the cutover can swap them. The real run and the dry run inspect alike, so a dry run
 * refuses exactly what the real run would.
 *
 * @param database the server, with sessions in its own time zone when a change converts TIMESTAMP values
 */
record Inspection(Endpoint endpoint, Database database, ServerFlavor flavor, NameCase nameCase,
    List<TableMigration> tables) {

  static Inspection of(MigrateConfig config, List<AlterTableStatement> statements) throws SQLException {
    Endpoint endpoint = new Endpoint(config.connection());
    Database database = endpoint.database(config.cutover().lockWaitTimeout());
    ServerFlavor flavor;
    NameCase nameCase;
    List<TableMigration> tables = new ArrayList<>();
    try (Connection c = database.connect()) {
      flavor = ServerFlavor.detect(c);
      Preflight.checkServer("migrate", flavor, flavor.binlogSettings(c));
      nameCase = NameCase.of(c);
      for (AlterTableStatement statement : statements) {
        tables.add(TableMigration.inspect(c, statement));
      }
      Preflight.checkTablesOfOneRun(tables.stream().map(TableMigration::table).toList(), nameCase);
      Privileges.check(c, statements.get(0).schema());
      CutoverStrategy.checkFeasible(flavor, tables.stream().map(TableMigration::table).toList());
    }
    if (tables.stream().anyMatch(t -> SessionZone.convertsTimestamps(t.statement(), t.source()))) {
      database = database.inServerTimeZone();
      try (Connection c = database.connect()) {
        for (TableMigration t : tables) {
          SessionZone.checkKeysExact(c, t.source());
        }
      }
    }
    return new Inspection(endpoint, database, flavor, nameCase, List.copyOf(tables));
  }

  String schema() {
    return tables.get(0).source().schema();
  }

  /**
   * One lock per table, so no two runs work on one table; a run of several tables also takes its schema's, so that
   * only one such run works in a schema at a time.
   */
  List<AdvisoryLock.Claim> lockClaims() {
    List<AdvisoryLock.Claim> claims = new ArrayList<>();
    if (tables.size() > 1) {
      claims.add(new AdvisoryLock.Claim(AdvisoryLock.schemaNameFor(schema()), "several tables of "
          + Identifiers.quote(schema())));
    }
    tables.forEach(t -> claims.add(new AdvisoryLock.Claim(AdvisoryLock.nameFor(schema(), t.table()), t.quoted())));
    return claims;
  }
}
