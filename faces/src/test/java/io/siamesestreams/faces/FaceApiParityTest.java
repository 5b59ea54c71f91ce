package io.siamesestreams.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.faces.landmark.FaceLandmarker;
import io.siamesestreams.faces.landmark.FaceLandmarks;
import io.siamesestreams.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The converted nets against face-api itself: reference values computed once by
 * {@code src/test/node/make-reference.mjs} (face-api 1.7.15 on @tensorflow/tfjs 4.22.0, CPU backend)
 * on the same input pixels, stored in {@code faceapi-reference.json}.
 *
 * <p>Tolerances: descriptors 1e-4 per component (absolute); landmarks 0.01 px on the 150 px chips;
 * detector scores 1e-4 and box edges 0.05 px on 1920-pixel-wide photos (a raw-output difference of
 * 1e-4, the float32 rounding seen between TF.js and ONNX Runtime, moves an edge by about 0.03 px).
 */
class FaceApiParityTest {

  private static final double DESCRIPTOR_TOLERANCE = 1e-4;
  private static final double LANDMARK_TOLERANCE_PX = 0.01;
  private static final double BOX_TOLERANCE_PX = 0.05;
  private static final double SCORE_TOLERANCE = 1e-4;

  private static JsonNode reference;
  private static Map<String, RgbImage> chips;
  private static FaceEmbedder embedder;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = FaceApiParityTest.class.getResourceAsStream("/faceapi-reference.json")) {
      reference = Json.mapper().readTree(in);
    }
    chips = FaceApiFixtures.parityChips();
    embedder = FaceEmbedder.open(ModelBundle.load(FaceApiFixtures.bundles().resolve(FaceApiConverter.RECOGNITION_DIR)), 2);
  }

  @AfterAll
  static void close() {
    if (embedder != null) {
      embedder.close();
    }
  }

  @Test
  void shouldFeedTheSamePixelsAsTheReference() {
    for (JsonNode chip : reference.get("chips")) {
      assertThat(FaceApiFixtures.sha256(chips.get(chip.get("name").asText())))
          .as("pixels of %s (ImageIO decoding + FaceAligner must give what the reference was computed on)", chip.get("name").asText())
          .isEqualTo(chip.get("sha256").asText());
    }
    for (JsonNode frame : reference.get("frames")) {
      assertThat(FaceApiFixtures.sha256(FaceApiFixtures.photo(frame.get("photo").asText())))
          .as("pixels of %s", frame.get("photo").asText())
          .isEqualTo(frame.get("sha256").asText());
    }
  }

  @Test
  void shouldMatchFaceApiDescriptorsWithin1e4() {
    List<String> names = new ArrayList<>();
    List<java.awt.image.BufferedImage> images = new ArrayList<>();
    for (JsonNode chip : reference.get("chips")) {
      names.add(chip.get("name").asText());
      images.add(chips.get(chip.get("name").asText()).toBufferedImage());
    }
    float[][] descriptors = embedder.embed(images);
    double worst = 0;
    int i = 0;
    for (JsonNode chip : reference.get("chips")) {
      JsonNode expected = chip.get("descriptor");
      assertThat(descriptors[i]).hasSize(expected.size());
      for (int k = 0; k < expected.size(); k++) {
        double diff = Math.abs(descriptors[i][k] - expected.get(k).asDouble());
        worst = Math.max(worst, diff);
        assertThat((double) descriptors[i][k]).as("%s component %d", names.get(i), k)
            .isCloseTo(expected.get(k).asDouble(), within(DESCRIPTOR_TOLERANCE));
      }
      i++;
    }
    System.out.printf("parity: %d descriptors, max |diff| = %.2e%n", i, worst);
  }

  @Test
  void shouldMatchFaceApiLandmarksOnTheChips() {
    double worst = 0;
    try (FaceLandmarker landmarker = FaceLandmarker.open(FaceApiFixtures.bundles().resolve(FaceApiConverter.LANDMARKS_DIR), 2)) {
      for (JsonNode chip : reference.get("chips")) {
        FaceLandmarks points = landmarker.locate(chips.get(chip.get("name").asText()));
        JsonNode expected = chip.get("landmarks");
        assertThat(expected.size()).isEqualTo(2 * FaceLandmarks.POINTS);
        for (int k = 0; k < expected.size(); k++) {
          worst = Math.max(worst, Math.abs(points.xy()[k] - expected.get(k).asDouble()));
          assertThat(points.xy()[k]).as("%s coordinate %d", chip.get("name").asText(), k)
              .isCloseTo(expected.get(k).asDouble(), within(LANDMARK_TOLERANCE_PX));
        }
      }
    }
    System.out.printf("parity: landmarks max |diff| = %.2e px%n", worst);
  }

  @Test
  void shouldFindTheSameFacesAsFaceApi() {
    double worstEdge = 0;
    double worstScore = 0;
    try (TinyFaceDetector detector = TinyFaceDetector.open(FaceApiFixtures.bundles().resolve(FaceApiConverter.DETECTOR_DIR), 2)) {
      for (JsonNode frame : reference.get("frames")) {
        RgbImage photo = FaceApiFixtures.photo(frame.get("photo").asText());
        List<FaceBox> faces = detector.detect(photo, frame.get("inputSize").asInt());
        JsonNode expected = frame.get("faces");
        String what = frame.get("photo").asText() + " @ " + frame.get("inputSize").asInt();
        assertThat(faces).as("faces in %s", what).hasSize(expected.size());
        for (int i = 0; i < faces.size(); i++) {
          FaceBox got = faces.get(i);
          JsonNode want = expected.get(i);
          assertThat(got.x()).as("%s face %d x", what, i).isCloseTo(want.get("x").asDouble(), within(BOX_TOLERANCE_PX));
          assertThat(got.y()).as("%s face %d y", what, i).isCloseTo(want.get("y").asDouble(), within(BOX_TOLERANCE_PX));
          assertThat(got.width()).as("%s face %d width", what, i).isCloseTo(want.get("width").asDouble(), within(BOX_TOLERANCE_PX));
          assertThat(got.height()).as("%s face %d height", what, i).isCloseTo(want.get("height").asDouble(), within(BOX_TOLERANCE_PX));
          assertThat(got.score()).as("%s face %d score", what, i).isCloseTo(want.get("score").asDouble(), within(SCORE_TOLERANCE));
          worstEdge = Math.max(worstEdge, Math.max(Math.max(Math.abs(got.x() - want.get("x").asDouble()),
              Math.abs(got.y() - want.get("y").asDouble())), Math.max(Math.abs(got.width() - want.get("width").asDouble()),
              Math.abs(got.height() - want.get("height").asDouble()))));
          worstScore = Math.max(worstScore, Math.abs(got.score() - want.get("score").asDouble()));
        }
      }
    }
    System.out.printf("parity: detections max |box diff| = %.2e px, max |score diff| = %.2e%n", worstEdge, worstScore);
  }
}
