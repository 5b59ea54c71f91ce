package io.siamesestreams.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the sample images the docker compose stack's enroller and camera gateways send, as PNG
 * files named by the demo's identity ids ({@link FashionMnistImages#IDENTITY_IDS}):
 *
 * <pre>
 *   OUT/enroll/&lt;identity&gt;/NN.png   the first ENROLL images of the class in the train split
 *   OUT/frames/&lt;identity&gt;/NN.png   the first FRAMES images of the class in the t10k split
 * </pre>
 *
 * The enrolment images are the ones {@code siamese demo} enrols; the frames come from the test
 * split, which the shipped model never saw. Run from the repository root after a build:
 *
 * <pre>{@code java -cp streams/target/siamese-streams.jar io.siamesestreams.demo.SampleImages docker/samples}</pre>
 */
public final class SampleImages {

  public static final int ENROLL_PER_IDENTITY = 5;
  public static final int FRAMES_PER_IDENTITY = 10;

  private SampleImages() {}

  /** {@code args}: OUT [DATASET_DIR]; the dataset defaults to {@link FashionMnistImages#DEFAULT_DIRECTORY}. */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: SampleImages OUT_DIR [FASHION_MNIST_DIR]");
      System.exit(2);
    }
    Path dataset = args.length > 1 ? Path.of(args[1]) : FashionMnistImages.DEFAULT_DIRECTORY;
    List<Path> written = export(dataset, Path.of(args[0]), ENROLL_PER_IDENTITY, FRAMES_PER_IDENTITY);
    System.out.println("wrote " + written.size() + " images under " + args[0]);
  }

  /**
   * Writes {@code enrollPerIdentity} train images and {@code framesPerIdentity} test images per
   * class under {@code out}, replacing files of the same names.
   *
   * @return the files written
   */
  public static List<Path> export(Path dataset, Path out, int enrollPerIdentity, int framesPerIdentity) {
    List<Path> written = new ArrayList<>();
    written.addAll(write(FashionMnistImages.read(dataset, "train", 2_000), out.resolve("enroll"), enrollPerIdentity));
    written.addAll(write(FashionMnistImages.read(dataset, "t10k", 2_000), out.resolve("frames"), framesPerIdentity));
    return written;
  }

  private static List<Path> write(FashionMnistImages images, Path directory, int perClass) {
    int[] counts = new int[FashionMnistImages.CLASSES];
    List<Path> written = new ArrayList<>();
    try {
      for (int i = 0; i < images.size(); i++) {
        int label = images.labels()[i];
        if (counts[label] >= perClass) {
          continue;
        }
        counts[label]++;
        Path file = directory.resolve(FashionMnistImages.IDENTITY_IDS.get(label))
            .resolve(String.format("%02d.png", counts[label]));
        Files.createDirectories(file.getParent());
        Files.write(file, Png.gray(images.pixels().get(i), FashionMnistImages.SIZE, FashionMnistImages.SIZE));
        written.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] < perClass) {
        throw new IllegalStateException("only " + counts[c] + " images of class " + c + " in the first "
            + images.size() + " of the split");
      }
    }
    return written;
  }
}
