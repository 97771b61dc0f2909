package dev.spirit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.spirit.config.OptionFile.ClientKey;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionFileTest {
  private static final Path PATH = Path.of("/etc/spirit/my.cnf");

  @TempDir Path dir;

  private static OptionFile parse(String... lines) {
    return OptionFile.parse(PATH, String.join("\n", lines));
  }

  private static Optional<String> text(OptionFile file, ClientKey key) {
    return file.value(key).map(OptionFile.Value::text);
  }

  @Test
  void readsOnlyTheClientSection() {
    OptionFile file = parse(
        "[mysqld]",
        "port=3399",
        "user=mysql",
        "[client]",
        "user=app",
        "password=secret",
        "database=shop",
        "[mysqldump]",
        "user=dumper");
    assertThat(text(file, ClientKey.USER)).hasValue("app");
    assertThat(text(file, ClientKey.PASSWORD)).hasValue("secret");
    assertThat(text(file, ClientKey.DATABASE)).hasValue("shop");
    assertThat(file.value(ClientKey.PORT)).isEmpty();
    assertThat(file.value(ClientKey.USER).orElseThrow().line()).isEqualTo(5);
  }

  @Test
  void skipsCommentsAndBlankLinesAndCutsEndComments() {
    OptionFile file = parse(
        "# a comment",
        "; another",
        "",
        "  [client]   # the section",
        "  user = app   # trailing comment",
        "password = \"p#ss w0rd\"  # the # inside quotes is kept",
        "database='it''s'");
    assertThat(text(file, ClientKey.USER)).hasValue("app");
    assertThat(text(file, ClientKey.PASSWORD)).hasValue("p#ss w0rd");
    assertThat(text(file, ClientKey.DATABASE)).hasValue("it''s");
  }

  @Test
  void cutsAnUnquotedHashLikeMysqlDoes() {
    assertThat(text(parse("[client]", "password=abc#def"), ClientKey.PASSWORD)).hasValue("abc");
  }

  @Test
  void decodesMysqlEscapesAndKeepsUnknownOnes() {
    OptionFile file = parse("[client]", "password=\"a\\sb\\\\c\\td\"", "tls-ca=C:\\certs\\ca.pem");
    assertThat(text(file, ClientKey.PASSWORD)).hasValue("a b\\c\td");
    assertThat(text(file, ClientKey.TLS_CA)).hasValue("C:\\certs\\ca.pem");
  }

  @Test
  void acceptsUnderscoresAndSslSynonymsAndAnyCase() {
    OptionFile file = parse("[CLIENT]", "SSL_MODE=verify_ca", "ssl-ca=/ca.pem");
    assertThat(text(file, ClientKey.TLS_MODE)).hasValue("verify_ca");
    assertThat(text(file, ClientKey.TLS_CA)).hasValue("/ca.pem");
    assertThat(text(parse("[client]", "tls_mode=REQUIRED"), ClientKey.TLS_MODE)).hasValue("REQUIRED");
  }

  @Test
  void laterSettingsWinAcrossRepeatedSections() {
    OptionFile file = parse("[client]", "user=first", "ssl-mode=DISABLED", "[mysql]", "user=x", "[client]",
        "user=second", "tls-mode=REQUIRED");
    assertThat(text(file, ClientKey.USER)).hasValue("second");
    assertThat(text(file, ClientKey.TLS_MODE)).hasValue("REQUIRED");
  }

  @Test
  void ignoresOtherClientOptionsEvenWithoutAValue() {
    OptionFile file = parse("[client]", "no-auto-rehash", "default-character-set=utf8mb4", "user=app");
    assertThat(text(file, ClientKey.USER)).hasValue("app");
  }

  @Test
  void anEmptyValueIsAnEmptyPassword() {
    assertThat(text(parse("[client]", "password="), ClientKey.PASSWORD)).hasValue("");
    assertThat(text(parse("[client]", "password=\"\""), ClientKey.PASSWORD)).hasValue("");
  }

  @Test
  void handlesCrLfAndAByteOrderMark() {
    OptionFile file = OptionFile.parse(PATH, "\uFEFF[client]\r\nuser=app\r\nport=3307\r\n");
    assertThat(text(file, ClientKey.USER)).hasValue("app");
    assertThat(text(file, ClientKey.PORT)).hasValue("3307");
  }

  @Test
  void combinesHostAndPort() {
    assertThat(parse("[client]", "host=db", "port=3307").hostWithPort().orElseThrow())
        .isEqualTo(new OptionFile.Value("db:3307", 2));
    assertThat(parse("[client]", "host=db").hostWithPort().orElseThrow().text()).isEqualTo("db:3306");
    assertThat(parse("[client]", "host=db:3308").hostWithPort().orElseThrow().text()).isEqualTo("db:3308");
    assertThat(parse("[client]", "host=db:3308", "port=3308").hostWithPort().orElseThrow().text())
        .isEqualTo("db:3308");
    assertThat(parse("[client]", "host=[::1]", "port=4000").hostWithPort().orElseThrow().text())
        .isEqualTo("[::1]:4000");
    assertThat(parse("[client]", "user=app").hostWithPort()).isEmpty();
  }

  @Test
  void aPortWithoutAHostAppliesToTheDefaultHost() {
    assertThat(parse("[client]", "port=3307").hostWithPort().orElseThrow())
        .isEqualTo(new OptionFile.Value("127.0.0.1:3307", 2));
  }

  @Test
  void refusesIncludes() {
    assertConfigError(() -> parse("[client]", "!include /etc/mysql/secret.cnf"),
        "--conf: /etc/spirit/my.cnf line 2: !include and !includedir are not supported");
    assertConfigError(() -> parse("!includedir /etc/mysql/conf.d/"), "line 1: !include and !includedir");
    assertConfigError(() -> parse("!bogus"), "line 1: unknown directive");
  }

  @Test
  void refusesAKnownKeyWithoutAValue() {
    assertConfigError(() -> parse("[client]", "password"), "line 2: 'password' needs a value, as in password=...");
  }

  @Test
  void refusesABrokenSectionHeader() {
    assertConfigError(() -> parse("[client", "user=a"), "line 1: section header has no closing ']'");
  }

  @Test
  void refusesBadPortsHostsAndTlsModes() {
    assertConfigError(() -> parse("[client]", "port=33o6"), "line 2: port: '33o6' is not a port");
    assertConfigError(() -> parse("[client]", "port=0"), "line 2: port: port must be between 1 and 65535, got 0");
    assertConfigError(() -> parse("[client]", "host=::1"), "line 2: host: '::1' looks like an IPv6 address");
    assertConfigError(() -> parse("[client]", "host=db:3307", "port=3308"),
        "line 2: host gives port 3307 but line 3 sets port=3308; keep one");
    assertConfigError(() -> parse("[client]", "ssl-mode=strict"), "line 2: tls-mode: 'strict' is not a TLS mode");
  }

  @Test
  void errorsNeverQuoteThePassword() {
    SpiritException e = catchConfigError(() -> parse("[client]", "password=hunter2", "port=x"));
    assertThat(e.getMessage()).doesNotContain("hunter2");
  }

  @Test
  void readsAFileFromDisk() throws IOException {
    Path file = Files.writeString(dir.resolve("my.cnf"), "[client]\nuser=app\n");
    OptionFile read = OptionFile.read(file);
    assertThat(read.path()).isEqualTo(file);
    assertThat(text(read, ClientKey.USER)).hasValue("app");
  }

  @Test
  void namesAMissingFile() {
    Path missing = dir.resolve("missing.cnf");
    assertConfigError(() -> OptionFile.read(missing), "--conf: " + missing + " does not exist");
  }

  @Test
  void namesADirectory() {
    assertConfigError(() -> OptionFile.read(dir), "--conf: " + dir + " is a directory, not an option file");
  }

  @Test
  void namesAnUnreadableFile() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "root can read any file");
    Path file = Files.writeString(dir.resolve("locked.cnf"), "[client]\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
    assertConfigError(() -> OptionFile.read(file), "--conf: " + file + " cannot be read (permission denied)");
  }

  @Test
  void refusesAFileThatIsNotUtf8() throws IOException {
    Path file = Files.write(dir.resolve("latin1.cnf"), "[client]\nuser=Jos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertConfigError(() -> OptionFile.read(file), "--conf: " + file + " is not UTF-8 text");
  }

  private static void assertConfigError(Runnable action, String expectedPart) {
    assertThat(catchConfigError(action).getMessage()).contains(expectedPart);
  }

  private static SpiritException catchConfigError(Runnable action) {
    try {
      action.run();
    } catch (SpiritException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_FILE);
      return e;
    }
    throw new AssertionError("expected a CONFIG_FILE error");
  }
}
