package io.siamesestreams.demo;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.topology.Topics;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.Producer;

/**
 * Simulated cameras for the faces demo, round-robin over {@code cameras} cameras, each frame one
 * scenario drawn with fixed odds: {@value #MALFORMED_SHARE} malformed, then of the rest
 * {@value #GROUP_SHARE} whole group photos (identify every face), {@value #GENUINE_SHARE} genuine
 * claims and {@value #IMPOSTOR_SHARE} impostor claims on a crop around one face,
 * {@value #IDENTIFY_SHARE} unclaimed crops, and the remainder images without a face. Every image
 * gets one change drawn from {@link FrameAugmentations#ALL}. Crops carry the face's
 * {@code faceBox} (so the service skips detection); frames are JPEG. The ground truth goes to the
 * {@link FaceScoreboard} only.
 */
final class FaceCameraSimulator extends SimulatedCameras<FaceFrameTruth> {

  static final double GROUP_SHARE = 0.25;
  static final double GENUINE_SHARE = 0.25;
  static final double IMPOSTOR_SHARE = 0.20;
  static final double IDENTIFY_SHARE = 0.20;
  /** A crop is the face box grown by this share of its size on every side. */
  static final double CROP_MARGIN = 0.4;

  private final SamplePeople samples;
  private final List<String> personIds;

  FaceCameraSimulator(Producer<String, byte[]> producer, String topic, SamplePeople samples, int cameras,
      FaceScoreboard scoreboard, long seed, String runId) {
    super(producer, topic, cameras, scoreboard, seed, runId);
    this.samples = samples;
    this.personIds = samples.people().stream().map(SamplePeople.Person::id).toList();
  }

  /**
   * Makes frame {@code n} as the scenario drawn for it. A frame's timestamp is taken once its image
   * is made, so latencies do not include the simulator's own work.
   */
  @Override
  Shot<FaceFrameTruth> shoot(long n, String frameId, String cameraId) {
    long now = System.currentTimeMillis();
    double draw = random.nextDouble();
    FrameAugmentations.Augmentation change = FrameAugmentations.ALL.get(random.nextInt(FrameAugmentations.ALL.size()));
    if (draw < MALFORMED_SHARE) {
      return new Shot<>(new FaceFrameTruth(FaceFrameTruth.Kind.MALFORMED, null, null, List.of(), "none"),
          malformed(frameId, cameraId, now, n));
    }
    double rest = validShare(draw);
    Frame frame;
    FaceFrameTruth truth;
    if (rest < GROUP_SHARE) {
      int photo = random.nextInt(samples.photos().size());
      BufferedImage original = samples.photos().get(photo);
      List<FaceFrameTruth.TruthFace> faces = new ArrayList<>();
      for (SamplePeople.Person person : samples.inPhoto(photo)) {
        faces.add(new FaceFrameTruth.TruthFace(person.id(),
            change.contentMove().move(person.box(), original.getWidth(), original.getHeight())));
      }
      truth = new FaceFrameTruth(FaceFrameTruth.Kind.GROUP, null, null, faces, change.name());
      String image = jpegBase64(change.apply().apply(original));
      frame = new Frame(frameId, cameraId, System.currentTimeMillis(), image, null, null);
    } else if (rest < GROUP_SHARE + GENUINE_SHARE + IMPOSTOR_SHARE + IDENTIFY_SHARE) {
      SamplePeople.Person person = samples.people().get(random.nextInt(samples.people().size()));
      FaceFrameTruth.Kind kind;
      String claim;
      if (rest < GROUP_SHARE + GENUINE_SHARE) {
        kind = FaceFrameTruth.Kind.GENUINE;
        claim = person.id();
      } else if (rest < GROUP_SHARE + GENUINE_SHARE + IMPOSTOR_SHARE) {
        kind = FaceFrameTruth.Kind.IMPOSTOR;
        claim = otherThan(person.id(), personIds);
      } else {
        kind = FaceFrameTruth.Kind.IDENTIFY;
        claim = null;
      }
      truth = new FaceFrameTruth(kind, person.id(), claim, List.of(), change.name());
      frame = crop(frameId, cameraId, person, change, claim);
    } else {
      truth = new FaceFrameTruth(FaceFrameTruth.Kind.NO_FACE, null, null, List.of(), change.name());
      String image = jpegBase64(change.apply().apply(noFace()));
      frame = new Frame(frameId, cameraId, System.currentTimeMillis(), image, null, null);
    }
    return new Shot<>(truth, Topics.FRAME_SERDE.toBytes(frame));
  }

  /** A crop around the person's face, changed, with the face box the gateway would send. */
  private Frame crop(String frameId, String cameraId, SamplePeople.Person person,
      FrameAugmentations.Augmentation change, String claim) {
    Crop crop = cropAround(samples.photos().get(person.photo()), person.box());
    BufferedImage image = change.apply().apply(crop.image());
    FrameAugmentations.Box sent = change.boxMove().move(crop.face(), crop.image().getWidth(), crop.image().getHeight())
        .clippedTo(image.getWidth(), image.getHeight());
    String encoded = jpegBase64(image);
    return new Frame(frameId, cameraId, System.currentTimeMillis(), encoded, claim, faceBox(sent));
  }

  /**
   * A crop of a photo and where the face is in it.
   *
   * @param image the crop (a view of the photo's pixels)
   * @param face the face box in the crop's pixels
   */
  record Crop(BufferedImage image, FrameAugmentations.Box face) {}

  /** The face box grown by {@value #CROP_MARGIN} of its size on every side, clipped to the photo. */
  static Crop cropAround(BufferedImage photo, FrameAugmentations.Box face) {
    FrameAugmentations.Box region = new FrameAugmentations.Box(face.x() - CROP_MARGIN * face.width(),
        face.y() - CROP_MARGIN * face.height(), face.width() * (1 + 2 * CROP_MARGIN),
        face.height() * (1 + 2 * CROP_MARGIN)).clippedTo(photo.getWidth(), photo.getHeight());
    int rx = (int) Math.floor(region.x());
    int ry = (int) Math.floor(region.y());
    int rw = Math.min(photo.getWidth() - rx, (int) Math.ceil(region.width()));
    int rh = Math.min(photo.getHeight() - ry, (int) Math.ceil(region.height()));
    return new Crop(photo.getSubimage(rx, ry, rw, rh),
        new FrameAugmentations.Box(face.x() - rx, face.y() - ry, face.width(), face.height()));
  }

  /** A box as a frame's {@code faceBox}: whole pixels, at least 1 × 1. */
  static FaceBox faceBox(FrameAugmentations.Box box) {
    return FaceBox.ofPixels((int) Math.round(box.x()), (int) Math.round(box.y()),
        Math.max(1, (int) Math.round(box.width())), Math.max(1, (int) Math.round(box.height())));
  }

  /** A smooth random two-colour gradient: a wall, no face. */
  private BufferedImage noFace() {
    BufferedImage image = new BufferedImage(480, 360, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(random.nextInt(480), random.nextInt(360), randomColour(), random.nextInt(480),
        random.nextInt(360), randomColour()));
    g.fillRect(0, 0, 480, 360);
    g.dispose();
    return image;
  }

  private Color randomColour() {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  static String jpegBase64(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      if (!ImageIO.write(image, "jpg", out)) {
        throw new IllegalStateException("no JPEG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }
}
