package io.siamesestreams.faces.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.faces.FaceApiFixtures;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.detect.DetectorManifest;
import io.siamesestreams.faces.landmark.LandmarkManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvertCommandTest {

  @TempDir
  Path out;

  @Test
  void shouldWriteTheRecognitionDetectorAndLandmarkBundles() {
    int exit = FacesCli.commandLine().execute("convert", "faceapi",
        "--package", FaceApiFixtures.tarball().toString(), "--out", out.toString());

    assertThat(exit).isZero();
    ModelManifest recognition = ModelBundle.load(out.resolve(FaceApiConverter.RECOGNITION_DIR)).manifest();
    assertThat(recognition.input().height()).isEqualTo(150);
    assertThat(recognition.input().width()).isEqualTo(150);
    assertThat(recognition.input().colorMode()).isEqualTo(ModelManifest.ColorMode.RGB);
    assertThat(recognition.input().mean()).containsExactly(122.782f / 255f, 117.001f / 255f, 104.298f / 255f);
    assertThat(recognition.input().std()).containsExactly(1f, 1f, 1f);
    assertThat(recognition.output().dimension()).isEqualTo(128);
    assertThat(recognition.output().l2Normalized()).isFalse();
    assertThat(recognition.distance().metric()).isEqualTo(ModelManifest.Metric.L2);
    assertThat(recognition.decision().threshold()).isEqualTo(0.6);
    assertThat(recognition.decision().calibratedOn()).contains("not calibrated");
    assertThat(recognition.head().present()).isFalse();
    assertThat(recognition.modelVersion()).isEqualTo("1.7.15");

    DetectorManifest detector = DetectorManifest.read(out.resolve(FaceApiConverter.DETECTOR_DIR));
    assertThat(detector.anchors()).hasSize(5);
    assertThat(detector.anchors().get(0)).containsExactly(1.603231f, 2.094468f);
    assertThat(detector.anchors().get(4)).containsExactly(9.041765f, 10.66308f);
    assertThat(detector.meanRgb()).containsExactly(117.001f, 114.697f, 97.404f);
    assertThat(detector.iouThreshold()).isCloseTo(0.4, within(1e-12));
    assertThat(detector.scoreThreshold()).isEqualTo(0.5);
    assertThat(detector.defaultInputSize()).isEqualTo(416);
    assertThat(out.resolve(FaceApiConverter.DETECTOR_DIR).resolve(detector.modelFile())).isRegularFile();

    LandmarkManifest landmarks = LandmarkManifest.read(out.resolve(FaceApiConverter.LANDMARKS_DIR));
    assertThat(landmarks.inputSize()).isEqualTo(112);
    assertThat(out.resolve(FaceApiConverter.LANDMARKS_DIR).resolve(landmarks.modelFile())).isRegularFile();
  }

  @Test
  void shouldFailWithAMessageWhenThePackageIsMissing() {
    StringWriter err = new StringWriter();
    CommandLine cli = FacesCli.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("convert", "faceapi", "--package", out.resolve("absent.tgz").toString(), "--out", out.toString());

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("absent.tgz");
    assertThat(Files.exists(out.resolve(FaceApiConverter.RECOGNITION_DIR))).isFalse();
  }

  @Test
  void shouldRequireThePackageAndOutOptions() {
    StringWriter err = new StringWriter();
    CommandLine cli = FacesCli.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("convert", "faceapi", "--out", out.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--package");
  }
}
