package io.siamesestreams.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.siamesestreams.faces.detect.FaceBox;
import java.util.List;

/**
 * The result of matching one frame, the value of the {@code match-events} topic (key: the camera
 * id). JSON schema: {@code topics/schemas/match-event.schema.json}. With a face model there is one
 * event per face found in the frame (with {@code faceBox}, {@code faceIndex}, {@code faceCount}),
 * or one NO_FACE event when there is none.
 *
 * @param frameId the frame's id
 * @param cameraId the frame's camera
 * @param frameTimestamp the frame's capture time, epoch milliseconds
 * @param mode VERIFY (the frame claimed an identity) or IDENTIFY
 * @param decision MATCH when {@code distance <= threshold}, NO_MATCH otherwise, UNKNOWN_IDENTITY
 *     when the claimed identity is not enrolled, NO_FACE when a face model found no face in the frame
 * @param identityId the claimed identity (VERIFY) or the nearest candidate (IDENTIFY); null when
 *     the gallery is empty
 * @param distance the smallest distance between the frame's embedding and the identity's
 *     templates, in the manifest's metric units; null when there is nothing to compare with
 * @param probability the head's probability that the frame and the nearest template are the same
 *     identity; null when the bundle has no head or there is nothing to compare with
 * @param threshold the manifest's decision threshold
 * @param candidates IDENTIFY: the top-k identities by ascending distance; VERIFY: empty
 * @param modelId the bundle's model id
 * @param modelVersion the bundle's model version
 * @param processedAt when the event was produced, epoch milliseconds (wall clock)
 * @param faceBox face models only: where the matched face is in the frame's image, pixels (the
 *     detected box, the frame's own {@code faceBox}, or the whole image for a crop); null otherwise
 *     and for NO_FACE
 * @param faceScore face models only: the detector's score of the face in (0, 1]; 1 when detection
 *     was skipped (a crop or a given {@code faceBox}); null otherwise
 * @param faceIndex face models only: which face of the frame this event is about, 0-based, best
 *     detector score first; null otherwise and for NO_FACE
 * @param faceCount face models only: how many faces the frame gave (one event each), 0 for
 *     NO_FACE; null for models without face detection
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatchEvent(
    String frameId,
    String cameraId,
    long frameTimestamp,
    Mode mode,
    Decision decision,
    String identityId,
    Double distance,
    Double probability,
    double threshold,
    List<Candidate> candidates,
    String modelId,
    String modelVersion,
    long processedAt,
    FaceBox faceBox,
    Double faceScore,
    Integer faceIndex,
    Integer faceCount) {

  /** An event without face fields (models that embed the whole frame). */
  public MatchEvent(String frameId, String cameraId, long frameTimestamp, Mode mode, Decision decision,
      String identityId, Double distance, Double probability, double threshold, List<Candidate> candidates,
      String modelId, String modelVersion, long processedAt) {
    this(frameId, cameraId, frameTimestamp, mode, decision, identityId, distance, probability, threshold,
        candidates, modelId, modelVersion, processedAt, null, null, null, null);
  }

  /** This event about face {@code index} of {@code count} of the frame, found at {@code box} with {@code score}. */
  public MatchEvent withFace(FaceBox box, double score, int index, int count) {
    return new MatchEvent(frameId, cameraId, frameTimestamp, mode, decision, identityId, distance, probability,
        threshold, candidates, modelId, modelVersion, processedAt, box, score, index, count);
  }

  /** One identify candidate: an identity and its smallest template distance to the frame. */
  public record Candidate(String identityId, double distance) {}
}
