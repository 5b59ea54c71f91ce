package io.siamesestreams.trainer.calibrate;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.FaceEmbedder;
import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.faces.convert.FaceApiConverter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A face model folder ({@code face-recognition/}, {@code face-detector/}, {@code face-landmarks/}):
 * each photo's faces are detected (with the close-up pass, so face crops work too), the largest is
 * landmarked, aligned and embedded, as the service takes an enrolment image's face. A photo with no
 * face, or that does not decode, is skipped.
 */
final class FacePhotoEmbedder implements PhotoEmbedder {

  private final FacePipeline pipeline;
  private final FaceEmbedder embedder;

  FacePhotoEmbedder(Path faceModelFolder, int intraOpThreads) {
    ModelBundle recognition = ModelBundle.load(faceModelFolder.resolve(FaceApiConverter.RECOGNITION_DIR));
    this.pipeline = FacePipeline.open(faceModelFolder, intraOpThreads);
    try {
      this.embedder = FaceEmbedder.open(recognition, intraOpThreads);
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  @Override
  public Embedded embed(byte[] encoded) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(encoded));
    } catch (IOException | RuntimeException e) {
      return Embedded.skipped("cannot decode: " + e.getMessage());
    }
    if (image == null) {
      return Embedded.skipped("not a PNG or JPEG image");
    }
    List<DetectedFace> faces = pipeline.detect(image);
    if (faces.isEmpty()) {
      return Embedded.skipped("no face found");
    }
    DetectedFace largest = faces.stream().max(Comparator.comparingDouble(face -> face.box().area())).orElseThrow();
    return Embedded.of(embedder.embed(List.of(largest.chip()))[0]);
  }

  @Override
  public void close() {
    try {
      embedder.close();
    } finally {
      pipeline.close();
    }
  }
}
