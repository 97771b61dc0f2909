package dev.spirit.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for every connection of a run. A custom CA file is checked here, before anything connects, so that a typo in
 * its path is a usage error rather than a handshake failure halfway through a migration.
 */
public record TlsSettings(TlsMode mode, Optional<Path> caFile) {
  public TlsSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(caFile, "caFile");
    caFile.ifPresent(TlsSettings::requireReadableFile);
  }

  private static void requireReadableFile(Path path) {
    String problem = null;
    if (!Files.exists(path)) {
      problem = "does not exist";
    } else if (!Files.isRegularFile(path)) {
      problem = "is not a regular file";
    } else if (!Files.isReadable(path)) {
      problem = "cannot be read (permission denied)";
    }
    if (problem != null) {
      throw new InvalidOptionException(
          OptionNames.TLS_CA + ": the CA file " + path + " " + problem, OptionNames.TLS_CA);
    }
  }
}
