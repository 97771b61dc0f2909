package dev.spirit.testing;

import dev.spirit.testing.ServerLauncher.ServerUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes sure a bundled server binary can load its shared libraries before it is started. The embedded mysqld links
 * {@code libaio.so.1}, which a fresh Debian machine lacks (a MariaDB install pulls it in, which is how CI hid it):
 * without this, the first thing a newcomer sees is the dynamic loader's complaint. Missing libraries are found with
 * {@code ldd}; as root with {@code apt-get}, their Debian packages are installed; otherwise the one command that
 * installs them is the reason the server is unavailable.
 */
final class SharedLibraries {
  /** The Debian 12 package of each library a bundled server is known to need beyond libc. */
  static final Map<String, String> DEBIAN_PACKAGES = Map.of(
      "libaio.so.1", "libaio1",
      "libnuma.so.1", "libnuma1",
      "libncurses.so.6", "libncurses6",
      "libtinfo.so.6", "libtinfo6");
  private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found\\s*$");

  private SharedLibraries() {}

  /** The libraries {@code ldd} reports as not found, in its order. */
  static List<String> notFound(String lddOutput) {
    Set<String> missing = new LinkedHashSet<>();
    for (String line : lddOutput.split("\n")) {
      Matcher m = NOT_FOUND.matcher(line);
      if (m.matches()) {
        missing.add(m.group(1));
      }
    }
    return List.copyOf(missing);
  }

  /** The packages that provide {@code libraries}, or null when one of them has no known package. */
  static List<String> packagesFor(List<String> libraries) {
    List<String> packages = new ArrayList<>();
    for (String library : libraries) {
      String p = DEBIAN_PACKAGES.get(library);
      if (p == null) {
        return null;
      }
      if (!packages.contains(p)) {
        packages.add(p);
      }
    }
    return packages;
  }

  /** What to tell someone who must install the libraries themselves. */
  static String advice(String binary, List<String> libraries) {
    List<String> packages = packagesFor(libraries);
    String what = binary + " needs " + String.join(", ", libraries) + ", which this machine lacks";
    if (packages == null) {
      return what + "; install the packages that provide them";
    }
    return what + "; install " + (packages.size() == 1 ? "it" : "them") + " with: sudo apt-get install -y "
        + String.join(" ", packages);
  }

  /**
   * Returns when every library {@code binary} links is present, installing missing ones first when this process may
   * (root, apt-get on PATH).
   *
   * <p>Synchronized: the test servers start in parallel, and a second apt-get while the first holds dpkg's lock fails
   * (seen on a fresh machine: every MySQL variant but one reported "Unable to acquire the dpkg frontend lock"). The
   * second caller waits and then finds nothing missing.
   *
   * @param say one line per thing done, for the person watching
   * @throws ServerUnavailableException naming the libraries and the command that installs them
   */
  static synchronized void ensure(Path binary, Consumer<String> say) throws ServerUnavailableException, InterruptedException {
    List<String> missing = missing(binary);
    if (missing.isEmpty()) {
      return;
    }
    String name = binary.getFileName().toString();
    List<String> packages = packagesFor(missing);
    Path aptGet = Path.of("/usr/bin/apt-get");
    if (packages == null || !LocalServerProcess.runningAsRoot() || !Files.isExecutable(aptGet)) {
      throw new ServerUnavailableException(advice(name, missing));
    }
    say.accept(name + " needs " + String.join(", ", missing) + ", which this machine lacks: installing Debian's "
        + String.join(" ", packages) + " (apt-get install -y " + String.join(" ", packages) + ")");
    List<String> install = new ArrayList<>(List.of(aptGet.toString(), "install", "-y", "-q"));
    install.addAll(packages);
    String output = run(install);
    if (output != null) {
      // A fresh machine may have no package lists yet.
      String update = run(List.of(aptGet.toString(), "update", "-q"));
      output = update == null ? run(install) : update;
    }
    List<String> still = missing(binary);
    if (!still.isEmpty()) {
      throw new ServerUnavailableException(advice(name, still) + (output == null ? "" : "\napt-get said:\n"
          + tail(output)));
    }
    say.accept("installed " + String.join(" ", packages));
  }

  private static List<String> missing(Path binary) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return notFound(text);
    } catch (IOException e) {
      return List.of(); // no ldd on this machine: the server's own start-up error is what remains
    }
  }

  /** Runs a command; null when it exits 0, else its output. */
  private static String run(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return command.get(0) + " did not finish within 10 minutes\n" + text;
      }
      return p.exitValue() == 0 ? null : text.isEmpty() ? command.get(0) + " exited " + p.exitValue() : text;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 10), lines.length));
  }
}
