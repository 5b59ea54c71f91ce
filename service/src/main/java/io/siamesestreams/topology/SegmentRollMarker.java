package io.siamesestreams.topology;

/**
 * The reserved key of the service's segment-roll markers: tombstones appended to {@code identities}
 * and {@code identity-templates} so that their active segments close and get compacted (see
 * {@code io.siamesestreams.app.SegmentRoller}). No identity may use this id; the enroller and the
 * gallery ignore records with it.
 */
public final class SegmentRollMarker {

  /** The reserved identity id of the markers. */
  public static final String KEY = "__siamese_segment_roll__";

  private SegmentRollMarker() {}

  /** Whether {@code identityId} is the markers' reserved key. */
  public static boolean isMarker(String identityId) {
    return KEY.equals(identityId);
  }
}
