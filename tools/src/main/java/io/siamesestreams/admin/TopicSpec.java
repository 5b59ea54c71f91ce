package io.siamesestreams.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One topic as declared in a {@code topics/<role>.json} file.
 *
 * @param name the default topic name (the service may be configured to use another, see {@link
 *     TopicCatalog#renamed})
 * @param description what the topic carries, who writes and who reads it
 * @param partitions partition count (≥ 1)
 * @param replicationFactor replication factor; null means the broker's {@code
 *     default.replication.factor}
 * @param cleanupPolicy {@code delete} or {@code compact} (Kafka's {@code cleanup.policy})
 * @param retentionMs Kafka's {@code retention.ms}; -1 keeps records forever
 * @param key what the record key is, in words
 * @param valueSchema path of the value's JSON Schema relative to {@code topics/}, or null (dead
 *     letters keep the original bytes)
 * @param headersSchema path of a JSON Schema describing the headers, or null
 * @param configs further topic configs, Kafka's names and string values
 */
public record TopicSpec(
    String name,
    String description,
    int partitions,
    Short replicationFactor,
    String cleanupPolicy,
    long retentionMs,
    String key,
    String valueSchema,
    String headersSchema,
    Map<String, String> configs) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(name + ": partitions must be >= 1, was " + partitions);
    }
    if (replicationFactor != null && replicationFactor < 1) {
      throw new IllegalArgumentException(name + ": replicationFactor must be >= 1, was " + replicationFactor);
    }
    if (!cleanupPolicy.matches("delete|compact|compact,delete|delete,compact")) {
      throw new IllegalArgumentException(name + ": unknown cleanupPolicy " + cleanupPolicy);
    }
    if (retentionMs < -1) {
      throw new IllegalArgumentException(name + ": retentionMs must be >= -1, was " + retentionMs);
    }
    configs = Map.copyOf(configs == null ? Map.of() : configs);
    if (configs.containsKey("cleanup.policy") || configs.containsKey("retention.ms")) {
      throw new IllegalArgumentException(
          name + ": set cleanup.policy and retention.ms with cleanupPolicy and retentionMs, not in configs");
    }
  }

  /** The same topic under another name. */
  public TopicSpec named(String otherName) {
    return new TopicSpec(
        otherName, description, partitions, replicationFactor, cleanupPolicy, retentionMs, key,
        valueSchema, headersSchema, configs);
  }

  /** The same topic with another replication factor (null: the broker's default). */
  public TopicSpec withReplicationFactor(Short factor) {
    return new TopicSpec(
        name, description, partitions, factor, cleanupPolicy, retentionMs, key, valueSchema,
        headersSchema, configs);
  }

  /** Every topic config to set: {@code cleanup.policy}, {@code retention.ms}, then {@link #configs()}. */
  public Map<String, String> topicConfigs() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("cleanup.policy", cleanupPolicy);
    all.put("retention.ms", Long.toString(retentionMs));
    all.putAll(new java.util.TreeMap<>(configs));
    return all;
  }
}
