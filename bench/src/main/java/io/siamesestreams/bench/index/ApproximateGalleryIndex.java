package io.siamesestreams.bench.index;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.MapRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import io.siamesestreams.identity.GalleryIndex;
import io.siamesestreams.identity.NearestIdentities;
import io.siamesestreams.matching.DistanceFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Approximate 1:N search: every template is a node of a jvector graph (DiskANN/Vamana-style
 * proximity graph, Euclidean similarity, which orders like the manifest's L2 and squared L2). An
 * identify query walks the graph with a beam of {@code searchBeam} candidates, keeps the templates
 * found, groups them by identity and reports each identity's exact distance ({@link
 * DistanceFunction}) over all its templates; so distances are exact, only the candidate set is
 * approximate. A verify query ({@link #nearestTemplate}) is exact.
 *
 * <p>Replacing or removing an identity marks its old nodes deleted (searches skip them); the graph
 * drops deleted nodes once they outnumber a quarter of the live ones, and their vectors one purge
 * later (a search still walking old edges can score them).
 *
 * <p>Thread safety: writes for different identities may run concurrently (the graph accepts
 * concurrent inserts); writes for one identity must not. Searches run concurrently with writes
 * and see every insert completed before they started.
 */
public final class ApproximateGalleryIndex implements GalleryIndex {

  /** Graph degree (neighbours per node). 16 suits 64–128-d embeddings. */
  public static final int DEFAULT_MAX_DEGREE = 16;
  /** Candidates kept while inserting a node. */
  public static final int DEFAULT_BUILD_BEAM = 100;
  /** Candidates kept while searching; more gives higher recall and fewer queries/s. */
  public static final int DEFAULT_SEARCH_BEAM = 100;

  private static final VectorTypeSupport VECTORS = VectorizationProvider.getInstance().getVectorTypeSupport();
  private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.EUCLIDEAN;

  private final DistanceFunction distance;
  private final int dimension;
  private final int maxDegree;
  private final int buildBeam;
  private final int searchBeam;

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile Graph graph;

  /** An identity's graph nodes and its templates, row-major (template t at t × D). */
  private record Entry(int[] nodes, float[] templates) {}

  /** One graph generation: replaced as a whole by {@link #clear()}. */
  private static final class Graph {
    final Map<Integer, VectorFloat<?>> vectors = new ConcurrentHashMap<>();
    final Map<Integer, String> identityByNode = new ConcurrentHashMap<>();
    final RandomAccessVectorValues values;
    final GraphIndexBuilder builder;
    final AtomicInteger nextNode = new AtomicInteger();
    final AtomicInteger deleted = new AtomicInteger();
    /** Nodes removed from the graph by the last purge whose vectors are still kept. */
    final Set<Integer> purged = new HashSet<>();

    Graph(int dimension, int maxDegree, int buildBeam) {
      values = new MapRandomAccessVectorValues(vectors, dimension);
      builder = new GraphIndexBuilder(BuildScoreProvider.randomAccessScoreProvider(values, SIMILARITY), dimension,
          maxDegree, buildBeam, 1.2f, 1.2f);
    }
  }

  /** An index with the default graph parameters. */
  public ApproximateGalleryIndex(DistanceFunction distance, int dimension) {
    this(distance, dimension, DEFAULT_MAX_DEGREE, DEFAULT_BUILD_BEAM, DEFAULT_SEARCH_BEAM);
  }

  /**
   * @param distance the model's distance function (an L2 variant)
   * @param dimension embedding dimension D
   * @param maxDegree graph neighbours per node (≥ 2)
   * @param buildBeam candidates kept while inserting (≥ maxDegree)
   * @param searchBeam candidates kept while searching (≥ 1); identify returns at most this many identities
   */
  public ApproximateGalleryIndex(DistanceFunction distance, int dimension, int maxDegree, int buildBeam,
      int searchBeam) {
    if (dimension < 1 || maxDegree < 2 || buildBeam < maxDegree || searchBeam < 1) {
      throw new IllegalArgumentException("need dimension >= 1, maxDegree >= 2, buildBeam >= maxDegree, "
          + "searchBeam >= 1; got " + dimension + ", " + maxDegree + ", " + buildBeam + ", " + searchBeam);
    }
    this.distance = distance;
    this.dimension = dimension;
    this.maxDegree = maxDegree;
    this.buildBeam = buildBeam;
    this.searchBeam = searchBeam;
    this.graph = new Graph(dimension, maxDegree, buildBeam);
  }

  /** Candidates kept while searching ({@link #nearestIdentities(float[], int, int)}). */
  public int searchBeam() {
    return searchBeam;
  }

  @Override
  public void put(String identityId, List<float[]> templates) {
    float[] flat = GalleryIndex.flatten(identityId, templates, dimension);
    Graph g = graph;
    int[] nodes = new int[templates.size()];
    for (int t = 0; t < nodes.length; t++) {
      int node = g.nextNode.getAndIncrement();
      // One template: the graph's vector and the entry share one array (jvector wraps a float[] as is).
      VectorFloat<?> vector = VECTORS.createFloatVector(nodes.length == 1 ? flat : templates.get(t).clone());
      g.vectors.put(node, vector);
      g.identityByNode.put(node, identityId);
      g.builder.addGraphNode(node, vector);
      nodes[t] = node;
    }
    Entry previous = entries.put(identityId, new Entry(nodes, flat));
    if (previous != null) {
      delete(g, previous);
    }
  }

  @Override
  public void remove(String identityId) {
    Entry previous = entries.remove(identityId);
    if (previous != null) {
      delete(graph, previous);
    }
  }

  private void delete(Graph g, Entry entry) {
    for (int node : entry.nodes()) {
      if (g.identityByNode.remove(node) != null) {
        g.builder.markNodeDeleted(node);
        g.deleted.incrementAndGet();
      }
    }
    if (g.deleted.get() > 1_000 && g.deleted.get() > g.identityByNode.size() / 4) {
      purgeDeleted(g);
    }
  }

  private synchronized void purgeDeleted(Graph g) {
    // Vectors of nodes dropped by the previous purge: no search that started after it can reach
    // them. Those dropped now stay one more cycle for searches still walking the old edges.
    g.vectors.keySet().removeAll(g.purged);
    g.purged.clear();
    g.vectors.keySet().stream().filter(node -> !g.identityByNode.containsKey(node)).forEach(g.purged::add);
    g.builder.removeDeletedNodes();
    g.deleted.set(0);
  }

  /**
   * Finishes a bulk load: jvector's cleanup (drops deleted nodes, reconnects nodes left with few
   * edges by concurrent inserts, picks a central entry point). Call after many puts, with no
   * writes in flight; searches may continue.
   */
  public synchronized void finishBulkLoad() {
    Graph g = graph;
    g.builder.cleanup();
    g.deleted.set(0);
  }

  @Override
  public synchronized void clear() {
    Graph old = graph;
    entries.clear();
    graph = new Graph(dimension, maxDegree, buildBeam);
    closeQuietly(old);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public boolean contains(String identityId) {
    return entries.containsKey(identityId);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** Graph nodes (templates) currently searchable. */
  public int templateCount() {
    return graph.identityByNode.size();
  }

  @Override
  public Optional<Neighbour> nearestTemplate(String identityId, float[] query, int offset) {
    Entry entry = entries.get(identityId);
    return entry == null ? Optional.empty() : Optional.of(nearest(identityId, entry, query, offset));
  }

  @Override
  public List<Neighbour> nearestIdentities(float[] query, int offset, int k) {
    return nearestIdentities(query, offset, k, searchBeam);
  }

  /**
   * {@link #nearestIdentities(float[], int, int)} with another search beam (recall/speed trade-off
   * per query, e.g. for benchmarks); at most {@code beam} identities come back.
   */
  public List<Neighbour> nearestIdentities(float[] query, int offset, int k, int beam) {
    if (beam < 1) {
      throw new IllegalArgumentException("beam must be >= 1, was " + beam);
    }
    Graph g = graph;
    if (entries.isEmpty() || g.identityByNode.isEmpty()) {
      return List.of();
    }
    float[] copy = new float[dimension];
    System.arraycopy(query, offset, copy, 0, dimension);
    VectorFloat<?> queryVector = VECTORS.createFloatVector(copy);
    SearchResult result;
    try (GraphSearcher searcher = new GraphSearcher.Builder(g.builder.getGraph().getView())
        .withConcurrentUpdates().build()) {
      SearchScoreProvider scores = SearchScoreProvider.exact(queryVector, SIMILARITY, g.values);
      int candidates = Math.max(k, Math.min(beam, g.identityByNode.size()));
      result = searcher.search(scores, candidates, Math.max(candidates, beam), 0f, 0f, Bits.ALL);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NearestIdentities byIdentity = new NearestIdentities();
    for (SearchResult.NodeScore hit : result.getNodes()) {
      String identityId = g.identityByNode.get(hit.node);
      if (identityId == null || byIdentity.contains(identityId)) {
        continue;
      }
      Entry entry = entries.get(identityId);
      if (entry != null) {
        byIdentity.offer(nearest(identityId, entry, query, offset));
      }
    }
    return byIdentity.best(k);
  }

  private Neighbour nearest(String identityId, Entry entry, float[] query, int offset) {
    float[] templates = entry.templates();
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
    float[] template = new float[dimension];
    System.arraycopy(templates, bestTemplate * dimension, template, 0, dimension);
    return new Neighbour(identityId, bestDistance, template);
  }

  private static void closeQuietly(Graph g) {
    try {
      g.builder.close();
    } catch (IOException e) {
      // An on-heap graph holds no files.
    }
  }
}
