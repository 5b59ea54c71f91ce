package io.siamesestreams.trainer.eval;

import java.nio.file.Path;
import java.util.Map;

/**
 * The result of {@link Evaluator#evaluate}: figures keyed as in {@code eval.json} ({@code auc}, {@code eer},
 * {@code tar_at_far_1e-1}, {@code tar_at_far_1e-2}, {@code tar_at_far_1e-3}, {@code threshold},
 * {@code accuracy_at_threshold}, {@code heldout_auc}, {@code head_auc}, {@code head_ece}, plus extras), and the ROC
 * curves to plot.
 */
public final class EvalReport {

  /** Figures by eval.json key; NaN where not measurable. Insertion-ordered. */
  public Map<String, Double> figures() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Writes {@code eval.json} (figures plus pair counts and seed) into {@code file}. */
  public void writeJson(Path file) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Writes the ROC curve(s) as a PNG (XChart). */
  public void writeRocPng(Path file) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Human-readable multi-line summary of the figures. */
  public String summary() {
    throw new UnsupportedOperationException("TODO");
  }
}
