package io.siamesestreams.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The result of matching one frame, the value of the {@code match-events} topic (key: the camera
 * id). JSON schema: {@code topics/schemas/match-event.schema.json}.
 *
 * @param frameId the frame's id
 * @param cameraId the frame's camera
 * @param frameTimestamp the frame's capture time, epoch milliseconds
 * @param mode VERIFY (the frame claimed an identity) or IDENTIFY
 * @param decision MATCH when {@code distance <= threshold}, NO_MATCH otherwise, UNKNOWN_IDENTITY
 *     when the claimed identity is not enrolled
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
    long processedAt) {

  /** One identify candidate: an identity and its smallest template distance to the frame. */
  public record Candidate(String identityId, double distance) {}
}
