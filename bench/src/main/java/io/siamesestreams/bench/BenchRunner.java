package io.siamesestreams.bench;

import io.siamesestreams.faces.image.Jpeg;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.bench.BenchPlan.Section;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.onnx.ExecutionProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link BenchPlan} and fills a {@link BenchReport}. Sections run in the order ceiling,
 * pipeline (batched, then paced latency on the same running service, then per-record), memory,
 * face-size encoder, search; one that fails is reported as failed and the others still run.
 * Progress lines go to {@code progress} while it runs.
 */
public final class BenchRunner {

  /** Where a trained bundle is looked for when none is given. */
  public static final Path DEFAULT_MODEL = Path.of("models", "fashion-mnist");
  /** Where {@code faces/fetch-faceapi.sh} (run by the faces module's build when npm is there) puts face-api. */
  public static final Path DEFAULT_FACEAPI_TARBALL = Path.of("faceapi", "vladmandic-face-api-1.7.15.tgz");
  private static final int[] LOAD_LEVELS_PERCENT = {25, 50, 80};
  /** Latent dimension of the search section's main galleries (trained embeddings vary along few directions). */
  static final int SEARCH_LATENT_DIMENSION = 16;
  /**
   * Records the face section's passthrough copies at least (its crop runs are far shorter; no more than the
   * plan's 28×28 backlog).
   */
  static final int PASSTHROUGH_MIN_RECORDS = 6_000;
  /** Largest uniform-random gallery searched (the graph index's worst case). */
  static final int UNIFORM_SEARCH_MAX_SIZE = 10_000;

  private final BenchPlan plan;
  private final Path requestedModel;
  private final Path datasetDir;
  private final int onnxThreads;
  private final Path faceApiTarball;
  private final ExecutionProvider provider;
  private final Properties kafkaProperties;
  private final PrintStream progress;
  private final BenchReport report = new BenchReport();

  /**
   * @param model the bundle to measure; null = {@link #DEFAULT_MODEL} when it holds a bundle, else a
   *     random-init bundle of the trainer's default architecture ({@link BenchModels#writeSmallEncoder})
   * @param datasetDir Fashion-MNIST for realistic 28×28 frames (random pixels when absent)
   * @param onnxThreads ONNX Runtime intra-op threads for ceiling and service (0 = ONNX Runtime's default)
   */
  public BenchRunner(BenchPlan plan, Path model, Path datasetDir, int onnxThreads, PrintStream progress) {
    this(plan, model, datasetDir, onnxThreads, DEFAULT_FACEAPI_TARBALL, progress);
  }

  /**
   * @param faceApiTarball face-api's npm tarball (the face bundle and its sample photos, for the
   *     FACE section); when missing, that section reports itself skipped
   */
  public BenchRunner(BenchPlan plan, Path model, Path datasetDir, int onnxThreads, Path faceApiTarball,
      PrintStream progress) {
    this(plan, model, datasetDir, onnxThreads, ExecutionProvider.CPU, new Properties(), faceApiTarball, progress);
  }

  /**
   * @param provider where ONNX Runtime runs the nets, for the ceilings and the services
   * @param kafkaProperties Kafka Streams and client settings for every service run and passthrough
   *     (e.g. {@code commit.interval.ms}), over the service's defaults
   */
  public BenchRunner(BenchPlan plan, Path model, Path datasetDir, int onnxThreads, ExecutionProvider provider,
      Properties kafkaProperties, Path faceApiTarball, PrintStream progress) {
    this.provider = provider;
    this.kafkaProperties = kafkaProperties;
    this.plan = plan;
    this.requestedModel = model;
    this.datasetDir = datasetDir;
    this.onnxThreads = onnxThreads;
    this.faceApiTarball = faceApiTarball;
    this.progress = progress;
  }

