package io.siamesestreams.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
