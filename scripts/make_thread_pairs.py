#!/usr/bin/env python3
"""Generate candidate cross-document pairs of PolNeAR gold attribution contents, in strata, for labelling.

    python scripts/make_thread_pairs.py --polnear polnear_train.jsonl polnear_dev.jsonl \
        --out benchmarks/threads/candidates.jsonl [--seed 15] [--max-df 25]

The yardstick for claim threads (issue 15) must not flatter the project's linker, so this script uses none
of `kg`: the similarity is a plain TF-IDF cosine over lowercased word tokens of the two contents (sublinear
tf, idf from the contents of the same split), and candidates come from an inverted index over rare words
(document frequency <= --max-df contents), never from all pairs of contents. Pairs are kept within one
split, between different documents, and between different publishers or different days.

Each candidate is put in the first stratum it fits, in this order:
  high            cosine >= 0.6 (the same quotation excerpted by two outlets, mostly)
  contained       cosine < 0.6, at least three shared words, and the shared words carry >= half of the idf
                  weight of the shorter content's distinct words (an excerpt of a longer quotation, mostly)
  negation        cosine >= 0.3 and exactly one side carries a negation word
  medium          0.4 <= cosine < 0.6 (paraphrase, indirect speech, summary ... or a near miss)
  loose           0.25 <= cosine < 0.4 and at least two shared indexed (rare) words (a summary, or a look-alike)
  same-speaker    same source name (last capitalised word of the source), 0.1 <= cosine < 0.4
  numbers         share a number token, cosine < 0.4
  parallel        both sources named, different names, 0.15 <= cosine < 0.4
  short           a content of only 2-3 terms (one of them in <= --max-df contents) and a content of another
                  document that has all of its terms ("That makes me smart" across outlets); these short
                  contents stay out of every other stratum and out of the idf, so they change none of them
Every stratum is sampled (QUOTA pairs per split) with a seeded random generator, pairs of different publishers first, each content in
at most two sampled pairs. The output holds document ids, character offsets, the stratum and the cosine only:
never the texts (PolNeAR's texts are the publishers'; scripts take the path).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
NUMBER = re.compile(r"\d")
NEGATION = {"not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "deny", "denied", "denies",
            "false", "untrue", "didn't", "doesn't", "don't", "isn't", "wasn't", "won't", "can't", "couldn't",
            "wouldn't", "hasn't", "haven't", "aren't", "weren't", "didn’t", "doesn’t", "don’t", "isn’t",
            "wasn’t", "won’t", "can’t", "couldn’t", "wouldn’t", "hasn’t", "haven’t", "aren’t", "weren’t"}
# Function words never make two contents alike; the list is short and generic on purpose.
STOPWORDS = set("""a an the and or but if of to in on at by for with from as is are was were be been being it its
this that these those he she they we you i his her their our your my him them us me who whom which what when
where why how than then so do does did has have had will would can could should may might must shall there here
about into over after before also just more most some any all said says say told""".split())
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "his", "her", "their", "one"}
STRATA = ("high", "contained", "negation", "medium", "loose", "same-speaker", "numbers", "parallel", "short")
QUOTA = {"high": 200, "contained": 60, "negation": 30, "medium": 60, "loose": 40, "same-speaker": 30, "numbers": 25,
         "parallel": 25, "short": 40}
MIN_TERMS = 4  # fewer terms: a "short" content, paired only when another content has all its terms


def fail(message: str) -> None:
    print(f"make_thread_pairs: error: {message}", file=sys.stderr)
    raise SystemExit(1)


def load_articles(paths: list[Path]) -> list[dict]:
    articles = []
    for path in paths:
        try:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        try:
                            articles.append(json.loads(line))
                        except json.JSONDecodeError as error:
                            fail(f"{path}:{number}: not JSON ({error.msg})")
        except OSError as error:
            fail(f"cannot read {path}: {error.strerror}")
    return articles


def source_name(text: str, source: list | None) -> str | None:
    """The source's last capitalised word ("Donald J. Trump" -> "trump"), None for pronouns and no source."""
    if not source:
        return None
    words = re.findall(r"[A-Za-z][A-Za-z'’.-]*", " ".join(text[s:e] for s, e in source))
    names = [w.strip(".'’").lower() for w in words if w[0].isupper() and w.lower() not in PRONOUNS]
    names = [n.removesuffix("'s").removesuffix("’s") for n in names if len(n) > 1]
    return names[-1] if names else None


