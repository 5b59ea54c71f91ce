package io.siamesestreams.frames;


/**
 * Hands a frame that one processor has just decoded to the next processor on the same stream
 * thread, so the image is not decoded twice: the frame validator decodes every frame to validate
 * it, and the batcher would otherwise decode it again at flush.
 *
 * <p>One slot per thread, matched by the identity of the record's value array: {@link #offer} is
 * called right before {@code context.forward(record)}, and the child's {@link #take} with the same
 * {@code record.value()} gets the decoded frame; any other value (a record that did not come
 * through {@link #offer}, e.g. in a test or after a restore) gets null and decodes as before.
 * The decoded pixels are a cache only: the raw record stays the source of truth.
 */
public final class DecodedFrameHandoff {

  private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

  /**
   * A decoded frame.
   *
   * @param frame the parsed frame
   * @param pixels its image, preprocessed ({@code C×H×W} floats of the encoder's input)
   */
  public record Decoded(Frame frame, float[] pixels) {}

  private static final class Slot {
    private byte[] value;
    private Decoded decoded;
  }

  private DecodedFrameHandoff() {}

  /** Leaves {@code decoded} for the next {@link #take} of the same {@code value} array on this thread. */
  public static void offer(byte[] value, Decoded decoded) {
    Slot slot = SLOT.get();
    slot.value = value;
    slot.decoded = decoded;
  }

  /** The decoded frame offered for exactly this {@code value} array on this thread, or null; empties the slot. */
  public static Decoded take(byte[] value) {
    Slot slot = SLOT.get();
    Decoded decoded = slot.value == value && value != null ? slot.decoded : null;
    slot.value = null;
    slot.decoded = null;
    return decoded;
  }
}
