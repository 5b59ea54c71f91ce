package io.siamesestreams.frames;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * @param aligned true when the image is one face chip already aligned as the face model aligns faces
 *     (its recognition net's input size, e.g. 150×150, eyes and mouth where the model's aligner puts
 *     them): a face model then embeds it as it is, without detection, landmarks or alignment; other
 *     models ignore it. Excludes {@code faceBox}. Absent: false
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Frame(
    String frameId,
    String cameraId,
    long timestamp,
    String image,
    String claimedIdentity,
    FaceBox faceBox,
    Boolean aligned) {

  /** A frame that is not an aligned chip. */
  public Frame(String frameId, String cameraId, long timestamp, String image, String claimedIdentity,
      FaceBox faceBox) {
    this(frameId, cameraId, timestamp, image, claimedIdentity, faceBox, null);
  }

  /** Whether the image is an aligned face chip ({@link #aligned()} true). */
  @JsonIgnore
  public boolean isAligned() {
    return Boolean.TRUE.equals(aligned);
  }

  /** Whether the frame asks for 1:1 verification of {@link #claimedIdentity()}. */
  public boolean hasClaim() {
    return claimedIdentity != null && !claimedIdentity.isBlank();
  }
}
