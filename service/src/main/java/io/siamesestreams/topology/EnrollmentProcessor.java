package io.siamesestreams.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.frames.FaceExtraction;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.identity.Thumbnails;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.records.JsonSerde;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolment: a raw {@code identities} record → the identity's templates on {@code templatesNode}
 * (key: identity id; value: {@link IdentityTemplates} with this model's id and version).
 *
 * <ul>
 *   <li>A tombstone becomes a tombstone (the identity is erased from every gallery).
 *   <li>A new enrolment of an identity replaces its templates (the compacted {@code identities}
 *       topic holds each identity's latest, complete image set).
 *   <li>Each image is decoded with the encoder's preprocessor; undecodable images are skipped
 *       (logged); the first {@code maxTemplates} decodable ones are embedded in one ONNX Runtime call.
 *       With a face model each image gives its one face's aligned chip
 *       ({@link FaceExtraction#enrolmentFace}: the image's entry in the optional {@code faceBoxes},
 *       else the largest detected face, else the whole image as a crop); an image whose face box is
 *       not a box inside it is skipped as INVALID_FIELD:faceBoxes.
 *   <li>The templates carry a {@link Thumbnails thumbnail} of the first embedded image (its face's box
 *       grown for context with a face model, else the whole image); without one when ImageIO cannot
 *       re-read that image, which does not stop the enrolment.
 *   <li>Dead-lettered to {@code deadLetterNode} (original bytes, {@link DeadLetters} headers, source
 *       topic = the identities topic): NULL_KEY, RECORD_TOO_LARGE, NOT_JSON,
 *       MISSING_FIELD:images (absent or not an array), KEY_MISMATCH ({@code identityId} ≠ key), and
 *       NO_VALID_IMAGES (empty list, or no decodable image; the detail lists each image's reason).
 * </ul>
 */
public final class EnrollmentProcessor implements Processor<byte[], byte[], byte[], EnrollmentFlow> {

  private static final Logger log = LoggerFactory.getLogger(EnrollmentProcessor.class);

  private final LoadedModel model;
  private final int maxTemplates;
  private final int maxRecordBytes;
  private final String templatesNode;
  private final String deadLetterNode;
  private final ServiceMetrics metrics;
  private ProcessorContext<byte[], EnrollmentFlow> context;

  private EnrollmentProcessor(LoadedModel model, int maxTemplates, int maxRecordBytes, String templatesNode,
      String deadLetterNode, ServiceMetrics metrics) {
    this.metrics = metrics;
    this.model = model;
    this.maxTemplates = maxTemplates;
    this.maxRecordBytes = maxRecordBytes;
    this.templatesNode = templatesNode;
    this.deadLetterNode = deadLetterNode;
  }

  /**
   * Enrollers embedding with {@code model}, keeping at most {@code maxTemplates} templates per identity,
   * dead-lettering values over {@code maxRecordBytes}; templates and erasures go to {@code templatesNode},
   * dead letters to {@code deadLetterNode}, counted in {@code metrics}.
   */
  public static ProcessorSupplier<byte[], byte[], byte[], EnrollmentFlow> supplier(LoadedModel model, int maxTemplates,
      int maxRecordBytes, String templatesNode, String deadLetterNode, ServiceMetrics metrics) {
    return () -> new EnrollmentProcessor(model, maxTemplates, maxRecordBytes, templatesNode, deadLetterNode, metrics);
  }

  @Override
  public void init(ProcessorContext<byte[], EnrollmentFlow> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.key() == null) {
      deadLetter(record, DeadLetters.NULL_KEY, "identities need a key (the identity id)");
      return;
    }
    String identityId = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      if (SegmentRollMarker.isMarker(identityId)) {
        return; // the service's own marker (SegmentRoller): it only closes the segment
      }
      log.info("identity {} erased", identityId);
      context.forward(new Record<byte[], EnrollmentFlow>(key(identityId), new EnrollmentFlow.Erased(identityId),
          record.timestamp()), templatesNode);
      return;
    }
    if (record.value().length > maxRecordBytes) {
      deadLetter(record, DeadLetters.RECORD_TOO_LARGE,
          "value has " + record.value().length + " bytes, more than the limit of " + maxRecordBytes);
      return;
    }
    JsonNode json;
    try {
      json = JsonSerde.mapper().readTree(record.value());
    } catch (IOException e) {
      deadLetter(record, DeadLetters.NOT_JSON, "value is not JSON: " + e.getMessage());
      return;
    }
    if (json == null || !json.isObject()) {
      deadLetter(record, DeadLetters.NOT_JSON, "value is JSON but not an object");
      return;
    }
    JsonNode declaredId = json.get("identityId");
    if (declaredId != null && !declaredId.isNull() && !identityId.equals(declaredId.asText())) {
      deadLetter(record, DeadLetters.KEY_MISMATCH,
          "identityId " + declaredId.asText() + " differs from the record key " + identityId);
      return;
    }
    JsonNode images = json.get("images");
    if (images == null || !images.isArray()) {
      deadLetter(record, DeadLetters.missingField("images"), "field images must be an array of base64 images");
      return;
    }
    ImagePreprocessor preprocessor = model.encoder().preprocessor();
    FrameEmbedder embedder = model.frameEmbedder();
    int capacity = Math.min(maxTemplates, images.size());
    FloatBuffer pixels = preprocessor.allocate(Math.max(1, capacity));
    List<String> rejected = new ArrayList<>();
    int accepted = 0;
    String thumbnail = null;
    for (int i = 0; i < images.size() && accepted < maxTemplates; i++) {
      JsonNode image = images.get(i);
      if (!image.isTextual()) {
        rejected.add("image " + i + ": not a string");
        continue;
      }
      try {
        byte[] encoded = Base64.getDecoder().decode(image.asText());
        FrameEmbedder.DecodedImage decoded = embedder.decode(encoded);
        // One input per enrolment image, through the same frame embedder as frames (a face model: its one face).
        FrameEmbedder.EncoderInput input;
        try {
          input = embedder.enrolmentInput(decoded, FaceExtraction.faceBox(json.get("faceBoxes"), i));
        } catch (IllegalArgumentException e) {
          rejected.add("image " + i + ": " + DeadLetters.invalidField("faceBoxes") + " (" + e.getMessage() + ")");
          continue;
        }
        pixels.put(input.pixels());
        if (accepted == 0) {
          thumbnail = thumbnail(identityId, i, encoded, input);
        }
        accepted++;
      } catch (IllegalArgumentException e) {
        rejected.add("image " + i + ": " + DeadLetters.INVALID_BASE64);
      } catch (InvalidImageException e) {
        rejected.add("image " + i + ": " + e.reason() + " (" + e.getMessage() + ")");
      }
    }
    if (accepted == 0) {
      deadLetter(record, DeadLetters.NO_VALID_IMAGES, images.isEmpty()
          ? "images is empty" : "no decodable image: " + String.join("; ", rejected));
      return;
    }
    if (!rejected.isEmpty()) {
      log.warn("identity {}: {} image(s) skipped: {}", identityId, rejected.size(), String.join("; ", rejected));
    }
    pixels.flip();
    float[] embeddings = model.encoder().embed(pixels, accepted);
    int dimension = model.encoder().dimension();
    List<float[]> templates = new ArrayList<>(accepted);
    for (int t = 0; t < accepted; t++) {
      float[] template = new float[dimension];
      System.arraycopy(embeddings, t * dimension, template, 0, dimension);
      templates.add(template);
    }
    JsonNode displayName = json.get("displayName");
    IdentityTemplates value = new IdentityTemplates(identityId,
        displayName == null || displayName.isNull() ? null : displayName.asText(), model.modelId(),
        model.modelVersion(), templates, context.currentSystemTimeMs(), thumbnail);
    log.info("identity {} enrolled with {} template(s)", identityId, accepted);
    context.forward(new Record<byte[], EnrollmentFlow>(key(identityId), new EnrollmentFlow.Enrolled(value),
        record.timestamp()), templatesNode);
  }

  /** The base64 thumbnail of the first embedded image, or null (logged) when ImageIO cannot re-read it. */
  private static String thumbnail(String identityId, int image, byte[] encoded, FrameEmbedder.EncoderInput input) {
    try {
      return Base64.getEncoder().encodeToString(Thumbnails.jpeg(encoded, input.faceBox()));
    } catch (InvalidImageException | RuntimeException e) {
      log.warn("identity {}: no thumbnail from image {}: {}", identityId, image, e.toString());
      return null;
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason, String detail) {
    log.warn("enrolment dead-lettered: {} ({})", reason, detail);
    metrics.deadLettered(ServiceMetrics.INPUT_IDENTITIES, reason);
    FrameFlow.DeadLetter deadLetter = FrameFlow.DeadLetter.of(context, record, reason, detail);
    context.forward(new Record<byte[], EnrollmentFlow>(deadLetter.key(), deadLetter, deadLetter.timestamp(),
        deadLetter.headers()), deadLetterNode);
  }

  /** The templates record's key: the identity id as the {@code identity-templates} key serde writes it. */
  private static byte[] key(String identityId) {
    return Topics.KEY_SERDE.serializer().serialize(null, identityId);
  }
}
