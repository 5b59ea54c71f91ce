package io.siamesestreams.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.testing.TestBundles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryMatcherTest {

  @TempDir
  Path dir;

  private static float[] unit(int dimension, int axis) {
    float[] v = new float[dimension];
    v[axis] = 1f;
    return v;
  }

  @Test
  void shouldScoreABatchWithManifestThresholdAndOmitProbabilityWithoutAHead() {
    try (LoadedModel model = LoadedModel.open(TestBundles.write(dir, "no-head", false), 1)) {
      int d = TestBundles.DIMENSION;
      ExactGalleryIndex gallery = new ExactGalleryIndex(model.distance(), d);
      gallery.put("x", List.of(unit(d, 0)));
      gallery.put("y", List.of(unit(d, 1)));
      GalleryMatcher matcher = new GalleryMatcher(gallery, model.scorer(), model.modelId(), model.modelVersion(), 5);
      float[] embeddings = new float[3 * d];
      embeddings[0] = 1f;                 // frame 0 = x exactly
      embeddings[d + 1] = 0.8f;           // frame 1 near y: distance 0.04 + 0.36 = 0.40
      embeddings[d + 2] = 0.6f;
      embeddings[2 * d + 1] = 1f;         // frame 2 = y, claims x: distance 2

      List<MatchEvent> events = matcher.match(List.of(
          new Frame("f0", "c", 1, "-", "x", null),
          new Frame("f1", "c", 2, "-", null, null),
          new Frame("f2", "c", 3, "-", "x", null)), embeddings, 777L);

      assertThat(events).extracting(MatchEvent::decision)
          .containsExactly(Decision.MATCH, Decision.MATCH, Decision.NO_MATCH);
      assertThat(events.get(0).distance()).isZero();
      assertThat(events.get(1).mode()).isEqualTo(Mode.IDENTIFY);
      assertThat(events.get(1).identityId()).isEqualTo("y");
      assertThat(events.get(1).distance()).isCloseTo(0.40, within(1e-6));
      assertThat(events.get(1).candidates()).extracting(MatchEvent.Candidate::identityId).containsExactly("y", "x");
      assertThat(events.get(2).distance()).isCloseTo(2.0, within(1e-6));
      assertThat(events).allSatisfy(e -> {
        assertThat(e.probability()).isNull();
        assertThat(e.threshold()).isEqualTo(TestBundles.THRESHOLD);
        assertThat(e.modelVersion()).isEqualTo("no-head");
        assertThat(e.processedAt()).isEqualTo(777L);
      });
    }
  }

  @Test
  void shouldDecideTheSameDistanceWithEachCamerasOwnThresholdAndPutThatThresholdInTheEvent() {
    try (LoadedModel model = LoadedModel.open(TestBundles.write(dir, "no-head", false), 1)) {
      int d = TestBundles.DIMENSION;
      ExactGalleryIndex gallery = new ExactGalleryIndex(model.distance(), d);
      gallery.put("x", List.of(unit(d, 0)));
      DecisionThresholds thresholds = new DecisionThresholds(0.45, java.util.Map.of("server-room", 0.3));
      GalleryMatcher matcher = new GalleryMatcher(gallery, model.scorer(), thresholds, model.modelId(),
          model.modelVersion(), 5);
      float[] embeddings = new float[2 * d];
      for (int row = 0; row < 2; row++) {
        embeddings[row * d] = 0.8f;      // distance to x: 0.04 + 0.36 = 0.40
        embeddings[row * d + 1] = 0.6f;
      }

      List<MatchEvent> events = matcher.match(List.of(
          new Frame("lobby-1", "lobby", 1, "-", "x", null),
          new Frame("server-1", "server-room", 2, "-", "x", null)), embeddings, 777L);

      assertThat(events).extracting(MatchEvent::distance).allSatisfy(v -> assertThat(v).isCloseTo(0.40, within(1e-6)));
      assertThat(events).extracting(MatchEvent::decision).containsExactly(Decision.MATCH, Decision.NO_MATCH);
      assertThat(events).extracting(MatchEvent::threshold).containsExactly(0.45, 0.3);
      assertThat(matcher.noFace(new Frame("server-2", "server-room", 3, "-", null, null), 778L).threshold())
          .isEqualTo(0.3);
    }
  }
}
