package dev.spirit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code spirit <version> (commit <sha>)}, from the build-filtered {@code /spirit-version.properties}. */
final class VersionProvider implements IVersionProvider {
  static final String RESOURCE = "/spirit-version.properties";
  private static final String UNKNOWN = "unknown";

  @Override
  public String[] getVersion() {
    Properties build = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return new String[] {
      "spirit " + known(build.getProperty("version")) + " (commit " + known(build.getProperty("commit")) + ")"
    };
  }

  // Outside a Maven build (or without git) the placeholders stay unfiltered.
  private static String known(String value) {
    return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value;
  }
}
