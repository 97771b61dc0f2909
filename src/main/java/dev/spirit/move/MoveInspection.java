package dev.spirit.move;

import dev.spirit.config.MoveConfig;
import dev.spirit.cutover.CutoverStrategy;
import dev.spirit.db.AdvisoryLock;
import dev.spirit.db.Database;
import dev.spirit.db.ServerFlavor;
import dev.spirit.table.CreateTable;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableDefinition;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a move learns about both servers before it changes anything, and every refusal that reading allows: the
 * source's binlog settings and privileges, the target schema and privileges, each moved table's keys, foreign keys and
 * triggers, its definition as the target will take it, whether an existing target table matches, and whether the
 * cutover can swap the tables. A run and a dry run share it, so a dry run refuses with the run's own message.
 *
 * @param toMariaDb whether the target is MariaDB (definitions are translated between flavours)
 * @param definitions each table's definition for the target, in the order of {@code tables}
 */
record MoveInspection(ServerFlavor flavor, boolean toMariaDb, NameCase nameCase, List<TableMove> tables,
    List<CreateTable> definitions, MoveState.DefinitionMatch match) {

  static MoveInspection of(Database source, Database target, MoveConfig config) throws SQLException {
    String sourceSchema = config.source().schema();
    String targetSchema = config.target().schema();
    try (Connection s = source.connect(); Connection t = target.connect()) {
      ServerFlavor flavor = ServerFlavor.detect(s);
      boolean toMariaDb = ServerFlavor.detect(t).version().mariaDb();
      MovePreflight.checkSource(s, flavor, sourceSchema);
      MovePreflight.checkTarget(t, targetSchema);
      NameCase nameCase = NameCase.of(s);
      List<TableMove> tables = new ArrayList<>();
      List<CreateTable> definitions = new ArrayList<>();
      for (String name : MovePreflight.tables(s, sourceSchema, config.sourceTables())) {
        TableInfo info = TableInfo.load(s, sourceSchema, name);
        MovePreflight.checkTable(s, info);
        String printed = TableDefinition.readAsPrinted(s, sourceSchema, name);
        tables.add(new TableMove(info, TableDefinition.normalize(printed)));
        definitions.add(DefinitionTranslation.translate(CreateTable.parse(printed),
            flavor.version().mariaDb(), toMariaDb, info.quotedName()));
      }
      MoveState.DefinitionMatch match = TargetTables.match(s, targetSchema, tables, definitions,
          flavor.version().mariaDb(), toMariaDb);
      CutoverStrategy.checkFeasible(flavor, tables.stream().map(TableMove::table).toList());
      return new MoveInspection(flavor, toMariaDb, nameCase, List.copyOf(tables), List.copyOf(definitions), match);
    }
  }

  /** The same per-table locks as a migration's, so a move and a migration of one table exclude each other. */
  List<AdvisoryLock.Claim> lockClaims() {
    return tables.stream().map(t -> new AdvisoryLock.Claim(AdvisoryLock.nameFor(t.source().schema(), t.table()),
        t.quoted())).toList();
  }
}
