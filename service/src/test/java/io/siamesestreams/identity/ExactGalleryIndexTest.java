package io.siamesestreams.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.matching.DistanceFunction;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactGalleryIndexTest {

  private final ExactGalleryIndex index =
      new ExactGalleryIndex(DistanceFunction.of(ModelManifest.Metric.SQUARED_L2), 2);

  @Test
  void shouldReturnTheSmallestDistanceOverAnIdentitysTemplates() {
    index.put("a", List.of(new float[] {3, 0}, new float[] {1, 0}, new float[] {0, 5}));

    GalleryIndex.Neighbour nearest = index.nearestTemplate("a", new float[] {9, 0, 0, 0}, 2).orElseThrow();

    assertThat(nearest.distance()).isEqualTo(1.0);
    assertThat(nearest.template()).containsExactly(1, 0);
    assertThat(index.nearestTemplate("b", new float[] {0, 0}, 0)).isEmpty();
  }

  @Test
  void shouldRankIdentitiesByNearestTemplateAndKeepOnlyK() {
    index.put("far", List.of(new float[] {10, 0}));
    index.put("near", List.of(new float[] {5, 5}, new float[] {1, 0}));
    index.put("middle", List.of(new float[] {0, 2}));
    index.put("tie-b", List.of(new float[] {0, 3}));
    index.put("tie-a", List.of(new float[] {0, -3}));

    List<GalleryIndex.Neighbour> top = index.nearestIdentities(new float[] {0, 0}, 0, 4);

    assertThat(top).extracting(GalleryIndex.Neighbour::identityId).containsExactly("near", "middle", "tie-a", "tie-b");
    assertThat(top).extracting(GalleryIndex.Neighbour::distance).containsExactly(1.0, 4.0, 9.0, 9.0);
  }

  @Test
  void shouldReplaceRemoveAndClearIdentities() {
    index.put("a", List.of(new float[] {1, 1}));
    index.put("a", List.of(new float[] {2, 2}));
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.nearestTemplate("a", new float[] {2, 2}, 0).orElseThrow().distance()).isZero();

    index.remove("a");
    assertThat(index.contains("a")).isFalse();
    index.put("b", List.of(new float[] {1, 1}));
    index.clear();
    assertThat(index.size()).isZero();
    assertThat(index.nearestIdentities(new float[] {0, 0}, 0, 3)).isEmpty();
  }

  @Test
  void shouldRejectTemplatesOfAnotherDimension() {
    assertThatThrownBy(() -> index.put("a", List.of(new float[] {1, 2, 3})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 3");
    assertThatThrownBy(() -> index.put("a", List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
