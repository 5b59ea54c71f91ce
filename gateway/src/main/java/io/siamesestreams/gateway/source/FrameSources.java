package io.siamesestreams.gateway.source;

import java.nio.file.Files;
import java.nio.file.Path;

/** Picks the {@link FrameSource} for a {@code --source} value. */
public final class FrameSources {

  private FrameSources() {}

  /**
   * A folder → {@link ImageFolderSource} (one image per {@code 1/fps} of media time, or per second
   * when fps is 0); anything else (URL, file, {@code /dev/video*}) → {@link FfmpegSource}. A path
   * that is neither a URL, a device nor an existing file or folder fails here with its name.
   */
  public static FrameSource open(String source, double fps, long ioTimeoutMicros) {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("empty source");
    }
    if (source.contains("://") || source.startsWith("/dev/video")) {
      return new FfmpegSource(source, ioTimeoutMicros);
    }
    Path path = Path.of(source);
    if (Files.isDirectory(path)) {
      return new ImageFolderSource(path, fps > 0 ? Math.round(1e6 / fps) : 1_000_000L);
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("source " + source + " is not a URL, a /dev/video device, a file or a folder");
    }
    return new FfmpegSource(source, ioTimeoutMicros);
  }
}
