#!/usr/bin/env python3
"""Generate candidate cross-document *dispute* pairs of PolNeAR gold attributions, for labelling by reading.

    python scripts/make_dispute_candidates.py --polnear polnear_train.jsonl polnear_dev.jsonl \
        --out benchmarks/threads/dispute_candidates.jsonl [--seed 15] [--max-df 0.012]

Issue 15 wants disputes across articles ("the ministry denied that ...", "X never said ...", "that claim is
false") linked to the claim they dispute. The yardstick must not flatter the project's linker, so this script
uses none of `kg`; it shares only the plain word tokens, stopwords and source-name rule of
make_thread_pairs.py. A candidate is a pair of gold attributions from two different documents of one split
(not the same publisher on the same day) where

  - one side (the "denial") has a denial or rejection marker: a word or phrase of DENIAL_CUE in its cue, or
    of DENIAL_CONTENT in its content. The markers are data below, not a model: edit the lists to widen or
    narrow the search;
  - the two contents share at least --min-shared rare content words (in 2 contents of the split up to
    --max-df, a share of the split's contents: 0.012 is 26 in dev, 238 in train), the marker words
    themselves not counted. Pairs come from an inverted index over those rare words, never from all pairs
    of contents.

Pairs are unordered, so both directions are found: a denial with the earlier claim it answers
(`denial-later`) and a claim reported after a denial of it, or two denials of one claim (`denial-earlier`,
`both-deny`). Each candidate's stratum says where the marker is (`cue` when a denial side has it in its
cue, else `content`). Each denial keeps its --per-denial best partners by `weight`, the idf-weighted share
of the denial's content words that the partner has (at least --min-weight); per split and stratum all of
them are kept up to QUOTA, a seeded random sample beyond. The output holds ids, offsets, the stratum,
direction, shared-word count and weight only, never the texts, and is byte-identical under any
PYTHONHASHSEED (every loop runs over sorted keys; sums run over sorted words).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_thread_pairs import (NUMBER, STOPWORDS, WORD, add_corpus_arguments, described,  # noqa: E402
                               load_articles, pair_record, shared_rare_words, write_pairs)

# Denial or rejection markers, as lowercased word sequences matched against the word tokens (WORD) of the cue
# or the content. Data, not a model: the lists were written from a reading of how news reports disputes, and
# deliberately include loose ones ("wrong", "ridiculous"): the labeller, not this list, decides.
DENIAL_CUE = [
    "deny", "denies", "denied", "denying", "denial", "denials", "reject", "rejects", "rejected", "rejecting",
    "dispute", "disputes", "disputed", "disputing", "dismiss", "dismisses", "dismissed", "dismissing",
    "refute", "refutes", "refuted", "rebut", "rebuts", "rebutted", "debunk", "debunked", "debunks",
    "contradict", "contradicts", "contradicted", "countered", "push back", "pushed back", "pushes back",
    "disavow", "disavowed", "scoff", "scoffed", "brushed off", "shot down", "fact check", "fact checked",
    "corrected", "insisted", "insists", "retracted", "walked back", "backtracked",
]
DENIAL_CONTENT = [
    "false", "falsely", "untrue", "not true", "isn't true", "isn’t true", "wasn't true", "wasn’t true",
    "lie", "lies", "lied", "lying", "liar", "liars", "never said", "never did", "never was", "never been",
    "did not say", "didn't say", "didn’t say", "no evidence", "no proof", "no basis", "baseless",
    "debunk", "debunked", "wrong", "mislead", "misleading", "misled", "misleads", "misrepresent",
    "misrepresented", "mischaracterize", "mischaracterized", "distort", "distorted", "distortion",
    "fabricated", "fabrication", "made up", "nonsense", "bogus", "absurd", "ridiculous", "hoax",
    "conspiracy theory", "inaccurate", "incorrect", "not accurate", "no truth", "fake", "smear", "smears",
    "deny", "denies", "denied", "pinocchio", "pinocchios", "pants on fire", "totally false", "categorically",
]
QUOTA = {"cue": 150, "content": 150}
STRATA = ("cue", "content")


def phrases(words: list[str], markers: list[str]) -> set[str]:
    """The markers (one or more words) that occur as whole-word sequences in words."""
    joined = " " + " ".join(words) + " "
    return {m for m in markers if " " + m + " " in joined}


def contents_of(articles: list[dict]) -> list[dict]:
    contents = []
    for article in articles:
        text = article["text"]
        for attribution in article["attributions"]:
            words = WORD.findall(" ".join(text[s:e] for s, e in attribution["content"]).lower())
            cue_words = WORD.findall(" ".join(text[s:e] for s, e in attribution["cue"] or []).lower())
            terms = sorted({w for w in words if w not in STOPWORDS and (len(w) > 2 or NUMBER.search(w))})
            if len(terms) < 2:  # no proposition to match
                continue
            cue_marks, content_marks = phrases(cue_words, DENIAL_CUE), phrases(words, DENIAL_CONTENT)
            # The marker words say "denial", not what is denied: they never count as a shared word.
            marker_words = {w for m in cue_marks | content_marks for w in m.split()}
            contents.append({
                **described(article, attribution),
                "terms": [t for t in terms if t not in marker_words],
                "denial": "cue" if cue_marks else "content" if content_marks else None,
            })
    return contents


def shared_rare(contents: list[dict], max_share: float) -> tuple[dict, dict]:
    """For each pair of contents (different documents, not one publisher's same day) with a denial side: the
    rare words they share (words in 2 to max_share of the contents), and the words' idf."""
    df = Counter(t for c in contents for t in c["terms"])
    # A share, not a count: train has ten times dev's contents, and a name like "saudi" is rare in both.
    max_df = max(2, round(max_share * len(contents)))
    shared = shared_rare_words(contents, df, max_df, keep=lambda a, b: bool(a["denial"] or b["denial"]))
    idf = {t: math.log(len(contents) / k) for t, k in df.items()}
    return shared, idf


def covered(denial: dict, words: list[str], idf: dict) -> float:
    """The share of the denial's content words, weighted by idf, that the other content has: a denial is short
    ("denied any role in the attacks") and the claim it answers should hold most of what it names."""
    return sum(idf[t] for t in sorted(words)) / (sum(idf[t] for t in denial["terms"]) or 1.0)


def direction(a: dict, b: dict) -> str:
    if a["denial"] and b["denial"]:
        return "both-deny"
    denial, claim = (a, b) if a["denial"] else (b, a)
    return "denial-later" if denial["date"] >= claim["date"] else "denial-earlier"


def best_partners(contents: list[dict], args: argparse.Namespace) -> list[tuple]:
    """Each denial's --per-denial best-matched contents of other documents (by weight, ties by offsets), with
    at least --min-shared rare words and weight >= --min-weight: the claims it most likely answers."""
    shared, idf = shared_rare(contents, args.max_df)
    partners = defaultdict(list)
    for (i, j), words in sorted(shared.items()):
        if len(words) < args.min_shared:
            continue
        for d, o in ((i, j), (j, i)):
            if contents[d]["denial"]:
                partners[d].append((round(covered(contents[d], words, idf), 4), len(words), o))
    pairs = {}
    for d in sorted(partners):
        ranked = sorted(partners[d], key=lambda p: (-p[0], -p[1], p[2]))
        for weight, count, o in ranked[:args.per_denial]:
            if weight >= args.min_weight:
                key = (min(d, o), max(d, o))
                pairs[key] = max(pairs.get(key, (0.0, 0)), (weight, count))
    return [(contents[i], contents[j], count, weight) for (i, j), (weight, count) in sorted(pairs.items())]


def sample_split(contents: list[dict], args: argparse.Namespace, rng: random.Random) -> list[dict]:
    pools = defaultdict(list)
    for a, b, count, weight in best_partners(contents, args):
        pools["cue" if "cue" in (a["denial"], b["denial"]) else "content"].append((a, b, count, weight))
    chosen = []
    for name in STRATA:
        pool = pools[name]
        # All of a small pool; of a large one a seeded sample, so that the weaker matches are seen too.
        taken = pool if len(pool) <= QUOTA[name] else rng.sample(pool, QUOTA[name])
        for a, b, count, weight in taken:
            chosen.append(pair_record(a, b, stratum=name, direction=direction(a, b), shared=count, weight=weight,
                                      pool=len(pool)))
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(parser)
    parser.add_argument("--max-df", type=float, default=0.012,
                        help="a word in more than this share of the split's contents is not indexed")
    parser.add_argument("--min-shared", type=int, default=2, help="rare words two contents must share")
    parser.add_argument("--per-denial", type=int, default=2, help="best-matched contents kept for each denial")
    parser.add_argument("--min-weight", type=float, default=0.3,
                        help="least share of a denial's words (by idf) its partner must have")
    args = parser.parse_args()
    try:
        contents = contents_of(load_articles(args.polnear))
    except (KeyError, TypeError, ValueError) as error:
        print(f"make_dispute_candidates: error: not PolNeAR articles ({type(error).__name__}: {error})",
              file=sys.stderr)
        return 1
    out = []
    for split in sorted({c["split"] for c in contents}):
        rng = random.Random(f"{args.seed}:{split}:disputes")
        out.extend(sample_split([c for c in contents if c["split"] == split], args, rng))
    out.sort(key=lambda p: (p["split"], p["stratum"], -p["weight"], p["a"]["doc_id"], p["a"]["content"],
                            p["b"]["doc_id"], p["b"]["content"]))
    for number, pair in enumerate(out):
        pair["id"] = f"{pair['split']}-dispute-{pair['stratum']}-{number:04d}"
    write_pairs(out, args.out, 8)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
