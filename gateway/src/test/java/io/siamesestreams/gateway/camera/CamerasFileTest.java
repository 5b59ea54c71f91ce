package io.siamesestreams.gateway.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamerasFileTest {

  private static final CameraSettings FLAGS =
      new CameraSettings(null, null, null, 5, false, 0, 0, 0, 2, 0.4, false, false, false);

  @TempDir Path dir;

  @Test
  void aYamlFileGivesEachCameraItsSettingsAndTheFlagsFillTheRest() throws Exception {
    Path file = Files.writeString(dir.resolve("cameras.yaml"), """
        cameras:
          - id: door-1
            source: rtsp://127.0.0.1:8554/door
            claim: alice
            detect-faces: true
            min-face: 40
            min-score: 0.7
            best-shot: 1
          - id: hall
            source: /videos/hall.mp4
            fps: 2
            max-blur: 35.5
        """);
    List<CameraSettings> cameras = CamerasFile.read(file, FLAGS);
    assertThat(cameras).containsExactly(
        new CameraSettings("door-1", "rtsp://127.0.0.1:8554/door", "alice", 5, true, 40, 0, 0.7, 1, 0.4, false, false, false),
        new CameraSettings("hall", "/videos/hall.mp4", null, 2, false, 0, 35.5, 0, 2, 0.4, false, false, false));
  }

  @Test
  void aJsonFileWorksToo() throws Exception {
    Path file = Files.writeString(dir.resolve("cameras.json"),
        "{\"cameras\": [{\"id\": \"c1\", \"source\": \"/tmp/x.mkv\", \"min-sharpness\": 12}]}");
    assertThat(CamerasFile.read(file, FLAGS)).singleElement()
        .satisfies(camera -> assertThat(camera.minSharpness()).isEqualTo(12));
  }

  @Test
  void anUnknownKeyIsRefusedWithTheFileTheEntryAndTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("cameras.yml"), "cameras:\n  - id: c1\n    source: x.mp4\n    fsp: 3\n");
    assertThatThrownBy(() -> CamerasFile.read(file, FLAGS))
        .hasMessageContaining(file.toString()).hasMessageContaining("entry 0").hasMessageContaining("fsp");
  }

  @Test
  void aMissingSourceOrADuplicateIdIsRefused() throws Exception {
    Path noSource = Files.writeString(dir.resolve("a.yaml"), "cameras:\n  - id: c1\n");
    assertThatThrownBy(() -> CamerasFile.read(noSource, FLAGS)).hasMessageContaining("camera c1: source is required");
    Path twice = Files.writeString(dir.resolve("b.yaml"),
        "cameras:\n  - {id: c1, source: a.mp4}\n  - {id: c1, source: b.mp4}\n");
    assertThatThrownBy(() -> CamerasFile.read(twice, FLAGS)).hasMessageContaining("c1 appears twice");
  }

  @Test
  void faceSettingsWithoutFaceDetectionAreRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), "cameras:\n  - {id: c1, source: a.mp4, min-face: 30}\n");
    assertThatThrownBy(() -> CamerasFile.read(file, FLAGS)).hasMessageContaining("min-face and min-score need detect-faces");
  }

  @Test
  void alignFacesIsReadAndRefusedWithoutFaceDetection() throws Exception {
    Path aligning = Files.writeString(dir.resolve("d.yaml"),
        "cameras:\n  - {id: c1, source: a.mp4, detect-faces: true, align-faces: true}\n");
    assertThat(CamerasFile.read(aligning, FLAGS)).singleElement().satisfies(camera -> assertThat(camera.alignFaces()).isTrue());
    Path withoutDetection = Files.writeString(dir.resolve("e.yaml"), "cameras:\n  - {id: c1, source: a.mp4, align-faces: true}\n");
    assertThatThrownBy(() -> CamerasFile.read(withoutDetection, FLAGS)).hasMessageContaining("align-faces needs detect-faces");
  }

  @Test
  void theComposeStacksCamerasFileReadsAsThreeLoopingCameras() {
    List<CameraSettings> cameras = CamerasFile.read(Path.of("..", "docker", "cameras.yml"), FLAGS);

    assertThat(cameras).extracting(CameraSettings::id).containsExactly("gate-genuine", "gate-impostor", "lobby");
    assertThat(cameras).extracting(CameraSettings::claim).containsExactly("sneaker", "sneaker", null);
    assertThat(cameras).allSatisfy(camera -> assertThat(camera.loop() && camera.realtime()).isTrue());
  }
}
