package io.siamesestreams.trainer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./siamese train}: placeholder until the training loop lands. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train an encoder and write a model bundle.")
public final class TrainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("TODO");
  }
}
