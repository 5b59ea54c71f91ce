package io.siamesestreams.demo;


/**
 * What the simulator knows about a frame it sent, and the service never sees.
 *
 * @param kind the scenario
 * @param trueIdentity the identity actually shown (null for malformed frames)
 * @param claimedIdentity the identity claimed (GENUINE, IMPOSTOR) or null
 * @param sentAt when the frame was produced, epoch ms (its {@code timestamp})
 */
public record FrameTruth(Kind kind, String trueIdentity, String claimedIdentity, long sentAt) {

  /** The simulated scenarios. */
  public enum Kind {
    /** Claims its own identity: the right answer is MATCH. */
    GENUINE,
    /** Claims another enrolled identity: the right answer is NO_MATCH. */
    IMPOSTOR,
    /** No claim: the right answer is the true identity as the best candidate. */
    IDENTIFY,
    /** Broken on purpose (not JSON, missing image, bad base64, undecodable image): must be dead-lettered. */
    MALFORMED
  }
}
