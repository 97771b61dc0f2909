package dev.spirit.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

  private static String utf8(byte... bytes) {
    StringBuilder sb = new StringBuilder();
    SqlLiterals.appendUtf8(sb, bytes);
    return sb.toString();
  }

  @Test
  void utf8TextBecomesAStringLiteralAndAnythingElseHex() {
    assertThat(utf8("plain text, 42 #".getBytes(StandardCharsets.UTF_8))).isEqualTo("'plain text, 42 #'");
    assertThat(utf8()).isEqualTo("''");
    assertThat(utf8("it's\\".getBytes(StandardCharsets.UTF_8))).isEqualTo("_utf8mb4'it\\'s\\\\'");
    assertThat(utf8("é😀\u0000".getBytes(StandardCharsets.UTF_8))).isEqualTo("_utf8mb4'é😀\\0'");
    // Not UTF-8: a lone continuation byte, an overlong '/', an encoded surrogate, a cut-off sequence.
    assertThat(utf8((byte) 0x61, (byte) 0x80)).isEqualTo("X'6180'");
    assertThat(utf8((byte) 0xC0, (byte) 0xAF)).isEqualTo("X'C0AF'");
    assertThat(utf8((byte) 0xED, (byte) 0xA0, (byte) 0x80)).isEqualTo("X'EDA080'");
    assertThat(utf8((byte) 0xE2, (byte) 0x82)).isEqualTo("X'E282'");
    assertThat(utf8((byte) 0x7F)).isEqualTo("_utf8mb4'\u007f'");
  }
}
