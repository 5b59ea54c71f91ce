package io.siamesestreams.gateway.source;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The PNG/JPEG/BMP/GIF images of a folder and its sub-folders, in the order of their paths relative
 * to the folder (so {@code a/02.png} comes before {@code b/01.png}), as a slideshow: image i has media
 * time i × {@code frameIntervalMicros}. A file that is not a decodable image fails the read with its
 * name.
 */
public final class ImageFolderSource implements FrameSource {

  private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  private final Path folder;
  private final long frameIntervalMicros;
  private List<Path> files;
  private int index;

  public ImageFolderSource(Path folder, long frameIntervalMicros) {
    this.folder = folder;
    this.frameIntervalMicros = frameIntervalMicros;
  }

  @Override
  public void open() throws IOException {
    try (Stream<Path> listing = Files.walk(folder)) {
      files = listing.filter(Files::isRegularFile)
          .filter(file -> EXTENSIONS.stream().anyMatch(file.getFileName().toString().toLowerCase(Locale.ROOT)::endsWith))
          .sorted(Comparator.comparing(file -> folder.relativize(file).toString()))
          .toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no images (" + String.join(", ", EXTENSIONS) + ") in folder " + folder);
    }
    index = 0;
  }

  @Override
  public CapturedFrame next() throws IOException {
    if (index >= files.size()) {
      return null;
    }
    Path file = files.get(index);
    long start = System.nanoTime();
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException("not a decodable image: " + file);
    }
    long mediaTime = index * frameIntervalMicros;
    index++;
    return new CapturedFrame(image, mediaTime, System.currentTimeMillis(), System.nanoTime() - start);
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public String description() {
    return "folder " + folder;
  }

  @Override
  public void close() {}
}
