package io.siamesestreams.trainer.cli;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.trainer.data.DatasetNotFoundException;
import io.siamesestreams.trainer.data.FashionMnist;
import io.siamesestreams.trainer.data.ImageFolderDataset;
import io.siamesestreams.trainer.data.LabeledImages;
import io.siamesestreams.trainer.eval.EvalReport;
import io.siamesestreams.trainer.eval.Evaluator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./siamese eval}: evaluates a model bundle through its ONNX models on seeded balanced pairs and
 * writes {@code eval.json} and {@code roc.png} into {@code --out}.
 *
 * <p>Datasets: {@code --dataset fashion-mnist} uses the TEST split of the idx files in {@code --data};
 * {@code --dataset folder:PATH} uses every image of an image folder ({@code PATH/<identity>/<image>.png|jpg}),
 * which should then hold identities meant for testing. Held-out classes come from the bundle manifest's
 * {@code provenance.heldOutClasses}; for an image folder, names it does not contain are skipped with a
 * warning.
 *
 * <p>Exit codes: 0 done, 1 unusable bundle or dataset, 2 bad command line (picocli).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Evaluate a model bundle on seeded balanced same/different pairs of test images, through its ONNX models.",
      "Writes eval.json (AUC, EER, TAR at FAR, accuracy at the bundle's threshold, held-out and head figures)"
          + " and roc.png into --out."
    })
public final class EvalCommand implements Callable<Integer> {

  static final String FOLDER_PREFIX = "folder:";

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model bundle directory (model.json, encoder.onnx, head.onnx).")
  Path model;

  @Option(
      names = "--dataset",
      defaultValue = "fashion-mnist",
      paramLabel = "NAME",
      description = "fashion-mnist (its TEST split) or folder:PATH (all images of PATH/<identity>/<image>). Default: ${DEFAULT-VALUE}.")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST idx directory. Default: /usr/share/datasets/fashion-mnist.")
  Path data = FashionMnist.DEFAULT_DIRECTORY;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the pair draws. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--pairs",
      defaultValue = "" + Evaluator.DEFAULT_PAIRS,
      description = "Pairs per pair set (even; half same, half different). Default: ${DEFAULT-VALUE}.")
  int pairs;

  @Option(names = "--out", defaultValue = "runs/eval", paramLabel = "DIR", description = "Output directory, created if missing. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (pairs < 2 || pairs % 2 != 0) {
      stderr.println("siamese eval: --pairs must be a positive even number, was " + pairs);
      return 2;
    }
    try {
      ModelBundle bundle = ModelBundle.load(model);
      LabeledImages test = loadDataset();
      Set<Integer> heldOut = heldOutLabels(bundle.manifest(), test, stderr);
      stdout.printf(
          "Evaluating %s %s on %d images of %s, %d pairs per set, seed %d%n",
          bundle.manifest().modelId(), bundle.manifest().modelVersion(), test.size(), dataset, pairs, seed);
      stdout.flush();

      EvalReport report = Evaluator.evaluate(bundle, test, heldOut, pairs, seed);
      Path json = out.resolve("eval.json");
      Path png = out.resolve("roc.png");
      report.writeJson(json);
      report.writeRocPng(png);

      stdout.print(report.summary());
      stdout.println("wrote " + json + " and " + png);
      stdout.flush();
      return 0;
    } catch (BundleValidationException | DatasetNotFoundException | IllegalArgumentException | UncheckedIOException e) {
      stderr.println("siamese eval: " + e.getMessage());
      stderr.flush();
      return 1;
    }
  }

  private LabeledImages loadDataset() {
    if (dataset.startsWith(FOLDER_PREFIX)) {
      return ImageFolderDataset.load(Path.of(dataset.substring(FOLDER_PREFIX.length())));
    }
    if (dataset.equals("fashion-mnist")) {
      return FashionMnist.load(data, FashionMnist.Split.TEST);
    }
    throw new IllegalArgumentException(
        "unknown --dataset '" + dataset + "': use fashion-mnist or " + FOLDER_PREFIX + "PATH");
  }

  /**
   * Labels of the manifest's held-out class names. Fashion-MNIST knows every class, so an unknown name
   * is an error; an image folder may lack some, which are then skipped with a warning.
   */
  private Set<Integer> heldOutLabels(ModelManifest manifest, LabeledImages test, PrintWriter stderr) {
    List<String> names =
        manifest.provenance() == null || manifest.provenance().heldOutClasses() == null
            ? List.of()
            : manifest.provenance().heldOutClasses();
    if (!dataset.startsWith(FOLDER_PREFIX)) {
      return test.labelsOf(names);
    }
    List<String> present = new ArrayList<>();
    for (String name : names) {
      if (test.classNames().contains(name)) {
        present.add(name);
      } else {
        stderr.println("siamese eval: warning: held-out class '" + name + "' is not in " + dataset + "; skipped");
      }
    }
    return test.labelsOf(present);
  }
}
