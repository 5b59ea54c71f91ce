package io.siamesestreams.topology;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.records.JsonSerde;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one registry of the service's topics: default names, serdes, and the names of the state
 * stores. Topic names can be overridden from configuration ({@link #withOverrides}); the serdes
 * cannot.
 *
 * <p>On the wire: keys are UTF-8 strings; values are UTF-8 JSON per {@code topics/schemas/};
 * dead letters carry the original key and value bytes unchanged plus the headers named in
 * {@link DeadLetters}.
 *
 * <p>The service reads {@code frames} and {@code identities} as raw bytes (so that every invalid
 * record can be dead-lettered with its original bytes) and parses them itself; the typed serdes
 * here are for producers, consumers and tests.
 */
public final class Topics {

  public static final String DEFAULT_FRAMES = "frames";
  public static final String DEFAULT_IDENTITIES = "identities";
  public static final String DEFAULT_IDENTITY_TEMPLATES = "identity-templates";
  public static final String DEFAULT_MATCH_EVENTS = "match-events";
  public static final String DEFAULT_FRAMES_DLQ = "frames-dlq";

  /** Configuration keys that override the topic names (e.g. in the {@code --config} file). */
  public static final String FRAMES_CONFIG = "siamese.topic.frames";
  public static final String IDENTITIES_CONFIG = "siamese.topic.identities";
  public static final String IDENTITY_TEMPLATES_CONFIG = "siamese.topic.identity-templates";
  public static final String MATCH_EVENTS_CONFIG = "siamese.topic.match-events";
  public static final String FRAMES_DLQ_CONFIG = "siamese.topic.frames-dlq";

  /** Per-task buffer of frames waiting for a batch (persistent, changelogged, cached). */
  public static final String FRAME_BUFFER_STORE = "frame-buffer";
  /** Per-task window store of recently seen frame ids (de-duplication), changelogged, cached. */
  public static final String FRAME_IDS_STORE = "frame-ids";
  /** Global store of enrolled identities' templates, built from {@code identity-templates}. */
  public static final String GALLERY_STORE = "gallery";

  public static final Serde<String> KEY_SERDE = Serdes.String();
  public static final JsonSerde<Frame> FRAME_SERDE = JsonSerde.of(Frame.class);
  public static final JsonSerde<IdentityEnrollment> ENROLLMENT_SERDE = JsonSerde.of(IdentityEnrollment.class);
  public static final JsonSerde<IdentityTemplates> TEMPLATES_SERDE = JsonSerde.of(IdentityTemplates.class);
  public static final JsonSerde<MatchEvent> MATCH_EVENT_SERDE = JsonSerde.of(MatchEvent.class);

  private final TopicDefinition<String, Frame> frames;
  private final TopicDefinition<String, IdentityEnrollment> identities;
  private final TopicDefinition<String, IdentityTemplates> identityTemplates;
  private final TopicDefinition<String, MatchEvent> matchEvents;
  private final TopicDefinition<byte[], byte[]> framesDlq;

  private Topics(String frames, String identities, String identityTemplates, String matchEvents, String framesDlq) {
    this.frames = new TopicDefinition<>(frames, KEY_SERDE, FRAME_SERDE);
    this.identities = new TopicDefinition<>(identities, KEY_SERDE, ENROLLMENT_SERDE);
    this.identityTemplates = new TopicDefinition<>(identityTemplates, KEY_SERDE, TEMPLATES_SERDE);
    this.matchEvents = new TopicDefinition<>(matchEvents, KEY_SERDE, MATCH_EVENT_SERDE);
    this.framesDlq = new TopicDefinition<>(framesDlq, Serdes.ByteArray(), Serdes.ByteArray());
  }

  /** The default names. */
  public static Topics defaults() {
    return new Topics(DEFAULT_FRAMES, DEFAULT_IDENTITIES, DEFAULT_IDENTITY_TEMPLATES, DEFAULT_MATCH_EVENTS,
        DEFAULT_FRAMES_DLQ);
  }

  /** Explicit names, e.g. per-test prefixes. */
  public static Topics named(String frames, String identities, String identityTemplates, String matchEvents,
      String framesDlq) {
    return new Topics(frames, identities, identityTemplates, matchEvents, framesDlq);
  }

  /** Topics with every name prefixed, e.g. {@code prefixed("t1-")} → {@code t1-frames}, … */
  public static Topics prefixed(String prefix) {
    return new Topics(prefix + DEFAULT_FRAMES, prefix + DEFAULT_IDENTITIES, prefix + DEFAULT_IDENTITY_TEMPLATES,
        prefix + DEFAULT_MATCH_EVENTS, prefix + DEFAULT_FRAMES_DLQ);
  }

  /**
   * These topics with names replaced by the {@code siamese.topic.*} keys present in {@code config}
   * (values of other types are ignored). Accepts a {@link java.util.Properties} too.
   */
  public Topics withOverrides(Map<?, ?> config) {
    return new Topics(
        override(config, FRAMES_CONFIG, frames.name()),
        override(config, IDENTITIES_CONFIG, identities.name()),
        override(config, IDENTITY_TEMPLATES_CONFIG, identityTemplates.name()),
        override(config, MATCH_EVENTS_CONFIG, matchEvents.name()),
        override(config, FRAMES_DLQ_CONFIG, framesDlq.name()));
  }

  /**
   * These names as configuration: {@code siamese.topic.frames} → this registry's frames topic, … (the
   * inverse of {@link #withOverrides}).
   */
  public Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> keys = List.of(FRAMES_CONFIG, IDENTITIES_CONFIG, IDENTITY_TEMPLATES_CONFIG, MATCH_EVENTS_CONFIG,
        FRAMES_DLQ_CONFIG);
    List<String> names = names();
    for (int i = 0; i < keys.size(); i++) {
      settings.put(keys.get(i), names.get(i));
    }
    return settings;
  }

  private static String override(Map<?, ?> config, String key, String current) {
    Object value = config.get(key);
    return value instanceof String s && !s.isBlank() ? s.trim() : current;
  }

  /** Input: camera frames, key camera id. */
  public TopicDefinition<String, Frame> frames() {
    return frames;
  }

  /** Input (compacted): enrolment requests, key identity id; tombstone erases. */
  public TopicDefinition<String, IdentityEnrollment> identities() {
    return identities;
  }

  /** Written and read by the service (compacted): templates per identity, key identity id. */
  public TopicDefinition<String, IdentityTemplates> identityTemplates() {
    return identityTemplates;
  }

  /** Output: one match event per valid frame, key camera id. */
  public TopicDefinition<String, MatchEvent> matchEvents() {
    return matchEvents;
  }

  /**
   * Output: dead letters (invalid frames, and invalid enrolments with header
   * {@code source.topic = identities}), original bytes plus reason headers.
   */
  public TopicDefinition<byte[], byte[]> framesDlq() {
    return framesDlq;
  }

  /** All five names, in the order frames, identities, identity-templates, match-events, frames-dlq. */
  public List<String> names() {
    return List.of(frames.name(), identities.name(), identityTemplates.name(), matchEvents.name(), framesDlq.name());
  }

  /**
   * Each name by its default name ({@code frames} → this registry's frames topic, …), in the order of
   * {@link #names()}.
   */
  public Map<String, String> namesByDefault() {
    Map<String, String> byDefault = new LinkedHashMap<>();
    List<String> defaults = List.of(DEFAULT_FRAMES, DEFAULT_IDENTITIES, DEFAULT_IDENTITY_TEMPLATES,
        DEFAULT_MATCH_EVENTS, DEFAULT_FRAMES_DLQ);
    List<String> names = names();
    for (int i = 0; i < defaults.size(); i++) {
      byDefault.put(defaults.get(i), names.get(i));
    }
    return byDefault;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Topics other && names().equals(other.names());
  }

  @Override
  public int hashCode() {
    return Objects.hash(names());
  }

  @Override
  public String toString() {
    return "frames=" + frames.name() + " identities=" + identities.name() + " identity-templates="
        + identityTemplates.name() + " match-events=" + matchEvents.name() + " frames-dlq=" + framesDlq.name();
  }
}
