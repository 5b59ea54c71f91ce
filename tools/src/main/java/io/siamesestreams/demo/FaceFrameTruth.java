package io.siamesestreams.demo;

import java.util.List;

/**
 * What the faces demo's simulator knows about a frame it sent, and the service never sees.
 *
 * @param kind the scenario
 * @param trueIdentity the person in a crop frame (GENUINE, IMPOSTOR, IDENTIFY); null otherwise
 * @param claimedIdentity the identity claimed (GENUINE, IMPOSTOR); null otherwise
 * @param faces GROUP: every enrolled person in the frame with where their face is; empty otherwise
 * @param augmentation the change applied to the image, for people
 */
record FaceFrameTruth(
    Kind kind, String trueIdentity, String claimedIdentity, List<TruthFace> faces, String augmentation) {

  /** The simulated scenarios. */
  enum Kind {
    /** A whole group photo, no claim: each face should be identified (one event per face). */
    GROUP,
    /** A crop around one face with its {@code faceBox}, claiming its own identity: MATCH. */
    GENUINE,
    /** The same, claiming another enrolled identity: anything but MATCH. */
    IMPOSTOR,
    /** The same, no claim: the best candidate should be the person. */
    IDENTIFY,
    /** An image without a face: one NO_FACE event. */
    NO_FACE,
    /** Broken on purpose: must be dead-lettered. */
    MALFORMED
  }

  /** A person in a group frame and where their face is in it. */
  record TruthFace(String identity, FrameAugmentations.Box box) {}
}
