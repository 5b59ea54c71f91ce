package io.siamesestreams.api;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameDecoder;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.frames.FrameEmbedder.EncoderInput;
import io.siamesestreams.identity.DecisionThresholds;
import io.siamesestreams.identity.GalleryView;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.topology.Topics;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Verify and identify on demand, in-process, exactly as the stream decides a frame: the request
 * becomes a {@code frames} record checked and decoded by the stream's {@link FrameDecoder} (same
 * checks, same limits, same reason codes), its encoder inputs come from the model's frame embedder,
 * one encoder call embeds them, and the gallery's {@link io.siamesestreams.identity.GalleryMatcher}
 * decides with the camera's threshold. Nothing is written anywhere: the events are only returned.
 *
 * <p>Thread-safe: the model's sessions are (ONNX Runtime {@code OrtSession.run}), the gallery view
 * is, and each call allocates its own input buffer.
 */
public final class OnDemandMatcher {

  /** The camera id of a request that names none (its threshold is the deployment's). */
  public static final String DEFAULT_CAMERA = "api";

  private final LoadedModel model;
  private final GalleryView gallery;
  private final DecisionThresholds thresholds;
  private final int defaultTopK;
  private final FrameDecoder decoder;

  /**
   * @param model the service's opened model (owned by the service; never closed here)
   * @param gallery the service's gallery
   * @param thresholds the thresholds the stream decides with
   * @param defaultTopK identify candidates when a request names none
   * @param maxRecordBytes the stream's limit on a frame record
   */
  public OnDemandMatcher(LoadedModel model, GalleryView gallery, DecisionThresholds thresholds, int defaultTopK,
      int maxRecordBytes) {
    this.model = Objects.requireNonNull(model, "model");
    this.gallery = Objects.requireNonNull(gallery, "gallery");
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    this.defaultTopK = defaultTopK;
    this.decoder = new FrameDecoder(model.frameEmbedder(), maxRecordBytes);
  }

  /**
   * One on-demand request.
   *
   * @param claimedIdentity the identity to verify; null to identify
   * @param imageBase64 the image (PNG or JPEG), base64
   * @param cameraId whose threshold decides; null for {@value #DEFAULT_CAMERA}
   * @param faceBox where the face is (face models), or null
   * @param aligned the image is an aligned face chip (a frame's {@code aligned}; face models embed it as it is)
   * @param topK identify candidates; null for the service's {@code --top-k}
   */
  public record Request(String claimedIdentity, String imageBase64, String cameraId, FaceBox faceBox,
      boolean aligned, Integer topK) {}

  /**
   * The request's events: one for a whole-image model; for a face model one per face found, best
   * detector score first, or one NO_FACE event.
   *
   * @throws ApiException (4xx) when the stream would dead-letter the request as a frame
   */
  public List<MatchEvent> match(Request request) {
    String camera = request.cameraId() == null || request.cameraId().isBlank() ? DEFAULT_CAMERA : request.cameraId();
    int topK = request.topK() == null ? defaultTopK : request.topK();
    if (topK < 1 || topK > 100) {
      throw ApiException.invalidInput(DeadLetters.invalidField("topK"), "topK must be 1 to 100, was " + topK);
    }
    Frame asFrame = new Frame("api-" + UUID.randomUUID(), camera, System.currentTimeMillis(), request.imageBase64(),
        request.claimedIdentity(), request.faceBox(), request.aligned() ? Boolean.TRUE : null);
    FrameDecoder.Result decoded = decoder.decode(camera.getBytes(StandardCharsets.UTF_8),
        Topics.FRAME_SERDE.toBytes(asFrame));
    if (decoded instanceof FrameDecoder.Invalid invalid) {
      throw ApiException.invalidInput(invalid.reason(), invalid.detail());
    }
    FrameDecoder.Valid valid = (FrameDecoder.Valid) decoded;
    List<EncoderInput> inputs;
    try {
      inputs = model.frameEmbedder().frameInputs(valid.image(), valid.frame().faceBox(), valid.frame().isAligned());
    } catch (FrameEmbedder.InvalidFieldException e) {
      throw ApiException.invalidInput(e.reason(), e.getMessage());
    }
    float[] embeddings = new float[0];
    if (!inputs.isEmpty()) {
      FloatBuffer pixels = model.encoder().preprocessor().allocate(inputs.size());
      for (EncoderInput input : inputs) {
        pixels.put(input.pixels());
      }
      pixels.flip();
      embeddings = model.encoder().embed(pixels, inputs.size());
    }
    return gallery.matcher(model.scorer(), thresholds, topK)
        .matchFrame(valid.frame(), inputs, embeddings, System.currentTimeMillis());
  }
}
