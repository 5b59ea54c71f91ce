package io.siamesestreams.bench.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.identity.ExactGalleryIndex;
import io.siamesestreams.identity.FlatGalleryIndex;
import io.siamesestreams.identity.GalleryIndex;
import io.siamesestreams.matching.DistanceFunction;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FlatGalleryIndex} and {@link ApproximateGalleryIndex} against {@link ExactGalleryIndex}
 * (the reference) on small random galleries of normalised vectors.
 */
class SearchIndexesTest {

  private static final int D = 32;
  private static final DistanceFunction SQUARED_L2 = DistanceFunction.of(ModelManifest.Metric.SQUARED_L2);

  @Test
  void flatIndexShouldReturnExactlyTheReferenceTopFive() {
    Random random = new Random(1);
    ExactGalleryIndex reference = new ExactGalleryIndex(SQUARED_L2, D);
    FlatGalleryIndex flat = new FlatGalleryIndex(SQUARED_L2, D);
    for (int i = 0; i < 500; i++) {
      List<float[]> templates = List.of(unit(random), unit(random));
      reference.put("id-" + i, templates);
      flat.put("id-" + i, templates);
    }
    for (int q = 0; q < 50; q++) {
      float[] query = unit(random);
      assertThat(ids(flat.nearestIdentities(query, 0, 5))).isEqualTo(ids(reference.nearestIdentities(query, 0, 5)));
      assertThat(flat.nearestIdentities(query, 0, 5).get(0).distance())
          .isEqualTo(reference.nearestIdentities(query, 0, 5).get(0).distance());
    }
  }

  @Test
  void flatIndexShouldAnswerABatchOfQueriesExactlyAsItAnswersEachAlone() {
    Random random = new Random(3);
    FlatGalleryIndex flat = new FlatGalleryIndex(SQUARED_L2, D);
    // More rows than one scan block, so several blocks and a partial last block are scored.
    for (int i = 0; i < 700; i++) {
      flat.put("id-" + i, List.of(unit(random), unit(random)));
    }
    int queries = 7;
    float[] batch = new float[queries * D + 3];
    int[] offsets = new int[queries];
    for (int q = 0; q < queries; q++) {
      offsets[q] = 3 + q * D;
      System.arraycopy(unit(random), 0, batch, offsets[q], D);
    }

    List<List<GalleryIndex.Neighbour>> together = flat.nearestIdentities(batch, offsets, 5);

    assertThat(together).hasSize(queries);
    for (int q = 0; q < queries; q++) {
      List<GalleryIndex.Neighbour> alone = flat.nearestIdentities(batch, offsets[q], 5);
      assertThat(ids(together.get(q))).hasSize(5).isEqualTo(ids(alone));
      assertThat(together.get(q).get(0).distance()).isEqualTo(alone.get(0).distance());
    }
  }

  @Test
  void flatIndexShouldForgetReplacedAndRemovedTemplatesAcrossCompaction() {
    Random random = new Random(2);
    FlatGalleryIndex flat = new FlatGalleryIndex(SQUARED_L2, D);
    float[] old = unit(random);
    flat.put("moving", List.of(old));
    for (int i = 0; i < 300; i++) {
      flat.put("id-" + i, List.of(unit(random)));
    }
    for (int i = 0; i < 200; i++) {
      flat.remove("id-" + i);
    }
    float[] fresh = unit(random);
    flat.put("moving", List.of(fresh));

    assertThat(flat.size()).isEqualTo(101);
    assertThat(flat.nearestIdentities(fresh, 0, 1).get(0).identityId()).isEqualTo("moving");
    assertThat(flat.nearestTemplate("moving", old, 0).orElseThrow().template()).containsExactly(fresh);
    assertThat(ids(flat.nearestIdentities(old, 0, 300))).doesNotContain("id-5").hasSize(101);
  }

  @Test
  void approximateIndexShouldFindTheExactNearestIdentityForAtLeast98PercentOfQueries() {
    Random random = new Random(3);
    ExactGalleryIndex reference = new ExactGalleryIndex(SQUARED_L2, D);
    ApproximateGalleryIndex approximate = new ApproximateGalleryIndex(SQUARED_L2, D);
    float[][] gallery = new float[2_000][];
    for (int i = 0; i < gallery.length; i++) {
      gallery[i] = unit(random);
      reference.put("id-" + i, List.of(gallery[i]));
      approximate.put("id-" + i, List.of(gallery[i]));
    }
    int queries = 200;
    int agree = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = unit(random);
      GalleryIndex.Neighbour expected = reference.nearestIdentities(query, 0, 1).get(0);
      GalleryIndex.Neighbour actual = approximate.nearestIdentities(query, 0, 1).get(0);
      if (actual.identityId().equals(expected.identityId())) {
        agree++;
        assertThat(actual.distance()).isEqualTo(expected.distance());
      }
    }
    assertThat((double) agree / queries).isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void approximateIndexShouldNotReturnRemovedOrReplacedIdentities() {
    Random random = new Random(4);
    ApproximateGalleryIndex approximate = new ApproximateGalleryIndex(SQUARED_L2, D);
    float[] old = unit(random);
    approximate.put("moving", List.of(old));
    approximate.put("gone", List.of(old.clone()));
    for (int i = 0; i < 200; i++) {
      approximate.put("id-" + i, List.of(unit(random)));
    }
    float[] fresh = unit(random);
    approximate.put("moving", List.of(fresh, unit(random)));
    approximate.remove("gone");

    assertThat(approximate.size()).isEqualTo(201);
    assertThat(approximate.templateCount()).isEqualTo(202);
    assertThat(ids(approximate.nearestIdentities(old, 0, 5))).doesNotContain("gone");
    assertThat(approximate.nearestIdentities(fresh, 0, 1).get(0).identityId()).isEqualTo("moving");
    assertThat(approximate.nearestIdentities(fresh, 0, 1).get(0).distance()).isZero();
    approximate.clear();
    assertThat(approximate.nearestIdentities(fresh, 0, 1)).isEmpty();
  }

  @Test
  void approximateIndexShouldKeepFindingIdentitiesAfterManyReplacementsPurgeTheGraph() {
    Random random = new Random(5);
    ExactGalleryIndex reference = new ExactGalleryIndex(SQUARED_L2, D);
    ApproximateGalleryIndex approximate = new ApproximateGalleryIndex(SQUARED_L2, D);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 1_500; i++) {
        float[] template = unit(random);
        reference.put("id-" + i, List.of(template));
        approximate.put("id-" + i, List.of(template));
      }
    }
    assertThat(approximate.templateCount()).isEqualTo(1_500);
    int agree = 0;
    for (int q = 0; q < 100; q++) {
      float[] query = unit(random);
      if (approximate.nearestIdentities(query, 0, 1).get(0).identityId()
          .equals(reference.nearestIdentities(query, 0, 1).get(0).identityId())) {
        agree++;
      }
    }
    assertThat(agree).isGreaterThanOrEqualTo(97);
  }

  static float[] unit(Random random) {
    float[] v = new float[D];
    double norm = 0;
    for (int k = 0; k < D; k++) {
      v[k] = (float) random.nextGaussian();
      norm += v[k] * v[k];
    }
    for (int k = 0; k < D; k++) {
      v[k] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  private static List<String> ids(List<GalleryIndex.Neighbour> neighbours) {
    return neighbours.stream().map(GalleryIndex.Neighbour::identityId).toList();
  }
}
