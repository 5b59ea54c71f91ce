package io.siamesestreams.gateway.gate;

import io.siamesestreams.faces.detect.FaceBox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The best-shot rule: one face per face track per interval instead of one per frame.
 *
 * <p>Tracking: each face of a frame joins the live track whose last box overlaps it most (IoU ≥
 * {@value #MIN_IOU}, each track at most once per frame), else starts a new track. Within a track,
 * time is cut into windows of {@code intervalMicros} starting at the track's first face; of the
 * faces offered in a window the sharpest is kept and sent when the window closes (on the track's
 * first face past the window, when the track is lost, or at {@link #flush}); every other face of the
 * window is dropped as {@link DropReason#NOT_BEST_SHOT}. A track unseen for longer than one
 * interval is lost. With an interval of 0 every face is sent at once.
 *
 * @param <T> what is sent for a face (e.g. its encoded crop)
 */
public final class BestShotTracker<T> {

  /** Minimum IoU between a face and a track's last box for the face to continue the track. */
  public static final double MIN_IOU = 0.3;

  /** A face offered to the tracker: its box in frame pixels, its sharpness, and its payload. */
  public record Shot<T>(FaceBox box, double sharpness, T payload) {}

  private static final class Track<T> {
    final long id;
    FaceBox lastBox;
    long lastSeenMicros;
    long windowStartMicros;
    Shot<T> best;

    Track(long id, FaceBox box, long timeMicros) {
      this.id = id;
      this.lastBox = box;
      this.lastSeenMicros = timeMicros;
      this.windowStartMicros = timeMicros;
    }
  }

  private final long intervalMicros;
  private final Consumer<T> send;
  private final Consumer<T> drop;
  private final List<Track<T>> tracks = new ArrayList<>();
  private long nextTrackId;

  /**
   * @param send receives the payload of each kept shot
   * @param drop receives the payload of each shot replaced by a sharper one
   */
  public BestShotTracker(long intervalMicros, Consumer<T> send, Consumer<T> drop) {
    if (intervalMicros < 0) {
      throw new IllegalArgumentException("best-shot interval must be >= 0, was " + intervalMicros);
    }
    this.intervalMicros = intervalMicros;
    this.send = send;
    this.drop = drop;
  }

  /** Offers the faces that passed the gate in the frame at {@code timeMicros} (any order). */
  public void offer(long timeMicros, List<Shot<T>> shots) {
    if (intervalMicros == 0) {
      shots.forEach(shot -> send.accept(shot.payload()));
      return;
    }
    expire(timeMicros);
    List<Track<T>> unmatched = new ArrayList<>(tracks);
    List<Shot<T>> ordered = new ArrayList<>(shots);
    ordered.sort(Comparator.comparingDouble((Shot<T> shot) -> shot.box().score()).reversed());
    for (Shot<T> shot : ordered) {
      Track<T> track = null;
      double bestIou = MIN_IOU;
      for (Track<T> candidate : unmatched) {
        double iou = candidate.lastBox.iou(shot.box());
        if (iou >= bestIou) {
          bestIou = iou;
          track = candidate;
        }
      }
      if (track == null) {
        track = new Track<>(nextTrackId++, shot.box(), timeMicros);
        tracks.add(track);
      } else {
        unmatched.remove(track);
        if (timeMicros - track.windowStartMicros >= intervalMicros) {
          closeWindow(track);
          track.windowStartMicros = timeMicros;
        }
      }
      track.lastBox = shot.box();
      track.lastSeenMicros = timeMicros;
      if (track.best == null) {
        track.best = shot;
      } else if (shot.sharpness() > track.best.sharpness()) {
        drop.accept(track.best.payload());
        track.best = shot;
      } else {
        drop.accept(shot.payload());
      }
    }
  }

  /** Sends the best shot of every track and forgets the tracks (end of stream, reconnect). */
  public void flush() {
    tracks.forEach(this::closeWindow);
    tracks.clear();
  }

  /** Live tracks (for tests and metrics). */
  public int trackCount() {
    return tracks.size();
  }

  private void expire(long timeMicros) {
    for (Iterator<Track<T>> it = tracks.iterator(); it.hasNext(); ) {
      Track<T> track = it.next();
      if (timeMicros - track.lastSeenMicros > intervalMicros || timeMicros < track.lastSeenMicros) {
        closeWindow(track);
        it.remove();
      }
    }
  }

  private void closeWindow(Track<T> track) {
    if (track.best != null) {
      send.accept(track.best.payload());
      track.best = null;
    }
  }
}
