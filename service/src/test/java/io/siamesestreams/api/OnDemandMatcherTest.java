package io.siamesestreams.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.FaceFrameEmbedder;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.identity.FlatGalleryIndex;
import io.siamesestreams.identity.Gallery;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.testing.FaceModelFixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-demand matcher alone, with the converted face models and an empty gallery. */
class OnDemandMatcherTest {

  @TempDir static Path dir;
  static LoadedModel faces;
  static OnDemandMatcher matcher;
  static List<DetectedFace> detected;

  @BeforeAll
  static void openTheFaceModel() {
    faces = LoadedModel.open(FaceModelFixtures.convert(dir.resolve("faces")), 1);
    Gallery gallery = new Gallery(new FlatGalleryIndex(faces.distance(), faces.encoder().dimension()), faces.modelId(),
        faces.modelVersion());
    matcher = new OnDemandMatcher(faces, gallery, io.siamesestreams.identity.ThresholdOverrides.none().resolve(faces.manifest()), 5,
        1 << 20);
    detected = ((FaceFrameEmbedder) faces.frameEmbedder()).faces().pipeline()
        .detect(FaceModelFixtures.photo("sample1.jpg"));
  }

  @AfterAll
  static void close() {
    faces.close();
  }

  private static String base64(BufferedImage image) {
    return Base64.getEncoder().encodeToString(FaceModelFixtures.png(image));
  }

  @Test
  void shouldTakeAnAlignedChipAsTheOneFaceWithoutDetection() {
    List<MatchEvent> events = matcher.match(new OnDemandMatcher.Request(null, base64(detected.get(1).chip()), null,
        null, true, null));

    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.faceCount()).isEqualTo(1);
      assertThat(event.faceBox()).isEqualTo(FaceBox.ofPixels(0, 0, 150, 150));
      assertThat(event.faceScore()).isEqualTo(1.0);
    });
  }

  @Test
  void shouldRefuseAnAlignedChipOfAnotherSizeOrWithAFaceBoxAsTheStreamWould() {
    BufferedImage small = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(detected.get(1).chip(), 0, 0, 100, 100, null);
    String chip = base64(detected.get(1).chip());

    assertThatThrownBy(() -> matcher.match(new OnDemandMatcher.Request(null, base64(small), null, null, true, null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_FIELD:aligned"))
        .hasMessageContaining("150x150");
    assertThatThrownBy(() -> matcher.match(new OnDemandMatcher.Request(null, chip, null,
        FaceBox.ofPixels(0, 0, 10, 10), true, null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_FIELD:aligned"));
  }
}
