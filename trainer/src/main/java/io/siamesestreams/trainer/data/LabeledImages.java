package io.siamesestreams.trainer.data;

import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An in-memory, immutable set of images with integer class (identity) labels.
 *
 * <p>Each image is stored as it came: raw 8-bit pixels (idx files) or encoded PNG/JPEG bytes (image
 * folders); {@link #putImage} sends it through the project's one {@link ImagePreprocessor} path.
 * Labels index {@link #classNames()}; subsets keep the original label numbering and class names.
 *
 * <p>Storage: raw images of one size share one {@code byte[]} (60,000 Fashion-MNIST images take
 * 47 MB in a single array); encoded images are one {@code byte[]} each. Subsets share the storage
 * of the set they come from and only hold an index array, so splitting costs no pixel copies.
 */
public final class LabeledImages {

  private final Storage storage;
  /** Storage slot of each image of this set. */
  private final int[] slots;
  private final int[] labels;
  private final List<String> classNames;

  private LabeledImages(Storage storage, int[] slots, int[] labels, List<String> classNames) {
    this.storage = storage;
    this.slots = slots;
    this.labels = labels;
    this.classNames = classNames;
  }

  /**
   * Images of one size as raw interleaved 8-bit pixels.
   *
   * @param pixels {@code n × height × width × channels} bytes, image after image, each row-major with
   *     interleaved channels; taken over without a copy (do not modify it afterwards)
   * @param channels 1 (grey) or 3 (RGB)
   * @param labels label of each image, length n, each in {@code [0, classNames.size())}
   * @param classNames class names indexed by label
   */
  public static LabeledImages ofRaw(
      byte[] pixels, int width, int height, int channels, int[] labels, List<String> classNames) {
    Objects.requireNonNull(pixels, "pixels");
    if (width <= 0 || height <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "width, height and channels must be positive: " + width + "×" + height + "×" + channels);
    }
    long stride = (long) width * height * channels;
    if ((long) labels.length * stride != pixels.length) {
      throw new IllegalArgumentException(
          labels.length + " labels need " + (labels.length * stride) + " pixel bytes of "
              + width + "×" + height + "×" + channels + " images, got " + pixels.length);
    }
    List<String> names = List.copyOf(classNames);
    int[] copy = checkedLabels(labels, names.size());
    return new LabeledImages(new RawPixels(pixels, width, height, channels), identity(copy.length), copy, names);
  }

  /**
   * Images kept encoded (PNG or JPEG), decoded by the preprocessor on {@link #putImage}.
   *
   * @param images encoded bytes of each image (arrays taken over without a copy)
   * @param sources where each image came from (a file path), for error messages; same length
   * @param labels label of each image, each in {@code [0, classNames.size())}
   * @param classNames class names indexed by label
   */
  public static LabeledImages ofEncoded(
      List<byte[]> images, List<String> sources, int[] labels, List<String> classNames) {
    if (images.size() != labels.length || sources.size() != labels.length) {
      throw new IllegalArgumentException(
          images.size() + " images, " + sources.size() + " sources and " + labels.length + " labels differ in number");
    }
    List<String> names = List.copyOf(classNames);
    int[] copy = checkedLabels(labels, names.size());
    byte[][] data = images.toArray(new byte[0][]);
    for (int i = 0; i < data.length; i++) {
      Objects.requireNonNull(data[i], "image " + i);
    }
    return new LabeledImages(
        new EncodedFiles(data, sources.toArray(new String[0])), identity(copy.length), copy, names);
  }

  /** Number of images. */
  public int size() {
    return slots.length;
  }

  /** Label of image {@code i}, an index into {@link #classNames()}. */
  public int label(int i) {
    return labels[i];
  }

  /** All labels, length {@link #size()}. */
  public int[] labels() {
    return labels.clone();
  }

  /** Class (identity) names, indexed by label. */
  public List<String> classNames() {
    return classNames;
  }

  /** Distinct labels present in this set, ascending. */
  public int[] presentLabels() {
    boolean[] present = new boolean[classNames.size()];
    for (int label : labels) {
      present[label] = true;
    }
    int[] result = new int[classNames.size()];
    int n = 0;
    for (int label = 0; label < present.length; label++) {
      if (present[label]) {
        result[n++] = label;
      }
    }
    return Arrays.copyOf(result, n);
  }

  /**
   * Image indices grouped by label: element {@code l} lists, ascending, the images with label
   * {@code l} (empty for a label absent from this set). Length {@code classNames().size()}.
   */
  public int[][] indicesByLabel() {
    int[] counts = new int[classNames.size()];
    for (int label : labels) {
      counts[label]++;
    }
    int[][] result = new int[counts.length][];
    for (int label = 0; label < counts.length; label++) {
      result[label] = new int[counts[label]];
    }
    int[] filled = new int[counts.length];
    for (int i = 0; i < labels.length; i++) {
      result[labels[i]][filled[labels[i]]++] = i;
    }
    return result;
  }

  /** Whether images are kept encoded (PNG/JPEG) rather than as raw pixels. */
  public boolean isEncoded() {
    return storage instanceof EncodedFiles;
  }

  /**
   * A copy of image {@code i}'s stored bytes: the encoded file, or its raw interleaved pixels
   * ({@code height × width × channels}).
   */
  public byte[] imageBytes(int i) {
    return storage.bytes(slots[i]);
  }

  /** Where image {@code i} came from: its file for encoded images, {@code "image #slot"} otherwise. */
  public String source(int i) {
    return storage.source(slots[i]);
  }

  /** Appends image {@code i}, preprocessed, at {@code dst}'s position. */
  public void putImage(int i, ImagePreprocessor preprocessor, FloatBuffer dst) throws InvalidImageException {
    storage.put(slots[i], preprocessor, dst);
  }

  /**
   * Appends the images at {@code indices}, preprocessed, in that order from {@code dst}'s position
   * ({@code indices.length × preprocessor.floatsPerImage()} floats).
   */
  public void putImages(int[] indices, ImagePreprocessor preprocessor, FloatBuffer dst)
      throws InvalidImageException {
    for (int index : indices) {
      putImage(index, preprocessor, dst);
    }
  }

  /** The images at {@code indices}, in that order. */
  public LabeledImages subset(int[] indices) {
    int[] newSlots = new int[indices.length];
    int[] newLabels = new int[indices.length];
    for (int j = 0; j < indices.length; j++) {
      int i = indices[j];
      if (i < 0 || i >= slots.length) {
        throw new IndexOutOfBoundsException("image index " + i + " outside [0, " + slots.length + ")");
      }
      newSlots[j] = slots[i];
      newLabels[j] = labels[i];
    }
    return new LabeledImages(storage, newSlots, newLabels, classNames);
  }

  /** Only the images whose label is in {@code labels}. */
  public LabeledImages onlyLabels(Set<Integer> labels) {
    return filter(labels, true);
  }

  /** The images whose label is not in {@code labels}. */
  public LabeledImages withoutLabels(Set<Integer> labels) {
    return filter(labels, false);
  }

  /** Label numbers of the given class names; an unknown name is an IllegalArgumentException listing the known ones. */
  public Set<Integer> labelsOf(List<String> names) {
    Set<Integer> result = new LinkedHashSet<>();
    for (String name : names) {
      int label = classNames.indexOf(name);
      if (label < 0) {
        throw new IllegalArgumentException("unknown class '" + name + "'; known classes: " + classNames);
      }
      result.add(label);
    }
    return Set.copyOf(result);
  }

  @Override
  public String toString() {
    return "LabeledImages[" + size() + " images, " + presentLabels().length + " of " + classNames.size()
        + " classes, " + (isEncoded() ? "encoded" : "raw") + "]";
  }

  private LabeledImages filter(Set<Integer> wanted, boolean keep) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (wanted.contains(labels[i]) == keep) {
        kept.add(i);
      }
    }
    return subset(kept.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int[] checkedLabels(int[] labels, int classes) {
    int[] copy = labels.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] < 0 || copy[i] >= classes) {
        throw new IllegalArgumentException("label " + copy[i] + " of image " + i + " outside [0, " + classes + ")");
      }
    }
    return copy;
  }

  private static int[] identity(int n) {
    int[] result = new int[n];
    for (int i = 0; i < n; i++) {
      result[i] = i;
    }
    return result;
  }

  /** Where the image bytes live; slots are positions in it. */
  private sealed interface Storage permits RawPixels, EncodedFiles {
    byte[] bytes(int slot);

    String source(int slot);

    void put(int slot, ImagePreprocessor preprocessor, FloatBuffer dst) throws InvalidImageException;
  }

  private record RawPixels(byte[] pixels, int width, int height, int channels) implements Storage {
    int stride() {
      return width * height * channels;
    }

    @Override
    public byte[] bytes(int slot) {
      int offset = slot * stride();
      return Arrays.copyOfRange(pixels, offset, offset + stride());
    }

    @Override
    public String source(int slot) {
      return "image #" + slot;
    }

    @Override
    public void put(int slot, ImagePreprocessor preprocessor, FloatBuffer dst) throws InvalidImageException {
      preprocessor.putRaw(bytes(slot), width, height, channels, dst);
    }
  }

  private record EncodedFiles(byte[][] files, String[] sources) implements Storage {
    @Override
    public byte[] bytes(int slot) {
      return files[slot].clone();
    }

    @Override
    public String source(int slot) {
      return sources[slot];
    }

    @Override
    public void put(int slot, ImagePreprocessor preprocessor, FloatBuffer dst) throws InvalidImageException {
      try {
        preprocessor.putEncoded(files[slot], dst);
      } catch (InvalidImageException e) {
        throw new InvalidImageException(e.reason(), sources[slot] + ": " + e.getMessage(), e);
      }
    }
  }
}
