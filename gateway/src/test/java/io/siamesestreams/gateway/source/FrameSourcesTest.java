package io.siamesestreams.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSourcesTest {

  @TempDir Path dir;

  @Test
  void streamsAndDevicesAreLiveAndFilesAndFoldersAreNot() throws IOException {
    assertThat(FrameSources.open("rtsp://127.0.0.1:8554/cam", 5, 1_000_000).live()).isTrue();
    assertThat(FrameSources.open("https://127.0.0.1/cam.mjpg", 5, 1_000_000).live()).isTrue();
    assertThat(FrameSources.open("/dev/video0", 5, 1_000_000).live()).isTrue();
    assertThat(FrameSources.open(Files.createFile(dir.resolve("v.mp4")).toString(), 5, 1_000_000).live()).isFalse();
    assertThat(FrameSources.open(dir.toString(), 5, 1_000_000)).isInstanceOf(ImageFolderSource.class);
  }

  @Test
  void aMissingPathIsRefusedWithItsName() {
    assertThatThrownBy(() -> FrameSources.open(dir.resolve("nope.mp4").toString(), 5, 1_000_000))
        .hasMessageContaining("nope.mp4").hasMessageContaining("is not a URL, a /dev/video device, a file or a folder");
  }

  @Test
  void credentialsInAStreamUrlNeverReachTheLogs() {
    assertThat(FrameSources.open("rtsp://admin:s3cret@10.0.0.5/stream1", 5, 1_000_000).description())
        .isEqualTo("stream rtsp://***@10.0.0.5/stream1").doesNotContain("s3cret");
  }

  @Test
  void aFolderWithoutImagesIsRefusedWithItsName() throws IOException {
    Files.writeString(dir.resolve("readme.txt"), "no images here");
    FrameSource folder = FrameSources.open(dir.toString(), 5, 1_000_000);
    assertThatThrownBy(folder::open).hasMessageContaining("no images").hasMessageContaining(dir.toString());
  }

  @Test
  void aFolderPlaysItsSubFoldersImagesInTheOrderOfTheirRelativePaths() throws IOException {
    writeImage(dir.resolve("b/01.png"), 10);
    writeImage(dir.resolve("a/02.png"), 20);
    writeImage(dir.resolve("a/01.png"), 30);
    writeImage(dir.resolve("c.png"), 40);
    Files.writeString(dir.resolve("a/notes.txt"), "not an image");
    FrameSource folder = FrameSources.open(dir.toString(), 5, 1_000_000);

    folder.open();
    List<Integer> widths = new ArrayList<>();
    List<Long> mediaTimes = new ArrayList<>();
    for (CapturedFrame frame = folder.next(); frame != null; frame = folder.next()) {
      widths.add(frame.image().getWidth());
      mediaTimes.add(frame.mediaTimeMicros());
    }

    assertThat(widths).containsExactly(30, 20, 10, 40);
    assertThat(mediaTimes).containsExactly(0L, 200_000L, 400_000L, 600_000L);
  }

  private static void writeImage(Path file, int width) throws IOException {
    Files.createDirectories(file.getParent());
    ImageIO.write(new BufferedImage(width, 8, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
  }
}
