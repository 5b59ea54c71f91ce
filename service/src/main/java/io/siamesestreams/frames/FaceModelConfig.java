package io.siamesestreams.frames;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;

/**
 * The optional {@value #FILE_NAME} of a face model folder: how the service treats the frames of a
 * face model. Absent file = {@link #defaults()}. Example:
 *
 * <pre>{"frames": "CROPS"}</pre>
 *
 * <ul>
 *   <li>{@code frames}: {@code WHOLE} (default): frames are camera images; faces are detected in
 *       each, one match event per face. {@code CROPS}: every frame and enrolment image is already
 *       a face crop; detection is skipped (landmarks and alignment on the whole image).
 * </ul>
 *
 * Unknown fields are an error, so a typo is not silently ignored.
 *
 * @param frames what the frames of this deployment are
 */
public record FaceModelConfig(FrameKind frames) {

  /** The file name, in the face model folder beside {@code face-recognition/}. */
  public static final String FILE_NAME = "faces.json";

  /** What a frame's image is. */
  public enum FrameKind {
    /** Camera images with any number of faces: detect, then one event per face. */
    WHOLE,
    /** Face crops: no detection, one face per frame. */
    CROPS
  }

  public FaceModelConfig {
    Objects.requireNonNull(frames, "frames");
  }

  /** Whole frames. */
  public static FaceModelConfig defaults() {
    return new FaceModelConfig(FrameKind.WHOLE);
  }

  /**
   * Reads {@code folder/}{@value #FILE_NAME}, or the defaults when it does not exist.
   *
   * @throws IllegalArgumentException when the file is not valid
   */
  public static FaceModelConfig read(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return defaults();
    }
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException(file + " must hold a JSON object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("frames")) {
        throw new IllegalArgumentException(file + ": unknown field " + name + " (known: frames)");
      }
    }
    JsonNode frames = json.get("frames");
    if (frames == null || frames.isNull()) {
      return defaults();
    }
    try {
      return new FaceModelConfig(FrameKind.valueOf(frames.asText()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": frames must be WHOLE or CROPS, was " + frames.asText(), e);
    }
  }
}
