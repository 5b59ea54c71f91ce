package io.siamesestreams.bench;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How much {@code siamese bench} measures: sizes and durations of each section.
 *
 * @param name "quick", "full" or a test's own
 * @param sections the sections to run
 * @param ceilingBatches encoder batch sizes tried for the ceiling
 * @param ceilingPerBatch time per batch size
 * @param backlogFrames frames each saturated pipeline run drains
 * @param saturationTimeout the longest a saturated run may take (a slower one reports what it did)
 * @param pipelineGallery identities in the pipeline's gallery (random templates)
 * @param latencyPhase time per paced load level
 * @param latencyWarmUp the start of each load level left out of the percentiles
 * @param searchSizes gallery sizes of the search section
 * @param searchQueries queries per query set
 * @param searchBeams approximate search beams tried
 * @param searchDimension vector dimension of the search section
 * @param memoryIdentities gallery size of the resident-memory probe
 * @param memoryHeapMb the probed service's {@code -Xmx}
 * @param faceFrames frames per saturated run of the random-init face-size encoder on random PNGs
 * @param faceCropFrames frames per saturated run of the face bundle on face crops
 * @param faceWholeFrames frames of the face bundle's run on whole 640×480 frames (detection); 0 = none
 * @param faceCeilingBatches batch sizes tried for the face bundle's encoder alone
 */
public record BenchPlan(
    String name,
    Set<Section> sections,
    int[] ceilingBatches,
    Duration ceilingPerBatch,
    int backlogFrames,
    Duration saturationTimeout,
    int pipelineGallery,
    Duration latencyPhase,
    Duration latencyWarmUp,
    int[] searchSizes,
    int searchQueries,
    int[] searchBeams,
    int searchDimension,
    int memoryIdentities,
    int memoryHeapMb,
    int faceFrames,
    int faceCropFrames,
    int faceWholeFrames,
    int[] faceCeilingBatches) {

  /** The parts of a run. */
  public enum Section {
    /** Encoder alone at each batch size. */
    CEILING,
    /** Batched and per-record services draining a backlog through the broker. */
    PIPELINE,
    /** Paced load at 25, 50 and 80 % of the batched pipeline's rate. */
    LATENCY,
    /** 1:N search, exact and approximate. */
    SEARCH,
    /** The service's resident memory with a large gallery, in its own JVM. */
    MEMORY,
    /**
     * The face bundle (face-api's nets, converted from the npm tarball): its encoder alone, the
     * passthrough and the pipeline on 150×150 JPEG face crops with their face box; in the full plan
     * also on whole 640×480 JPEG frames (detection in the service).
     */
    FACE,
    /** The worst case: a random-init 150×150×3 encoder on random-pixel PNG frames (≈ 91 KB of JSON each). */
    RANDOM_PNG
  }

  /**
   * Under 5 minutes on 2 cores: every section except RANDOM_PNG, the face bundle on crops only,
   * galleries up to 10⁵.
   */
  public static BenchPlan quick() {
    return new BenchPlan("quick", EnumSet.complementOf(EnumSet.of(Section.RANDOM_PNG)),
        new int[] {1, 8, 32, 64, 128}, Duration.ofMillis(1500), 20_000, Duration.ofSeconds(90), 100,
        Duration.ofSeconds(8), Duration.ofSeconds(2), new int[] {1_000, 10_000, 100_000}, 200,
        new int[] {16, 32, 64, 128}, 128, 100_000, 512, 0, 1_200, 0, new int[] {1, 8, 32});
  }

  /** Everything, galleries up to 10⁶, longer phases. */
  public static BenchPlan full() {
    return new BenchPlan("full", EnumSet.allOf(Section.class), new int[] {1, 8, 16, 32, 64, 128, 256},
        Duration.ofSeconds(4), 40_000, Duration.ofSeconds(240), 100, Duration.ofSeconds(20), Duration.ofSeconds(4),
        new int[] {1_000, 100_000, 1_000_000}, 500, new int[] {16, 32, 64, 128, 256}, 128, 100_000, 512, 1_000,
        3_000, 400, new int[] {1, 4, 8, 16, 32});
  }

  /** This plan with only {@code only}. */
  public BenchPlan withSections(Set<Section> only) {
    return new BenchPlan(name, EnumSet.copyOf(only), ceilingBatches, ceilingPerBatch, backlogFrames,
        saturationTimeout, pipelineGallery, latencyPhase, latencyWarmUp, searchSizes, searchQueries, searchBeams,
        searchDimension, memoryIdentities, memoryHeapMb, faceFrames, faceCropFrames, faceWholeFrames,
        faceCeilingBatches);
  }

  public boolean runs(Section section) {
    return sections.contains(section);
  }
}
