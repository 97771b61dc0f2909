package dev.spirit.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A server reached through a Go MySQL driver DSN, {@code [user[:password]@][tcp[(host:port)]]/schema[?k=v&...]}, the
 * form upstream Spirit's {@code move} and {@code --replica-dsn} take.
 *
 * <p>The password may contain {@code @}, {@code :} and {@code /}: the schema starts after the last {@code /} and the
 * address after the last {@code @} before it, as in the Go driver. Errors never quote the DSN, because it carries the
 * password; {@link #toString()} redacts it.
 */
public record MysqlDsn(String user, Secret password, HostPort address, String schema, Map<String, String> params) {
  public MysqlDsn {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(schema, "schema");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * Parses {@code text}; {@code option} only names the flag in the error. A DSN without an address means the Go
   * driver's default, {@code tcp(127.0.0.1:3306)}.
   */
  public static MysqlDsn parse(String option, String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.lastIndexOf('/');
    if (slash < 0) {
      throw invalid(option, "the '/' before the schema name is missing");
    }
    String credentialsAndAddress = text.substring(0, slash);
    int at = credentialsAndAddress.lastIndexOf('@');
    String user = "";
    String password = "";
    if (at >= 0) {
      String credentials = credentialsAndAddress.substring(0, at);
      int colon = credentials.indexOf(':');
      user = colon < 0 ? credentials : credentials.substring(0, colon);
      password = colon < 0 ? "" : credentials.substring(colon + 1);
    }
    HostPort address = address(option, credentialsAndAddress.substring(at + 1));

    String schemaAndParams = text.substring(slash + 1);
    int question = schemaAndParams.indexOf('?');
    String schema = question < 0 ? schemaAndParams : schemaAndParams.substring(0, question);
    Map<String, String> params =
        question < 0 ? Map.of() : params(option, schemaAndParams.substring(question + 1));
    if (!params.isEmpty()) {
      // Parsed but not honoured would be worse than refused: ?tls=true would silently connect without TLS.
      throw new InvalidOptionException(option + ": DSN parameters are not supported (" + String.join(", ",
          params.keySet()) + "); TLS comes from --tls-mode and --tls-ca, and no other parameter changes what spirit"
          + " does. Remove them from the DSN.", option);
    }
    return new MysqlDsn(user, Secret.of(password), address, schema, params);
  }

  private static HostPort address(String option, String protocolAndAddress) {
    if (protocolAndAddress.isEmpty()) {
      return new HostPort(HostPort.DEFAULT_HOST, HostPort.DEFAULT_PORT);
    }
    int open = protocolAndAddress.indexOf('(');
    String protocol = open < 0 ? protocolAndAddress : protocolAndAddress.substring(0, open);
    if (!protocol.equals("tcp") && !protocol.equals("tcp4") && !protocol.equals("tcp6")) {
      throw invalid(option, "only tcp(host:port) addresses are supported");
    }
    if (open < 0) {
      return new HostPort(HostPort.DEFAULT_HOST, HostPort.DEFAULT_PORT);
    }
    if (!protocolAndAddress.endsWith(")")) {
      throw invalid(option, "the address must be closed with ')'");
    }
    String address = protocolAndAddress.substring(open + 1, protocolAndAddress.length() - 1);
    try {
      return HostPort.parse(address, HostPort.DEFAULT_PORT);
    } catch (IllegalArgumentException e) {
      throw invalid(option, "the address in tcp(...) is not host[:port] (IPv6 goes in brackets)");
    }
  }

  private static Map<String, String> params(String option, String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw invalid(option, "parameters after '?' must be name=value pairs joined by '&'");
      }
      try {
        params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw invalid(option, "a parameter value has a bad %-escape");
      }
    }
    return params;
  }

  private static InvalidOptionException invalid(String option, String problem) {
    return new InvalidOptionException(
        option + ": not a valid DSN (" + problem + "); expected user:password@tcp(host:port)/schema", option);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append(user).append(':').append(password).append("@tcp(").append(address).append(")/").append(schema);
    if (!params.isEmpty()) {
      text.append('?');
      params.forEach((k, v) -> text.append(k).append('=').append(v).append('&'));
      text.setLength(text.length() - 1);
    }
    return text.toString();
  }
}
