package io.siamesestreams.faces;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.matching.DistanceFunction;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

/**
 * Figures of the converted face models on face-api's six sample photos (about 21 people, one photo
 * each), printed for the closing note and checked for sanity: same-face distances (a face against
 * augmented versions of its own region: flip, brightness, shift, scale, blur, each
 * re-landmarked and re-aligned from the moved box) against different-face distances (all pairs of different detected
 * people), FAR/FRR at dlib's threshold 0.6, the same for unaligned box crops, faces/s at batch 1
 * and 16 with 2 ONNX Runtime intra-op threads, and detector time per frame.
 */
class FaceRecognitionFiguresTest {

  private static final double THRESHOLD = FaceApiConverter.DLIB_THRESHOLD;
  private static final DistanceFunction L2 = DistanceFunction.of(ModelManifest.Metric.L2);

  @Test
  void shouldSeparateSameFaceFromDifferentFaceDistancesAndReportSpeed() {
    try (FacePipeline pipeline = FacePipeline.open(FaceApiFixtures.bundles(), 2);
        FaceEmbedder embedder = FaceEmbedder.open(
            ModelBundle.load(FaceApiFixtures.bundles().resolve(FaceApiConverter.RECOGNITION_DIR)), 2)) {
      List<BufferedImage> frames = new ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        frames.add(FaceApiFixtures.photo("sample" + i + ".jpg").toBufferedImage());
      }

      // Detector and full pipeline time per frame (second pass, after warm-up).
      frames.forEach(pipeline::detect);
      long netNanos = 0;
      long pipelineNanos = 0;
      List<DetectedFace> faces = new ArrayList<>();
      List<BufferedImage> faceFrames = new ArrayList<>();
      for (BufferedImage frame : frames) {
        RgbImage rgb = RgbImage.of(frame);
        long t0 = System.nanoTime();
        pipeline.detector().detect(rgb, 416);
        long t1 = System.nanoTime();
        List<DetectedFace> found = pipeline.detect(frame);
        long t2 = System.nanoTime();
        netNanos += t1 - t0;
        pipelineNanos += t2 - t1;
        faces.addAll(found);
        found.forEach(f -> faceFrames.add(frame));
      }
      double detectorMs = netNanos / 1e6 / frames.size();
      double pipelineMs = pipelineNanos / 1e6 / frames.size();

      List<BufferedImage> chips = faces.stream().map(DetectedFace::chip).toList();
      float[][] reference = embedder.embed(chips);

      // Different faces: every pair of detected people.
      List<Double> different = new ArrayList<>();
      for (int i = 0; i < reference.length; i++) {
        for (int j = i + 1; j < reference.length; j++) {
          different.add(L2.between(reference[i], reference[j]));
        }
      }

      // Unaligned: the detector's box stretched to 150×150, no landmarks.
      List<BufferedImage> boxCrops = new ArrayList<>();
      for (int i = 0; i < faces.size(); i++) {
        boxCrops.add(boxCrop(faceFrames.get(i), faces.get(i)));
      }
      float[][] unaligned = embedder.embed(boxCrops);
      List<Double> differentUnaligned = new ArrayList<>();
      for (int i = 0; i < unaligned.length; i++) {
        for (int j = i + 1; j < unaligned.length; j++) {
          differentUnaligned.add(L2.between(unaligned[i], unaligned[j]));
        }
      }

      // Same face: the face's region (box grown 2×) augmented; the face's box moved by the augmentation
      // is landmarked and aligned again (FacePipeline.fromBox), so every augmentation gives a pair.
      // Separately: does the detector find the face again in the augmented region?
      List<Double> same = new ArrayList<>();
      Map<String, Integer> redetected = new LinkedHashMap<>();
      Map<String, List<Double>> sameByAugmentation = new LinkedHashMap<>();
      List<Augmentations.Augmentation> augmentations = Augmentations.all();
      for (int i = 0; i < faces.size(); i++) {
        Region region = region(faceFrames.get(i), faces.get(i));
        int[] size = {region.image().getWidth(), region.image().getHeight()};
        List<BufferedImage> augmentedChips = new ArrayList<>();
        for (Augmentations.Augmentation augmentation : augmentations) {
          BufferedImage augmented = augmentation.apply().apply(region.image());
          double[] a = augmentation.movePoint().apply(region.boxCorner(0), size);
          double[] b = augmentation.movePoint().apply(region.boxCorner(1), size);
          FaceBox moved = new FaceBox(Math.min(a[0], b[0]), Math.min(a[1], b[1]),
              Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1]), faces.get(i).score());
          augmentedChips.add(pipeline.fromBox(augmented, moved).chip());
          double[] centre = {moved.x() + moved.width() / 2, moved.y() + moved.height() / 2};
          boolean found = pipeline.detector().detect(RgbImage.of(augmented), 416).stream()
              .anyMatch(f -> f.x() <= centre[0] && centre[0] <= f.right() && f.y() <= centre[1] && centre[1] <= f.bottom());
          redetected.merge(augmentation.name(), found ? 1 : 0, Integer::sum);
        }
        float[][] descriptors = embedder.embed(augmentedChips);
        for (int k = 0; k < descriptors.length; k++) {
          double d = L2.between(reference[i], descriptors[k]);
          same.add(d);
          sameByAugmentation.computeIfAbsent(augmentations.get(k).name(), n -> new ArrayList<>()).add(d);
        }
      }
      int redetectedTotal = redetected.values().stream().mapToInt(Integer::intValue).sum();

      // Throughput with 2 intra-op threads.
      List<BufferedImage> batch = new ArrayList<>(chips.subList(0, Math.min(16, chips.size())));
      while (batch.size() < 16) {
        batch.add(chips.get(batch.size() % chips.size()));
      }
      embedder.embed(batch.subList(0, 1));
      embedder.embed(batch);
      long b1 = System.nanoTime();
      int singles = 32;
      for (int i = 0; i < singles; i++) {
        embedder.embed(batch.subList(i % 16, i % 16 + 1));
      }
      double perSecondBatch1 = singles / ((System.nanoTime() - b1) / 1e9);
      long b16 = System.nanoTime();
      int batches = 4;
      for (int i = 0; i < batches; i++) {
        embedder.embed(batch);
      }
      double perSecondBatch16 = batches * 16 / ((System.nanoTime() - b16) / 1e9);

      double far = fraction(different, d -> d <= THRESHOLD);
      double frr = fraction(same, d -> d > THRESHOLD);
      double farUnaligned = fraction(differentUnaligned, d -> d <= THRESHOLD);
      System.out.println("=== face figures (face-api sample photos; shared, loaded 2-core machine: timings are noisy) ===");
      System.out.printf("faces detected: %d in %d photos%n", faces.size(), frames.size());
      System.out.printf("detector on the augmented 2x regions (face about half the image): found again %d of %d %s%n",
          redetectedTotal, faces.size() * augmentations.size(), redetected);
      System.out.println("same-face distances      " + summary(same));
      sameByAugmentation.forEach((name, values) -> System.out.println("  same, " + name + ": " + summary(values)));
      System.out.println("different-face distances " + summary(different));
      System.out.println("different-face, unaligned box crops " + summary(differentUnaligned));
      System.out.printf("at %.2f: FAR %.4f (%d/%d different pairs), FRR %.4f (%d/%d same pairs); unaligned FAR %.4f%n",
          THRESHOLD, far, count(different, d -> d <= THRESHOLD), different.size(),
          frr, count(same, d -> d > THRESHOLD), same.size(), farUnaligned);
      System.out.printf("at 0.50: FAR %.4f, FRR %.4f%n", fraction(different, d -> d <= 0.5), fraction(same, d -> d > 0.5));
      System.out.println("histogram (bin 0.05): same " + histogram(same) + "%n                      different ".formatted()
          + histogram(different));
      System.out.printf("embedding, 2 intra-op threads: %.1f faces/s at batch 1, %.1f faces/s at batch 16%n",
          perSecondBatch1, perSecondBatch16);
      System.out.printf("detector (416, net + decode + NMS) %.1f ms/frame; full pipeline (detect + landmarks + align) %.1f ms/frame"
          + " on 1920-px photos%n", detectorMs, pipelineMs);

      assertThat(faces.size()).isBetween(18, 22);
      assertThat(mean(same)).isLessThan(mean(different));
      assertThat(frr).as("FRR at 0.6").isLessThanOrEqualTo(0.10);
      assertThat(far).as("FAR at 0.6").isLessThanOrEqualTo(0.10);
      assertThat(far).as("aligned FAR vs unaligned FAR").isLessThanOrEqualTo(farUnaligned);
      assertThat(redetectedTotal).isPositive();
    }
  }

  /** A region of a frame around a face, and the face's box in the region's pixels. */
  private record Region(BufferedImage image, FaceBox box) {
    /** Corner 0 (top-left) or 1 (bottom-right) of the face box, in the region's pixels. */
    double[] boxCorner(int corner) {
      return corner == 0 ? new double[] {box.x(), box.y()} : new double[] {box.right(), box.bottom()};
    }
  }

  /** The face's box grown to twice its size around its centre, clipped to the frame. */
  private static Region region(BufferedImage frame, DetectedFace face) {
    double cx = face.box().x() + face.box().width() / 2;
    double cy = face.box().y() + face.box().height() / 2;
    int half = (int) Math.round(Math.max(face.box().width(), face.box().height()));
    int x0 = (int) Math.max(0, cx - half);
    int y0 = (int) Math.max(0, cy - half);
    int x1 = (int) Math.min(frame.getWidth(), cx + half);
    int y1 = (int) Math.min(frame.getHeight(), cy + half);
    BufferedImage out = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(frame.getSubimage(x0, y0, x1 - x0, y1 - y0), 0, 0, null);
    FaceBox box = face.box();
    return new Region(out, new FaceBox(box.x() - x0, box.y() - y0, box.width(), box.height(), box.score()));
  }

  /** The detector's box resized to 150×150 (bilinear), without alignment. */
  private static BufferedImage boxCrop(BufferedImage frame, DetectedFace face) {
    int[] r = face.box().clippedPixels(frame.getWidth(), frame.getHeight());
    BufferedImage out = new BufferedImage(150, 150, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(frame.getSubimage(r[0], r[1], r[2], r[3]), 0, 0, 150, 150, null);
    g.dispose();
    return out;
  }

  private static String summary(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format("n=%d min %.3f p5 %.3f median %.3f mean %.3f p95 %.3f max %.3f", sorted.length, sorted[0],
        quantile(sorted, 0.05), quantile(sorted, 0.5), Arrays.stream(sorted).average().orElseThrow(),
        quantile(sorted, 0.95), sorted[sorted.length - 1]);
  }

  private static double quantile(double[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
  }

  private static String histogram(List<Double> values) {
    int[] bins = new int[25];
    for (double v : values) {
      bins[(int) Math.min(bins.length - 1, v / 0.05)]++;
    }
    return Arrays.toString(bins);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static long count(List<Double> values, DoublePredicate p) {
    return values.stream().mapToDouble(Double::doubleValue).filter(p).count();
  }

  private static double fraction(List<Double> values, DoublePredicate p) {
    return (double) count(values, p) / values.size();
  }
}
