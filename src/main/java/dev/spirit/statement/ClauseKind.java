package dev.spirit.statement;

/** What one clause of an ALTER TABLE does. */
public enum ClauseKind {
  ADD_COLUMN,
  DROP_COLUMN,
  MODIFY_COLUMN,
  CHANGE_COLUMN,
  RENAME_COLUMN,
  /** {@code ALTER [COLUMN] c SET DEFAULT …} or {@code DROP DEFAULT}. */
  ALTER_COLUMN_DEFAULT,
  /** {@code ALTER [COLUMN] c SET VISIBLE | INVISIBLE}. */
  COLUMN_VISIBILITY,
  ADD_INDEX,
  ADD_UNIQUE,
  ADD_FULLTEXT,
  ADD_SPATIAL,
  DROP_INDEX,
  RENAME_INDEX,
  /** {@code ALTER INDEX i VISIBLE | INVISIBLE}. */
  INDEX_VISIBILITY,
  ADD_PRIMARY_KEY,
  DROP_PRIMARY_KEY,
  ADD_FOREIGN_KEY,
  DROP_FOREIGN_KEY,
  ADD_CHECK,
  DROP_CHECK,
  /** {@code ALTER CHECK | CONSTRAINT c [NOT] ENFORCED}. */
  ALTER_CHECK,
  /** {@code DROP CONSTRAINT c}: a CHECK or UNIQUE constraint (foreign keys are refused before any of this runs). */
  DROP_CONSTRAINT,
  /** One table option from the allow-list; {@link AlterClause#name()} is its canonical name. */
  TABLE_OPTION,
  /** {@code CONVERT TO CHARACTER SET …}. */
  CONVERT_CHARSET,
  /** {@code FORCE}: rebuild the table. */
  FORCE,
  PARTITION_BY,
  PARTITION_REMOVE,
  PARTITION_ADD,
  PARTITION_DROP,
  PARTITION_TRUNCATE,
  PARTITION_COALESCE,
  PARTITION_REORGANIZE,
  /** {@code RENAME [TO|AS] t2} inside an ALTER: refused. */
  RENAME_TABLE,
  /** {@code ALGORITHM=…}: refused, spirit chooses the algorithm. */
  ALGORITHM,
  /** {@code LOCK=…}: refused, spirit chooses the lock level. */
  LOCK;

  boolean isPartitioning() {
    return name().startsWith("PARTITION_");
  }
}
