package io.siamesestreams.demo;

import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.faces.convert.NpmPackage;
import io.siamesestreams.faces.image.ImageTransforms;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The people of face-api's sample photos ({@code demo/sample1.jpg} … {@code sample6.jpg} in the npm
 * tarball; about 21 people, one photo each), as the faces demo's simulator knows them: each photo
 * scaled to {@value #FRAME_WIDTH} pixels wide (the camera frames' size), and every face the
 * detector finds in it, which becomes one identity ({@code sample<p>-face<i>}), enrolled with a
 * crop of the photo and this box. The face boxes are the ground truth for the frames made from the
 * photos.
 *
 * @param photos the scaled photos, {@code sample1} first
 * @param people every face found, photo by photo, best detector score first
 */
record SamplePeople(List<BufferedImage> photos, List<Person> people) {

  /** Width of the camera frames made from the photos (faces are then about 150 px wide). */
  static final int FRAME_WIDTH = 960;
  static final int PHOTOS = 6;

  /**
   * One person.
   *
   * @param id the identity id
   * @param photo index into {@link #photos()}
   * @param box the face in that photo
   */
  record Person(String id, int photo, FrameAugmentations.Box box) {}

  /** Reads the photos from the tarball, scales them and finds their faces with {@code pipeline}. */
  static SamplePeople read(Path tarball, FacePipeline pipeline) {
    NpmPackage npm = NpmPackage.read(tarball, "demo/");
    List<BufferedImage> photos = new ArrayList<>();
    List<Person> people = new ArrayList<>();
    for (int p = 0; p < PHOTOS; p++) {
      String name = "sample" + (p + 1);
      BufferedImage photo;
      try {
        photo = ImageIO.read(new ByteArrayInputStream(npm.bytes("demo/" + name + ".jpg")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name + ".jpg from " + tarball, e);
      }
      int height = (int) Math.round((double) photo.getHeight() * FRAME_WIDTH / photo.getWidth());
      BufferedImage scaled = ImageTransforms.resize(photo, FRAME_WIDTH, height);
      photos.add(scaled);
      List<DetectedFace> faces = pipeline.detect(scaled);
      for (int i = 0; i < faces.size(); i++) {
        DetectedFace face = faces.get(i);
        people.add(new Person(name + "-face" + i, p,
            new FrameAugmentations.Box(face.box().x(), face.box().y(), face.box().width(), face.box().height())));
      }
    }
    return new SamplePeople(List.copyOf(photos), List.copyOf(people));
  }

  /** The people of photo {@code photo}. */
  List<Person> inPhoto(int photo) {
    return people.stream().filter(person -> person.photo() == photo).toList();
  }
}
