package io.siamesestreams.bench;

import io.siamesestreams.bench.index.ApproximateGalleryIndex;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.identity.ExactGalleryIndex;
import io.siamesestreams.identity.FlatGalleryIndex;
import io.siamesestreams.identity.GalleryIndex;
import io.siamesestreams.matching.DistanceFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * 1:N search over galleries of random L2-normalised vectors (one template per identity), single
 * query thread, top-{@value #TOP_K} as the service asks:
 *
 * <ul>
 *   <li>exact search with the service's {@link FlatGalleryIndex}, one query at a time and in
 *       batches of {@value #BATCH} (as the service searches a batch's frames), and the older
 *       per-identity {@link ExactGalleryIndex} up to {@value #REFERENCE_MAX_SIZE} identities, for
 *       comparison;
 *   <li>approximate search with {@link ApproximateGalleryIndex} at several search beams.
 * </ul>
 *
 * Two query sets: <em>probes</em>, a new sighting of an enrolled identity (its vector plus noise,
 * squared distance ≈ 0.5 to it, as a genuine face at the decision threshold), and <em>random</em>
 * unit vectors (nobody enrolled: the hardest case for a graph, nearest neighbours are barely nearer
 * than anyone). recall@1 = share of queries whose nearest identity equals exact search's.
 * Memory per identity = heap growth after GC while the index is built, divided by its size.
 */
public final class GallerySearchBench {

  public static final int TOP_K = 5;
  static final int REFERENCE_MAX_SIZE = 100_000;
  /** Queries per batched exact search: the service's default batch size. */
  static final int BATCH = 32;
  /** The exact index, one query per call. */
  public static final String EXACT_SINGLE = "exact flat (service's FlatGalleryIndex), 1 query per call";
  /** The exact index, {@value #BATCH} queries per call. */
  public static final String EXACT_BATCHED = "exact flat, " + BATCH + " queries per call (as the service)";

  /**
   * One index at one gallery size.
   *
   * @param identities gallery size N
   * @param index index and its setting (e.g. {@code approximate beam=100})
   * @param queriesPerSecond single-thread identify queries/s (probes and random together)
   * @param recallProbe recall@1 on probes; 1 for exact search
   * @param recallRandom recall@1 on random queries; 1 for exact search
   * @param bytesPerIdentity heap per identity, bytes (NaN when not measured)
   * @param buildSeconds time to insert all identities, s
   */
  public record Figures(int identities, String index, double queriesPerSecond, double recallProbe,
      double recallRandom, double bytesPerIdentity, double buildSeconds) {}

  private final int dimension;
  private final int queries;
  private final int[] beams;
  private final Consumer<String> progress;
  private final DistanceFunction distance = DistanceFunction.of(ModelManifest.Metric.SQUARED_L2);

  /**
   * @param dimension vector dimension D (128 in the issue)
   * @param queries queries per set (probes and random each)
   * @param beams approximate search beams to try, ascending
   */
  public GallerySearchBench(int dimension, int queries, int[] beams, Consumer<String> progress) {
    this.dimension = dimension;
    this.queries = queries;
    this.beams = beams.clone();
    this.progress = progress;
  }

  /** Runs every index at gallery size {@code identities}, uniform random unit vectors. */
  public List<Figures> run(int identities) {
    return run(identities, 0);
  }

  /**
   * Runs every index at gallery size {@code identities}.
   *
   * @param latentDimension 0: uniform random unit vectors (intrinsic dimension D, the worst case for
   *     any index); otherwise vectors {@code normalise(W z + 0.05 ε)} with {@code z} standard normal
   *     of this dimension and a fixed random {@code W} [D × latent]: embeddings that vary along a few
   *     directions, as trained embeddings do. "Random" queries are then new draws of the same kind.
   */
  public List<Figures> run(int identities, int latentDimension) {
    List<Figures> figures = new ArrayList<>();
    Random random = new Random(identities + 31L * latentDimension);
    float[] mixing = new float[dimension * Math.max(1, latentDimension)];
    for (int i = 0; i < mixing.length; i++) {
      mixing[i] = (float) random.nextGaussian();
    }
    float[][] gallery = new float[identities][];
    for (int i = 0; i < identities; i++) {
      gallery[i] = draw(random, latentDimension, mixing);
    }
    float[][] probes = new float[queries][];
    float[][] randoms = new float[queries][];
    for (int q = 0; q < queries; q++) {
      probes[q] = probe(gallery[random.nextInt(identities)], random);
      randoms[q] = draw(random, latentDimension, mixing);
    }

    long heapBefore = usedHeapAfterGc();
    long start = System.nanoTime();
    FlatGalleryIndex flat = new FlatGalleryIndex(distance, dimension);
    for (int i = 0; i < identities; i++) {
      flat.put(id(i), List.of(gallery[i]));
    }
    double flatBuild = (System.nanoTime() - start) / 1e9;
    double flatBytes = (usedHeapAfterGc() - heapBefore) / (double) identities;
    String[] truthProbe = new String[queries];
    String[] truthRandom = new String[queries];
    double flatQps = time(() -> {
      for (int q = 0; q < queries; q++) {
        truthProbe[q] = flat.nearestIdentities(probes[q], 0, TOP_K).get(0).identityId();
        truthRandom[q] = flat.nearestIdentities(randoms[q], 0, TOP_K).get(0).identityId();
      }
    }, 2 * queries);
    progress.accept("bench: search kernels: " + (FlatGalleryIndex.vectorized() ? "JDK Vector API"
        : "plain Java (start the JVM with --add-modules jdk.incubator.vector for the Vector API)"));
    figures.add(report(new Figures(identities, EXACT_SINGLE, flatQps, 1, 1, flatBytes, flatBuild)));
    // The service searches a batch's identify queries together (GalleryMatcher): one pass over the matrix.
    int batchSize = Math.min(BATCH, queries);
    int batched = queries / batchSize * batchSize;
    float[] batch = new float[batchSize * dimension];
    int[] offsets = new int[batchSize];
    for (int b = 0; b < batchSize; b++) {
      offsets[b] = b * dimension;
    }
    int[] batchAgree = new int[1];
    double batchQps = time(() -> {
      batchAgree[0] = 0;
      for (int q0 = 0; q0 < batched; q0 += batchSize) {
        for (int b = 0; b < batchSize; b++) {
          System.arraycopy(probes[q0 + b], 0, batch, b * dimension, dimension);
        }
        List<List<GalleryIndex.Neighbour>> results = flat.nearestIdentities(batch, offsets, TOP_K);
        for (int b = 0; b < batchSize; b++) {
          if (results.get(b).get(0).identityId().equals(truthProbe[q0 + b])) {
            batchAgree[0]++;
          }
        }
      }
    }, batched);
    // recall@1 here: batched search against one-at-a-time search (both exact; 1 unless they disagree).
    figures.add(report(new Figures(identities, EXACT_BATCHED, batchQps, batchAgree[0] / (double) batched, 1,
        flatBytes, flatBuild)));
    flat.clear();

    if (identities <= REFERENCE_MAX_SIZE) {
      heapBefore = usedHeapAfterGc();
      start = System.nanoTime();
      ExactGalleryIndex reference = new ExactGalleryIndex(distance, dimension);
      for (int i = 0; i < identities; i++) {
        reference.put(id(i), List.of(gallery[i]));
      }
      double referenceBuild = (System.nanoTime() - start) / 1e9;
      double referenceBytes = (usedHeapAfterGc() - heapBefore) / (double) identities;
      int referenceQueries = Math.min(queries, 50);
      int agree = 0;
      for (int q = 0; q < referenceQueries; q++) {
        if (reference.nearestIdentities(probes[q], 0, TOP_K).get(0).identityId().equals(truthProbe[q])) {
          agree++;
        }
      }
      double referenceQps = time(() -> {
        for (int q = 0; q < referenceQueries; q++) {
          reference.nearestIdentities(probes[q], 0, TOP_K);
        }
      }, referenceQueries);
      figures.add(report(new Figures(identities, "exact per-identity map (ExactGalleryIndex)", referenceQps,
          agree / (double) referenceQueries, Double.NaN, referenceBytes, referenceBuild)));
      reference.clear();
    }

    heapBefore = usedHeapAfterGc();
    start = System.nanoTime();
    long buildStart = start;
    ApproximateGalleryIndex approximate = new ApproximateGalleryIndex(distance, dimension);
    AtomicInteger inserted = new AtomicInteger();
    int step = Math.max(1, identities / 10);
    IntStream.range(0, identities).parallel().forEach(i -> {
      approximate.put(id(i), List.of(gallery[i]));
      int done = inserted.incrementAndGet();
      if (identities >= 100_000 && done % step == 0) {
        progress.accept(String.format(Locale.ROOT, "bench: search %,d: approximate index %d %% built (%.0f s)",
            identities, done * 100L / identities, (System.nanoTime() - buildStart) / 1e9));
      }
    });
    approximate.finishBulkLoad();
    double approximateBuild = (System.nanoTime() - start) / 1e9;
    double approximateBytes = (usedHeapAfterGc() - heapBefore) / (double) identities;
    for (int beam : beams) {
      int[] agree = new int[2];
      for (int q = 0; q < queries; q++) {
        if (approximate.nearestIdentities(probes[q], 0, TOP_K, beam).get(0).identityId().equals(truthProbe[q])) {
          agree[0]++;
        }
        if (approximate.nearestIdentities(randoms[q], 0, TOP_K, beam).get(0).identityId().equals(truthRandom[q])) {
          agree[1]++;
        }
      }
      double qps = time(() -> {
        for (int q = 0; q < queries; q++) {
          approximate.nearestIdentities(probes[q], 0, TOP_K, beam);
          approximate.nearestIdentities(randoms[q], 0, TOP_K, beam);
        }
      }, 2 * queries);
      figures.add(report(new Figures(identities, "approximate jvector beam=" + beam, qps, agree[0] / (double) queries,
          agree[1] / (double) queries, approximateBytes, approximateBuild)));
    }
    approximate.clear();
    return figures;
  }

  private Figures report(Figures f) {
    progress.accept(String.format(Locale.ROOT,
        "bench: search %,d identities, %s: %.0f queries/s, recall@1 probes %.3f random %.3f, %.0f B/identity, "
            + "built in %.1f s", f.identities(), f.index(), f.queriesPerSecond(), f.recallProbe(), f.recallRandom(),
        f.bytesPerIdentity(), f.buildSeconds()));
    return f;
  }

  /**
   * Runs {@code work} (which performs {@code operations} queries) once to warm up, then once timed;
   * queries/s. Recall is counted outside, on a separate pass.
   */
  private static double time(Runnable work, int operations) {
    work.run();
    long start = System.nanoTime();
    work.run();
    return operations / ((System.nanoTime() - start) / 1e9);
  }

  private float[] draw(Random random, int latentDimension, float[] mixing) {
    if (latentDimension == 0) {
      return unit(random);
    }
    float[] z = new float[latentDimension];
    for (int j = 0; j < latentDimension; j++) {
      z[j] = (float) random.nextGaussian();
    }
    float[] v = new float[dimension];
    for (int k = 0; k < dimension; k++) {
      float sum = 0;
      for (int j = 0; j < latentDimension; j++) {
        sum += mixing[k * latentDimension + j] * z[j];
      }
      v[k] = sum + 0.05f * (float) Math.sqrt(latentDimension) * (float) random.nextGaussian();
    }
    return normaliseInPlace(v);
  }

  private float[] unit(Random random) {
    return randomUnitVector(random, dimension);
  }

  /** A uniformly random direction: {@code dimension} standard normal draws, L2-normalised. */
  static float[] randomUnitVector(Random random, int dimension) {
    float[] v = new float[dimension];
    for (int k = 0; k < dimension; k++) {
      v[k] = (float) random.nextGaussian();
    }
    return normaliseInPlace(v);
  }

  /** {@code v / ‖v‖}, in place; returns {@code v}. */
  static float[] normaliseInPlace(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * (double) x;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int k = 0; k < v.length; k++) {
      v[k] *= scale;
    }
    return v;
  }

  /** {@code normalise(g + 0.88 u)} for a random unit u: squared distance to g ≈ 0.5 (cos ≈ 0.75). */
  private float[] probe(float[] enrolled, Random random) {
    float[] noise = unit(random);
    float[] v = new float[dimension];
    for (int k = 0; k < dimension; k++) {
      v[k] = enrolled[k] + 0.88f * noise[k];
    }
    return normaliseInPlace(v);
  }


  private static String id(int i) {
    return "identity-" + i;
  }

  static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
