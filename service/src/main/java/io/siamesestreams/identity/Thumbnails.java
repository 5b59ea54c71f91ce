package io.siamesestreams.identity;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.image.ImageTransforms;
import io.siamesestreams.faces.image.Jpeg;
import io.siamesestreams.frames.FaceExtraction;
import io.siamesestreams.preprocess.InvalidImageException;
import java.awt.image.BufferedImage;

/**
 * The small picture the console shows beside an identity: its first enrolment image, cut to the face
 * when the model embeds faces, scaled to fit {@value #MAX_SIDE}×{@value #MAX_SIDE} pixels (never
 * enlarged, aspect ratio kept), as an RGB baseline JPEG of quality {@value #QUALITY}.
 *
 * <p>It travels in the identity's {@link IdentityTemplates#thumbnail()} on {@code identity-templates},
 * so that an erasure (the tombstone) removes it from every gallery with the templates.
 */
public final class Thumbnails {

  /** The longest side of a thumbnail, pixels. */
  public static final int MAX_SIDE = 96;
  /** JPEG quality, 0 to 1. */
  static final float QUALITY = 0.85f;
  /** A face box is grown by this factor about its centre, so that the thumbnail shows the head. */
  static final double FACE_CONTEXT = 1.4;

  private Thumbnails() {}

  /**
   * The thumbnail of an enrolment image.
   *
   * @param encoded PNG or JPEG bytes the model's embedder has already accepted
   * @param face where the enrolled face is in the image (pixels), or null for the whole image
   * @return JPEG bytes, at most {@value #MAX_SIDE} pixels on each side
   * @throws InvalidImageException when ImageIO cannot decode {@code encoded}
   */
  public static byte[] jpeg(byte[] encoded, FaceBox face) throws InvalidImageException {
    BufferedImage image = FaceExtraction.decode(encoded);
    if (face != null) {
      int[] box = face.grownPixels(FACE_CONTEXT, image.getWidth(), image.getHeight());
      if (box[2] > 0 && box[3] > 0) {
        image = image.getSubimage(box[0], box[1], box[2], box[3]);
      }
    }
    double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    // Always redrawn into RGB (ImageTransforms.resize): the JPEG writer refuses alpha.
    // Halving first keeps a large photo from aliasing: one bilinear step samples only 2×2 source pixels.
    while (image.getWidth() >= 2 * width * 2 && image.getHeight() >= 2 * height * 2) {
      image = ImageTransforms.resize(image, image.getWidth() / 2, image.getHeight() / 2);
    }
    return Jpeg.encode(ImageTransforms.resize(image, width, height), QUALITY);
  }
}
