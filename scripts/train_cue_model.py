#!/usr/bin/env python3
"""Train the (cue verb, frame) logistic model on PolNeAR's *train* split; writes kg/data/cue_model.json.

    python scripts/train_cue_model.py [--train TRAIN.jsonl] [--cache DOCS.spacy] [--epochs 8]

Run scripts/train_cue_lexicon.py first (the model uses the lexicon's frame probabilities as features). Only
the train split is read. The output holds feature weights (words, dependency labels), no corpus text:
PolNeAR's texts are publishers' articles for research use only and stay outside the repository.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg.extract import cuemodel  # noqa: E402
from kg.extract.frames import frame_options  # noqa: E402
from kg.extract.lexicon import load as load_lexicon  # noqa: E402
from kg.extract.quotes import find_quotes  # noqa: E402
from train_cue_lexicon import DEFAULT_TRAIN, best_frame, char_tokens, cue_heads, load_split  # noqa: E402

MIN_FEATURE_COUNT = 3  # rarer features only memorise single articles
L2 = 1e-4
CONTEXT_RATE = 0.05  # the dense context weights move together: a smaller step than the sparse ones


def instances(records, docs, lexicon):
    """(features, label) for every (candidate cue verb, frame) pair, as the extractor will see them."""
    for record, doc in zip(records, docs):
        quotes = find_quotes(doc.text)
        gold = cue_heads(doc, record, ("VERB", "AUX"))
        for token in doc:
            if token.pos_ not in ("VERB", "AUX"):
                continue
            lemma = token.lemma_.lower()
            if token.pos_ == "AUX" and lemma not in lexicon.verb_lemmas:
                continue  # the extractor scores every verb, and auxiliaries only when listed
            if any(s < token.idx < e - 1 for s, e in quotes):
                continue
            options = frame_options(token)
            attribution = gold.get(token.i)
            right = best_frame(options, char_tokens(doc, attribution["content"])) if attribution else None
            for frame, indices in options.items():
                yield (cuemodel.features(token, frame, indices, lexicon, quotes), frame == right,
                       cuemodel.context_vector(token, indices))


def train(data, epochs: int, rate: float = 0.2, vectors=None):
    """Logistic regression by Adagrad over sparse binary features, and over a dense context vector per row
    when ``vectors`` are given. Returns (feature weights, context weights or None)."""
    counts: dict[str, int] = {}
    for feats, _ in data:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT))}
    rows = [(numpy.array([vocab[f] for f in feats if f in vocab], dtype=numpy.int64), float(label))
            for feats, label in data]
    weights = numpy.zeros(len(vocab))
    history = numpy.full(len(vocab), 1e-8)
    context = numpy.zeros(len(vectors[0])) if vectors else None
    context_history = numpy.full(len(vectors[0]), 1e-8) if vectors else None
    rng = numpy.random.default_rng(0)
    for epoch in range(epochs):
        loss = 0.0
        for index in rng.permutation(len(rows)):
            features, label = rows[index]
            z = weights[features].sum()
            if context is not None:
                z += vectors[index] @ context
            p = 1.0 / (1.0 + numpy.exp(-z))
            loss -= numpy.log(p if label else 1 - p + 1e-12)
            gradient = (p - label) + L2 * weights[features]
            history[features] += gradient ** 2
            weights[features] -= rate * gradient / numpy.sqrt(history[features])
            if context is not None:
                context_gradient = (p - label) * vectors[index] + L2 * context
                context_history += context_gradient ** 2
                context -= CONTEXT_RATE * context_gradient / numpy.sqrt(context_history)
        print(f"epoch {epoch + 1}: mean log loss {loss / len(rows):.4f}", file=sys.stderr)
    sparse = {f: round(float(weights[i]), 4) for f, i in vocab.items() if abs(weights[i]) >= 1e-3}
    return sparse, None if context is None else [round(float(w), 4) for w in context]


def training_arguments(description: str, out_file: str) -> argparse.Namespace:
    """The options every model trainer here takes: the train split, a parse cache, epochs, the output."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--cache", type=Path, help="a DocBin file to reuse the parses between runs")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / out_file)
    return parser.parse_args()


def training_data(description: str, out_file: str, program: str, make_instances):
    """(options, training rows) for a model trainer, or None after saying why the split cannot be read."""
    args = training_arguments(description, out_file)
    loaded = load_split(args.train, args.cache, program)
    if loaded is None:
        return None
    records, docs = loaded
    return args, list(make_instances(records, docs, load_lexicon()))


def main() -> int:
    prepared = training_data(__doc__, cuemodel.MODEL_FILE, "train_cue_model", instances)
    if prepared is None:
        return 1
    args, data = prepared
    positives = sum(label for _, label, _ in data)
    print(f"{len(data):,} candidate (verb, frame) pairs, {positives:,} positive", file=sys.stderr)
    weights, context = train([(feats, label) for feats, label, _ in data], args.epochs,
                             vectors=[vector for _, _, vector in data])
    args.out.write_text(json.dumps({"trained_on": "PolNeAR train split", "pairs": len(data), "weights": weights,
                                    "context_weights": context}, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(weights):,} feature weights and {len(context)} context weights -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
