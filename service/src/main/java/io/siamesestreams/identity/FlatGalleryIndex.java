package io.siamesestreams.identity;

import io.siamesestreams.matching.DistanceFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact search over one contiguous row-major matrix of every template (row r at {@code r × D}),
 * scanned front to back: no per-identity objects are touched during a scan, so the JIT keeps the
 * loop in registers and the hardware prefetcher streams the rows. Rows are ranked by
 * {@code ‖g‖² − 2 q·g} (squared L2 minus the query's constant {@code ‖q‖²}: one multiply-add per
 * component instead of a subtract and a multiply-add), in float with four accumulators; the
 * {@code 4k} best rows are then re-scored exactly with the model's {@link DistanceFunction} (the
 * manifest's L2 or squared L2, both monotone in squared L2), so reported distances are exact.
 *
 * <p>Replacing or removing an identity tombstones its rows; the matrix is compacted when
 * tombstones reach half of it. Writes are serialised (one writer at a time); searches run
 * concurrently with writes on an immutable snapshot of the row count (rows below it never change,
 * except that a tombstoned row's identity reads as null).
 */
public final class FlatGalleryIndex implements GalleryIndex {

  private final DistanceFunction distance;
  private final int dimension;
  private final Map<String, int[]> rowsByIdentity = new ConcurrentHashMap<>();
  private volatile Matrix matrix;

  /** The rows searches see: {@code rows} rows of {@code values}; {@code identities[r]} null = tombstone. */
  private record Matrix(float[] values, float[] squaredNorms, String[] identities, int rows, int tombstones) {}

  public FlatGalleryIndex(DistanceFunction distance, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
    }
    this.distance = distance;
    this.dimension = dimension;
    this.matrix = new Matrix(new float[16 * dimension], new float[16], new String[16], 0, 0);
  }

  @Override
  public synchronized void put(String identityId, List<float[]> templates) {
    float[] flat = GalleryIndex.flatten(identityId, templates, dimension);
    Matrix m = matrix;
    int tombstones = m.tombstones() + tombstone(m, rowsByIdentity.remove(identityId));
    m = ensureCapacity(new Matrix(m.values(), m.squaredNorms(), m.identities(), m.rows(), tombstones),
        templates.size());
    int[] rows = new int[templates.size()];
    for (int t = 0; t < rows.length; t++) {
      int row = m.rows() + t;
      System.arraycopy(flat, t * dimension, m.values(), row * dimension, dimension);
      m.squaredNorms()[row] = dot(flat, t * dimension, flat, t * dimension, dimension);
      m.identities()[row] = identityId;
      rows[t] = row;
    }
    rowsByIdentity.put(identityId, rows);
    matrix = new Matrix(m.values(), m.squaredNorms(), m.identities(), m.rows() + rows.length, m.tombstones());
  }

  @Override
  public synchronized void remove(String identityId) {
    Matrix m = matrix;
    int removed = tombstone(m, rowsByIdentity.remove(identityId));
    if (removed > 0) {
      matrix = compactIfSparse(
          new Matrix(m.values(), m.squaredNorms(), m.identities(), m.rows(), m.tombstones() + removed));
    }
  }

  @Override
  public synchronized void clear() {
    rowsByIdentity.clear();
    matrix = new Matrix(new float[16 * dimension], new float[16], new String[16], 0, 0);
  }

  @Override
  public int size() {
    return rowsByIdentity.size();
  }

  @Override
  public boolean contains(String identityId) {
    return rowsByIdentity.containsKey(identityId);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Optional<Neighbour> nearestTemplate(String identityId, float[] query, int offset) {
    Matrix m = matrix;
    int[] rows = rowsByIdentity.get(identityId);
    if (rows == null) {
      return Optional.empty();
    }
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int row : rows) {
      if (row >= m.rows() || !identityId.equals(m.identities()[row])) {
        continue; // a concurrent replacement moved the rows; the snapshot has the old ones
      }
      double d = distance.between(query, offset, m.values(), row * dimension, dimension);
      if (d < bestDistance) {
        bestDistance = d;
        best = row;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(neighbour(m, identityId, best, bestDistance));
  }

  @Override
  public List<Neighbour> nearestIdentities(float[] query, int offset, int k) {
    return nearestIdentities(query, new int[] {offset}, k).get(0);
  }

  /**
   * Searches all queries in one pass over the matrix: rows are scored in blocks of
   * {@value #BLOCK_ROWS}, each block against every query while it is in cache, so the matrix is
   * read from memory once per call instead of once per query.
   */
  @Override
  public List<List<Neighbour>> nearestIdentities(float[] queries, int[] offsets, int k) {
    Matrix m = matrix;
    int queryCount = offsets.length;
    // Best rows per query by score; then each identity's nearest template among them. A bounded
    // candidate list sorted by score keeps the scan allocation-free.
    int keep = Math.max(k, 1) * 4;
    Candidates[] candidates = new Candidates[queryCount];
    for (int q = 0; q < queryCount; q++) {
      candidates[q] = new Candidates(keep);
    }
    float[] scores = new float[BLOCK_ROWS * queryCount];
    String[] identities = m.identities();
    for (int from = 0; from < m.rows(); from += BLOCK_ROWS) {
      int to = Math.min(from + BLOCK_ROWS, m.rows());
      int width = to - from;
      SearchKernels.scoreBlock(queries, offsets, m.values(), m.squaredNorms(), from, to, dimension, scores);
      for (int q = 0; q < queryCount; q++) {
        Candidates c = candidates[q];
        int at = q * width;
        for (int i = 0; i < width; i++) {
          float score = scores[at + i];
          if (score < c.worst() && identities[from + i] != null) {
            c.add(from + i, score);
          }
        }
      }
    }
    List<List<Neighbour>> results = new ArrayList<>(queryCount);
    for (int q = 0; q < queryCount; q++) {
      results.add(identitiesOf(m, candidates[q], queries, offsets[q], k));
    }
    return results;
  }

  /** The {@code k} nearest identities among a query's candidate rows (exact distances). */
  private List<Neighbour> identitiesOf(Matrix m, Candidates c, float[] query, int offset, int k) {
    NearestIdentities byIdentity = new NearestIdentities();
    for (int i = 0; i < c.kept && byIdentity.size() < k; i++) {
      int row = c.rows[i];
      String identityId = m.identities()[row];
      if (identityId != null) {
        byIdentity.computeIfAbsent(identityId, id -> nearestTemplate(id, query, offset)
            .orElse(neighbour(m, id, row, distance.between(query, offset, m.values(), row * dimension, dimension))));
      }
    }
    if (byIdentity.size() < k && byIdentity.size() < rowsByIdentity.size() && c.kept == c.rows.length) {
      // Identities with many templates crowded the candidate list: fall back to a full grouping.
      return nearestIdentitiesGrouped(m, query, offset, k);
    }
    return byIdentity.best(k);
  }

  /** Block of rows scored at once against all queries: 256 rows of 128 floats = 128 KiB. */
  private static final int BLOCK_ROWS = 256;

  /** A query's best rows so far, sorted by ascending score. */
  private static final class Candidates {
    final int[] rows;
    final float[] scores;
    int kept;

    Candidates(int capacity) {
      rows = new int[capacity];
      scores = new float[capacity];
    }

    float worst() {
      return kept < rows.length ? Float.POSITIVE_INFINITY : scores[kept - 1];
    }

    void add(int row, float score) {
      int at = kept == rows.length ? kept - 1 : kept++;
      while (at > 0 && scores[at - 1] > score) {
        scores[at] = scores[at - 1];
        rows[at] = rows[at - 1];
        at--;
      }
      scores[at] = score;
      rows[at] = row;
    }
  }

  private List<Neighbour> nearestIdentitiesGrouped(Matrix m, float[] query, int offset, int k) {
    NearestIdentities best = new NearestIdentities();
    for (int row = 0; row < m.rows(); row++) {
      String identityId = m.identities()[row];
      if (identityId != null) {
        double d = distance.between(query, offset, m.values(), row * dimension, dimension);
        Neighbour current = best.get(identityId);
        if (current == null || d < current.distance()) {
          best.offer(neighbour(m, identityId, row, d));
        }
      }
    }
    return best.best(k);
  }

  /** Whether the scan uses the JDK Vector API (the JVM has {@code jdk.incubator.vector}). */
  public static boolean vectorized() {
    return SearchKernels.VECTORIZED;
  }

  /** {@code Σ a_k b_k} (for squared norms). */
  static float dot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    return SearchKernels.dot(a, aOffset, b, bOffset, dim);
  }

  private Neighbour neighbour(Matrix m, String identityId, int row, double d) {
    float[] template = new float[dimension];
    System.arraycopy(m.values(), row * dimension, template, 0, dimension);
    return new Neighbour(identityId, d, template);
  }

  private static int tombstone(Matrix m, int[] rows) {
    if (rows == null) {
      return 0;
    }
    for (int row : rows) {
      m.identities()[row] = null;
    }
    return rows.length;
  }

  private Matrix ensureCapacity(Matrix m, int extraRows) {
    m = compactIfSparse(m);
    int needed = m.rows() + extraRows;
    if (needed <= m.identities().length) {
      return m;
    }
    int capacity = Math.max(needed, m.identities().length + (m.identities().length >> 1));
    float[] values = new float[Math.multiplyExact(capacity, dimension)];
    System.arraycopy(m.values(), 0, values, 0, m.rows() * dimension);
    float[] squaredNorms = new float[capacity];
    System.arraycopy(m.squaredNorms(), 0, squaredNorms, 0, m.rows());
    String[] identities = new String[capacity];
    System.arraycopy(m.identities(), 0, identities, 0, m.rows());
    return new Matrix(values, squaredNorms, identities, m.rows(), m.tombstones());
  }

  /** A copy without tombstones when they are half the rows (new arrays: running scans keep the old). */
  private Matrix compactIfSparse(Matrix m) {
    if (m.tombstones() < 64 || m.tombstones() * 2 < m.rows()) {
      return m;
    }
    int capacity = Math.max(16, m.identities().length);
    float[] values = new float[capacity * dimension];
    float[] squaredNorms = new float[capacity];
    String[] identities = new String[capacity];
    int rows = 0;
    Map<String, List<Integer>> moved = new HashMap<>();
    for (int row = 0; row < m.rows(); row++) {
      String identityId = m.identities()[row];
      if (identityId != null) {
        System.arraycopy(m.values(), row * dimension, values, rows * dimension, dimension);
        squaredNorms[rows] = m.squaredNorms()[row];
        identities[rows] = identityId;
        moved.computeIfAbsent(identityId, id -> new ArrayList<>()).add(rows);
        rows++;
      }
    }
    moved.forEach((identityId, newRows) ->
        rowsByIdentity.put(identityId, newRows.stream().mapToInt(Integer::intValue).toArray()));
    return new Matrix(values, squaredNorms, identities, rows, 0);
  }
}
