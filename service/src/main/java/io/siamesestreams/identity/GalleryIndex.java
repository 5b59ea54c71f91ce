package io.siamesestreams.identity;

import java.util.List;
import java.util.Optional;

/**
 * The enrolled identities' templates, searchable by distance to a query embedding. Distances are
 * in the units of the model's metric; an identity's distance to a query is the smallest distance
 * over its templates.
 *
 * <p>{@link FlatGalleryIndex} (the service's) and {@link ExactGalleryIndex} compare with every
 * template; the bench module's {@code ApproximateGalleryIndex} walks a proximity graph. Implementations
 * are safe for one writer (the gallery updater) and many concurrent readers (stream threads).
 */
public interface GalleryIndex {

  /**
   * Adds the identity, or replaces all its templates.
   *
   * @param templates at least one template, each of the index's dimension
   */
  void put(String identityId, List<float[]> templates);

  /** Removes the identity; nothing happens when it is absent. */
  void remove(String identityId);

  /** Removes every identity. */
  void clear();

  /** Number of identities. */
  int size();

  boolean contains(String identityId);

  /** The embedding dimension D the index accepts. */
  int dimension();

  /**
   * The identity's template nearest to {@code query[offset..offset+D)}, or empty when the identity
   * is not in the index (1:1 verify).
   */
  Optional<Neighbour> nearestTemplate(String identityId, float[] query, int offset);

  /**
   * The {@code k} identities nearest to {@code query[offset..offset+D)} by their nearest template,
   * ascending by distance (ties by identity id); fewer when the index holds fewer (1:N identify).
   */
  List<Neighbour> nearestIdentities(float[] query, int offset, int k);

  /**
   * {@link #nearestIdentities(float[], int, int)} for several queries at once: query {@code i} at
   * {@code queries[offsets[i]..offsets[i]+D)}; result {@code i} is query {@code i}'s. An index may
   * search them together faster than one by one ({@link FlatGalleryIndex} reads its matrix once).
   */
  default List<List<Neighbour>> nearestIdentities(float[] queries, int[] offsets, int k) {
    List<List<Neighbour>> results = new java.util.ArrayList<>(offsets.length);
    for (int offset : offsets) {
      results.add(nearestIdentities(queries, offset, k));
    }
    return results;
  }

  /**
   * The templates of {@link #put} one after another in one array ({@code templates.size() × D}).
   *
   * @throws IllegalArgumentException when there is no template, or one is not of dimension {@code dimension}
   */
  public static float[] flatten(String identityId, List<float[]> templates, int dimension) {
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("identity " + identityId + " has no templates");
    }
    float[] flat = new float[templates.size() * dimension];
    for (int t = 0; t < templates.size(); t++) {
      float[] template = templates.get(t);
      if (template.length != dimension) {
        throw new IllegalArgumentException("template " + t + " of identity " + identityId + " has dimension "
            + template.length + ", the gallery's is " + dimension);
      }
      System.arraycopy(template, 0, flat, t * dimension, dimension);
    }
    return flat;
  }

  /**
   * An identity and its nearest template.
   *
   * @param identityId the identity
   * @param distance distance between the query and {@code template}
   * @param template the identity's template nearest to the query (length D, do not modify)
   */
  record Neighbour(String identityId, double distance, float[] template) {}
}
