package io.siamesestreams.trainer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./siamese eval}: placeholder until the evaluator lands. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model bundle on held-out pairs.")
public final class EvalCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("TODO");
  }
}
