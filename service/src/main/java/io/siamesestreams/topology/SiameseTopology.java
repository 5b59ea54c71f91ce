package io.siamesestreams.topology;

import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.identity.FlatGalleryIndex;
import io.siamesestreams.identity.GalleryIndex;
import io.siamesestreams.identity.GalleryMatcher;
import io.siamesestreams.metrics.ServiceMetrics;
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
 *
 * <p>With a face model ({@link LoadedModel#isFaceModel()}) the batcher and its buffer are replaced
 * by {@value #FACE_MATCHER} ({@link FaceFrameProcessor}: detect → align → embed → one event per
 * face, or one NO_FACE event), and the enroller embeds each image's one face.
 */
public final class SiameseTopology {

  public static final String FRAMES_SOURCE = "frames-source";
  public static final String FRAME_VALIDATOR = "frame-validator";
  public static final String FRAME_BATCHER = "frame-batcher";
  /** A face model's frame processor ({@link FaceFrameProcessor}), in place of the batcher. */
  public static final String FACE_MATCHER = "face-matcher";
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
    return create(settings, model, ServiceMetrics.disabled());
  }

  /** {@link #create(TopologySettings, LoadedModel)} with processors that record into {@code metrics}. */
  public static SiameseTopology create(TopologySettings settings, LoadedModel model, ServiceMetrics metrics) {
    Topics topics = settings.topics();
    GalleryIndex gallery = new FlatGalleryIndex(model.distance(), model.encoder().dimension());
    AtomicLong ignored = new AtomicLong();
    Topology topology = new Topology();

    topology.addSource(FRAMES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.frames().name());
    // A face model's frames go to the face matcher (detect, align, one event per face) instead of the batcher.
    String matcherNode = model.isFaceModel() ? FACE_MATCHER : FRAME_BATCHER;
    // The batcher takes the validator's decoded pixels (decode once); the face matcher decodes its own way.
    topology.addProcessor(FRAME_VALIDATOR, () -> new FrameValidationProcessor(model.encoder().preprocessor(),
        settings.maxRecordBytes(), settings.dedupeWindow(), matcherNode, DEAD_LETTER_SINK, metrics,
        !model.isFaceModel()), FRAMES_SOURCE);
    if (settings.deduplicates()) {
      Duration window = settings.dedupeWindow();
      topology.addStateStore(Stores.windowStoreBuilder(
          Stores.persistentWindowStore(Topics.FRAME_IDS_STORE, window.multipliedBy(2), window, false),
          Serdes.String(), Serdes.Long()).withCachingEnabled(), FRAME_VALIDATOR);
    }
    if (model.isFaceModel()) {
      topology.addProcessor(FACE_MATCHER, () -> new FaceFrameProcessor(model,
          new GalleryMatcher(gallery, model.scorer(), model.modelId(), model.modelVersion(), settings.topK()),
          MATCH_EVENTS_SINK, DEAD_LETTER_SINK, metrics), FRAME_VALIDATOR);
    } else {
      topology.addProcessor(FRAME_BATCHER, () -> new FrameBatchProcessor(model,
          new GalleryMatcher(gallery, model.scorer(), model.modelId(), model.modelVersion(), settings.topK()),
          settings.batchSize(), settings.maxWait(), settings.maxRecordBytes(), MATCH_EVENTS_SINK, DEAD_LETTER_SINK,
          metrics),
          FRAME_VALIDATOR);
      topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.FRAME_BUFFER_STORE),
          Serdes.Long(), BufferedFrame.serde()).withCachingEnabled(), FRAME_BATCHER);
    }
    topology.addSink(MATCH_EVENTS_SINK, topics.matchEvents().name(), topics.matchEvents().keySerde().serializer(),
        topics.matchEvents().valueSerde().serializer(), matcherNode);

    topology.addSource(IDENTITIES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.identities().name());
    topology.addProcessor(ENROLLER, () -> new EnrollmentProcessor(model, settings.maxTemplatesPerIdentity(),
        settings.maxRecordBytes(), IDENTITY_TEMPLATES_SINK, DEAD_LETTER_SINK, metrics), IDENTITIES_SOURCE);
    topology.addSink(IDENTITY_TEMPLATES_SINK, topics.identityTemplates().name(),
        topics.identityTemplates().keySerde().serializer(), topics.identityTemplates().valueSerde().serializer(),
        ENROLLER);

    topology.addSink(DEAD_LETTER_SINK, topics.framesDlq().name(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), FRAME_VALIDATOR, matcherNode, ENROLLER);

    // In memory: a persistent (RocksDB) store would keep erased templates in its files until compaction.
    topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Topics.GALLERY_STORE),
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
