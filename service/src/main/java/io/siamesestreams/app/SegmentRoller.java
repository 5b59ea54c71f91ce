package io.siamesestreams.app;

import io.siamesestreams.config.ServiceConfig;
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
 * files (docs/RELIABILITY.md, "Erasure"). Every {@value ServiceConfig#ERASURE_ROLL_INTERVAL_MS}
 * milliseconds (0 turns it off) this appends one tombstone under the reserved key
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
   * every {@code interval} with the Kafka client settings of {@code config}; returns a no-op when
   * the interval is 0.
   */
  public static AutoCloseable start(StreamsConfig config, Topics topics, String clientId, Duration interval) {
    if (interval.isZero()) {
      log.warn("{}=0: no segment-roll markers; erased identities stay in the topics until other records"
          + " roll their segments", ServiceConfig.ERASURE_ROLL_INTERVAL_MS);
      return () -> { };
    }
    Map<String, Object> producerConfig = config.getProducerConfigs(clientId);
    producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    return new SegmentRoller(producer, List.of(topics.identities().name(), topics.identityTemplates().name()),
        interval);
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
