package io.siamesestreams.topology;

import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.identity.ExactGalleryIndex;
import io.siamesestreams.identity.GalleryIndex;
import io.siamesestreams.identity.GalleryMatcher;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The service's topology, built from settings and an opened model and nothing else (tests drive
 * it with {@code TopologyTestDriver}).
 *
 * <pre>
 *  frames ────▶ frame-validator ──valid──▶ frame-batcher ──events──▶ match-events
 *  (bytes)      [frame-ids]      │         [frame-buffer]  │
 *                                │         searches the    │ undecodable at flush
 *                                │         GalleryIndex    │
 *                                └─invalid, duplicate──────┴──────────▶ frames-dlq
 *  identities ─▶ enroller ──templates / tombstones──▶ identity-templates
 *  (bytes)          └─invalid──────────────────────────────────────────▶ frames-dlq
 *  identity-templates ─▶ gallery-updater (global) ─▶ [gallery] + GalleryIndex
 * </pre>
 *
 * <p>There is no repartition: frames are batched per input task, and the gallery is a global
 * store (every instance holds every identity) mirrored in an in-memory {@link GalleryIndex} that
 * the batcher searches. The Processor API is used (not the DSL) because the validator and the
 * batcher forward to two different children (events, dead letters).
 */
public final class SiameseTopology {

  public static final String FRAMES_SOURCE = "frames-source";
  public static final String FRAME_VALIDATOR = "frame-validator";
  public static final String FRAME_BATCHER = "frame-batcher";
  public static final String MATCH_EVENTS_SINK = "match-events-sink";
  public static final String IDENTITIES_SOURCE = "identities-source";
  public static final String ENROLLER = "enroller";
  public static final String IDENTITY_TEMPLATES_SINK = "identity-templates-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";
  public static final String IDENTITY_TEMPLATES_SOURCE = "identity-templates-source";
  public static final String GALLERY_UPDATER = "gallery-updater";

  private final Topology topology;
  private final GalleryIndex gallery;
  private final AtomicLong ignoredTemplates;

  private SiameseTopology(Topology topology, GalleryIndex gallery, AtomicLong ignoredTemplates) {
    this.topology = topology;
    this.gallery = gallery;
    this.ignoredTemplates = ignoredTemplates;
  }

  /** The topology for {@code settings} and {@code model}. */
  public static Topology build(TopologySettings settings, LoadedModel model) {
    return create(settings, model).topology();
  }

  /** The topology together with its gallery index (one per topology instance). */
  public static SiameseTopology create(TopologySettings settings, LoadedModel model) {
    Topics topics = settings.topics();
    GalleryIndex gallery = new ExactGalleryIndex(model.distance(), model.encoder().dimension());
    AtomicLong ignored = new AtomicLong();
    Topology topology = new Topology();

    topology.addSource(FRAMES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.frames().name());
    topology.addProcessor(FRAME_VALIDATOR, () -> new FrameValidationProcessor(model.encoder().preprocessor(),
        settings.maxRecordBytes(), settings.dedupeWindow(), FRAME_BATCHER, DEAD_LETTER_SINK), FRAMES_SOURCE);
    if (settings.deduplicates()) {
      Duration window = settings.dedupeWindow();
      topology.addStateStore(Stores.windowStoreBuilder(
          Stores.persistentWindowStore(Topics.FRAME_IDS_STORE, window.multipliedBy(2), window, false),
          Serdes.String(), Serdes.Long()).withCachingEnabled(), FRAME_VALIDATOR);
    }
    topology.addProcessor(FRAME_BATCHER, () -> new FrameBatchProcessor(model,
        new GalleryMatcher(gallery, model.scorer(), model.modelId(), model.modelVersion(), settings.topK()),
        settings.batchSize(), settings.maxWait(), settings.maxRecordBytes(), MATCH_EVENTS_SINK, DEAD_LETTER_SINK),
        FRAME_VALIDATOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.FRAME_BUFFER_STORE),
        Serdes.Long(), BufferedFrame.serde()).withCachingEnabled(), FRAME_BATCHER);
    topology.addSink(MATCH_EVENTS_SINK, topics.matchEvents().name(), topics.matchEvents().keySerde().serializer(),
        topics.matchEvents().valueSerde().serializer(), FRAME_BATCHER);

    topology.addSource(IDENTITIES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.identities().name());
    topology.addProcessor(ENROLLER, () -> new EnrollmentProcessor(model, settings.maxTemplatesPerIdentity(),
        settings.maxRecordBytes(), IDENTITY_TEMPLATES_SINK, DEAD_LETTER_SINK), IDENTITIES_SOURCE);
    topology.addSink(IDENTITY_TEMPLATES_SINK, topics.identityTemplates().name(),
        topics.identityTemplates().keySerde().serializer(), topics.identityTemplates().valueSerde().serializer(),
        ENROLLER);

    topology.addSink(DEAD_LETTER_SINK, topics.framesDlq().name(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), FRAME_VALIDATOR, FRAME_BATCHER, ENROLLER);

    topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.GALLERY_STORE),
            Serdes.String(), Topics.TEMPLATES_SERDE).withLoggingDisabled(),
        IDENTITY_TEMPLATES_SOURCE, Serdes.String().deserializer(), Topics.TEMPLATES_SERDE.deserializer(),
        topics.identityTemplates().name(), GALLERY_UPDATER,
        () -> new GalleryUpdateProcessor(gallery, model.modelId(), model.modelVersion(), ignored));
    return new SiameseTopology(topology, gallery, ignored);
  }

  public Topology topology() {
    return topology;
  }

  /** The in-memory gallery the batcher searches (filled by the global gallery updater). */
  public GalleryIndex gallery() {
    return gallery;
  }

  /** Template records ignored by the gallery (other model id/version or dimension) since start. */
  public long ignoredTemplates() {
    return ignoredTemplates.get();
  }
}
