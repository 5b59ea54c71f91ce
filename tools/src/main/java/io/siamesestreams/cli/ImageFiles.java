package io.siamesestreams.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** PNG and JPEG files named on the command line: files as given, folders expanded (sorted by name). */
final class ImageFiles {

  private ImageFiles() {}

  static List<Path> expand(List<Path> filesOrFolders) {
    List<Path> images = new ArrayList<>();
    for (Path path : filesOrFolders) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> children = Files.list(path)) {
          children.filter(ImageFiles::isImage).sorted().forEach(images::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + path, e);
        }
      } else if (Files.isRegularFile(path)) {
        images.add(path);
      } else {
        throw new IllegalArgumentException("no such file or folder: " + path);
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no .png, .jpg or .jpeg images in " + filesOrFolders);
    }
    return images;
  }

  static boolean isImage(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(path) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
