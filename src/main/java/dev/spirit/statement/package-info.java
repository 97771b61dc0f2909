/**
 * Statement parsing and refusal rules: turns {@code --statement} into a model of what will change, or refuses it
 * before anything is changed.
 *
 * <p>Owns: the lexer (comments removed, executable {@code /*! … *}{@code /} comments unwrapped), the split of
 * {@code --statement} into statements at its semicolons, the split of an ALTER TABLE into clauses, spirit's own
 * reading of each clause, the guard that makes JSQLParser independently agree with that reading, the statement-level
 * refusals ({@code StatementRules}), the refusals of a multi-table statement ({@code MultiTableAlterReader}: only
 * ALTERs, each table once) and the table-shape refusals ({@link dev.spirit.statement.TableShapeRules}).
 *
 * <p>Invariants:
 * <ul>
 *   <li>No clause is ever dropped silently: each one is read by spirit, re-parsed alone by JSQLParser, and refused
 *       unless both agree; an unknown clause is refused, never folded into another.
 *   <li>The SQL sent to the server is the operator's own clause text (comments removed), never a re-rendering.
 *   <li>Every refusal is a {@link dev.spirit.error.SpiritException} with
 *       {@link dev.spirit.error.ErrorCode#UNSUPPORTED_STATEMENT} whose message names the table (or quotes the
 *       statement), the reason and the fix.
 *   <li>Each statement of a multi-table statement is parsed exactly as if it were given alone, so no rule is
 *       weaker for being in a list.
 *   <li>Pure Java: no database access and no CLI code; models are immutable records.
 * </ul>
 */
package dev.spirit.statement;
