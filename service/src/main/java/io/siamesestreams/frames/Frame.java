package io.siamesestreams.frames;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.siamesestreams.faces.detect.FaceBox;

/**
 * One camera frame, the value of the {@code frames} topic (key: the camera id). JSON schema:
 * {@code topics/schemas/frame.schema.json}.
 *
 * @param frameId unique id of the frame (required); match events and dead letters carry it back
 * @param cameraId the camera that took it (required)
 * @param timestamp capture time, epoch milliseconds (required)
 * @param image base64 (RFC 4648, standard alphabet) of the PNG or JPEG bytes (required)
 * @param claimedIdentity the identity the subject claims; present → 1:1 verify, absent → 1:N identify
 * @param faceBox where the face is in the image, when the gateway knows: face models skip detection and
 *     take it as the frame's one face; other models ignore it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Frame(
    String frameId,
    String cameraId,
    long timestamp,
    String image,
    String claimedIdentity,
    FaceBox faceBox) {

  /** Whether the frame asks for 1:1 verification of {@link #claimedIdentity()}. */
  public boolean hasClaim() {
    return claimedIdentity != null && !claimedIdentity.isBlank();
  }
}
