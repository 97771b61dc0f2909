package dev.spirit.config;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code [client]} section of a MySQL option file ({@code --conf}), read the way the {@code mysql} client reads
 * it, so one file serves both.
 *
 * <p>Syntax kept from MySQL: {@code #} and {@code ;} comment lines; a {@code #} outside quotes ends the line; one pair
 * of matching quotes around a value is removed; {@code \b \t \n \r \\ \s} escapes are decoded; later settings win.
 * Names accept {@code _} for {@code -}, and {@code ssl-mode}/{@code ssl-ca} are synonyms of {@code tls-mode}/
 * {@code tls-ca}. Other {@code [client]} options belong to the mysql client and are ignored. {@code !include} is
 * refused: silently skipping it could mean connecting with the wrong password.
 *
 * <p>Every value is checked when the file is read, so later lookups cannot fail. Errors name the file and line and
 * never quote a password.
 */
public final class OptionFile {

  /** The settings read from {@code [client]}. */
  public enum ClientKey {
    HOST("host"),
    PORT("port"),
    USER("user"),
    PASSWORD("password"),
    DATABASE("database"),
    TLS_MODE("tls-mode", "ssl-mode"),
    TLS_CA("tls-ca", "ssl-ca");

    private final List<String> names;

    ClientKey(String... names) {
      this.names = List.of(names);
    }

    static Optional<ClientKey> byName(String name) {
      String normal = name.toLowerCase(Locale.ROOT).replace('_', '-');
      for (ClientKey key : values()) {
        if (key.names.contains(normal)) {
          return Optional.of(key);
        }
      }
      return Optional.empty();
    }
  }

  /** A value and the 1-based line it came from. */
  public record Value(String text, int line) {}

  private final Path path;
  private final Map<ClientKey, Value> client;

  private OptionFile(Path path, Map<ClientKey, Value> client) {
    this.path = path;
    this.client = client;
  }

  /** Reads and checks the file; any problem is a {@link ErrorCode#CONFIG_FILE} error naming the file. */
  public static OptionFile read(Path path) {
    if (!Files.exists(path)) {
      throw problem(path + " does not exist");
    }
    if (Files.isDirectory(path)) {
      throw problem(path + " is a directory, not an option file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (AccessDeniedException e) {
      throw problem(path + " cannot be read (permission denied)");
    } catch (IOException e) {
      throw problem("cannot read " + path + ": " + e, e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw problem(path + " is not UTF-8 text");
    }
    return parse(path, text);
  }

  /** Parses file content; {@code path} is used only in messages. */
  public static OptionFile parse(Path path, String text) {
    Map<ClientKey, Value> client = new EnumMap<>(ClientKey.class);
    String[] lines = text.split("\r\n|\r|\n", -1);
    boolean inClient = false;
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = (i == 0 && lines[0].startsWith("\uFEFF") ? lines[0].substring(1) : lines[i]).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("!")) {
        String reason = line.startsWith("!include")
            ? "!include and !includedir are not supported; put the [client] settings in this file"
            : "unknown directive; only option lines and [section] headers are allowed";
        throw problem(path, lineNumber, reason);
      }
      String content = withoutEndComment(line).strip();
      if (content.startsWith("[")) {
        if (!content.endsWith("]")) {
          throw problem(path, lineNumber, "section header has no closing ']'");
        }
        inClient = content.substring(1, content.length() - 1).strip().equalsIgnoreCase("client");
        continue;
      }
      if (!inClient) {
        continue;
      }
      int eq = content.indexOf('=');
      String name = (eq < 0 ? content : content.substring(0, eq)).strip();
      Optional<ClientKey> key = ClientKey.byName(name);
      if (key.isEmpty()) {
        continue;
      }
      if (eq < 0) {
        throw problem(path, lineNumber, "'" + name + "' needs a value, as in " + name + "=...");
      }
      client.put(key.get(), new Value(decodeValue(content.substring(eq + 1).strip()), lineNumber));
    }
    OptionFile file = new OptionFile(path, client);
    file.check();
    return file;
  }

  public Path path() {
    return path;
  }

  public Optional<Value> value(ClientKey key) {
    return Optional.ofNullable(client.get(key));
  }

  /**
   * The server address as {@code host:port}. The file's {@code port} completes the file's {@code host}; with a port
   * but no host it applies to the default host, as for the mysql client. Without either, nothing.
   */
  public Optional<Value> hostWithPort() {
    Value host = client.get(ClientKey.HOST);
    Value port = client.get(ClientKey.PORT);
    if (host == null && port == null) {
      return Optional.empty();
    }
    int portNumber = port == null ? HostPort.DEFAULT_PORT : HostPort.parsePort(port.text());
    if (host == null) {
      return Optional.of(new Value(new HostPort(HostPort.DEFAULT_HOST, portNumber).toString(), port.line()));
    }
    return Optional.of(new Value(HostPort.parse(host.text(), portNumber).toString(), host.line()));
  }

  private void check() {
    Value port = client.get(ClientKey.PORT);
    if (port != null) {
      try {
        HostPort.parsePort(port.text());
      } catch (IllegalArgumentException e) {
        throw problem(path, port.line(), "port: " + e.getMessage());
      }
    }
    Value host = client.get(ClientKey.HOST);
    if (host != null) {
      OptionalInt written;
      try {
        written = HostPort.explicitPort(host.text());
      } catch (IllegalArgumentException e) {
        throw problem(path, host.line(), "host: " + e.getMessage());
      }
      if (written.isPresent() && port != null && written.getAsInt() != HostPort.parsePort(port.text())) {
        throw problem(path, host.line(), "host gives port " + written.getAsInt() + " but line " + port.line()
            + " sets port=" + port.text() + "; keep one");
      }
    }
    Value mode = client.get(ClientKey.TLS_MODE);
    if (mode != null) {
      try {
        TlsMode.parse(mode.text());
      } catch (IllegalArgumentException e) {
        throw problem(path, mode.line(), "tls-mode: " + e.getMessage());
      }
    }
  }

  /** Cuts a {@code #} comment that is outside quotes; a backslash inside quotes protects the next character. */
  private static String withoutEndComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0 && c == '\\') {
        i++;
      } else if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else if (quote == 0 && c == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String decodeValue(String raw) {
    String value = raw;
    if (value.length() >= 2
        && (value.charAt(0) == '\'' || value.charAt(0) == '"')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      value = value.substring(1, value.length() - 1);
    }
    StringBuilder decoded = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\' || i + 1 == value.length()) {
        decoded.append(c);
        continue;
      }
      char next = value.charAt(i + 1);
      String replacement = switch (next) {
        case 'b' -> "\b";
        case 't' -> "\t";
        case 'n' -> "\n";
        case 'r' -> "\r";
        case 's' -> " ";
        case '\\' -> "\\";
        default -> null; // MySQL keeps an unknown escape as written, backslash included
      };
      if (replacement == null) {
        decoded.append(c);
      } else {
        decoded.append(replacement);
        i++;
      }
    }
    return decoded.toString();
  }

  private static SpiritException problem(Path path, int line, String reason) {
    return problem(path + " line " + line + ": " + reason);
  }

  private static SpiritException problem(String message) {
    return new SpiritException(ErrorCode.CONFIG_FILE, OptionNames.CONF + ": " + message);
  }

  private static SpiritException problem(String message, Throwable cause) {
    return new SpiritException(ErrorCode.CONFIG_FILE, OptionNames.CONF + ": " + message, cause);
  }
}
