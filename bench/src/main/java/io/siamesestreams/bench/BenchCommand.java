package io.siamesestreams.bench;

import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.demo.FashionMnistImages;
import io.siamesestreams.onnx.ExecutionProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code siamese bench [--quick]}: the pipeline beside its ceiling, in one run on this machine.
 * Progress lines go to stderr; the table and then the final line go to stdout, the final line
 * exactly as {@link BenchReport#finalLine()} describes.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures, in one run: the encoder alone (ceiling), a bare exactly-once Kafka Streams passthrough of the"
          + " same frames (the limit = transport + encoder), the service through an embedded broker with"
          + " exactly-once at saturation (batched and per-record), latency at 25/50/80 %% of the saturated rate,"
          + " 1:N search (exact and approximate) over 10^3..10^6 identities, the service's resident memory"
          + " with a 10^5-identity gallery, and the face bundle on 150x150 JPEG face crops. --quick takes under"
          + " 5 minutes on 2 cores (galleries up to 10^5); the full run adds 10^6 identities, 640x480 frames"
          + " through face detection and the worst case: a face-size encoder on random-pixel PNGs."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--quick", description = "Shorter phases, galleries up to 10^5, face crops only (no 640x480"
      + " frames, no random-PNG case).")
  boolean quick;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model bundle to measure (default: models/fashion-mnist when present, else a random-init"
          + " bundle of the trainer's default architecture).")
  Path model;

  @Option(names = "--dataset", paramLabel = "DIR",
      description = "Fashion-MNIST gz files, for realistic 28x28 frames (default: the installed dataset,"
          + " else the repository's sample data/fashion-mnist-sample).")
  Path dataset = FashionMnistImages.defaultDirectory();

  @Option(names = "--onnx-threads", paramLabel = "N",
      description = "ONNX Runtime intra-op threads for the ceiling and the service; 0 = ONNX Runtime's default"
          + " (default: the service's, 1 on a machine with at most 2 cores, else 0; here ${DEFAULT-VALUE}).")
  int onnxThreads = ServiceSettings.defaultOnnxIntraOpThreads();

  @Option(names = "--sections", split = ",", paramLabel = "SECTION", converter = SectionConverter.class,
      description = "Only these sections (any case): ${COMPLETION-CANDIDATES} (default: all of the plan's).")
  Set<BenchPlan.Section> sections;

  @Option(names = "--execution-provider", paramLabel = "cpu|cuda", converter = ProviderConverter.class,
      description = "Where ONNX Runtime runs the nets for the ceilings and the services: cpu (default) or cuda"
          + " (needs the -Pgpu build and CUDA).")
  ExecutionProvider executionProvider = ExecutionProvider.CPU;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Java properties: Kafka Streams and client settings for every service run and passthrough,"
          + " over the service's defaults (e.g. commit.interval.ms, producer linger.ms), to try a lever.")
  Path config;

  @Option(names = "--faceapi", paramLabel = "FILE",
      description = "face-api's npm tarball, for the face section (default: ${DEFAULT-VALUE}, where"
          + " faces/fetch-faceapi.sh puts it; the section is skipped when it is missing).")
  Path faceApiTarball = BenchRunner.DEFAULT_FACEAPI_TARBALL;

  @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the table as Markdown to FILE.")
  Path markdown;

  /** cpu or cuda, any case. */
  static final class ProviderConverter implements CommandLine.ITypeConverter<ExecutionProvider> {
    @Override
    public ExecutionProvider convert(String value) {
      return ExecutionProvider.parse(value);
    }
  }

  /** Section names in any case. */
  static final class SectionConverter implements CommandLine.ITypeConverter<BenchPlan.Section> {
    @Override
    public BenchPlan.Section convert(String value) {
      return BenchPlan.Section.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
  }

  @Override
  public Integer call() throws Exception {
    BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
    if (sections != null && !sections.isEmpty()) {
      plan = plan.withSections(EnumSet.copyOf(sections));
    }
    PrintStream progress = System.err;
    progress.println("bench: plan " + plan.name() + ", sections " + plan.sections());
    Properties kafkaProperties = new Properties();
    if (config != null) {
      try (var reader = Files.newBufferedReader(config)) {
        kafkaProperties.load(reader);
      }
    }
    BenchReport report = new BenchRunner(plan, model, dataset, onnxThreads, executionProvider, kafkaProperties,
        faceApiTarball, progress).run();
    report.printTable(System.out);
    if (markdown != null) {
      try {
        Files.writeString(markdown, report.markdown());
      } catch (IOException e) {
        progress.println("bench: cannot write " + markdown + ": " + e.getMessage());
      }
    }
    System.out.println(report.finalLine());
    return 0;
  }
}
