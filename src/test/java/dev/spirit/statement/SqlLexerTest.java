package dev.spirit.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlLexerTest {

  private static List<String> texts(String sql) {
    return SqlLexer.lex(sql).tokens().stream().map(SqlToken::text).toList();
  }

  @Test
  void commentMarkersInsideStringsAndBackticksAreText() {
    assertThat(texts("a '/* x */' `-- y` \"# z\" b"))
        .containsExactly("a", "'/* x */'", "`-- y`", "\"# z\"", "b");
  }

  @Test
  void ordinaryCommentsBecomeOneSpace() {
    LexedSql lexed = SqlLexer.lex("a/* one */b -- two\nc # three\nd");
    assertThat(lexed.tokens()).extracting(SqlToken::text).containsExactly("a", "b", "c", "d");
    assertThat(lexed.text()).isEqualTo("a b  \nc  \nd");
  }

  @Test
  void doubleDashNeedsWhitespaceToStartAComment() {
    assertThat(texts("a--1")).containsExactly("a", "-", "-", "1");
    assertThat(texts("a --\nb")).containsExactly("a", "b");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x /*!50100 PARTITION BY HASH (id) */ y | x,PARTITION,BY,HASH,(,id,),y",
      "x /*!80000 INVISIBLE */ y              | x,INVISIBLE,y",
      "x /*! INVISIBLE */ y                   | x,INVISIBLE,y",
      "x /*M!100100 INVISIBLE */ y            | x,INVISIBLE,y",
      "x /*!100001 INVISIBLE */ y             | x,INVISIBLE,y",
      "x /*!50100 'a */ b' */ y               | x,'a */ b',y",
      "x /*+ hint */ y                        | x,y"})
  void executableCommentsKeepTheirContent(String sql, String expected) {
    assertThat(String.join(",", texts(sql))).isEqualTo(expected);
  }

  @Test
  void tokensPointIntoTheCommentFreeText() {
    LexedSql lexed = SqlLexer.lex("ADD /* c */ COLUMN `a b` INT");
    assertThat(lexed.slice(1, 4)).isEqualTo("COLUMN `a b` INT");
  }

  @Test
  void quotesAndEscapesAreUndone() {
    List<SqlToken> tokens = SqlLexer.lex("`we``ird` 'it''s' 'it\\'s' \"a\\nb\" 'x\\%'").tokens();
    assertThat(tokens.get(0).name()).isEqualTo("we`ird");
    assertThat(tokens.get(1).stringValue()).isEqualTo("it's");
    assertThat(tokens.get(2).stringValue()).isEqualTo("it's");
    assertThat(tokens.get(3).stringValue()).isEqualTo("a\nb");
    assertThat(tokens.get(4).stringValue()).isEqualTo("x\\%");
  }

  @Test
  void statementsAreCutAtSemicolonTokensInTheOperatorsText() {
    assertThat(SqlLexer.statements("a 'x;y' /* ; */ b; ; -- c; d\n;`e;f` # g;\n;"))
        .containsExactly("a 'x;y' /* ; */ b", "`e;f` # g;\n");
    assertThat(SqlLexer.statements(" ; /* only */ ;")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'open           | string literal starting with ' is not closed",
      "`open           | backtick-quoted name starting with ` is not closed",
      "a /* open       | comment /* … is not closed",
      "a /*!50100 b    | executable comment /*! … is not closed",
      "/*! a /*! b */ */ | cannot be nested"})
  void unterminatedInputIsASyntaxError(String sql, String message) {
    assertThatThrownBy(() -> SqlLexer.lex(sql)).isInstanceOf(SqlSyntaxException.class).hasMessageContaining(message);
  }
}
