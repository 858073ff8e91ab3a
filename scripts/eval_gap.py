#!/usr/bin/env python3
"""Score the extractor's pronoun resolver (kg.extract.coref) on GAP: F1 masculine, feminine, bias, overall.

    python scripts/eval_gap.py --gold ../shared/benchmarks/gap/gap-development.tsv [--model MODEL.json]

Each snippet is parsed alone (snippet context: no URL, no page title) with the extractor's pipeline; the
resolver reads names and pronouns as it does in an article, and says for A and for B whether the pronoun refers
to it (kg.extract.coref.referents: the entities whose probability reaches the model's threshold). A name the
system did not find is "no". The last line is `overall F1 NN.N`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gap_data import instances  # noqa: E402

from kg.extract import coref  # noqa: E402


def f1(tp: int, fp: int, fn: int) -> float:
    return 200 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(path: Path, weights: coref.Model | None = None, only: set[int] | None = None) -> dict:
    """The scores over the file's rows (or only the rows numbered in ``only``: a fold of a cross-validation)."""
    weights = weights or coref.model()
    counts = {"m": [0, 0, 0], "f": [0, 0, 0]}  # tp, fp, fn
    found_names = total_names = 0
    for number, (row, discourse, site, entities) in enumerate(instances(path)):
        if only is not None and number not in only:
            continue
        word = row.pronoun.lower()
        chosen = set()
        if site is not None:
            chosen = {e.number for p, e in coref.scores(discourse, site, word, weights=weights) if p >= weights.threshold}
        gender = "m" if word in coref.MALE else "f"
        for (name, offset, label), entity in zip(row.names, entities):
            total_names += 1
            found_names += entity is not None
            said = entity is not None and entity.number in chosen
            c = counts[gender]
            c[0] += said and label
            c[1] += said and not label
            c[2] += label and not said
    total = [a + b for a, b in zip(counts["m"], counts["f"])]
    m, f = f1(*counts["m"]), f1(*counts["f"])
    return {"masculine": m, "feminine": f, "bias": f / m if m else 0.0, "overall": f1(*total),
            "names_found": found_names / max(total_names, 1), "counts": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, required=True, help="a GAP .tsv file")
    parser.add_argument("--model", type=Path, help="a model written by train_coref.py (default: the extractor's)")
    args = parser.parse_args()
    for path in filter(None, (args.gold, args.model)):
        if not path.is_file():
            raise SystemExit(f"eval_gap: error: {path}: no such file")
    weights = None
    if args.model:
        try:
            weights = coref.model_from(json.loads(args.model.read_text(encoding="utf-8")), str(args.model))
        except (ValueError, KeyError, TypeError) as error:  # not JSON, not a model, or other features
            raise SystemExit(f"eval_gap: error: {args.model}: not a model of these features ({error})") from None
    result = evaluate(args.gold, weights)
    print(f"names found   {100 * result['names_found']:.1f} %")
    print(f"masculine F1  {result['masculine']:.1f}")
    print(f"feminine F1   {result['feminine']:.1f}")
    print(f"bias (F/M)    {result['bias']:.2f}")
    print(f"overall F1 {result['overall']:.1f}")


if __name__ == "__main__":
    main()
