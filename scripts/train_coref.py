#!/usr/bin/env python3
"""Train the pronoun resolver's logistic model on GAP and write kg/data/coref_model.json.

    python scripts/train_coref.py --gold ../shared/benchmarks/gap/gap-validation.tsv [--out kg/data/coref_model.json]

Each labelled name the system found (A, B) is one example: the features of "the pronoun refers to it"
(kg.extract.coref.FEATURES) and GAP's label. L2-regularised logistic regression by Newton steps (numpy); the
decision threshold is the one that maximises the file's F1 (GAP's metric rewards saying "both" when unsure).
Tune on validation; report development (scripts/eval_gap.py). GAP's texts are never copied: only weights.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gap_data import ROOT, instances  # noqa: E402

from kg.extract import coref  # noqa: E402

L2 = 1.0


def examples(path: Path):
    """(feature matrix, labels, per-row groups) over the names the system found."""
    xs, ys = [], []
    for row, discourse, site, entities in instances(path):
        if site is None:
            continue
        word = row.pronoun.lower()
        rivals = coref.candidates(discourse, site, word)
        for (name, offset, label), entity in zip(row.names, entities):
            if entity is None or entity not in rivals:
                continue
            xs.append(coref.features(site, word, entity, rivals, {}))
            ys.append(float(label))
    return np.array(xs), np.array(ys)


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / coref.MODEL_FILE)
    parser.add_argument("--threshold", type=float, default=None, help="fix the decision threshold")
    args = parser.parse_args()
    x, y = examples(args.gold)
    w = fit(x, y)
    threshold = args.threshold
    if threshold is None:
        from eval_gap import evaluate
        best = max((evaluate(args.gold, coref.Model(tuple(w), t / 100))["overall"], t / 100) for t in range(20, 71, 2))
        threshold = best[1]
        print(f"threshold {threshold:.2f} (F1 {best[0]:.1f} on {args.gold.name})")
    data = {"trained_on": args.gold.name, "examples": int(len(y)), "features": list(coref.FEATURES),
            "weights": [round(float(v), 4) for v in w], "threshold": threshold}
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for name, value in sorted(zip(coref.FEATURES, w), key=lambda nv: -abs(nv[1])):
        print(f"{name:18s} {value:+.3f}")
    print(f"wrote {args.out} ({len(y)} examples)")


if __name__ == "__main__":
    main()
