package dev.spirit.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the integration tests' servers exactly as the tests start them, for {@code scripts/bench.sh}: writes one line
 * per available server to the file given as the first argument ({@code id<TAB>host<TAB>port<TAB>version}), then a
 * line {@code READY}, and keeps the servers until the JVM is terminated (SIGTERM runs the shutdown hooks that stop
 * them and remove their data directories). Narrow it with {@code SPIRIT_TEST_ONLY=mysql-8.0,mariadb}.
 */
public final class BenchServersMain {
  private BenchServersMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: BenchServersMain <ports-file>");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    List<String> lines = new ArrayList<>();
    for (TestServers.Outcome o : TestServers.outcomes()) {
      if (o.available()) {
        TestServer s = o.server();
        lines.add(String.join("\t", s.id(), s.host(), Integer.toString(s.port()), s.version()));
      } else {
        lines.add(String.join("\t", "#unavailable", o.launcher(),
            String.valueOf(o.failure() != null ? o.failure() : o.unavailableReason()).replace('\n', ' ')));
      }
    }
    lines.add("READY");
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
