package io.siamesestreams.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.testing.TinyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairScorerTest {

  private static final int D = TinyBundle.DIM;

  @TempDir Path tmp;

  @Test
  void shouldScoreAPairWithTheSquaredL2DistanceAndTheHeadFormula() {
    float[] a = {0.5f, -0.5f, 0.5f, 0.5f};
    float[] b = {0.1f, 0.2f, -0.3f, 0.9f};
    try (PairScorer scorer = PairScorer.open(ModelBundle.load(TinyBundle.write(tmp)))) {
      PairScore score = scorer.score(a, b);

      double expectedDistance = 0.4 * 0.4 + 0.7 * 0.7 + 0.8 * 0.8 + 0.4 * 0.4;
      assertThat(score.distance()).isCloseTo(expectedDistance, within(1e-6));
      assertThat(score.probability()).isCloseTo(TinyBundle.referenceProbability(a, 0, b, 0), within(1e-6));
      assertThat(score.match()).isEqualTo(expectedDistance <= TinyBundle.THRESHOLD);
      assertThat(scorer.hasHead()).isTrue();
      assertThat(scorer.threshold()).isEqualTo(TinyBundle.THRESHOLD);
    }
  }

  @Test
  void shouldMatchExactlyWhenTheDistanceIsAtMostTheThreshold() {
    try (PairScorer scorer = PairScorer.open(ModelBundle.load(TinyBundle.write(tmp)))) {
      assertThat(scorer.score(new float[] {1, 0, 0, 0}, new float[] {1, 0, 0, 0}).match()).isTrue();
      assertThat(scorer.score(new float[] {1, 0, 0, 0}, new float[] {0, 1, 0, 0}).match()).isFalse();
    }
  }

  @Test
  void shouldBatchDistancesAndProbabilitiesLikeSingleScores() {
    int n = 6;
    float[] left = TinyBundle.randoms(21, n * D, 0.5f);
    float[] right = TinyBundle.randoms(22, n * D, 0.5f);
    try (PairScorer scorer = PairScorer.open(ModelBundle.load(TinyBundle.write(tmp)))) {
      double[] distances = scorer.distances(left, right, n);
      double[] probabilities = scorer.probabilities(left, right, n);

      for (int i = 0; i < n; i++) {
        double squared = 0;
        for (int k = 0; k < D; k++) {
          double diff = left[i * D + k] - right[i * D + k];
          squared += diff * diff;
        }
        assertThat(distances[i]).isCloseTo(squared, within(1e-6));
        assertThat(probabilities[i]).isCloseTo(TinyBundle.referenceProbability(left, i * D, right, i * D), within(1e-6));
      }
    }
  }

  @Test
  void shouldUseTheEuclideanDistanceForTheL2Metric() {
    Path dir = TinyBundle.write(tmp);
    TinyBundle.editManifest(dir, m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("distance")).put("metric", "L2"));
    try (PairScorer scorer = PairScorer.open(ModelBundle.load(dir))) {
      assertThat(scorer.score(new float[] {3, 0, 0, 0}, new float[] {0, 4, 0, 0}).distance()).isCloseTo(5.0, within(1e-9));
    }
  }

  @Test
  void shouldGiveNanProbabilitiesWithoutAHead() throws Exception {
    Path dir = TinyBundle.write(tmp);
    Files.delete(dir.resolve(ModelManifest.HEAD_FILE));
    ModelBundle.writeManifest(dir, TinyBundle.manifest(false));
    try (PairScorer scorer = PairScorer.open(ModelBundle.load(dir))) {
      PairScore score = scorer.score(new float[] {1, 0, 0, 0}, new float[] {0, 1, 0, 0});

      assertThat(scorer.hasHead()).isFalse();
      assertThat(score.probability()).isNaN();
      assertThat(score.distance()).isCloseTo(2.0, within(1e-9));
      assertThat(scorer.probabilities(new float[2 * D], new float[2 * D], 2)).containsExactly(Double.NaN, Double.NaN);
    }
  }

  @Test
  void shouldRejectEmbeddingsOfTheWrongLength() {
    try (PairScorer scorer = PairScorer.open(ModelBundle.load(TinyBundle.write(tmp)))) {
      assertThatThrownBy(() -> scorer.score(new float[D], new float[D + 1])).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> scorer.distances(new float[D], new float[2 * D], 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("left holds 4 floats");
    }
  }
}
