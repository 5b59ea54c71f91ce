package io.siamesestreams.identity;

import io.siamesestreams.matching.PairScorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one owner of a topology's gallery: the in-memory {@link GalleryIndex} of the admitted
 * templates, written by the global gallery updater (one thread) and searched by every stream thread's
 * matcher, with a summary of each admitted identity and the count of template records it did not
 * admit. One per topology instance; the topology hands it to the processors that need it, and readers
 * outside the topology get it as a {@link GalleryView}.
 */
public final class Gallery implements GalleryView {

  private final GalleryIndex index;
  private final String modelId;
  private final String modelVersion;
  private final AtomicLong ignoredTemplates = new AtomicLong();
  private final Map<String, IdentitySummary> summaries = new ConcurrentHashMap<>();

  /**
   * @param index the (empty) index to fill
   * @param modelId the model whose templates are admitted
   * @param modelVersion its version
   */
  public Gallery(GalleryIndex index, String modelId, String modelVersion) {
    this.index = index;
    this.modelId = modelId;
    this.modelVersion = modelVersion;
  }

  public GalleryIndex index() {
    return index;
  }

  /** Admits the identity's templates (already checked to be this model's), replacing earlier ones. */
  public void put(String identityId, IdentityTemplates templates) {
    index.put(identityId, templates.templates());
    summaries.put(identityId, IdentitySummary.of(identityId, templates));
  }

  /** Removes the identity; nothing happens when it is absent. */
  public void remove(String identityId) {
    index.remove(identityId);
    summaries.remove(identityId);
  }

  /** Removes every identity. */
  public void clear() {
    index.clear();
    summaries.clear();
  }

  /** Identities in the index. */
  @Override
  public int size() {
    return index.size();
  }

  @Override
  public Optional<IdentitySummary> identity(String identityId) {
    return Optional.ofNullable(summaries.get(identityId));
  }

  @Override
  public List<IdentitySummary> identities() {
    List<IdentitySummary> all = new ArrayList<>(summaries.values());
    all.sort(Comparator.comparing(IdentitySummary::identityId));
    return all;
  }

  @Override
  public GalleryMatcher matcher(PairScorer scorer, DecisionThresholds thresholds, int topK) {
    return new GalleryMatcher(index, scorer, thresholds, modelId, modelVersion, topK);
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public String modelVersion() {
    return modelVersion;
  }

  /** Counts one template record not admitted (other model, other dimension). */
  public void templatesIgnored() {
    ignoredTemplates.incrementAndGet();
  }

  /** Template records not admitted since start. */
  public long ignoredTemplates() {
    return ignoredTemplates.get();
  }
}
