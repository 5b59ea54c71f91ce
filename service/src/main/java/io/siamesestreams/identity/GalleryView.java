package io.siamesestreams.identity;

import io.siamesestreams.matching.PairScorer;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a topology's {@link Gallery}, for readers outside the topology (the HTTP API):
 * the admitted identities and matchers over the same index the stream's matchers search. Every
 * instance holds the whole gallery (a global store), so every instance's view is complete once it
 * has caught up with {@code identity-templates}.
 */
public interface GalleryView {

  String modelId();

  String modelVersion();

  /** Identities admitted. */
  int size();

  /** The identity's summary, or empty when it is not in the gallery. */
  Optional<IdentitySummary> identity(String identityId);

  /** Every admitted identity, ascending by identity id (a snapshot). */
  List<IdentitySummary> identities();

  /**
   * A matcher over this gallery's index, deciding with {@code thresholds} and searching top-{@code
   * topK}: the stream's decision rule ({@link GalleryMatcher}).
   */
  GalleryMatcher matcher(PairScorer scorer, DecisionThresholds thresholds, int topK);
}
