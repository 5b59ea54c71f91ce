package io.siamesestreams.topology;

import io.siamesestreams.events.MatchEventFeed;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.identity.FlatGalleryIndex;
import io.siamesestreams.identity.Gallery;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.model.LoadedModel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The service's topology, built from settings and an opened model and nothing else (tests drive
 * it with {@code TopologyTestDriver}). One frame path for every model; what a model does to a
 * frame is its {@link FrameEmbedder} (the whole image, or the faces' aligned chips).
 *
 * <pre>
 *  frames ─▶ frame-validator ─▶ frame-deduplicator ─▶ frame-batcher ─▶ frame-embedder ─▶ frame-matcher ─▶ match-events
 *  (bytes)   parse, decode once  [frame-ids]           [frame-buffer]   one encoder call   searches the
 *                │                    │                     │           per batch          Gallery
 *                └─ invalid ──────────┴─ duplicate ─────────┴─ restored, ─┴─ faceBox outside ──────▶ frames-dlq
 *                                                             invalid       the image
 *  identities ─▶ enroller ──templates / tombstones──▶ identity-templates
 *  (bytes)          └─invalid──────────────────────────────────────────▶ frames-dlq
 *  identity-templates ─▶ gallery-updater (global) ─▶ [gallery] + Gallery
 * </pre>
 *
 * <p>Between processors travel typed values ({@link FrameFlow}: a validated frame with its decoded
 * image, a batch, an embedded batch, an event, a dead letter); each processor supplier declares the
 * stores its processor uses. There is no repartition: frames are batched per input task, and the
 * gallery is a global store (every instance holds every identity) mirrored in the in-memory index of
 * the topology's {@link Gallery}, which the matchers search. The Processor API is used (not the DSL)
 * because processors forward to two different children (the next step, dead letters).
 */
public final class SiameseTopology {

  public static final String FRAMES_SOURCE = "frames-source";
  public static final String FRAME_VALIDATOR = "frame-validator";
  public static final String FRAME_DEDUPLICATOR = "frame-deduplicator";
  public static final String FRAME_BATCHER = "frame-batcher";
  public static final String FRAME_EMBEDDER = "frame-embedder";
  public static final String FRAME_MATCHER = "frame-matcher";
  public static final String MATCH_EVENTS_SINK = "match-events-sink";
  public static final String IDENTITIES_SOURCE = "identities-source";
  public static final String ENROLLER = "enroller";
  public static final String IDENTITY_TEMPLATES_SINK = "identity-templates-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";
  public static final String IDENTITY_TEMPLATES_SOURCE = "identity-templates-source";
  public static final String GALLERY_UPDATER = "gallery-updater";

  private final Topology topology;
  private final Gallery gallery;

  private SiameseTopology(Topology topology, Gallery gallery) {
    this.topology = topology;
    this.gallery = gallery;
  }

  /** The topology for {@code settings} and {@code model}. */
  public static Topology build(TopologySettings settings, LoadedModel model) {
    return create(settings, model).topology();
  }

  /** The topology together with its gallery (one per topology instance). */
  public static SiameseTopology create(TopologySettings settings, LoadedModel model) {
    return create(settings, model, ServiceMetrics.disabled());
  }

  /**
   * {@link #create(TopologySettings, LoadedModel)} with processors that record into {@code metrics}.
   *
   * @throws ThresholdOverrides.InvalidThresholdException when a threshold override is out of range
   *     for the model ({@link ThresholdOverrides#resolve})
   */
  public static SiameseTopology create(TopologySettings settings, LoadedModel model, ServiceMetrics metrics) {
    return create(settings, model, metrics, new MatchEventFeed());
  }

  /**
   * {@link #create(TopologySettings, LoadedModel, ServiceMetrics)} with the frame matchers also
   * publishing every match event to {@code feed}.
   */
  public static SiameseTopology create(TopologySettings settings, LoadedModel model, ServiceMetrics metrics,
      MatchEventFeed feed) {
    Topics topics = settings.topics();
    Gallery gallery = new Gallery(new FlatGalleryIndex(model.distance(), model.encoder().dimension()),
        model.modelId(), model.modelVersion());
    Topology topology = new Topology();

    topology.addSource(FRAMES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.frames().name());
    topology.addProcessor(FRAME_VALIDATOR, FrameValidator.supplier(model.frameEmbedder(), settings.maxRecordBytes(),
        FRAME_DEDUPLICATOR, DEAD_LETTER_SINK, metrics), FRAMES_SOURCE);
    topology.addProcessor(FRAME_DEDUPLICATOR, FrameDeduplicator.supplier(settings.dedupeWindow(), FRAME_BATCHER,
        DEAD_LETTER_SINK, metrics), FRAME_VALIDATOR);
    topology.addProcessor(FRAME_BATCHER, FrameBatcher.supplier(model.frameEmbedder(), settings.maxRecordBytes(),
        settings.batchSize(), settings.maxWait(), FRAME_EMBEDDER, DEAD_LETTER_SINK, metrics), FRAME_DEDUPLICATOR);
    topology.addProcessor(FRAME_EMBEDDER, FrameBatchEmbedder.supplier(model.frameEmbedder(), model.encoder(),
        FRAME_MATCHER, DEAD_LETTER_SINK, metrics), FRAME_BATCHER);
    topology.addProcessor(FRAME_MATCHER, FrameMatcher.supplier(gallery, model.scorer(),
        settings.thresholds().resolve(model.manifest()), settings.topK(),
        MATCH_EVENTS_SINK, metrics, feed), FRAME_EMBEDDER);
    topology.addSink(MATCH_EVENTS_SINK, topics.matchEvents().name(), Serdes.ByteArray().serializer(),
        FrameFlow.MATCH_EVENT_VALUES, FRAME_MATCHER);

    topology.addSource(IDENTITIES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.identities().name());
    topology.addProcessor(ENROLLER, EnrollmentProcessor.supplier(model, settings.maxTemplatesPerIdentity(),
        settings.maxRecordBytes(), IDENTITY_TEMPLATES_SINK, DEAD_LETTER_SINK, metrics), IDENTITIES_SOURCE);
    topology.addSink(IDENTITY_TEMPLATES_SINK, topics.identityTemplates().name(), Serdes.ByteArray().serializer(),
        EnrollmentFlow.TEMPLATE_VALUES, ENROLLER);

    topology.addSink(DEAD_LETTER_SINK, topics.framesDlq().name(), Serdes.ByteArray().serializer(),
        FrameFlow.DEAD_LETTER_VALUES, FRAME_VALIDATOR, FRAME_DEDUPLICATOR, FRAME_BATCHER, FRAME_EMBEDDER, ENROLLER);

    // In memory: a persistent (RocksDB) store would keep erased templates in its files until compaction.
    topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Topics.GALLERY_STORE),
            Serdes.String(), Topics.TEMPLATES_SERDE).withLoggingDisabled(),
        IDENTITY_TEMPLATES_SOURCE, Serdes.String().deserializer(), Topics.TEMPLATES_SERDE.deserializer(),
        topics.identityTemplates().name(), GALLERY_UPDATER, () -> new GalleryUpdateProcessor(gallery));
    return new SiameseTopology(topology, gallery);
  }

  public Topology topology() {
    return topology;
  }

  /** The gallery the matchers search (filled by the global gallery updater). */
  public Gallery gallery() {
    return gallery;
  }

  /** Template records ignored by the gallery (other model id/version or dimension) since start. */
  public long ignoredTemplates() {
    return gallery.ignoredTemplates();
  }
}
