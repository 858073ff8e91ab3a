#!/usr/bin/env python3
"""Train the pronoun resolver's logistic model on GAP and write kg/data/coref_model.json.

    python scripts/train_coref.py --gold ../shared/benchmarks/gap/gap-validation.tsv [--out kg/data/coref_model.json]

Each labelled name the system found (A, B) is one example: the features of "the pronoun refers to it"
(kg.extract.coref.FEATURES) and GAP's label. L2-regularised logistic regression by Newton steps (numpy); the
decision threshold is the one that maximises the file's F1 (GAP's metric rewards saying "both" when unsure).
Tune on validation; report development (scripts/eval_gap.py). GAP's texts are never copied: only weights.
`--folds K` first prints the K-fold cross-validated overall F1 within the file (each fold's weights and threshold
learned on the other folds): the estimate to compare features or the penalty by, since the file's own F1 is seen
by its training.
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

L2 = 0.3


def examples(path: Path, only: set[int] | None = None):
    """(feature matrix, labels) over the names the system found (in the rows numbered in ``only``, if given)."""
    xs, ys = [], []
    for number, (row, discourse, site, entities) in enumerate(instances(path)):
        if site is None or (only is not None and number not in only):
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


def best_threshold(path: Path, w: np.ndarray, only: set[int] | None = None) -> tuple[float, float]:
    """(F1, threshold) of the threshold in 0.20 .. 0.70 that maximises the rows' overall F1."""
    from eval_gap import evaluate

    return max((evaluate(path, coref.Model(tuple(w), t / 100), only)["overall"], t / 100) for t in range(20, 71, 2))


def cross_validate(path: Path, folds: int, l2: float = L2, seed: int = 0) -> float:
    """Overall F1 over all rows, each row scored by the weights and threshold learned without its fold."""
    from eval_gap import f1

    order = np.random.RandomState(seed).permutation(len(instances(path)))
    total = np.zeros(3)
    for fold in np.array_split(order, folds):
        held = set(int(i) for i in fold)
        rest = set(range(len(order))) - held
        w = fit(*examples(path, rest), l2)
        _, threshold = best_threshold(path, w, rest)
        total += _counts(path, coref.Model(tuple(w), threshold), held)
    return f1(*total)


def _counts(path: Path, weights: coref.Model, only: set[int]) -> np.ndarray:
    """(tp, fp, fn) of the rows in ``only``: folds are pooled by counts, not by averaging their F1."""
    from eval_gap import evaluate

    return np.array(evaluate(path, weights, only)["counts"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / coref.MODEL_FILE)
    parser.add_argument("--threshold", type=float, default=None, help="fix the decision threshold")
    parser.add_argument("--folds", type=int, default=0, help="print the K-fold cross-validated F1 first")
    parser.add_argument("--l2", type=float, default=L2, help=f"the weights' L2 penalty (default {L2})")
    args = parser.parse_args()
    if not args.gold.is_file():
        raise SystemExit(f"train_coref: error: {args.gold}: no such file")
    if args.folds:
        if args.folds < 2:
            raise SystemExit("train_coref: error: --folds needs at least 2")
        scores = [cross_validate(args.gold, args.folds, args.l2, seed) for seed in range(3)]
        print(f"cross-validated overall F1 {np.mean(scores):.1f} ({args.folds} folds, 3 shuffles: "
              + ", ".join(f"{s:.1f}" for s in scores) + ")")
    x, y = examples(args.gold)
    w = fit(x, y, args.l2)
    threshold = args.threshold
    if threshold is None:
        best = best_threshold(args.gold, w)
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
