#!/usr/bin/env python3
"""Train the content-extent models on PolNeAR's *train* split; writes kg/data/extent_model.json.

    python scripts/train_extent_model.py [--train TRAIN.jsonl] [--cache DOCS.spacy] [--epochs 8]

For each gold attribution whose cue is a verb, the frame its content lies in is found as the cue model's
training does; then (1) each other dependent of the verb is labelled by whether the gold content covers it
("see [Clinton] as the better candidate", "said [on Tuesday] that ...") and (2) a prepositional frame's
preposition by whether the gold content starts with it ("described him [as] a liar"). The output holds
feature weights (words, dependency labels), no corpus text: PolNeAR's texts are publishers' articles for
research use only and stay outside the repository.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg.extract import extent  # noqa: E402
from kg.extract.frames import frame_options  # noqa: E402
from train_cue_lexicon import best_frame, char_tokens, cue_heads  # noqa: E402
from train_cue_model import train, training_data  # noqa: E402

COVERED = 0.5  # a dependent is content when the gold content holds at least half of its words


def instances(records, docs, lexicon):
    """(model name, features, label) for every decision the extent step makes on a gold attribution."""
    for record, doc in zip(records, docs):
        for head, attribution in cue_heads(doc, record, ("VERB", "AUX")).items():
            verb = doc[head]
            content = char_tokens(doc, attribution["content"])
            options = frame_options(verb)
            frame = best_frame(options, content)
            if frame is None:
                continue
            indices = options[frame]
            if frame.startswith("prep-"):
                preposition = extent.frame_preposition(verb, frame)
                yield "preposition", extent.preposition_features(verb, frame), preposition.i in content
            if min(indices) < verb.i:
                continue
            hand = lexicon.verbs.get(verb.lemma_.lower())
            addressee = hand is not None and hand.object == "addressee"
            for child in extent.candidate_siblings(verb, indices):
                words = {t.i for t in child.subtree}
                yield ("sibling", extent.sibling_features(verb, frame, indices, child, addressee),
                       len(words & content) >= COVERED * len(words))


def main() -> int:
    prepared = training_data(__doc__, extent.EXTENT_FILE, "train_extent_model", instances)
    if prepared is None:
        return 1
    args, data = prepared
    models = {}
    for name in ("sibling", "preposition"):
        rows = [(feats, label) for model, feats, label in data if model == name]
        print(f"{name}: {len(rows):,} decisions, {sum(label for _, label in rows):,} in the content", file=sys.stderr)
        models[name], _ = train(rows, args.epochs)
    args.out.write_text(json.dumps({"trained_on": "PolNeAR train split", "models": models}, sort_keys=True) + "\n",
                        encoding="utf-8")
    print(f"{sum(map(len, models.values())):,} feature weights -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
