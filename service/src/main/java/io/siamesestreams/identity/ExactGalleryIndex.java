package io.siamesestreams.identity;

import io.siamesestreams.matching.DistanceFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact search: compares the query with every template of every identity. Cost per identify is
 * O(templates × D); templates are kept as one flat float array per identity.
 */
public final class ExactGalleryIndex implements GalleryIndex {

  private final DistanceFunction distance;
  private final int dimension;
  /** identity → its templates, row-major (template t at offset t × D). Values are never mutated. */
  private final Map<String, float[]> templatesByIdentity = new ConcurrentHashMap<>();

  /**
   * @param distance the model's distance function
   * @param dimension embedding dimension D
   */
  public ExactGalleryIndex(DistanceFunction distance, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
    }
    this.distance = distance;
    this.dimension = dimension;
  }

  @Override
  public void put(String identityId, List<float[]> templates) {
    float[] flat = GalleryIndex.flatten(identityId, templates, dimension);
    templatesByIdentity.put(identityId, flat);
  }

  @Override
  public void remove(String identityId) {
    templatesByIdentity.remove(identityId);
  }

  @Override
  public void clear() {
    templatesByIdentity.clear();
  }

  @Override
  public int size() {
    return templatesByIdentity.size();
  }

  @Override
  public boolean contains(String identityId) {
    return templatesByIdentity.containsKey(identityId);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Optional<Neighbour> nearestTemplate(String identityId, float[] query, int offset) {
    float[] templates = templatesByIdentity.get(identityId);
    return templates == null
        ? Optional.empty()
        : Optional.of(nearest(identityId, templates, query, offset).toNeighbour(dimension));
  }

  @Override
  public List<Neighbour> nearestIdentities(float[] query, int offset, int k) {
    // Max-heap of the k best so far: the head is the worst kept candidate.
    PriorityQueue<Hit> best = new PriorityQueue<>(k + 1, NEAREST_HIT_FIRST.reversed());
    for (Map.Entry<String, float[]> entry : templatesByIdentity.entrySet()) {
      best.add(nearest(entry.getKey(), entry.getValue(), query, offset));
      if (best.size() > k) {
        best.poll();
      }
    }
    List<Neighbour> sorted = new ArrayList<>(best.size());
    for (Hit hit : best) {
      sorted.add(hit.toNeighbour(dimension));
    }
    sorted.sort(NearestIdentities.ORDER);
    return sorted;
  }

  private Hit nearest(String identityId, float[] templates, float[] query, int offset) {
    int count = templates.length / dimension;
    int bestTemplate = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int t = 0; t < count; t++) {
      double d = distance.between(query, offset, templates, t * dimension, dimension);
      if (d < bestDistance) {
        bestDistance = d;
        bestTemplate = t;
      }
    }
    return new Hit(identityId, bestDistance, templates, bestTemplate);
  }

  private static final Comparator<Hit> NEAREST_HIT_FIRST =
      Comparator.comparingDouble(Hit::distance).thenComparing(Hit::identityId);

  /** A search hit before its template is copied out. */
  private record Hit(String identityId, double distance, float[] templates, int templateIndex) {
    Neighbour toNeighbour(int dimension) {
      float[] template = new float[dimension];
      System.arraycopy(templates, templateIndex * dimension, template, 0, dimension);
      return new Neighbour(identityId, distance, template);
    }
  }
}
