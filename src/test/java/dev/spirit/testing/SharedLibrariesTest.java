package dev.spirit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedLibrariesTest {
  /** What ldd printed for the bundled mysqld on a fresh Debian 12 machine. */
  private static final String FRESH_MACHINE = String.join("\n",
      "\tlinux-vdso.so.1 (0x00007faf0cfcc000)",
      "\tlibpthread.so.0 => /lib/x86_64-linux-gnu/libpthread.so.0 (0x00007faf0cfa0000)",
      "\tlibaio.so.1 => not found",
      "\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007faf0cf90000)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007faf0cfce000)",
      "");

  @Test
  void findsTheLibrariesTheLoaderCannotFind() {
    assertThat(SharedLibraries.notFound(FRESH_MACHINE)).containsExactly("libaio.so.1");
    assertThat(SharedLibraries.notFound("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n")).isEmpty();
  }

  @Test
  void namesTheOneCommandThatInstallsThem() {
    assertThat(SharedLibraries.advice("mysqld", List.of("libaio.so.1")))
        .isEqualTo("mysqld needs libaio.so.1, which this machine lacks; install it with: sudo apt-get install -y"
            + " libaio1");
    assertThat(SharedLibraries.advice("mysqld", List.of("libaio.so.1", "libnuma.so.1")))
        .endsWith("install them with: sudo apt-get install -y libaio1 libnuma1");
  }

  @Test
  void aLibraryWithNoKnownPackageIsNamedWithoutAGuess() {
    assertThat(SharedLibraries.packagesFor(List.of("libaio.so.1", "libfoo.so.3"))).isNull();
    assertThat(SharedLibraries.advice("mysqld", List.of("libfoo.so.3")))
        .isEqualTo("mysqld needs libfoo.so.3, which this machine lacks; install the packages that provide them");
  }
}
