#!/usr/bin/env python3
"""Adds the figures of several training runs of one recipe (one bundle per seed) to a bundle's eval.json.

Usage: python3 trainer/scripts/seed_summary.py SHIPPED_BUNDLE BUNDLE [BUNDLE...]

Reads eval.json and model.json of every BUNDLE (the shipped one among them) and writes into
SHIPPED_BUNDLE/eval.json a block "seed_runs": {"runs": [{seed, figures...}], "mean": {...}, "sd": {...}}
(sample standard deviation, n − 1). The rest of eval.json is left as the trainer wrote it.
"""
import json
import pathlib
import statistics
import sys

FIGURES = ["auc", "eer", "tar_at_far_1e-2", "seen_auc", "heldout_auc", "head_auc", "head_ece",
           "threshold", "far_at_threshold", "frr_at_threshold", "match_with_p_below_0.5"]

shipped = pathlib.Path(sys.argv[1])
runs = []
for directory in map(pathlib.Path, sys.argv[2:]):
    evaluation = json.loads((directory / "eval.json").read_text())
    manifest = json.loads((directory / "model.json").read_text())
    details = manifest["provenance"]["details"]
    run = {"seed": manifest["provenance"]["seed"]}
    run.update({k: evaluation[k] for k in FIGURES if isinstance(evaluation.get(k), (int, float))})
    run["training_seconds"] = details.get("trainingSeconds")
    run["images_per_second"] = details.get("imagesPerSecond")
    runs.append(run)
keys = [k for k in FIGURES + ["training_seconds", "images_per_second"] if all(k in r for r in runs)]
block = {
    "runs": runs,
    "mean": {k: round(statistics.mean(r[k] for r in runs), 6) for k in keys},
    "sd": {k: round(statistics.stdev(r[k] for r in runs), 6) for k in keys} if len(runs) > 1 else {},
}
target = shipped / "eval.json"
evaluation = json.loads(target.read_text())
evaluation["seed_runs"] = block
target.write_text(json.dumps(evaluation, indent=2, ensure_ascii=False) + "\n")
for k in keys:
    print(f"{k:24s} mean {block['mean'][k]:.4f} sd {block['sd'].get(k, float('nan')):.4f}  "
          + " ".join(f"{r[k]:.4f}" for r in runs))
