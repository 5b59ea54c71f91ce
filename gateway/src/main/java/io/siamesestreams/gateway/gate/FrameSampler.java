package io.siamesestreams.gateway.gate;

/**
 * The {@code --fps} budget: lets through at most {@code fps} frames per second of the given clock
 * (the media timestamps of a file, the wall clock of a live stream), evenly spaced.
 *
 * <p>A frame at time t passes when t ≥ due; then due advances by 1/fps, or restarts at t + 1/fps when
 * the stream fell more than one interval behind (a gap, a reconnect), so no burst follows a gap.
 * Over a long run the rate is min(fps, source rate) within one frame. fps = 0 lets every frame through.
 */
public final class FrameSampler {

  private final long intervalMicros;
  private long dueMicros = Long.MIN_VALUE;

  public FrameSampler(double fps) {
    if (fps < 0 || Double.isNaN(fps)) {
      throw new IllegalArgumentException("fps must be >= 0, was " + fps);
    }
    this.intervalMicros = fps == 0 ? 0 : Math.round(1e6 / fps);
  }

  /** Whether the frame at {@code timeMicros} is within the budget (and consumes it if so). */
  public boolean accept(long timeMicros) {
    if (intervalMicros == 0) {
      return true;
    }
    if (dueMicros != Long.MIN_VALUE && timeMicros < dueMicros) {
      return false;
    }
    boolean behind = dueMicros == Long.MIN_VALUE || timeMicros - dueMicros >= intervalMicros;
    dueMicros = behind ? timeMicros + intervalMicros : dueMicros + intervalMicros;
    return true;
  }

  /** Forgets the clock (after a reconnect the stream's timestamps restart). */
  public void reset() {
    dueMicros = Long.MIN_VALUE;
  }
}
