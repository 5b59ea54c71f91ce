package io.siamesestreams.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.testing.FaceModelFixtures;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short faces demo end to end: face-api's nets converted from the npm tarball, embedded broker,
 * the real service on the face model, enrolment of every sample-photo face, simulated cameras
 * (group photos, crops with claims, face-less images, malformed frames), scoring.
 */
class FaceDemoIT {

  @Test
  void shouldAccountForEveryFrameAndIdentifyTheSamplePeople(@TempDir Path dir) throws Exception {
    Path faceModel = FaceModelFixtures.convert(dir.resolve("faces"));
    FaceDemoOptions options = new FaceDemoOptions(Duration.ofSeconds(20), faceModel, FaceModelFixtures.tarball(),
        KafkaSettings.empty(), 6, 2, 11, Duration.ofSeconds(60), 0);

    FaceDemo.Result result = new FaceDemo(options, System.err).run();

    DemoSummary summary = result.summary();
    System.out.println(summary.line());
    System.out.println(result.details());
    assertThat(summary.line()).matches(
        "demo: frames=\\d+ events=\\d+ dead_lettered=\\d+ accuracy=\\d\\.\\d{4} verify_far=\\d\\.\\d{4}"
            + " verify_frr=\\d\\.\\d{4} identify_accuracy=\\d\\.\\d{4} p50_ms=\\d+\\.\\d p99_ms=\\d+\\.\\d");
    assertThat(summary.frames()).isGreaterThan(20 * 6 / 2);
    // One event per face: group photos give several events for one frame.
    assertThat(summary.events()).isGreaterThan(result.framesWithEvents());
    assertThat(result.accountedFor()).as("frames with events + dead letters = frames").isTrue();
    assertThat(summary.deadLettered()).isLessThan(summary.frames() / 5);
    // 20 people: chance is 1 in 20 for identify; well above it, and impostors mostly rejected.
    assertThat(summary.identifyAccuracy()).isGreaterThan(0.8);
    assertThat(summary.verifyFrr()).isLessThan(0.2);
    assertThat(summary.verifyFar()).isLessThan(0.3);
    assertThat(summary.p99Millis()).isGreaterThanOrEqualTo(summary.p50Millis());
    assertThat(result.details()).contains("group_faces_found=");
  }
}