  public BenchReport run() throws InterruptedException {
    Path scratch = createTempDirectory("siamese-bench-");
    try {
      machine();
      Path modelDir = resolveModel(scratch);
      ModelManifest manifest;
      try (LoadedModel model = LoadedModel.open(modelDir, onnxThreads, provider)) {
        manifest = model.manifest();
      }
      if (plan.runs(Section.CEILING)) {
        section("ceiling", () -> ceiling("ceiling", modelDir, plan.ceilingBatches(), true));
      }
      if (plan.runs(Section.PIPELINE) || plan.runs(Section.LATENCY) || plan.runs(Section.MEMORY)
          || plan.runs(Section.FACE) || plan.runs(Section.RANDOM_PNG)) {
        progress.println("bench: starting an embedded Kafka broker");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral())) {
          KafkaSettings kafka = KafkaSettings.empty().with("bootstrap.servers", broker.bootstrapServers());
          String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 6) + "-";
          if (plan.runs(Section.PIPELINE) || plan.runs(Section.LATENCY)) {
            section("pipeline", () -> pipeline(kafka, modelDir, manifest, prefix, true));
          }
          if (plan.runs(Section.MEMORY)) {
            section("memory", () -> memory(kafka, modelDir, manifest, prefix));
          }
          if (plan.runs(Section.FACE)) {
            section("face bundle", () -> faceBundle(kafka, scratch, prefix));
          }
          if (plan.runs(Section.RANDOM_PNG)) {
            section("face-size encoder", () -> randomPng(kafka, scratch, prefix));
          }
        }
      }
      if (plan.runs(Section.SEARCH)) {
        section("search", this::search);
      }
      report.add("machine", "load average at end", loadAverage(), "");
      return report;
    } finally {
      deleteRecursively(scratch);
    }
  }

  private void machine() {
    report.add("machine", "plan", plan.name(), "");
    report.add("machine", "cores", Integer.toString(Runtime.getRuntime().availableProcessors()), "");
    report.add("machine", "java", System.getProperty("java.version"), System.getProperty("java.vm.name"));
    report.add("machine", "started", Instant.now().toString(), "");
    report.add("machine", "load average at start", loadAverage(), "1/5/15 min, from /proc/loadavg");
    report.add("machine", "ONNX Runtime execution provider", provider.setting(), "--execution-provider");
    report.add("machine", "Kafka settings over the service's", kafkaProperties.isEmpty() ? "none"
        : new java.util.TreeMap<>(kafkaProperties).toString(), "--config");
  }

  private Path resolveModel(Path scratch) {
    if (requestedModel != null) {
      report.add("model", "bundle", requestedModel.toString(), "given with --model");
      return requestedModel;
    }
    if (Files.isRegularFile(DEFAULT_MODEL.resolve(ModelManifest.FILE_NAME))) {
      report.add("model", "bundle", DEFAULT_MODEL.toString(), "trained bundle");
      return DEFAULT_MODEL;
    }
    Path fixture = BenchModels.writeSmallEncoder(scratch.resolve("small-encoder"));
    report.add("model", "bundle", "random-init 28x28 CNN", "no " + DEFAULT_MODEL + ": the trainer's default "
        + "architecture with random weights (" + BenchModels.SMALL_ENCODER_MACS / 1000 + " k MAC/image)");
    return fixture;
  }

  /**
   * Measures the encoder at each batch size with the service's intra-op threads and, when those are
   * fewer than ONNX Runtime's default (one per core), with the default too. The ceiling is the best
   * of all: what the model alone does on this machine, whatever the service is tuned to. Sets the
   * headline ceiling when {@code headline}.
   */
  private Ceiling ceiling(String section, Path modelDir, int[] batches, boolean headline) {
    double serviceThreads = measureCeiling(section, modelDir, onnxThreads, batches);
    if (headline) {
      report.encoderFps(serviceThreads);
    }
    double best = serviceThreads;
    if (onnxThreads != 0 && Runtime.getRuntime().availableProcessors() > onnxThreads) {
      best = Math.max(best, measureCeiling(section, modelDir, 0, batches));
    }
    report.add(section, "ceiling (best of the above)", BenchReport.number(best, 1), "images/s");
    if (headline) {
      report.ceilingFps(best);
    }
    return new Ceiling(serviceThreads, best);
  }

  /**
   * @param serviceThreads images/s of the encoder alone at the service's intra-op threads, best batch
   * @param best the best images/s of any thread setting (the ceiling)
   */
  private record Ceiling(double serviceThreads, double best) {}

  private static String threadsLabel(int threads) {
    return threads == 0 ? "ONNX Runtime default (one per core)" : Integer.toString(threads);
  }

  private double measureCeiling(String section, Path modelDir, int threads, int[] batches) {
    String threadsLabel = threadsLabel(threads);
    progress.println("bench: " + section + ": intra-op threads " + threadsLabel);
    try (LoadedModel model = LoadedModel.open(modelDir, threads, provider)) {
      CeilingBench.Result result = CeilingBench.measure(model.encoder(), batches, plan.ceilingPerBatch(),
          progress::println);
      for (Map.Entry<Integer, Double> entry : result.fpsByBatch().entrySet()) {
        report.add(section, "encoder alone, batch " + entry.getKey() + ", intra-op threads " + threadsLabel,
            BenchReport.number(entry.getValue(), 1), "images/s");
      }
      report.add(section, "best batch " + result.bestBatch() + ", intra-op threads " + threadsLabel
              + (threads == onnxThreads ? " (the service's)" : ""), BenchReport.number(result.bestFps(), 1),
          "images/s");
      return result.bestFps();
    }
  }

  private void pipeline(KafkaSettings kafka, Path modelDir, ModelManifest manifest, String prefix, boolean headline)
      throws InterruptedException {
    try (PipelineBench bench = new PipelineBench(kafka, modelDir, manifest, datasetDir, prefix,
        plan.pipelineGallery(), progress::println)) {
      bench.produceBacklog(plan.backlogFrames());
      warmUp("pipeline", kafka, bench, plan.backlogFrames(), bench, plan.backlogFrames());
      double passthrough = passthrough(kafka, bench, "pipeline", plan.backlogFrames());
      report.passthroughFps(passthrough);
      ServiceSettings batched = serviceSettings(bench, "batched");
      AtomicReference<SiameseService> running = new AtomicReference<>();
      PipelineBench.Throughput batchedRun = bench.saturated("batched", batched, plan.backlogFrames(),
          plan.saturationTimeout(), plan.runs(Section.LATENCY) ? running::set : null);
      report.add("pipeline", "batched (batch " + batched.batchSize() + ", " + batched.maxWait().toMillis()
          + " ms), saturated", BenchReport.number(batchedRun.framesPerSecond(), 1),
          "frames/s, " + batched.processingGuarantee() + ", " + batchedRun.events() + " events, last 75 % over "
              + BenchReport.number(batchedRun.seconds(), 2) + " s");
      report.pipelineFps(batchedRun.framesPerSecond());
      report.add("pipeline", "pipeline / ceiling", BenchReport.number(report.ratio(), 3), "target >= 0.5 (28x28)");
      report.add("pipeline", "limit = 1 / (1/passthrough + 1/encoder at the service's threads)",
          BenchReport.number(report.limitFps(), 1), "frames/s");
      report.add("pipeline", "pipeline / limit", BenchReport.number(report.ratioToLimit(), 3), "target >= 0.8");
      costSplit("pipeline", "batched", batchedRun, passthrough);
      if (running.get() != null) {
        try (SiameseService service = running.get()) {
          for (int percent : LOAD_LEVELS_PERCENT) {
            double rate = batchedRun.framesPerSecond() * percent / 100.0;
            progress.println(String.format(Locale.ROOT, "bench: latency at %d %% load (%.0f frames/s) for %d s",
                percent, rate, plan.latencyPhase().toSeconds()));
            LatencySummary latency = bench.paced(service, rate, plan.latencyPhase(), plan.latencyWarmUp());
            report.add("latency", percent + " % load (" + Math.round(rate) + " frames/s)",
                String.format(Locale.ROOT, "p50 %.0f / p95 %.0f / p99 %.0f", latency.p50Ms(), latency.p95Ms(),
                    latency.p99Ms()),
                "ms, frame timestamp -> event readable (read_committed), " + latency.count() + " frames, max "
                    + Math.round(latency.maxMs()));
            progress.println(String.format(Locale.ROOT, "bench: latency at %d %%: p50 %.0f p95 %.0f p99 %.0f ms",
                percent, latency.p50Ms(), latency.p95Ms(), latency.p99Ms()));
            if (percent == 50 && headline) {
              report.p99MsAt50Percent(latency.p99Ms());
            }
          }
        }
      }
      if (plan.runs(Section.PIPELINE)) {
        ServiceSettings perRecord = serviceSettings(bench, "per-record")
            .with(Map.of(ServiceConfig.BATCH_SIZE, 1, ServiceConfig.MAX_WAIT_MS, batched.maxWait().toMillis()));
        PipelineBench.Throughput perRecordRun = bench.saturated("per-record", perRecord, plan.backlogFrames(),
            plan.saturationTimeout(), null);
        report.add("pipeline", "per-record (batch 1), saturated", BenchReport.number(perRecordRun.framesPerSecond(), 1),
            "frames/s, " + perRecordRun.events() + " events, last 75 % over " + BenchReport.number(perRecordRun.seconds(), 2)
                + " s");
        report.perRecordFps(perRecordRun.framesPerSecond());
        costSplit("pipeline", "per-record", perRecordRun, passthrough);
        report.add("pipeline", "batched / per-record", BenchReport.number(report.batchedVsPerRecord(), 3),
            "target >= 1.5");
      }
    }
  }

  /** The row describing {@code images}: how many, their size and JPEG quality, what they show, their mean bytes. */
  private void faceImagesRow(String section, String label, List<FaceFrames.FrameImage> images, String what) {
    report.add(section, label, images.size() + " distinct", String.format(Locale.ROOT,
        "%dx%d JPEG (q %.1f) of %s; mean %.0f B", FaceFrames.CROP_SIZE, FaceFrames.CROP_SIZE, Jpeg.QUALITY, what,
        images.stream().mapToInt(FaceFrames.FrameImage::jpegBytes).average().orElse(Double.NaN)));
  }

  /**
   * The batched pipeline on aligned face chips, as a gateway that aligns at the edge sends them ({@link
   * FaceFrames#alignedChips}): the service skips landmarks and alignment. Compared with the crops' limit
   * (the same encoder; chips and crops are JPEGs of the same size class).
   */
  private void alignedChips(KafkaSettings kafka, Path faceDir, ModelManifest manifest, String prefix, double limit,
      double passthrough) throws InterruptedException {
    String section = "face bundle";
    List<FaceFrames.FrameImage> chips = FaceFrames.alignedChips(faceApiTarball, faceDir);
    faceImagesRow(section, "aligned chips", chips, "the faces aligned at the edge (aligned: true)");
    try (PipelineBench bench = new PipelineBench(kafka, faceDir, manifest, chips, prefix + "facechip-",
        plan.pipelineGallery(), progress::println)) {
      bench.produceBacklog(plan.faceCropFrames());
      PipelineBench.Throughput run = bench.saturated("aligned chips batched", serviceSettings(bench, "batched"),
          plan.faceCropFrames(), plan.saturationTimeout(), null);
      report.add(section, "aligned chips: batched pipeline, saturated", BenchReport.number(run.framesPerSecond(), 1),
          "frames/s, " + run.events() + " events, last 75 % over " + BenchReport.number(run.seconds(), 2) + " s");
      report.add(section, "aligned chips: pipeline / limit", BenchReport.number(run.framesPerSecond() / limit, 3),
          "the crops' limit; target >= 0.8 (the final line's face_ratio_to_limit stays the crops')");
      costSplit(section, "aligned chips batched", run, passthrough);
    }
  }

  /**
   * One unmeasured pass of each run the section measures (the passthrough over {@code transport}'s
   * backlog, the batched and per-record services over {@code bench}'s), with fresh application ids, so
   * that the measured runs find the JIT compilers done with these code paths, as in a service that has
   * been running for a while. Without it the first run pays for the warm-up: the passthrough, run first,
   * measured at less than half its warm rate, and the batched run before the per-record one was
   * handicapped. Adds a row with the cold figures.
   */
  private void warmUp(String section, KafkaSettings kafka, PipelineBench transport, int transportRecords,
      PipelineBench bench, int frames) throws InterruptedException {
    ServiceSettings passthroughSettings = serviceSettings(transport, "warm-up-passthrough");
    PipelineBench.Throughput passthrough = PassthroughBench.measure(kafka, passthroughSettings,
        passthroughSettings.applicationId() + "-sink", transportRecords, plan.saturationTimeout(), progress::println);
    ServiceSettings batched = serviceSettings(bench, "warm-up-batched");
    PipelineBench.Throughput batchedRun = bench.saturated("warm-up batched", batched, frames,
        plan.saturationTimeout(), null);
    PipelineBench.Throughput perRecordRun = bench.saturated("warm-up per-record",
        serviceSettings(bench, "warm-up-per-record").with(Map.of(ServiceConfig.BATCH_SIZE, 1,
            ServiceConfig.MAX_WAIT_MS, batched.maxWait().toMillis())), frames, plan.saturationTimeout(), null);
    report.add(section, "warm-up, not measured: passthrough / batched / per-record",
        String.format(Locale.ROOT, "%.1f / %.1f / %.1f", passthrough.framesPerSecond(),
            batchedRun.framesPerSecond(), perRecordRun.framesPerSecond()),
        "records/s and frames/s on a cold JIT; the rows below are the JVM's second pass over the same backlog");
  }

  /** A service run's settings: the bench's topics and ids, 1 stream thread, the bench's ONNX Runtime settings. */
  private ServiceSettings serviceSettings(PipelineBench bench, String run) {
    return bench.settings(run).with(Map.of(ServiceConfig.STREAM_THREADS, 1, ServiceConfig.ONNX_THREADS, onnxThreads,
            ServiceConfig.ONNX_EXECUTION_PROVIDER, provider.setting()))
        .with(kafkaProperties);
  }

  /**
   * The bare exactly-once passthrough of the backlog just produced, with the service's Kafka Streams
   * settings (fresh application id); adds its row and returns its records/s.
   */
  private double passthrough(KafkaSettings kafka, PipelineBench bench, String section, int frames)
      throws InterruptedException {
    ServiceSettings settings = serviceSettings(bench, "passthrough");
    PipelineBench.Throughput run = PassthroughBench.measure(kafka, settings,
        settings.applicationId() + "-sink", frames, plan.saturationTimeout(), progress::println);
    report.add(section, "passthrough: bare Kafka Streams source -> sink, same records, saturated",
        BenchReport.number(run.framesPerSecond(), 1), "records/s, " + settings.processingGuarantee() + ", "
            + settings.streamThreads() + " stream thread, commit interval as the service's; " + run.events()
            + " records, last 75 % over " + BenchReport.number(run.seconds(), 2) + " s");
    return run.framesPerSecond();
  }

  /**
   * Rows of a saturated run's cost per frame over its steady part: the wall time per frame (1 / frames/s),
   * the service's stage timers (stream-thread wall time per consumed frame), what the stages leave
   * (Kafka Streams' own work on the stream thread, waits for fetches and commits), the transport alone
   * (the passthrough's time per record: the broker's share of it runs on the other core, so it overlaps
   * the stages and is not added), and the mean batch wait (latency, not a cost).
   */
  private void costSplit(String section, String run, PipelineBench.Throughput throughput, double passthroughFps) {
    PipelineBench.CostSplit costs = throughput.costs();
    if (costs == null) {
      return;
    }
    double total = 1e6 / throughput.framesPerSecond();
    double transport = 1e6 / passthroughFps;
    String perFrame = "us per frame, " + costs.frames() + " frames";
    report.add(section, run + " cost: all (1 / pipeline frames/s)", BenchReport.number(total, 1), perFrame
        + " consumed over the steady part");
    report.add(section, run + " cost: transport alone (1 / passthrough records/s)", BenchReport.number(transport, 1),
        "us per frame, the bare exactly-once passthrough of the same records (overlaps the stages)");
    for (Map.Entry<ServiceMetrics.Stage, Double> stage : costs.microsPerFrame().entrySet()) {
      if (stage.getKey() != ServiceMetrics.Stage.BATCH_WAIT) {
        report.add(section, run + " cost: " + stage.getKey().tag(), BenchReport.number(stage.getValue(), 1),
            "us per frame, siamese_frame_stage_seconds_total{stage=\"" + stage.getKey().tag() + "\"}");
      }
    }
    report.add(section, run + " cost: outside the stages (all - stages)",
        BenchReport.number(total - costs.busyMicrosPerFrame(), 1),
        "us per frame: Kafka Streams on the stream thread (poll, state-store flushes, changelogs, commits) and waits");
    report.add(section, run + " batch wait (latency, not cost)",
        BenchReport.number(costs.microsPerFrame().get(ServiceMetrics.Stage.BATCH_WAIT) / 1e3, 2),
        "ms per frame in the buffer before its batch went");
  }

  private void memory(KafkaSettings kafka, Path modelDir, ModelManifest manifest, String prefix)
      throws InterruptedException {
    ServiceMemoryProbe.Result result = ServiceMemoryProbe.measure(kafka, modelDir, manifest, plan.memoryIdentities(),
        prefix, plan.memoryHeapMb(), Duration.ofSeconds(240), progress::println);
    report.add("memory", "service RSS, " + result.identities() + " identities (D=" + manifest.output().dimension()
        + ")", BenchReport.number(result.residentMb(), 0), "MiB once loaded (peak " + Math.round(result.peakResidentMb())
        + " MiB), own JVM -Xmx" + plan.memoryHeapMb() + "m, gallery loaded in "
        + BenchReport.number(result.loadSeconds(), 1) + " s; target <= 1024");
    progress.println("bench: memory: RSS " + Math.round(result.residentMb()) + " MiB with " + result.identities()
        + " identities");
  }

  /**
   * The face bundle converted from face-api's tarball: its encoder alone, its landmark net alone, then passthrough, batched
   * and per-record pipelines on JPEG face crops with their face box ({@link FaceFrames#crops}); and,
   * when the plan has whole frames, the batched pipeline on 640×480 frames that the service runs the
   * detector on. Sets the final line's face figures.
   */
  private void faceBundle(KafkaSettings kafka, Path scratch, String prefix) throws InterruptedException {
    String section = "face bundle";
    if (!Files.isRegularFile(faceApiTarball)) {
      report.add(section, "skipped", "-", "needs face-api's npm tarball at " + faceApiTarball.toAbsolutePath()
          + " (run faces/fetch-faceapi.sh, or --faceapi FILE)");
      progress.println("bench: face bundle skipped: no " + faceApiTarball);
      return;
    }
    Path faceDir = scratch.resolve("face-model");
    FaceApiConverter.convert(faceApiTarball, faceDir);
    List<FaceFrames.FrameImage> crops = FaceFrames.crops(faceApiTarball, faceDir);
    report.add(section, "model", "face-api recognition net (dlib ResNet) + landmarks + tiny detector",
        "converted from " + faceApiTarball.getFileName());
    faceImagesRow(section, "face crops", crops, "the sample photos' faces, with faceBox");
    ModelManifest manifest;
    try (LoadedModel model = LoadedModel.open(faceDir, onnxThreads, provider)) {
      manifest = model.manifest();
    }
    Ceiling ceiling = ceiling(section, faceDir, plan.faceCeilingBatches(), false);
    for (Map.Entry<Integer, Double> entry : LandmarkBench.measure(faceDir.resolve(FaceApiConverter.LANDMARKS_DIR),
        onnxThreads, provider, plan.faceCeilingBatches(), plan.ceilingPerBatch(), progress::println).entrySet()) {
      report.add(section, "landmark net alone, batch " + entry.getKey() + ", intra-op threads "
              + threadsLabel(onnxThreads),
          BenchReport.number(entry.getValue(), 1), "us per face (the service runs it one face at a time)");
    }
    try (PipelineBench bench = new PipelineBench(kafka, faceDir, manifest, crops, prefix + "facecrop-",
        plan.pipelineGallery(), progress::println)) {
      bench.produceBacklog(plan.faceCropFrames());
      double passthrough;
      // The same crops, more of them, on frames topics of the same definition: a few thousand records keep
      // the passthrough's steady part well above its commit interval.
      int transportRecords = Math.max(plan.faceCropFrames(), Math.min(PASSTHROUGH_MIN_RECORDS, plan.backlogFrames()));
      try (PipelineBench transport = new PipelineBench(kafka, faceDir, manifest, crops, prefix + "facecrop-transport-",
          0, progress::println)) {
        transport.produceBacklog(transportRecords);
        warmUp(section, kafka, transport, transportRecords, bench, plan.faceCropFrames());
        passthrough = passthrough(kafka, transport, section, transportRecords);
      }
      ServiceSettings batched = serviceSettings(bench, "batched");
      PipelineBench.Throughput run = bench.saturated("face crops batched", batched, plan.faceCropFrames(),
          plan.saturationTimeout(), null);
      double limit = BenchReport.limit(passthrough, ceiling.serviceThreads());
      report.face(run.framesPerSecond(), limit);
      report.add(section, "crops: batched pipeline, saturated", BenchReport.number(run.framesPerSecond(), 1),
          "frames/s, " + run.events() + " events, last 75 % over " + BenchReport.number(run.seconds(), 2) + " s");
      report.add(section, "crops: limit = 1 / (1/passthrough + 1/encoder at the service's threads)",
          BenchReport.number(limit, 1), "frames/s");
      report.add(section, "crops: pipeline / limit", BenchReport.number(report.faceRatioToLimit(), 3),
          "target >= 0.8");
      report.add(section, "crops: pipeline / ceiling", BenchReport.number(run.framesPerSecond() / ceiling.best(), 3),
          "");
      costSplit(section, "crops batched", run, passthrough);
      PipelineBench.Throughput perRecord = bench.saturated("face crops per-record",
          serviceSettings(bench, "per-record")
              .with(Map.of(ServiceConfig.BATCH_SIZE, 1, ServiceConfig.MAX_WAIT_MS, batched.maxWait().toMillis())),
          plan.faceCropFrames(), plan.saturationTimeout(), null);
      report.add(section, "crops: per-record pipeline, saturated", BenchReport.number(perRecord.framesPerSecond(), 1),
          "frames/s");
      costSplit(section, "crops per-record", perRecord, passthrough);
      report.add(section, "crops: batched / per-record",
          BenchReport.number(run.framesPerSecond() / perRecord.framesPerSecond(), 3), "target >= 1.5");
      alignedChips(kafka, faceDir, manifest, prefix, limit, passthrough);
    }
    if (plan.faceWholeFrames() > 0) {
      List<FaceFrames.FrameImage> frames = FaceFrames.wholeFrames(faceApiTarball, faceDir);
      double facesPerFrame = frames.stream().mapToInt(FaceFrames.FrameImage::faces).average().orElse(1);
      int expectedEvents = 0;
      for (int i = 0; i < plan.faceWholeFrames(); i++) {
        expectedEvents += frames.get(i % frames.size()).faces();
      }
      try (PipelineBench bench = new PipelineBench(kafka, faceDir, manifest, frames, prefix + "facewhole-",
          plan.pipelineGallery(), progress::println)) {
        bench.produceBacklog(plan.faceWholeFrames());
        PipelineBench.Throughput run = bench.saturated("face 640x480 batched",
            serviceSettings(bench, "batched"), expectedEvents, plan.saturationTimeout(), null);
        report.add(section, "640x480 frames (detection): batched pipeline, saturated",
            BenchReport.number(run.framesPerSecond() / facesPerFrame, 1), String.format(Locale.ROOT,
                "frames/s (%.1f events/s, %.2f faces per frame, %d distinct frames, mean %.0f B JPEG)",
                run.framesPerSecond(), facesPerFrame, frames.size(),
                frames.stream().mapToInt(FaceFrames.FrameImage::jpegBytes).average().orElse(Double.NaN)));
      }
    }
  }

  private void randomPng(KafkaSettings kafka, Path scratch, String prefix) throws InterruptedException {
    Path faceDir = BenchModels.writeFaceSizeEncoder(scratch.resolve("face-size-encoder"));
    report.add("face-size encoder", "model", "random-init 150x150x3 CNN",
        BenchModels.FACE_ENCODER_MACS / 1_000_000 + " M MAC/image, D=128");
    ModelManifest manifest;
    double ceiling;
    try (LoadedModel model = LoadedModel.open(faceDir, onnxThreads, provider)) {
      manifest = model.manifest();
    }
    ceiling = ceiling("face-size encoder", faceDir, new int[] {1, 4, 8, 16, 32}, false).best();
    try (PipelineBench bench = new PipelineBench(kafka, faceDir, manifest, (Path) null, prefix + "face-",
        plan.pipelineGallery(), progress::println)) {
      bench.produceBacklog(plan.faceFrames());
      ServiceSettings batched = serviceSettings(bench, "batched");
      PipelineBench.Throughput run = bench.saturated("face batched", batched, plan.faceFrames(),
          plan.saturationTimeout(), null);
      report.add("face-size encoder", "batched pipeline, saturated", BenchReport.number(run.framesPerSecond(), 1),
          "frames/s, " + run.events() + " events");
      report.add("face-size encoder", "pipeline / ceiling", BenchReport.number(run.framesPerSecond() / ceiling, 3),
          "target >= 0.9");
      PipelineBench.Throughput perRecord = bench.saturated("face per-record",
          serviceSettings(bench, "per-record")
              .with(Map.of(ServiceConfig.BATCH_SIZE, 1, ServiceConfig.MAX_WAIT_MS, batched.maxWait().toMillis())),
          plan.faceFrames(), plan.saturationTimeout(), null);
      report.add("face-size encoder", "per-record pipeline, saturated",
          BenchReport.number(perRecord.framesPerSecond(), 1), "frames/s");
      report.add("face-size encoder", "batched / per-record",
          BenchReport.number(run.framesPerSecond() / perRecord.framesPerSecond(), 3), "");
    }
  }

  private void search() {
    GallerySearchBench bench = new GallerySearchBench(plan.searchDimension(), plan.searchQueries(),
        plan.searchBeams(), progress::println);
    report.add("search", "exact search kernels", io.siamesestreams.identity.FlatGalleryIndex.vectorized()
        ? "JDK Vector API" : "plain Java", "Vector API when the JVM has --add-modules jdk.incubator.vector");
    int largest = plan.searchSizes()[plan.searchSizes().length - 1];
    for (int size : plan.searchSizes()) {
      searchAt(bench, size, SEARCH_LATENT_DIMENSION);
    }
    // Uniform random vectors: the worst case for a graph index, at the sizes that stay quick.
    for (int size : plan.searchSizes()) {
      if (size <= UNIFORM_SEARCH_MAX_SIZE) {
        searchAt(bench, size, 0);
      }
    }
    if (largest < 1_000_000) {
      report.add("search", "scaled down", "largest " + largest, "quick mode: 10^6 only in the full run");
    }
  }

  private void searchAt(GallerySearchBench bench, int size, int latentDimension) {
    String kind = latentDimension == 0 ? "uniform" : "latent-" + latentDimension;
    progress.println(String.format(Locale.ROOT, "bench: search over %,d identities (D=%d, %s)", size,
        plan.searchDimension(), kind));
    for (GallerySearchBench.Figures f : bench.run(size, latentDimension)) {
      report.add("search " + String.format(Locale.ROOT, "%,d", size) + " " + kind, f.index(),
          BenchReport.number(f.queriesPerSecond(), 0) + " q/s",
            String.format(Locale.ROOT, "1 thread, top-%d; recall@1 probes %s, random %s; %s B/identity; build %s s",
                GallerySearchBench.TOP_K, BenchReport.number(f.recallProbe(), 3),
                Double.isNaN(f.recallRandom()) ? "n/a" : BenchReport.number(f.recallRandom(), 3),
                BenchReport.number(f.bytesPerIdentity(), 0), BenchReport.number(f.buildSeconds(), 1)));
    }
  }

  /** Runs a section; a failure becomes a row and the run goes on. */
  private void section(String name, SectionBody body) throws InterruptedException {
    long start = System.nanoTime();
    progress.println("bench: section " + name);
    try {
      body.run();
    } catch (InterruptedException e) {
      throw e;
    } catch (RuntimeException e) {
      progress.println("bench: section " + name + " failed: " + e);
      report.add(name, "FAILED", "-", String.valueOf(e.getMessage()));
    }
    progress.println(String.format(Locale.ROOT, "bench: section %s done in %.1f s", name,
        (System.nanoTime() - start) / 1e9));
  }

  @FunctionalInterface
  private interface SectionBody {
    void run() throws InterruptedException;
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static Path createTempDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Scratch files only.
    }
  }
}
