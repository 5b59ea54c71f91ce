package io.siamesestreams.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.json.Json;
import io.siamesestreams.trainer.cli.EvalCommand;
import io.siamesestreams.trainer.data.FashionMnistSample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./siamese eval} on a tiny real bundle and the test split of the committed Fashion-MNIST sample. */
class EvalCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new EvalCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void shouldWriteEvalJsonAndRocPngForTheDefaultTwentyThousandPairs() throws Exception {
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    TinyBundles.randomProjection(bundle, true, 0.5);
    Path outDir = dir.resolve("runs/eval");

    int exit = run("--model", bundle.toString(), "--dataset", "fashion-mnist", "--data", FashionMnistSample.directory().toString(),
            "--seed", "3", "--out", outDir.toString());

    assertThat(exit).as("stderr: %s", err).isZero();
    JsonNode json = Json.mapper().readTree(outDir.resolve("eval.json").toFile());
    assertThat(json.path("pairs").asInt()).isEqualTo(Evaluator.DEFAULT_PAIRS);
    assertThat(json.path("heldout_pairs").asInt()).isEqualTo(Evaluator.DEFAULT_PAIRS);
    assertThat(json.path("seed").asLong()).isEqualTo(3);
    for (String key :
        new String[] {"auc", "eer", "tar_at_far_1e-1", "tar_at_far_1e-2", "tar_at_far_1e-3", "threshold",
          "accuracy_at_threshold", "heldout_auc", "head_auc", "head_ece"}) {
      assertThat(json.path(key).isNumber()).as(key).isTrue();
      assertThat(json.path(key).asDouble()).as(key).isBetween(0.0, 1.0);
    }
    assertThat(ImageIO.read(outDir.resolve("roc.png").toFile())).isNotNull();
    assertThat(out.toString())
        .contains("on 1000 images of fashion-mnist")
        .contains("heldout_auc")
        .contains("wrote ");
  }

  @Test
  void shouldEvaluateAnImageFolderAndSkipHeldOutClassesItLacks() throws Exception {
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    TinyBundles.randomProjection(bundle, true, 0.5);
    Path images = dir.resolve("faces");
    java.util.Random random = new java.util.Random(9);
    for (String identity : new String[] {"alice", "bob", "carol"}) {
      Files.createDirectories(images.resolve(identity));
      int base = random.nextInt(256);
      for (int k = 0; k < 4; k++) {
        java.awt.image.BufferedImage image =
            new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            int v = Math.floorMod(base + x * y + random.nextInt(30), 256);
            image.getRaster().setSample(x, y, 0, v);
          }
        }
        ImageIO.write(image, "png", images.resolve(identity).resolve(k + ".png").toFile());
      }
    }
    Path outDir = dir.resolve("out");

    int exit =
        run("--model", bundle.toString(), "--dataset", "folder:" + images, "--pairs", "200", "--out", outDir.toString());

    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(err.toString()).contains("held-out class 'Sneaker' is not in folder:");
    JsonNode json = Json.mapper().readTree(outDir.resolve("eval.json").toFile());
    assertThat(json.path("pairs").asInt()).isEqualTo(200);
    assertThat(json.path("auc").asDouble()).isBetween(0.0, 1.0);
    assertThat(json.get("heldout_auc").isNull()).isTrue();
    assertThat(out.toString()).contains("on 12 images of folder:");
  }

  @Test
  void shouldExplainAnUnknownDatasetAndExitWithOne() throws Exception {
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    TinyBundles.randomProjection(bundle, false, 0.5);

    int exit = run("--model", bundle.toString(), "--dataset", "mnist");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("unknown --dataset 'mnist'").contains("folder:PATH");
  }

  @Test
  void shouldExplainAMissingBundleAndExitWithOne() {
    int exit = run("--model", dir.resolve("nothing").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("nothing").contains("does not exist");
  }

  @Test
  void shouldRejectAnOddPairCount() throws Exception {
    int exit = run("--model", dir.toString(), "--pairs", "3");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--pairs must be a positive even number");
  }
}
