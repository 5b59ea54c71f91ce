package io.siamesestreams.identity;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one owner of a topology's gallery: the in-memory {@link GalleryIndex} of the admitted
 * templates, written by the global gallery updater (one thread) and searched by every stream thread's
 * matcher, with the count of template records it did not admit. One per topology instance; the
 * topology hands it to the processors that need it.
 */
public final class Gallery {

  private final GalleryIndex index;
  private final String modelId;
  private final String modelVersion;
  private final AtomicLong ignoredTemplates = new AtomicLong();

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

  /** Identities in the index. */
  public int size() {
    return index.size();
  }

  public String modelId() {
    return modelId;
  }

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
