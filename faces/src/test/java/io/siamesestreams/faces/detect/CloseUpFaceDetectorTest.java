package io.siamesestreams.faces.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.faces.FaceApiFixtures;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.image.ImageTransforms;
import io.siamesestreams.faces.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CloseUpFaceDetectorTest {

  private static TinyFaceDetector tiny;
  private static CloseUpFaceDetector detector;

  @BeforeAll
  static void open() {
    tiny = TinyFaceDetector.open(FaceApiFixtures.bundles().resolve(FaceApiConverter.DETECTOR_DIR), 1);
    detector = new CloseUpFaceDetector(tiny);
  }

  @AfterAll
  static void close() {
    tiny.close();
  }

  @Test
  void shouldFindFacesFillingTheImageThatTheTinyDetectorAloneMisses() {
    RgbImage photo = FaceApiFixtures.photo("sample3.jpg");
    int missedByTiny = 0;
    for (FaceBox face : tiny.detect(photo, 416)) {
      // The face box itself, resized to 150 × 150: a tight crop as a gateway would send it.
      int[] r = face.clippedPixels(photo.width(), photo.height());
      RgbImage crop = RgbImage.of(ImageTransforms.resize(photo.crop(r[0], r[1], r[2], r[3]).toBufferedImage(), 150, 150));
      FaceBox whole = new FaceBox(0, 0, 150, 150, 1);
      if (tiny.detect(crop, 416).stream().noneMatch(box -> box.iou(whole) >= 0.3)) {
        missedByTiny++;
        List<FaceBox> found = detector.detect(crop, 416);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).iou(whole)).isGreaterThan(0.5);
        assertThat(found.get(0).score()).isGreaterThan(tiny.manifest().scoreThreshold());
      }
    }
    assertThat(missedByTiny).as("tight crops the tiny detector alone misses").isPositive();
  }

  @Test
  void shouldKeepEveryBoxOfTheFramePassAndAddNoneOnAGroupPhoto() {
    RgbImage photo = FaceApiFixtures.photo("sample1.jpg");

    assertThat(detector.detect(photo, 416)).containsExactlyElementsOf(tiny.detect(photo, 416));
  }

  @Test
  void shouldRejectACanvasSmallerThanTheImage() {
    assertThatThrownBy(() -> new CloseUpFaceDetector(tiny, 0.9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canvas factors must be >= 1, was 0.9");
  }
}
