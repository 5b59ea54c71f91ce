package io.siamesestreams.app;

import io.siamesestreams.topology.SegmentRollMarker;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes erasures reach the broker's disks in bounded time. Kafka's log cleaner never compacts a
 * partition's active segment, and a segment rolls (closes) only when a record is appended after its
 * {@code segment.ms}: without further enrolments, an erased identity's enrolment and its tombstone
 * would sit in the active segment of {@code identities} (and its templates in {@code
 * identity-templates}) indefinitely, readable from the beginning of the topic and present in the log
 * files (docs/RELIABILITY.md, "Erasure"). Every {@value #INTERVAL_CONFIG} milliseconds (default
 * {@link #DEFAULT_INTERVAL}; 0 turns it off) this appends one tombstone under the reserved key
 * {@link SegmentRollMarker#KEY} to every partition of both topics, so that a segment closes at most
 * one interval after its {@code segment.ms} and the cleaner compacts it after {@code
 * max.compaction.lag.ms}. A marker is a key with no value: the compaction removes it like any
 * tombstone after {@code delete.retention.ms}.
 *
 * <p>Owns its producer and its scheduler thread; {@link #close()} stops both. A failed send is logged
 * and retried at the next interval (e.g. when the service's principal lacks WRITE on {@code
 * identities}, topics/acls.json).
 */
public final class SegmentRoller implements AutoCloseable {

  /** Interval between markers, ms (a {@code --config} / Kafka Streams property of the service). */
  public static final String INTERVAL_CONFIG = "siamese.erasure.roll.interval.ms";
  /** Half of the shipped {@code segment.ms} of 1 minute (topics/identities.json). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(SegmentRoller.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final ScheduledExecutorService scheduler;
  private final List<String> topicNames;

  private SegmentRoller(KafkaProducer<byte[], byte[]> producer, List<String> topicNames, Duration interval) {
    this.producer = producer;
    this.topicNames = topicNames;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "siamese-segment-roller");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::appendMarkers, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Starts appending markers to {@code identities} and {@code identity-templates} of {@code topics}
   * with the Kafka client settings of {@code config}; returns a no-op when the interval is 0.
   *
   * @throws IllegalArgumentException when {@value #INTERVAL_CONFIG} is negative or not a number
   */
  public static AutoCloseable start(StreamsConfig config, Topics topics, String clientId) {
    Duration interval = interval(config.originals());
    if (interval.isZero()) {
      log.warn("{}=0: no segment-roll markers; erased identities stay in the topics until other records"
          + " roll their segments", INTERVAL_CONFIG);
      return () -> { };
    }
    Map<String, Object> producerConfig = config.getProducerConfigs(clientId);
    producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    return new SegmentRoller(producer, List.of(topics.identities().name(), topics.identityTemplates().name()),
        interval);
  }

  static Duration interval(Map<String, Object> configs) {
    Object value = configs.get(INTERVAL_CONFIG);
    if (value == null) {
      return DEFAULT_INTERVAL;
    }
    long millis;
    try {
      millis = Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(INTERVAL_CONFIG + " must be a number of milliseconds, was " + value);
    }
    if (millis < 0) {
      throw new IllegalArgumentException(INTERVAL_CONFIG + " must be >= 0 (0: off), was " + millis);
    }
    return Duration.ofMillis(millis);
  }

  private void appendMarkers() {
    byte[] key = SegmentRollMarker.KEY.getBytes(StandardCharsets.UTF_8);
    for (String topic : topicNames) {
      try {
        int partitions = producer.partitionsFor(topic).size();
        for (int partition = 0; partition < partitions; partition++) {
          producer.send(new ProducerRecord<>(topic, partition, key, null), (metadata, error) -> {
            if (error != null) {
              log.warn("segment-roll marker not written to {}: {}", topic, error.toString());
            }
          });
        }
      } catch (RuntimeException e) {
        log.warn("segment-roll marker not written to {}: {}", topic, e.toString());
      }
    }
  }

  /** Stops the markers and closes the producer (waits up to 5 s for markers in flight). */
  @Override
  public void close() {
    scheduler.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
