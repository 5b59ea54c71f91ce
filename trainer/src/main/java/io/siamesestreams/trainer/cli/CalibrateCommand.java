package io.siamesestreams.trainer.cli;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.matching.DistanceFunction;
import io.siamesestreams.trainer.calibrate.CalibrationModel;
import io.siamesestreams.trainer.calibrate.PhotoEmbedder;
import io.siamesestreams.trainer.calibrate.ThresholdCalibration;
import io.siamesestreams.trainer.data.DatasetNotFoundException;
import io.siamesestreams.trainer.data.ImageFolderDataset;
import io.siamesestreams.trainer.data.LabeledImages;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./siamese calibrate}: sets a bundle's threshold from the user's own labelled photos.
 *
 * <p>{@code --data DIR} holds one folder per person ({@code DIR/<person>/*.png|jpg|jpeg}, whole
 * photos or crops). Each photo is embedded as the service would ({@link CalibrationModel}: for a
 * face model folder the largest face is detected, landmarked and aligned; for a plain bundle the
 * photo goes through the manifest's preprocessing); photos that cannot be used are listed and
 * skipped. Every pair of photos is a genuine (same person) or impostor pair;
 * {@link ThresholdCalibration} picks the largest threshold with FAR ≤ {@code --target-far}. The
 * command prints the pair counts and FAR/FRR at the old and the new threshold, warns when there are
 * fewer than 10/FAR impostor pairs, and writes the threshold with its provenance
 * ({@code decision.calibration}) into a copy of the model ({@code --out}) or in place
 * ({@code --in-place}); with neither it writes nothing.
 *
 * <p>Exit codes: 0 done, 1 unusable model or data, 2 bad command line.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Calibrate a model's threshold on your own labelled photos (DIR/<person>/*.png|jpg): all genuine and impostor"
          + " pairs, the ROC, and the largest threshold whose false-accept rate is at most --target-far.",
      "Writes the threshold and its provenance into a copy of the model (--out) or in place (--in-place)."
    })
public final class CalibrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Model bundle (model.json, encoder.onnx) or face model folder (face-recognition/, face-detector/, face-landmarks/).")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "One folder per person: DIR/<person>/*.png|jpg|jpeg.")
  Path data;

  @Option(names = "--target-far", required = true, paramLabel = "X", description = "Target false-accept rate, in (0, 1), e.g. 0.001.")
  double targetFar;

  @Option(names = "--out", paramLabel = "DIR", description = "Write a calibrated copy of the model here (a new or empty folder).")
  Path out;

  @Option(names = "--in-place", description = "Write the calibrated threshold into --model itself.")
  boolean inPlace;

  @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (!(targetFar > 0 && targetFar < 1)) {
      stderr.println("siamese calibrate: --target-far must be in (0, 1), was " + targetFar);
      return 2;
    }
    if (out != null && inPlace) {
      stderr.println("siamese calibrate: give --out DIR or --in-place, not both");
      return 2;
    }
    try {
      CalibrationModel target = CalibrationModel.of(model);
      ModelManifest manifest = target.bundle().manifest();
      LabeledImages photos = ImageFolderDataset.load(data);
      stdout.printf(Locale.ROOT, "calibrate: model %s %s (%s), metric %s, threshold %s%n", manifest.modelId(),
          manifest.modelVersion(), target.faces() ? "face model folder: largest face of each photo, detected and aligned"
              : "bundle: each photo preprocessed by its manifest", manifest.distance().metric(),
          manifest.decision().threshold());
      stdout.flush();

      List<float[]> embeddings = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      int skipped = 0;
      try (PhotoEmbedder embedder = target.openEmbedder(threads)) {
        for (int i = 0; i < photos.size(); i++) {
          PhotoEmbedder.Embedded embedded = embedder.embed(photos.imageBytes(i));
          if (embedded.embedding() == null) {
            skipped++;
            stderr.println("siamese calibrate: skipped " + photos.source(i) + ": " + embedded.skippedBecause());
          } else {
            embeddings.add(embedded.embedding());
            labels.add(photos.label(i));
          }
        }
      }
      stderr.flush();
      ThresholdCalibration result = ThresholdCalibration.calibrate(embeddings.toArray(float[][]::new),
          labels.stream().mapToInt(Integer::intValue).toArray(), DistanceFunction.of(manifest.distance().metric()),
          manifest.decision().threshold(), targetFar);
      print(stdout, result, skipped);
      if (result.tooFewImpostorPairs()) {
        stderr.printf(Locale.ROOT, "siamese calibrate: warning: %d impostor pairs are too few to support a FAR of %s"
                + " (fewer than 10/FAR = %d): the threshold rests on %d false accepts or fewer; add people%n",
            result.impostorPairs(), targetFar, result.impostorPairsNeeded(), result.atThreshold().falseAccepts());
        stderr.flush();
      }

      ModelManifest.Decision decision = result.decision(data.toString(), skipped, Instant.now().truncatedTo(ChronoUnit.SECONDS));
      Path root;
      if (out != null) {
        target.copyTo(out);
        root = out;
      } else if (inPlace) {
        root = model;
      } else {
        stdout.println("nothing written: pass --out DIR for a calibrated copy of the model, or --in-place");
        stdout.flush();
        return 0;
      }
      Path bundleDir = target.thresholdBundle(root);
      ModelBundle.writeManifest(bundleDir, withDecision(manifest, decision));
      ModelBundle.load(bundleDir);
      stdout.println("wrote " + bundleDir.resolve(ModelManifest.FILE_NAME));
      stdout.flush();
      return 0;
    } catch (BundleValidationException | DatasetNotFoundException | IllegalArgumentException | UncheckedIOException e) {
      stderr.println("siamese calibrate: " + e.getMessage());
      stderr.flush();
      return 1;
    }
  }

  private void print(PrintWriter stdout, ThresholdCalibration r, int skipped) {
    stdout.printf(Locale.ROOT, "data %s: %d people, %d photos used, %d skipped%n", data, r.people(), r.photos(), skipped);
    stdout.printf(Locale.ROOT, "pairs: %d genuine, %d impostor; ROC AUC %.4f, EER %.4f%n", r.genuinePairs(), r.impostorPairs(),
        r.auc(), r.eer());
    stdout.printf(Locale.ROOT, "threshold at target FAR %s: %.6f (was %.6f)%n", r.targetFar(), r.threshold(), r.previousThreshold());
    line(stdout, "old", r.previousThreshold(), r.atPrevious());
    line(stdout, "new", r.threshold(), r.atThreshold());
    stdout.flush();
  }

  private static void line(PrintWriter stdout, String which, double threshold, ThresholdCalibration.Rates rates) {
    stdout.printf(Locale.ROOT, "  at the %s threshold %.6f: FAR %.6f (%d/%d impostor pairs accepted), FRR %.6f (%d/%d genuine pairs"
            + " rejected)%n", which, threshold, rates.far(), rates.falseAccepts(), rates.impostorPairs(), rates.frr(),
        rates.falseRejects(), rates.genuinePairs());
  }

  private static ModelManifest withDecision(ModelManifest m, ModelManifest.Decision decision) {
    return new ModelManifest(m.formatVersion(), m.modelId(), m.modelVersion(), m.createdAt(), m.input(), m.output(),
        m.distance(), decision, m.head(), m.provenance(), m.evaluation());
  }
}