def described(article: dict, attribution: dict) -> dict:
    """Where an attribution is (split, document, publisher, date, offsets) and its source's name."""
    return {
        "split": article.get("split", "unknown"), "doc_id": article["doc_id"],
        "publisher": article["publisher"], "date": article["publication_date"],
        "content": [list(f) for f in attribution["content"]],
        "source": [list(f) for f in attribution["source"]] if attribution["source"] else None,
        "name": source_name(article["text"], attribution["source"]),
    }


def write_pairs(out: list[dict], path: Path, width: int) -> None:
    """The pairs as sorted-key JSON Lines at ``path``, then how many each split and stratum drew of its pool."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for pair in out:
            handle.write(json.dumps(pair, sort_keys=True) + "\n")
    counts = Counter((p["split"], p["stratum"]) for p in out)
    for key in sorted(counts):
        pool = next(p["pool"] for p in out if (p["split"], p["stratum"]) == key)
        print(f"{key[0]:6} {key[1]:{width}} {counts[key]:4} sampled of {pool}")


def contents_of(articles: list[dict]) -> list[dict]:
    contents = []
    for article in articles:
        text = article["text"]
        for attribution in article["attributions"]:
            words = WORD.findall(" ".join(text[s:e] for s, e in attribution["content"]).lower())
            terms = [w for w in words if w not in STOPWORDS and (len(w) > 2 or NUMBER.search(w))]
            if len(terms) < 2:  # no statement to recognise
                continue
            contents.append({
                **described(article, attribution),
                "terms": Counter(terms), "negated": any(w in NEGATION for w in words),
                "numbers": {w for w in terms if NUMBER.search(w)}, "short": len(terms) < MIN_TERMS,
            })
    return contents


def vectors(contents: list[dict]) -> tuple[list[dict], dict]:
    df = Counter(t for c in contents for t in c["terms"])
    n = len(contents)
    result = []
    for c in contents:
        weights = {t: (1 + math.log(k)) * math.log(n / df[t]) for t, k in c["terms"].items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        result.append({t: w / norm for t, w in weights.items()})
    return result, df


def shared_rare_words(contents: list[dict], df: dict, max_df: int,
                      keep: Callable[[dict, dict], bool] | None = None) -> dict[tuple[int, int], list[str]]:
    """Pairs of contents from different documents (and not one publisher's on one day) sharing words that 2 to
    ``max_df`` contents hold, with those words (inverted index; no all-pairs pass); ``keep`` narrows the pairs."""
    postings = defaultdict(list)
    for i, c in enumerate(contents):
        for t in sorted(c["terms"]):
            if 2 <= df[t] <= max_df:
                postings[t].append(i)
    shared = defaultdict(list)
    for t in sorted(postings):
        ids = postings[t]
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                a, b = contents[ids[x]], contents[ids[y]]
                if a["doc_id"] == b["doc_id"] or (keep is not None and not keep(a, b)):
                    continue
                if a["publisher"] == b["publisher"] and a["date"] == b["date"]:
                    continue
                shared[ids[x], ids[y]].append(t)
    return shared


def candidate_pairs(contents: list[dict], df: dict, max_df: int) -> Counter:
    """Pairs of contents from different documents sharing a rare word, with how many such words they share."""
    return Counter({pair: len(words) for pair, words in shared_rare_words(contents, df, max_df).items()})


def cosine(u: dict, v: dict) -> float:
    if len(u) > len(v):
        u, v = v, u
    return sum(w * v.get(t, 0.0) for t, w in u.items())


def containment(a: dict, b: dict, idf: dict) -> float:
    """The share of the shorter content's distinct words (weighted by idf) that the other content has too."""
    # Sums run over sorted words so that float rounding, hence the output, never depends on set order.
    small, big = sorted((sorted(a["terms"]), sorted(b["terms"])), key=lambda words: (sum(idf[t] for t in words), words))
    in_big = set(big)
    shared = [t for t in small if t in in_big]
    return sum(idf[t] for t in shared) / (sum(idf[t] for t in small) or 1.0)


def stratum(a: dict, b: dict, cos: float, shared: int, contained: float) -> str | None:
    if cos >= 0.6:
        return "high"
    if contained >= 0.5 and len(set(a["terms"]) & set(b["terms"])) >= 3:
        return "contained"
    if cos >= 0.3 and a["negated"] != b["negated"]:
        return "negation"
    if cos >= 0.4:
        return "medium"
    if cos >= 0.25 and shared >= 2:
        return "loose"
    if a["name"] and a["name"] == b["name"] and 0.1 <= cos < 0.4:
        return "same-speaker"
    if a["numbers"] & b["numbers"] and cos < 0.4:
        return "numbers"
    if a["name"] and b["name"] and a["name"] != b["name"] and 0.15 <= cos < 0.4:
        return "parallel"
    return None


def side(c: dict) -> dict:
    return {"doc_id": c["doc_id"], "content": c["content"], "source": c["source"]}


def pair_record(x: dict, y: dict, **fields) -> dict:
    """A candidate pair of two contents: the split, ``fields``, and the two sides in (document, offsets) order."""
    a, b = sorted((x, y), key=lambda c: (c["doc_id"], c["content"]))
    return {"split": a["split"], **fields, "a": side(a), "b": side(b)}


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments both candidate scripts take: the PolNeAR files, the output, the sampling seed."""
    parser.add_argument("--polnear", type=Path, nargs="+", required=True, help="PolNeAR JSON Lines files")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=15)


def short_pairs(contents: list[dict], max_df: int) -> list[tuple[int, int]]:
    """Pairs of a short content and a content of another document holding all its terms."""
    df = Counter(t for c in contents for t in c["terms"])
    postings = defaultdict(set)
    for i, c in enumerate(contents):
        for t in c["terms"]:
            postings[t].add(i)
    pairs = set()
    for i, c in enumerate(contents):
        if not c["short"] or min(df[t] for t in c["terms"]) > max_df:
            continue
        for j in set.intersection(*(postings[t] for t in c["terms"])):
            other = contents[j]
            if other["doc_id"] == c["doc_id"] or (other["publisher"] == c["publisher"] and other["date"] == c["date"]):
                continue
            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def sample_split(everything: list[dict], max_df: int, rng: random.Random) -> list[dict]:
    contents = [c for c in everything if not c["short"]]
    vecs, df = vectors(contents)
    by_stratum = defaultdict(list)
    idf = {t: math.log(len(contents) / k) for t, k in df.items()}
    shared_words = candidate_pairs(contents, df, max_df)
    for i, j in sorted(shared_words):
        cos = cosine(vecs[i], vecs[j])
        contained = containment(contents[i], contents[j], idf)
        name = stratum(contents[i], contents[j], cos, shared_words[i, j], contained)
        if name:
            by_stratum[name].append((contents[i], contents[j], round(cos, 4)))
    by_stratum["short"] = [(everything[i], everything[j], None) for i, j in short_pairs(everything, max_df)]
    chosen = []
    uses = Counter()
    for name in STRATA:
        pool = by_stratum[name]
        keyed = sorted(pool, key=lambda p: (p[0]["publisher"] == p[1]["publisher"], rng.random()))
        taken = 0
        for x, y, cos in keyed:
            if taken == QUOTA[name]:
                break
            kx, ky = (x["doc_id"], str(x["content"])), (y["doc_id"], str(y["content"]))
            if uses[kx] >= 2 or uses[ky] >= 2:
                continue
            uses[kx] += 1
            uses[ky] += 1
            taken += 1
            chosen.append(pair_record(x, y, stratum=name, cosine=cos, pool=len(pool)))
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(parser)
    parser.add_argument("--max-df", type=int, default=25, help="a word in more contents is not indexed")
    args = parser.parse_args()
    contents = contents_of(load_articles(args.polnear))
    splits = sorted({c["split"] for c in contents})
    out = []
    for split in splits:
        rng = random.Random(f"{args.seed}:{split}")
        out.extend(sample_split([c for c in contents if c["split"] == split], args.max_df, rng))
    for number, pair in enumerate(out):
        pair["id"] = f"{pair['split']}-{pair['stratum']}-{number:04d}"
    write_pairs(out, args.out, 13)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
