package io.siamesestreams.topology;

import io.siamesestreams.identity.Gallery;
import io.siamesestreams.identity.GalleryIndex;
import io.siamesestreams.identity.IdentityTemplates;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gallery: the global store {@link Topics#GALLERY_STORE} and the in-memory
 * {@link GalleryIndex} the matchers search, both fed from {@code identity-templates}.
 *
 * <p>Admitted: templates of this model's id and version with the encoder's dimension. Anything
 * else is never compared: it is dropped from the gallery (an identity re-enrolled by another
 * model version leaves this version's gallery), logged and counted in
 * {@link #ignoredTemplates()}. A tombstone removes the identity. At start the index is rebuilt
 * from the store, whichever way the store was restored.
 */
public final class GalleryUpdateProcessor implements Processor<String, IdentityTemplates, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(GalleryUpdateProcessor.class);

  private final Gallery gallery;
  private final GalleryIndex index;
  private final String modelId;
  private final String modelVersion;
  private KeyValueStore<String, IdentityTemplates> store;

  /**
   * @param gallery the gallery this updater fills (its index and its count of ignored records)
   */
  public GalleryUpdateProcessor(Gallery gallery) {
    this.gallery = gallery;
    this.index = gallery.index();
    this.modelId = gallery.modelId();
    this.modelVersion = gallery.modelVersion();
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(Topics.GALLERY_STORE);
    gallery.clear();
    int loaded = 0;
    try (KeyValueIterator<String, IdentityTemplates> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, IdentityTemplates> entry = all.next();
        if (admissible(entry.key, entry.value)) {
          gallery.put(entry.key, entry.value);
          loaded++;
        }
      }
    }
    log.info("gallery loaded: {} identities for model {} version {}", loaded, modelId, modelVersion);
  }

  @Override
  public void process(Record<String, IdentityTemplates> record) {
    String identityId = record.key();
    if (identityId == null || SegmentRollMarker.isMarker(identityId)) {
      return;
    }
    IdentityTemplates templates = record.value();
    if (templates == null) {
      store.delete(identityId);
      gallery.remove(identityId);
      log.info("gallery: identity {} removed", identityId);
      return;
    }
    if (!admissible(identityId, templates)) {
      gallery.templatesIgnored();
      store.delete(identityId);
      gallery.remove(identityId);
      return;
    }
    store.put(identityId, templates);
    gallery.put(identityId, templates);
  }

  private boolean admissible(String identityId, IdentityTemplates templates) {
    if (templates == null || templates.templates() == null || templates.templates().isEmpty()) {
      return false;
    }
    if (!templates.producedBy(modelId, modelVersion)) {
      log.info("gallery: identity {} ignored: templates of model {} version {}, this service runs {} version {}",
          identityId, templates.modelId(), templates.modelVersion(), modelId, modelVersion);
      return false;
    }
    for (float[] template : templates.templates()) {
      if (template == null || template.length != index.dimension()) {
        log.warn("gallery: identity {} ignored: template dimension {} differs from the encoder's {}", identityId,
            template == null ? 0 : template.length, index.dimension());
        return false;
      }
    }
    return true;
  }

  /** Template records not admitted since start. */
  public long ignoredTemplates() {
    return gallery.ignoredTemplates();
  }
}
