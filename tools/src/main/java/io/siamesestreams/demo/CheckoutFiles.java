package io.siamesestreams.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Files of the checkout this code was built in (the shipped model bundle, the Fashion-MNIST sample),
 * so that {@code ./siamese demo} finds them from any working directory.
 */
public final class CheckoutFiles {

  private CheckoutFiles() {}

  /**
   * {@code path} as given when it exists or is absolute; otherwise the same relative path under the
   * checkout root when it exists there; otherwise {@code path} unchanged.
   */
  public static Path locate(Path path) {
    if (path.isAbsolute() || Files.exists(path)) {
      return path;
    }
    return root().map(root -> root.resolve(path)).filter(Files::exists).orElse(path);
  }

  /**
   * The checkout root: two levels above the folder holding this class's jar or class folder
   * ({@code <root>/<module>/target/siamese-<module>.jar} or {@code <root>/<module>/target/classes}).
   */
  static Optional<Path> root() {
    CodeSource source = CheckoutFiles.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return Optional.empty();
    }
    try {
      Path root = Path.of(source.getLocation().toURI()).toAbsolutePath().getParent();
      for (int up = 0; up < 2 && root != null; up++) {
        root = root.getParent();
      }
      return Optional.ofNullable(root);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
