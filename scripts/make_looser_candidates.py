#!/usr/bin/env python3
"""Candidate claim pairs that a looser thread linker joins and the default one does not (stratum `looser`).

    python scripts/make_looser_candidates.py \
        --polnear ../shared/benchmarks/polnear/polnear_train.jsonl ../shared/benchmarks/polnear/polnear_dev.jsonl \
        --cache /tmp/an/threads-train-s12.nq /tmp/an/threads-dev-s12.nq \
        --out benchmarks/threads/looser_candidates.jsonl

The labelled pairs of polnear_pairs.jsonl were drawn without the linker, so they barely see the links a
looser linker adds between claims nobody labelled. This draws exactly those: per split, the split's claims
(extracted as scripts/eval_threads.py does, from the given cache) are linked twice, with the default
thresholds and with the looser ones (--containment, default 0.4); a candidate is a `same` edge of the looser
index that the default index lacks and whose two claims share a thread in the looser run but not in the
default one (a stored edge that clusters nothing changes no score). Each claim is mapped to the gold PolNeAR
attribution whose content overlaps its [start, end) most; pairs whose two claims both map, in different
documents, and that are not in --skip (the labelled set) are shuffled with a seeded Random and the first
--train / --dev of each split kept. The output holds ids and offsets only, never text, sorted by
(split, a, b), byte-identical under any PYTHONHASHSEED. Bad input: one line on stderr, exit 1.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from check_thread_pairs import sort_key  # noqa: E402
from eval_threads import article_ids, extract_split, link as link_all, overlap  # noqa: E402

from kg.threads.claims import read_claims  # noqa: E402
from kg.threads.match import DEFAULT  # noqa: E402

PAIRS = ROOT / "benchmarks" / "threads" / "polnear_pairs.jsonl"


def link(claims: list, limits) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """The `same` edges (claim IRIs, lesser first) and each claim's thread, linked as eval_threads.score does."""
    linker, change = link_all(claims, limits)
    edges = {tuple(sorted(row)) for row in linker.index.db.execute("SELECT first, second FROM edge WHERE kind = 'same'")}
    return edges, {m.iri: t.iri for t in change.threads for m in t.members}


def added_links(claims: list, looser) -> list[tuple[str, str]]:
    """Edges of the looser run missing from the default run that join two claims the default run keeps apart."""
    default_edges, default_thread = link(claims, DEFAULT)
    looser_edges, looser_thread = link(claims, looser)
    return sorted((a, b) for a, b in looser_edges - default_edges
                  if looser_thread.get(a) and looser_thread.get(a) == looser_thread.get(b)
                  and not (default_thread.get(a) and default_thread.get(a) == default_thread.get(b)))


def gold_side(claim, doc_ids: list[str], gold: dict[str, list[dict]]) -> dict | None:
    """The gold attribution (as a pair side) whose content overlaps the claim's [start, end) most, over the
    claim's document ids (a republished text is one article with several ids); None when none overlaps."""
    best, best_overlap = None, 0
    for doc_id in doc_ids:
        for attribution in gold.get(doc_id, []):
            covered = overlap(attribution["content"], claim.start, claim.end)
            side = {"doc_id": doc_id, "content": attribution["content"], "source": attribution["source"]}
            if covered > best_overlap or (covered == best_overlap and covered and
                                          (side["doc_id"], side["content"]) < (best["doc_id"], best["content"])):
                best, best_overlap = side, covered
    return best


def pair_key(pair: dict) -> str:
    return json.dumps([pair["a"], pair["b"]], sort_keys=True)


def candidates(split: str, docs: list[dict], cache: Path, looser, skip: set[str]) -> list[dict]:
    """The split's added links as gold pairs: both sides mapped, different documents, not labelled yet, once each."""
    store = extract_split(docs, cache)
    ids = article_ids(store)
    claims = read_claims(store)
    by_iri = {c.iri: c for c in claims}
    gold = {d["doc_id"]: d["attributions"] for d in docs}
    found = {}
    for first, second in added_links(claims, looser):
        sides = [gold_side(by_iri[iri], ids.get(by_iri[iri].article, []), gold) for iri in (first, second)]
        if None in sides or sides[0]["doc_id"] == sides[1]["doc_id"]:
            continue
        a, b = sorted(sides, key=lambda s: (s["doc_id"], s["content"]))
        pair = {"a": a, "b": b, "split": split, "stratum": "looser"}
        if pair_key(pair) not in skip:
            found.setdefault(pair_key(pair), pair)
    return [found[key] for key in sorted(found)]


def sample(pool: list[dict], split: str, quota: int, seed: int) -> list[dict]:
    rng = random.Random(f"{seed}:looser:{split}")
    shuffled = list(pool)  # sorted by key already, so the shuffle alone decides
    rng.shuffle(shuffled)
    return [dict(p, pool=len(pool)) for p in shuffled[:quota]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, nargs="+", required=True, help="PolNeAR splits (JSON Lines)")
    parser.add_argument("--cache", type=Path, nargs="+", required=True,
                        help="the extraction of each --polnear file (N-Quads, eval_threads.py --cache), same order")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="labelled pairs to leave out")
    parser.add_argument("--containment", type=float, default=0.4)
    parser.add_argument("--train", type=int, default=60)
    parser.add_argument("--dev", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    if len(args.cache) != len(args.polnear):
        print("make_looser_candidates: error: give one --cache per --polnear file", file=sys.stderr)
        return 1
    for cache in args.cache:
        if not cache.is_file():  # extract_split would extract the whole split: not this script's job
            print(f"make_looser_candidates: error: no extraction cache {cache} (run eval_threads.py --cache)",
                  file=sys.stderr)
            return 1
    try:
        skip = {pair_key(json.loads(line)) for line in args.pairs.open(encoding="utf-8") if line.strip()}
        splits = []
        for path in args.polnear:
            docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
            names = {d["split"] for d in docs}
            if len(names) != 1 or not all("text" in d and "attributions" in d for d in docs):
                raise ValueError(f"{path}: not one split of PolNeAR articles")
            splits.append((names.pop(), docs))
    except (OSError, ValueError, KeyError) as error:
        print(f"make_looser_candidates: error: {error}", file=sys.stderr)
        return 1
    looser = dataclasses.replace(DEFAULT, containment=args.containment)
    quotas = {"train": args.train, "dev": args.dev}
    out = []
    for (split, docs), cache in zip(splits, args.cache):
        pool = candidates(split, docs, cache, looser, skip)
        out += sample(pool, split, quotas.get(split, 0), args.seed)
        print(f"{split}: {len(pool)} new pairs joined only by the looser linker, {min(len(pool), quotas.get(split, 0))} "
              f"sampled", file=sys.stderr)
    out.sort(key=sort_key)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        numbers: dict[str, int] = defaultdict(int)
        for pair in out:
            number = numbers[pair["split"]]
            numbers[pair["split"]] += 1
            handle.write(json.dumps(dict(pair, id=f"{pair['split']}-looser-{number:04d}"), sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
