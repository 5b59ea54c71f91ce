package io.siamesestreams.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.faces.landmark.FaceLandmarks;
import io.siamesestreams.matching.DistanceFunction;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FacePipelineTest {

  private static FacePipeline pipeline;
  private static FaceEmbedder embedder;

  @BeforeAll
  static void open() {
    pipeline = FacePipeline.open(FaceApiFixtures.bundles(), 2);
    embedder = FaceEmbedder.open(ModelBundle.load(FaceApiFixtures.bundles().resolve(FaceApiConverter.RECOGNITION_DIR)), 2);
  }

  @AfterAll
  static void close() {
    embedder.close();
    pipeline.close();
  }

  @Test
  void shouldFindTheFacesOfEverySamplePhotoWithEyesAlignedInTheChips() {
    int total = 0;
    List<double[]> eyeErrors = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      BufferedImage frame = FaceApiFixtures.photo("sample" + i + ".jpg").toBufferedImage();
      List<DetectedFace> faces = pipeline.detect(frame);
      assertThat(faces).as("faces in sample%d", i).isNotEmpty();
      for (DetectedFace face : faces) {
        assertThat(face.chip().getWidth()).isEqualTo(150);
        assertThat(face.chip().getHeight()).isEqualTo(150);
        assertThat(face.score()).isGreaterThan(0.5);
        assertThat(face.box().x()).isLessThan(face.landmarks().leftEyeCentre()[0]);
        assertThat(face.box().right()).isGreaterThan(face.landmarks().rightEyeCentre()[0]);
        // The landmarks found again on the chip put the eyes where the aligner was asked to.
        FaceLandmarks again = pipeline.landmarker().locate(RgbImage.of(face.chip()));
        eyeErrors.add(new double[] {
            Math.hypot(again.leftEyeCentre()[0] - 46, again.leftEyeCentre()[1] - 47),
            Math.hypot(again.rightEyeCentre()[0] - 104, again.rightEyeCentre()[1] - 47)});
      }
      total += faces.size();
    }
    // About 21 people, one photo each; face-api's detector finds 20 of them at its default settings.
    assertThat(total).isBetween(18, 22);
    double meanError = eyeErrors.stream().mapToDouble(e -> (e[0] + e[1]) / 2).average().orElseThrow();
    assertThat(meanError).as("mean eye position error in the chips, px").isLessThan(4.0);
  }

  @Test
  void shouldLocateTheFacesOfSeveralPhotosInOneCallAsItLocatesEachAlone() {
    List<FacePipeline.FaceRegion> regions = new ArrayList<>();
    List<DetectedFace> alone = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      RgbImage photo = FaceApiFixtures.photo("sample" + i + ".jpg");
      for (FaceBox box : pipeline.detectBoxes(photo)) {
        regions.add(new FacePipeline.FaceRegion(photo, box));
        alone.add(pipeline.fromBox(photo.toBufferedImage(), box));
      }
    }
    assertThat(regions).as("faces in three photos").hasSizeGreaterThan(3);

    List<DetectedFace> together = pipeline.fromRegions(regions);

    assertThat(together).hasSameSizeAs(alone);
    for (int i = 0; i < alone.size(); i++) {
      assertThat(together.get(i).box()).isEqualTo(alone.get(i).box());
      double[] a = alone.get(i).landmarks().leftEyeCentre();
      double[] b = together.get(i).landmarks().leftEyeCentre();
      assertThat(b[0]).as("face %d left eye x, batched", i).isCloseTo(a[0], within(1e-3));
      assertThat(b[1]).as("face %d left eye y, batched", i).isCloseTo(a[1], within(1e-3));
    }
    float[][] d = embedder.embed(List.of(alone.get(0).chip(), together.get(0).chip()));
    assertThat(DistanceFunction.of(ModelManifest.Metric.L2).between(d[0], d[1])).isLessThan(1e-3);
  }

  @Test
  void shouldRefuseABoxOutsideItsImageBeforeRunningTheLandmarkNet() {
    RgbImage photo = FaceApiFixtures.photo("sample1.jpg");
    FaceBox outside = new FaceBox(photo.width() + 10, 0, 20, 20, 1.0);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pipeline.fromRegions(List.of(
            FacePipeline.FaceRegion.whole(photo), new FacePipeline.FaceRegion(photo, outside))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lies outside the " + photo.width() + "×" + photo.height() + " image");
  }

  @Test
  void shouldAlignACropWithoutDetectionToTheSameFace() {
    RgbImage photo = FaceApiFixtures.photo("sample2.jpg");
    DetectedFace detected = pipeline.detect(photo.toBufferedImage()).get(0);
    int[] r = detected.box().clippedPixels(photo.width(), photo.height());
    BufferedImage crop = photo.crop(r[0], r[1], r[2], r[3]).toBufferedImage();

    DetectedFace fromCrop = pipeline.fromCrop(crop);

    assertThat(fromCrop.score()).isEqualTo(1.0);
    assertThat(fromCrop.box().width()).isEqualTo(crop.getWidth());
    assertThat(fromCrop.landmarks().leftEyeCentre()[0])
        .isCloseTo(detected.landmarks().leftEyeCentre()[0] - r[0], within(0.01));
    float[][] d = embedder.embed(List.of(detected.chip(), fromCrop.chip()));
    assertThat(DistanceFunction.of(ModelManifest.Metric.L2).between(d[0], d[1])).isLessThan(0.01);
  }

  /**
   * Tight crops of the sample photos' faces (face box 100 % and 70 % of the crop, 150 px, nine changes each:
   * {@link CloseUpCrops}) sent without a face box are found and embed to the same identity as the
   * same crops with their box. Gallery: each face's chip from its whole photo and box.
   */
  @Test
  void shouldIdentifyCloseUpCropsWithoutAFaceBoxAsWithTheirBox() {
    List<CloseUpCrops.Person> people = CloseUpCrops.people(pipeline.detector());
    List<BufferedImage> enrolled = new ArrayList<>();
    for (CloseUpCrops.Person person : people) {
      enrolled.add(pipeline.fromBox(person.photo().toBufferedImage(), person.box()).chip());
    }
    float[][] gallery = embedder.embed(enrolled);
    DistanceFunction l2 = DistanceFunction.of(ModelManifest.Metric.L2);

    // The tightest uncut crop and the loosest that is still a close-up (face box 100 % and 70 % of the crop).
    List<CloseUpCrops.Crop> crops = CloseUpCrops.crops(people, new double[] {1.0, 1.19}, CloseUpCrops.CHANGES);
    int found = 0;
    int sameIdentity = 0;
    int rightWithBox = 0;
    List<Double> boxVsNoBox = new ArrayList<>();
    for (CloseUpCrops.Crop crop : crops) {
      float[] withBox = embedder.embed(List.of(pipeline.fromBox(crop.image(), crop.face()).chip()))[0];
      int identityWithBox = nearest(gallery, withBox, l2);
      if (identityWithBox == crop.person()) {
        rightWithBox++;
      }
      // Without a box: the largest face found, as the service enrols and as calibrate takes a photo's face.
      List<DetectedFace> faces = pipeline.detect(crop.image());
      if (faces.isEmpty()) {
        continue;
      }
      found++;
      DetectedFace largest = faces.stream().max(java.util.Comparator.comparingDouble(f -> f.box().area())).orElseThrow();
      float[] withoutBox = embedder.embed(List.of(largest.chip()))[0];
      boxVsNoBox.add(l2.between(withBox, withoutBox));
      if (nearest(gallery, withoutBox, l2) == identityWithBox) {
        sameIdentity++;
      }
    }
    double[] d = boxVsNoBox.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf("close-up crops without a box: found %d/%d, same identity as with the box %d/%d"
            + " (with the box right %d/%d); descriptor distance box vs no box median %.3f, p95 %.3f, max %.3f%n",
        found, crops.size(), sameIdentity, crops.size(), rightWithBox, crops.size(),
        d[d.length / 2], d[(int) (0.95 * (d.length - 1))], d[d.length - 1]);

    assertThat(found).as("close-up crops found without a box").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * crops.size()));
    assertThat(sameIdentity).as("found crops with the same identity as with the box").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * found));
  }

  private static int nearest(float[][] gallery, float[] probe, DistanceFunction distance) {
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < gallery.length; i++) {
      double d = distance.between(gallery[i], probe);
      if (d < bestDistance) {
        best = i;
        bestDistance = d;
      }
    }
    return best;
  }

  @Test
  void shouldFindNoFaceInAFlatImage() {
    BufferedImage grey = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grey.createGraphics();
    g.setColor(new Color(128, 128, 128));
    g.fillRect(0, 0, 640, 480);
    g.dispose();

    assertThat(pipeline.detect(grey)).isEmpty();
  }
}
