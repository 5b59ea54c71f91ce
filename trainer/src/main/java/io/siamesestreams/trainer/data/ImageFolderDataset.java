package io.siamesestreams.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The image-folder layout: {@code root/<identity>/<image>.{png,jpg,jpeg}}, one folder per identity;
 * folder names become class names (sorted). Files are kept encoded and decoded by the preprocessor.
 *
 * <p>Hidden entries (names starting with a dot), files with other extensions and identity folders
 * without any image are ignored; files directly under {@code root} are ignored too. Images are
 * ordered by identity, then by file name. Extensions are matched case-insensitively.
 */
public final class ImageFolderDataset {
  private ImageFolderDataset() {}

  /**
   * @throws DatasetNotFoundException when {@code root} is missing or holds no identity folder with images
   * @throws UncheckedIOException when a folder or file cannot be read
   */
  public static LabeledImages load(Path root) {
    if (!Files.isDirectory(root)) {
      throw new DatasetNotFoundException("image folder " + root + " does not exist or is not a directory");
    }
    List<String> classNames = new ArrayList<>();
    List<byte[]> images = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try {
      for (Path identity : sortedEntries(root)) {
        if (!Files.isDirectory(identity)) {
          continue;
        }
        List<Path> files = sortedEntries(identity).stream().filter(ImageFolderDataset::isImageFile).toList();
        if (files.isEmpty()) {
          continue;
        }
        int label = classNames.size();
        classNames.add(identity.getFileName().toString());
        for (Path file : files) {
          images.add(Files.readAllBytes(file));
          sources.add(file.toString());
          labels.add(label);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image folder " + root + ": " + e.getMessage(), e);
    }
    if (classNames.isEmpty()) {
      throw new DatasetNotFoundException(
          "no identity folder with images in " + root
              + ": expected root/<identity>/<image>.png|jpg|jpeg");
    }
    return LabeledImages.ofEncoded(
        images, sources, labels.stream().mapToInt(Integer::intValue).toArray(), classNames);
  }

  /** Whether {@code file} is a regular, non-hidden file named *.png, *.jpg or *.jpeg. */
  static boolean isImageFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file)
        && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
  }

  /** Non-hidden entries of {@code directory}, sorted by name. */
  private static List<Path> sortedEntries(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }
}
