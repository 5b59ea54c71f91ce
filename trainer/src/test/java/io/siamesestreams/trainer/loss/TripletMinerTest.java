package io.siamesestreams.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TripletMinerTest {

  /**
   * Four 2-D points: label 0 = {(0,0), (1,0)}, label 1 = {(2,0), (0,3)}. Squared distances:
   * d01 = 1, d02 = 4, d03 = 9, d12 = 1, d13 = 10, d23 = 13.
   */
  static final float[][] POINTS = {{0, 0}, {1, 0}, {2, 0}, {0, 3}};

  static final int[] LABELS = {0, 0, 1, 1};

  static float[] squaredDistances(float[][] points) {
    int b = points.length;
    float[] d = new float[b * b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        float sum = 0;
        for (int k = 0; k < points[i].length; k++) {
          float diff = points[i][k] - points[j][k];
          sum += diff * diff;
        }
        d[i * b + j] = sum;
      }
    }
    return d;
  }

  static List<String> asStrings(Triplets t) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      result.add(t.anchors()[i] + "," + t.positives()[i] + "," + t.negatives()[i]);
    }
    return result;
  }

  @Test
  void semiHardShouldPickTheClosestNegativeFartherThanThePositive() {
    Triplets t = TripletMiner.select(squaredDistances(POINTS), LABELS, Mining.SEMI_HARD);

    // anchor 0, positive 1 (d=1): negatives at 4 and 9 are both farther, the closest is 2.
    // anchor 1, positive 0 (d=1): negative 2 is at exactly 1 (not farther), so 3 (d=10).
    assertThat(asStrings(t)).startsWith("0,1,2", "1,0,3");
  }

  @Test
  void semiHardShouldFallBackToTheFarthestNegativeWhenNoneIsFartherThanThePositive() {
    Triplets t = TripletMiner.select(squaredDistances(POINTS), LABELS, Mining.SEMI_HARD);

    // anchor 2, positive 3 (d=13): negatives at 4 (point 0) and 1 (point 1) → farthest is 0.
    // anchor 3, positive 2 (d=13): negatives at 9 (point 0) and 10 (point 1) → farthest is 1.
    assertThat(asStrings(t)).containsExactly("0,1,2", "1,0,3", "2,3,0", "3,2,1");
  }

  @Test
  void batchHardShouldPickTheFarthestPositiveAndClosestNegativePerAnchor() {
    float[][] points = {{0, 0}, {1, 0}, {0, 2}, {5, 5}, {0, 1}};
    int[] labels = {0, 0, 0, 1, 1};
    Triplets t = TripletMiner.select(squaredDistances(points), labels, Mining.BATCH_HARD);

    // a0: positives 1 (1), 2 (4) → 2; negatives 3 (50), 4 (1) → 4.
    // a1: positives 0 (1), 2 (5) → 2; negatives 3 (41), 4 (2) → 4.
    // a2: positives 0 (4), 1 (5) → 1; negatives 3 (34), 4 (1) → 4.
    // a3: positive 4 (41); negatives 0 (50), 1 (41), 2 (34) → 2.
    // a4: positive 3 (41); negatives 0 (1), 1 (2), 2 (1) → 0 (tie with 2, lower index).
    assertThat(asStrings(t)).containsExactly("0,2,4", "1,2,4", "2,1,4", "3,4,2", "4,3,0");
  }

  @Test
  void batchAllShouldListEveryValidTriplet() {
    int[] labels = {0, 0, 1, 1, 2};
    Triplets t = TripletMiner.select(new float[25], labels, Mining.BATCH_ALL);

    // 4 ordered anchor-positive pairs (label 0: 2, label 1: 2), each with 3 negatives; label 2 has no positive.
    assertThat(t.size()).isEqualTo(12);
    for (int i = 0; i < t.size(); i++) {
      assertThat(t.anchors()[i]).isNotEqualTo(t.positives()[i]);
      assertThat(labels[t.anchors()[i]]).isEqualTo(labels[t.positives()[i]]);
      assertThat(labels[t.anchors()[i]]).isNotEqualTo(labels[t.negatives()[i]]);
    }
    assertThat(asStrings(t)).doesNotHaveDuplicates().contains("0,1,2", "0,1,4", "3,2,0");
  }

  @Test
  void shouldMineNothingWhenNoLabelHasTwoImagesOrAllShareOne() {
    for (Mining mining : Mining.values()) {
      assertThat(TripletMiner.select(new float[9], new int[] {0, 1, 2}, mining).size()).isZero();
      assertThat(TripletMiner.select(new float[9], new int[] {4, 4, 4}, mining).size()).isZero();
    }
  }

  @Test
  void semiHardShouldFollowTheRuleOnARandomBatch() {
    Random random = new Random(7);
    int b = 24;
    float[][] points = new float[b][3];
    int[] labels = new int[b];
    for (int i = 0; i < b; i++) {
      labels[i] = i / 6;
      for (int k = 0; k < 3; k++) {
        points[i][k] = (float) random.nextGaussian();
      }
    }
    float[] d = squaredDistances(points);
    Triplets t = TripletMiner.select(d, labels, Mining.SEMI_HARD);

    assertThat(t.size()).isEqualTo(4 * 6 * 5);
    for (int i = 0; i < t.size(); i++) {
      int a = t.anchors()[i];
      int p = t.positives()[i];
      float dap = d[a * b + p];
      float dan = d[a * b + t.negatives()[i]];
      float closestFarther = Float.POSITIVE_INFINITY;
      float farthest = Float.NEGATIVE_INFINITY;
      for (int n = 0; n < b; n++) {
        if (labels[n] != labels[a]) {
          farthest = Math.max(farthest, d[a * b + n]);
          if (d[a * b + n] > dap) {
            closestFarther = Math.min(closestFarther, d[a * b + n]);
          }
        }
      }
      assertThat(dan).isEqualTo(closestFarther == Float.POSITIVE_INFINITY ? farthest : closestFarther);
    }
  }

  @Test
  void shouldRejectADistanceMatrixOfTheWrongSize() {
    assertThatThrownBy(() -> TripletMiner.select(new float[8], new int[] {0, 0, 1}, Mining.SEMI_HARD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 9");
  }
}
