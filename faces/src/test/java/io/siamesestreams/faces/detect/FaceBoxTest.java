package io.siamesestreams.faces.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceBoxTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldRoundADetectedBoxToWholePixelsByItsEdgesKeepingTheScore() {
    FaceBox detected = new FaceBox(10.4, 20.6, 30.2, 40.5, 0.87);

    assertThat(detected.pixels()).isEqualTo(new FaceBox(10, 21, 31, 40, 0.87));
  }

  @Test
  void shouldBeWholePixelsWithoutTheScoreInJsonAndReadBackAsAGivenBox() throws Exception {
    String json = JSON.writeValueAsString(new FaceBox(10.4, 20.6, 30.2, 40.5, 0.87).pixels());

    assertThat(json).isEqualTo("{\"x\":10,\"y\":21,\"width\":31,\"height\":40}");
    assertThat(JSON.readValue(json, FaceBox.class)).isEqualTo(FaceBox.ofPixels(10, 21, 31, 40))
        .isEqualTo(new FaceBox(10, 21, 31, 40, 1.0));
  }

  @Test
  void shouldComputeIntersectionOverUnion() {
    FaceBox a = new FaceBox(0, 0, 10, 10, 0.9);
    FaceBox b = new FaceBox(5, 0, 10, 10, 0.8);

    assertThat(a.iou(b)).isCloseTo(50.0 / 150.0, within(1e-12));
    assertThat(a.iou(new FaceBox(20, 20, 5, 5, 0.7))).isZero();
    assertThat(a.iou(a)).isEqualTo(1.0);
  }

  @Test
  void shouldKeepTheBestBoxAndDropOverlapsAboveTheThreshold() {
    FaceBox best = new FaceBox(0, 0, 10, 10, 0.9);
    FaceBox overlapping = new FaceBox(1, 1, 10, 10, 0.8);
    FaceBox atThreshold = new FaceBox(0, 0, 10, 10 * 0.4, 0.7);
    FaceBox separate = new FaceBox(50, 50, 10, 10, 0.6);

    List<FaceBox> kept = TinyFaceDetector.nonMaxSuppression(List.of(separate, overlapping, atThreshold, best), 0.4);

    // IoU(best, atThreshold) is exactly 0.4: face-api drops only boxes strictly above the threshold.
    assertThat(kept).containsExactly(best, atThreshold, separate);
  }

  @Test
  void shouldClipToTheImageAndFloorLikeFaceApi() {
    FaceBox box = new FaceBox(-3.5, 10.7, 20.2, 100, 0.9);

    assertThat(box.clippedPixels(40, 50)).containsExactly(0, 10, 16, 39);
  }

  @Test
  void shouldGrowAboutTheCentreAndClipToTheImage() {
    FaceBox box = new FaceBox(10, 20, 20, 10, 0.9); // centre (20, 25)

    assertThat(box.grownPixels(2.0, 100, 100)).containsExactly(0, 15, 40, 20);
    assertThat(box.grownPixels(2.0, 35, 30)).containsExactly(0, 15, 35, 15);
  }
}
