package io.siamesestreams.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs that some tests run but that a machine with only a JDK lacks (Debian's {@code prometheus},
 * {@code docker-compose}, {@code ffmpeg}). A test that needs one calls {@link #require}: where the
 * program is missing the test is reported skipped with a one-line reason naming it, which the build's
 * end-of-build summary lists and {@code .ci/run} refuses (CI installs them all).
 */
public final class ExternalPrograms {

  private ExternalPrograms() {}

  /**
   * The program's path on the {@code PATH}; skips the calling test (JUnit assumption) when it is not there.
   *
   * @param name the executable, e.g. {@code promtool}
   * @param debianPackage the Debian package that installs it, named in the skip reason
   */
  public static Path require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    Assumptions.assumeTrue(found.isPresent(),
        () -> "needs `" + name + "`, not on the PATH (install Debian's " + debianPackage + ": apt-get install " + debianPackage + ")");
    return found.orElseThrow();
  }

  /** The first executable called {@code name} in the {@code PATH}'s directories. */
  public static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
