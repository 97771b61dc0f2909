package dev.spirit.table;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlLiteralsTest {
  private static String quoted(String text) {
    StringBuilder sb = new StringBuilder();
    SqlLiterals.appendQuoted(sb, text);
    return sb.toString();
  }

  private static String hex(byte... bytes) {
    StringBuilder sb = new StringBuilder();
    SqlLiterals.appendHex(sb, bytes);
    return sb.toString();
  }

  @Test
  void everyCharacterTheServerWouldReadSpeciallyIsEscaped() {
    assertThat(quoted("it's \"x\" \\ a\nb\rc\u0000d\u001ae")).isEqualTo("'it\\'s \\\"x\\\" \\\\ a\\nb\\rc\\0d\\Ze'");
    assertThat(quoted("")).isEqualTo("''");
    assertThat(quoted("é😀 %_")).isEqualTo("'é😀 %_'");
  }

  @Test
  void bytesBecomeAHexLiteral() {
    assertThat(hex()).isEqualTo("X''");
    assertThat(hex((byte) 0, (byte) 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0x27)).isEqualTo("X'007F80FF27'");
  }
}
