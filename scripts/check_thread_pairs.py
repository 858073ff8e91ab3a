#!/usr/bin/env python3
"""Validate the labelled cross-article claim pairs (benchmarks/threads/polnear_pairs.jsonl) and print their counts.

    python scripts/check_thread_pairs.py [--pairs benchmarks/threads/polnear_pairs.jsonl] [--polnear FILE ...]

Without --polnear it checks the file on its own: the schema, the labels and categories, sides in different
documents, no pair twice, the deterministic order. With the PolNeAR files it also checks that every document
exists in the pair's split and that every offset lies inside its text. Bad input: one line on stderr, exit 1.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "benchmarks" / "threads" / "polnear_pairs.jsonl"
LABELS = ("same", "different", "disputes")
SPLITS = ("train", "dev")
CONFIDENCES = ("sure", "unsure")
# Which categories a label may carry: a positive names how the two reports relate, a negative why they differ.
CATEGORIES = {
    "same": {"excerpt", "paraphrase", "summary", "relay", "reaction", "repeat", "republished", "writer-restates"},
    "different": {"hard-neg-topic", "hard-neg-parallel", "hard-neg-same-speaker", "hard-neg-numbers",
                  "hard-neg-negation"},
    "disputes": {"dispute"},
}
KEYS = {"a", "b", "label", "category", "confidence", "split", "stratum"}
# Where a pair was found: the strata of make_thread_pairs.py, the dispute search (make_dispute_candidates.py
# and the keyword search that followed it up), the review of first statements found outside their labelled
# thread, and the links a looser linker (containment 0.4) adds over the default one (make_looser_candidates.py;
# README).
STRATA = {"high", "contained", "negation", "medium", "loose", "same-speaker", "numbers", "parallel", "short",
          "dispute-search", "first-review", "looser"}


class PairError(ValueError):
    """A pair that breaks the schema or does not fit the corpus."""


def sort_key(pair: dict) -> tuple:
    return (pair["split"], pair["a"]["doc_id"], pair["a"]["content"], pair["b"]["doc_id"], pair["b"]["content"])


def check_spans(spans, where: str) -> None:
    if not isinstance(spans, list) or not spans:
        raise PairError(f"{where}: expected a non-empty list of [start, end]")
    for span in spans:
        if (not isinstance(span, list) or len(span) != 2 or not all(isinstance(x, int) for x in span)
                or not 0 <= span[0] < span[1]):
            raise PairError(f"{where}: bad span {span!r}")


def check_pair(pair: dict, where: str) -> None:
    if not isinstance(pair, dict) or set(pair) != KEYS:
        raise PairError(f"{where}: keys must be {sorted(KEYS)}")
    if pair["label"] not in LABELS:
        raise PairError(f"{where}: unknown label {pair['label']!r}")
    if pair["category"] not in CATEGORIES[pair["label"]]:
        raise PairError(f"{where}: category {pair['category']!r} does not go with label {pair['label']!r}")
    if pair["confidence"] not in CONFIDENCES or pair["split"] not in SPLITS:
        raise PairError(f"{where}: bad confidence or split")
    if pair["stratum"] not in STRATA:
        raise PairError(f"{where}: unknown stratum {pair['stratum']!r}")
    for key in ("a", "b"):
        side = pair[key]
        if not isinstance(side, dict) or set(side) != {"doc_id", "content", "source"}:
            raise PairError(f"{where}.{key}: keys must be doc_id, content, source")
        if not isinstance(side["doc_id"], str) or not side["doc_id"]:
            raise PairError(f"{where}.{key}: no doc_id")
        check_spans(side["content"], f"{where}.{key}.content")
        if side["source"] is not None:
            check_spans(side["source"], f"{where}.{key}.source")
    if pair["a"]["doc_id"] == pair["b"]["doc_id"]:
        raise PairError(f"{where}: both sides in document {pair['a']['doc_id']}")


def load_pairs(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PairError(f"cannot read {path}: {error.strerror}") from None
    pairs = []
    for number, line in enumerate(lines, 1):
        try:
            pair = json.loads(line)
        except json.JSONDecodeError as error:
            raise PairError(f"{path.name}:{number}: not JSON ({error.msg})") from None
        check_pair(pair, f"{path.name}:{number}")
        pairs.append(pair)
    keys = [json.dumps([p["a"], p["b"]], sort_keys=True) for p in pairs]
    if len(set(keys)) != len(keys):
        raise PairError(f"{path.name}: a pair is listed twice")
    if [sort_key(p) for p in pairs] != sorted(sort_key(p) for p in pairs):
        raise PairError(f"{path.name}: pairs are not in sorted order (split, a, b)")
    return pairs


def check_against_corpus(pairs: list[dict], articles: dict) -> None:
    for number, pair in enumerate(pairs, 1):
        for key in ("a", "b"):
            side = pair[key]
            article = articles.get(side["doc_id"])
            if article is None:
                raise PairError(f"pair {number}.{key}: no document {side['doc_id']} in the corpus")
            if article.get("split") != pair["split"]:
                raise PairError(f"pair {number}.{key}: {side['doc_id']} is in split {article.get('split')}, "
                                f"the pair says {pair['split']}")
            for start, end in side["content"] + (side["source"] or []):
                if end > len(article["text"]):
                    raise PairError(f"pair {number}.{key}: span [{start}, {end}] beyond the text of {side['doc_id']}")


def load_articles(paths: list[Path]) -> dict:
    articles = {}
    for path in paths:
        try:
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        article = json.loads(line)
                        articles[article["doc_id"]] = article
        except OSError as error:
            raise PairError(f"cannot read {path}: {error.strerror}") from None
        except (json.JSONDecodeError, KeyError):
            raise PairError(f"{path}: not PolNeAR JSON Lines") from None
    return articles


def counts(pairs: list[dict]) -> str:
    lines = [f"{len(pairs)} pairs"]
    for title, key in (("label", lambda p: p["label"]), ("split x label", lambda p: f"{p['split']} {p['label']}"),
                       ("category", lambda p: p["category"]), ("confidence", lambda p: p["confidence"]),
                       ("stratum", lambda p: p["stratum"])):
        tally = Counter(map(key, pairs))
        lines.append(f"{title}: " + ", ".join(f"{name} {tally[name]}" for name in sorted(tally)))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--polnear", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    try:
        pairs = load_pairs(args.pairs)
        if args.polnear:
            check_against_corpus(pairs, load_articles(args.polnear))
    except PairError as error:
        print(f"check_thread_pairs: error: {error}", file=sys.stderr)
        return 1
    print(counts(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
