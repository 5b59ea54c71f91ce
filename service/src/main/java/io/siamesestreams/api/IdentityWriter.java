package io.siamesestreams.api;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.topology.Topics;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The API's writes: enrolments and erasures produced to the {@code identities} topic (key: the
 * identity id), where the service's enroller embeds them as it embeds any other client's, so every
 * instance's gallery gets them. Enrolment images are checked first with the model's decoder, so an
 * image the enroller would skip is refused here instead. One idempotent producer ({@code acks=all}),
 * owned here; thread-safe.
 */
public final class IdentityWriter implements AutoCloseable {

  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final FrameEmbedder images;
  private final int maxRecordBytes;

  /**
   * @param producerConfig Kafka producer settings (bootstrap servers, security); serialisers are set here
   * @param topic the {@code identities} topic
   * @param images the model's frame embedder, to check each image decodes
   * @param maxRecordBytes the stream's limit on an enrolment record
   */
  public IdentityWriter(Map<String, Object> producerConfig, String topic, FrameEmbedder images, int maxRecordBytes) {
    Map<String, Object> config = new java.util.HashMap<>(producerConfig);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.images = images;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Where a record was written.
   *
   * @param identityId the record's key
   * @param topic the {@code identities} topic
   * @param partition its partition
   * @param offset its offset
   */
  public record Written(String identityId, String topic, int partition, long offset) {}

  /**
   * Produces the enrolment of {@code identityId} (replacing its earlier images) and waits for the
   * broker's acknowledgement.
   *
   * @param imageBytes the PNG or JPEG images, at least one
   * @param faceBoxes per image, the face's box (face models), or null
   * @throws ApiException 400/413/422 for input the enroller would dead-letter or skip; 503 when Kafka
   *     does not acknowledge within 30 s
   */
  public Written enrol(String identityId, String displayName, List<byte[]> imageBytes,
      List<FaceBox> faceBoxes) {
    if (imageBytes.isEmpty()) {
      throw ApiException.invalidInput(DeadLetters.missingField("images"), "an enrolment needs at least one image");
    }
    if (faceBoxes != null && faceBoxes.size() != imageBytes.size()) {
      throw ApiException.invalidInput(DeadLetters.invalidField("faceBoxes"),
          "faceBoxes has " + faceBoxes.size() + " entries for " + imageBytes.size() + " images");
    }
    List<String> encoded = new ArrayList<>(imageBytes.size());
    for (int i = 0; i < imageBytes.size(); i++) {
      try {
        images.decode(imageBytes.get(i));
      } catch (InvalidImageException e) {
        throw ApiException.invalidInput(e.reason().name(), "image " + i + ": " + e.getMessage());
      }
      encoded.add(Base64.getEncoder().encodeToString(imageBytes.get(i)));
    }
    byte[] value = Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment(identityId, displayName, encoded, faceBoxes));
    if (value.length > maxRecordBytes) {
      throw ApiException.invalidInput(DeadLetters.RECORD_TOO_LARGE, "the enrolment record has " + value.length
          + " bytes, more than the limit of " + maxRecordBytes + "; send fewer or smaller images");
    }
    return send(identityId, value);
  }

  /** Produces the tombstone of {@code identityId}: every instance erases it from its gallery. */
  public Written erase(String identityId) {
    return send(identityId, null);
  }

  private Written send(String identityId, byte[] value) {
    try {
      RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, identityId, value))
          .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new Written(identityId, metadata.topic(), metadata.partition(), metadata.offset());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "KAFKA_UNAVAILABLE", "Kafka unavailable", "interrupted while writing to " + topic);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new ApiException(503, "KAFKA_UNAVAILABLE", "Kafka unavailable",
          "the write to " + topic + " was not acknowledged: " + cause.getMessage());
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
