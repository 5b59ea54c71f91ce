package io.siamesestreams.bench;

import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.convert.NpmPackage;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.faces.image.ImageTransforms;
import io.siamesestreams.faces.image.Jpeg;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Realistic frames for the face bundle, made from face-api's sample photos ({@code demo/sample1..6.jpg}
 * of the npm tarball) with the converted tiny face detector:
 *
 * <ul>
 *   <li>{@link #crops}: what a face-detecting camera gateway sends, one face per frame: the detected
 *       box made square, grown {@value #CROP_CONTEXT}× about its centre (clipped to the photo), scaled
 *       to {@value #CROP_SIZE}×{@value #CROP_SIZE}, JPEG quality {@value Jpeg#QUALITY} (the
 *       gateway's), with the face box in crop pixels as the frame's {@code faceBox};
 *   <li>{@link #wholeFrames}: 640×480 JPEG camera frames (each photo scaled to cover 640×480 and
 *       centre-cropped), no {@code faceBox}: the service detects the faces itself. Only frames in
 *       which the detector finds at least one face are kept, with that count.
 * </ul>
 */
public final class FaceFrames {

  /** Side of a face crop, pixels (the recognition net's input size). */
  public static final int CROP_SIZE = 150;
  /** Face box side → crop side. */
  public static final double CROP_CONTEXT = 1.6;
  public static final int WIDTH = 640;
  public static final int HEIGHT = 480;
  private static final int PHOTOS = 6;

  /**
   * A frame's image and, for a crop, its face box.
   *
   * @param image base64 of the JPEG bytes
   * @param jpegBytes size of the JPEG
   * @param faceBox the face in image pixels, or null (the service detects)
   * @param faces faces in the image as the detector sees it (1 for a crop or a chip)
   * @param aligned the image is an aligned face chip (the frame's {@code aligned})
   */
  public record FrameImage(String image, int jpegBytes, FaceBox faceBox, int faces, boolean aligned) {

    /** A frame image that is not an aligned chip. */
    public FrameImage(String image, int jpegBytes, FaceBox faceBox, int faces) {
      this(image, jpegBytes, faceBox, faces, false);
    }
  }

  private FaceFrames() {}

  /** Face crops of every face the detector finds in the sample photos of {@code tarball}. */
  public static List<FrameImage> crops(Path tarball, Path faceModel) {
    List<FrameImage> crops = new ArrayList<>();
    try (TinyFaceDetector detector = detector(faceModel)) {
      for (BufferedImage photo : photos(tarball)) {
        for (FaceBox face : detector.detect(photo)) {
          double side = Math.max(face.width(), face.height());
          FaceBox square = new FaceBox(face.x() + face.width() / 2 - side / 2, face.y() + face.height() / 2 - side / 2,
              side, side, face.score());
          int[] crop = square.grownPixels(CROP_CONTEXT, photo.getWidth(), photo.getHeight());
          int[] box = face.clippedPixels(photo.getWidth(), photo.getHeight());
          if (crop[2] < 8 || crop[3] < 8 || box[2] < 4 || box[3] < 4) {
            continue;
          }
          BufferedImage scaled = ImageTransforms.resize(photo.getSubimage(crop[0], crop[1], crop[2], crop[3]),
              CROP_SIZE, CROP_SIZE);
          double sx = (double) CROP_SIZE / crop[2];
          double sy = (double) CROP_SIZE / crop[3];
          int x = (int) Math.round((box[0] - crop[0]) * sx);
          int y = (int) Math.round((box[1] - crop[1]) * sy);
          int w = Math.min(CROP_SIZE - x, (int) Math.round(box[2] * sx));
          int h = Math.min(CROP_SIZE - y, (int) Math.round(box[3] * sy));
          byte[] jpeg = Jpeg.encode(scaled);
          crops.add(new FrameImage(Base64.getEncoder().encodeToString(jpeg), jpeg.length,
              FaceBox.ofPixels(x, y, w, h), 1));
        }
      }
    }
    if (crops.isEmpty()) {
      throw new IllegalStateException("no face found in the sample photos of " + tarball);
    }
    return crops;
  }

  /** The aligned chip of every face the face pipeline finds in the sample photos of {@code tarball}. */
  public static List<FrameImage> alignedChips(Path tarball, Path faceModel) {
    List<FrameImage> chips = new ArrayList<>();
    try (FacePipeline pipeline = FacePipeline.open(faceModel, 1)) {
      for (BufferedImage photo : photos(tarball)) {
        for (DetectedFace face : pipeline.detect(photo)) {
          byte[] jpeg = Jpeg.encode(face.chip());
          chips.add(new FrameImage(Base64.getEncoder().encodeToString(jpeg), jpeg.length, null, 1, true));
        }
      }
    }
    if (chips.isEmpty()) {
      throw new IllegalStateException("no face found in the sample photos of " + tarball);
    }
    return chips;
  }

  /** 640×480 frames of the sample photos in which the detector finds faces. */
  public static List<FrameImage> wholeFrames(Path tarball, Path faceModel) {
    List<FrameImage> frames = new ArrayList<>();
    try (TinyFaceDetector detector = detector(faceModel)) {
      for (BufferedImage photo : photos(tarball)) {
        double scale = Math.max((double) WIDTH / photo.getWidth(), (double) HEIGHT / photo.getHeight());
        int w = (int) Math.ceil(photo.getWidth() * scale);
        int h = (int) Math.ceil(photo.getHeight() * scale);
        BufferedImage covered = ImageTransforms.resize(photo, w, h);
        BufferedImage frame = covered.getSubimage((w - WIDTH) / 2, (h - HEIGHT) / 2, WIDTH, HEIGHT);
        int faces = detector.detect(frame).size();
        if (faces > 0) {
          byte[] jpeg = Jpeg.encode(frame);
          frames.add(new FrameImage(Base64.getEncoder().encodeToString(jpeg), jpeg.length, null, faces));
        }
      }
    }
    if (frames.isEmpty()) {
      throw new IllegalStateException("no face found in the 640x480 frames of " + tarball);
    }
    return frames;
  }

  private static TinyFaceDetector detector(Path faceModel) {
    return TinyFaceDetector.open(faceModel.resolve(FaceApiConverter.DETECTOR_DIR), 0);
  }

  private static List<BufferedImage> photos(Path tarball) {
    NpmPackage demo = NpmPackage.read(tarball, "demo/");
    List<BufferedImage> photos = new ArrayList<>();
    for (int i = 1; i <= PHOTOS; i++) {
      try {
        BufferedImage photo = ImageIO.read(new ByteArrayInputStream(demo.bytes("demo/sample" + i + ".jpg")));
        BufferedImage rgb = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(photo, 0, 0, null);
        photos.add(rgb);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return photos;
  }
}
