package io.siamesestreams.gateway.camera;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One camera's settings: the same names in a {@code --cameras} file as the command-line flags
 * ({@code min-face} ↔ {@code --min-face}); the flags give the defaults of every camera in the file.
 *
 * @param id camera id: the frames' record key and {@code cameraId}
 * @param source {@code rtsp://…}, {@code http(s)://…}, a video file, {@code /dev/videoN} or a folder
 *     of images
 * @param claim identity every frame claims (1:1 verify); null → frames are identified (1:N)
 * @param fps most frames taken from the source per second of its clock (media time for files and
 *     folders, wall clock for live streams); 0 = every frame. Without face detection it is also the
 *     most frames sent per second
 * @param detectFaces run the face detector at the edge and send each face as a crop (with {@code
 *     faceMargin}) plus its {@code faceBox} in crop pixels, instead of whole frames
 * @param minFace smallest face side sent, pixels (with {@code detectFaces}); 0 = any
 * @param minSharpness smallest sharpness sent: variance of the Laplacian of the grey frame, or of the
 *     face box with {@code detectFaces} (see {@code Sharpness}); lower = blurrier; 0 = no check.
 *     Also read as {@code max-blur} (the flag {@code --max-blur} is the same setting)
 * @param minScore smallest detector score sent, 0..1 (with {@code detectFaces})
 * @param bestShotSeconds ({@code best-shot}) with {@code detectFaces}: one face per face track per this many seconds
 *     (the sharpest); 0 = every face
 * @param faceMargin margin added around a face box on each side for its crop, as a fraction of the
 *     box's larger side
 * @param realtime pace files and folders at their own frame rate (like a live camera) instead of as
 *     fast as they decode
 * @param loop start files and folders again at their end (a simulated camera)
 * @param alignFaces with {@code detectFaces}: send each face as its aligned chip (face-api's landmarks and
 *     alignment at the edge, the recognition net's 150×150 input) with {@code aligned: true}, instead of a
 *     crop with its {@code faceBox}: the service then skips landmarks and alignment
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CameraSettings(
    @JsonProperty("id") String id,
    @JsonProperty("source") String source,
    @JsonProperty("claim") String claim,
    @JsonProperty("fps") double fps,
    @JsonProperty("detect-faces") boolean detectFaces,
    @JsonProperty("min-face") int minFace,
    @JsonProperty("min-sharpness") @JsonAlias("max-blur") double minSharpness,
    @JsonProperty("min-score") double minScore,
    @JsonProperty("best-shot") double bestShotSeconds,
    @JsonProperty("face-margin") double faceMargin,
    @JsonProperty("realtime") boolean realtime,
    @JsonProperty("loop") boolean loop,
    @JsonProperty("align-faces") boolean alignFaces) {

  /** Checks every value; the message names the camera and the setting. */
  public CameraSettings validated() {
    String where = "camera " + (id == null ? "(no id)" : id) + ": ";
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(where + "id is required");
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException(where + "source is required");
    }
    requireAtLeast(where, "fps", fps, 0);
    requireAtLeast(where, "min-face", minFace, 0);
    requireAtLeast(where, "min-sharpness", minSharpness, 0);
    requireAtLeast(where, "best-shot", bestShotSeconds, 0);
    requireAtLeast(where, "face-margin", faceMargin, 0);
    if (minScore < 0 || minScore > 1) {
      throw new IllegalArgumentException(where + "min-score must be in [0, 1], was " + minScore);
    }
    if (!detectFaces && (minFace > 0 || minScore > 0)) {
      throw new IllegalArgumentException(where + "min-face and min-score need detect-faces");
    }
    if (alignFaces && !detectFaces) {
      throw new IllegalArgumentException(where + "align-faces needs detect-faces");
    }
    return this;
  }

  private static void requireAtLeast(String where, String name, double value, double min) {
    if (!(value >= min)) {
      throw new IllegalArgumentException(where + name + " must be >= " + min + ", was " + value);
    }
  }
}
