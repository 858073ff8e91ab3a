#!/usr/bin/env python3
"""Score claim threads on the labelled PolNeAR claim pairs (benchmarks/threads/polnear_pairs.jsonl).

    python scripts/eval_threads.py --polnear ../shared/benchmarks/polnear/polnear_dev.jsonl --split dev
    python scripts/eval_threads.py --polnear .../polnear_train.jsonl --split train --grid

Every article of the split is extracted (the same code path as `kg extract`, with the article's publisher
and date), its claims are linked into threads by kg.threads exactly as `kg extract`/`kg ingest` do, and
each labelled pair side (document id + gold content offsets) is mapped to the extracted claim of that
document overlapping it most. A pair is predicted "same" when both sides map to claims of one thread.
Prints pairwise precision/recall/F1 (label `same` positive; `different` and `disputes` negative),
B-cubed F1 over the pair sides (gold clusters: connected components of `same` pairs), the share of gold
threads whose first statement is found right (the predicted thread's first claim lies in the gold
thread's earliest-dated article), and the disputes: labelled `disputes` pairs found (one side disputes the other's
thread, or the other claim itself when no thread holds it) and labelled pairs that are no dispute predicted one. `--grid` tries thresholds (tune on train).
`--part tune|held-out` scores one part of the train pairs (held_out(): tune on one, check on the other), `--part
all` both parts and the whole split from one linking, a line each (a third of the time of three runs).
`--misses` counts the missed `same` pairs by cause (miss_cause()) instead; `--show` prints each with its texts, read
from the corpus at run time.
PolNeAR's texts are read from the given path and never copied into the repository; the extraction is
cached as N-Quads under --cache (default: a temporary folder named after the split).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg.threads import Linker, ThreadIndex  # noqa: E402
from kg.threads.link import Change  # noqa: E402
from kg.threads.claims import read_claims  # noqa: E402
from kg.threads.features import features  # noqa: E402
from kg.threads.match import (DEFAULT, Thresholds, disagree, overlap as content_overlap, relation,  # noqa: E402
                              said_briefly, same_speaker)


def extract_split(docs: list[dict], cache: Path) -> ox.Store:
    """Every article's quads (cached), loaded into an in-memory store."""
    if not cache.is_file():
        from kg.article import article_from_text
        from kg.pipeline import extract_articles
        from kg.rdf import extraction_quads, serialize

        started = time.monotonic()
        articles = (article_from_text(d["text"], identifier=d["doc_id"], structured=False,
                                      publisher=d.get("publisher"), date=d.get("publication_date")) for d in docs)
        quads = [q for x in extract_articles(articles) for q in extraction_quads(x)[1]]
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(serialize(quads, ox.RdfFormat.N_QUADS))
        print(f"extracted {len(docs)} articles in {time.monotonic() - started:.0f} s -> {cache}", file=sys.stderr)
    store = ox.Store()
    store.bulk_load(path=str(cache), format=ox.RdfFormat.N_QUADS)
    return store


def article_ids(store: ox.Store) -> dict[str, list[str]]:
    """Article IRI -> its document ids (dcterms:identifier). An article without a URL is identified by its
    text, so a corpus's byte-identical republications (PolNeAR has 26 such pairs) are one article with
    several ids: each id reaches its claims."""
    query = ("SELECT ?d ?id WHERE { ?d a <https://w3id.org/claimkg#NewsArticle> ; "
             "<http://purl.org/dc/terms/identifier> ?id }")
    ids = defaultdict(list)
    for row in store.query(query, use_default_graph_as_union=True):
        ids[row["d"].value].append(row["id"].value)
    return {iri: sorted(found) for iri, found in ids.items()}


def side_key(side: dict) -> tuple:
    return (side["doc_id"], tuple(map(tuple, side["content"])))


def overlap(spans: list, start: int, end: int) -> int:
    """Characters of [start, end) that the spans (a gold content's fragments) cover."""
    return sum(max(0, min(stop, end) - max(begin, start)) for begin, stop in spans)


def map_side(side: dict, claims_by_doc: dict[str, list]) -> str | None:
    """The claim of the side's document overlapping its gold content most (None when none overlaps)."""
    best, best_overlap = None, 0
    for claim in claims_by_doc.get(side["doc_id"], []):
        covered = overlap(side["content"], claim.start, claim.end)
        if covered > best_overlap or (covered == best_overlap and covered and claim.iri < best.iri):
            best, best_overlap = claim, covered
    return best.iri if best else None


def nested_claims(side: dict, claims_by_doc: dict[str, list]) -> list[str]:
    """The claims of the side's document lying mostly (half or more of their own text) inside its gold content:
    the pieces of a quotation the extractor cut in two, a claim nested in a longer gold content."""
    return sorted(claim.iri for claim in claims_by_doc.get(side["doc_id"], [])
                  if 2 * overlap(side["content"], claim.start, claim.end) >= max(1, claim.end - claim.start))


def miss_cause(pair: dict, claims: dict, claims_by_doc: dict[str, list], thread_of: dict[str, str],
               limits: Thresholds = DEFAULT) -> str | None:
    """Why a labelled `same` pair is not predicted (None when it is), the first cause that applies, in this order:
    `unmapped` (a side overlaps no extracted claim: the extractor missed it), `fragment` (the best claims of the
    sides are apart, but another claim nested in one side shares a thread with the other's), `split` (the two
    claims are linked, but clustering put them in two threads), `speaker` (two speakers that cannot be one),
    `disagree-numbers|dates|names`, `overlap` (too few content words in common), `brief` (a phrase in common),
    `other` (a negation on one side, a denial)."""
    a, b = map_side(pair["a"], claims_by_doc), map_side(pair["b"], claims_by_doc)
    if (a is not None and a == b) or (thread_of.get(a) is not None and thread_of.get(a) == thread_of.get(b)):
        return None
    if a is None or b is None:
        return "unmapped"
    threads_a = {thread_of.get(iri) for iri in nested_claims(pair["a"], claims_by_doc) + [a]} - {None}
    threads_b = {thread_of.get(iri) for iri in nested_claims(pair["b"], claims_by_doc) + [b]} - {None}
    if threads_a & threads_b:
        return "fragment"
    x, y = claims[a], claims[b]
    fx, fy = features(x.text), features(y.text)
    edge = relation(x, fx, y, fy, limits)
    if edge is not None and edge.kind.value == "same":
        return "split"
    if not same_speaker(x, y):
        return "speaker"
    what = disagree(fx, fy)
    if what:
        return f"disagree-{what}"
    if content_overlap(fx, fy, limits) < limits.containment:
        return "overlap"
    return "brief" if said_briefly(fx, fy) else "other"


def components(items: list, pairs: list[tuple]) -> dict:
    parent = {item: item for item in items}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    return {item: root(item) for item in items}


def held_out(pairs: list[dict]) -> set[int]:
    """The indexes of the pairs held out of tuning, about a third, whole gold components at a time: the
    components of the `same` pairs, a negative pair going with the component of its lesser side. A component
    is held out when sha256("recall:" + the doc_id of its least side) is 0 modulo 3, so a change is never
    tuned on one claim of a thread and judged on another, and the split is the same in every run."""
    keys = [(side_key(p["a"]), side_key(p["b"])) for p in pairs]
    same = [(a, b) for (a, b), p in zip(keys, pairs) if p["label"] == "same"]
    component = components(sorted({key for pair in keys for key in pair}), same)
    least: dict = {}
    for key, root in component.items():
        least[root] = min(least.get(root, key), key)

    def part(root) -> int:
        return int(hashlib.sha256(("recall:" + least[root][0]).encode("utf-8")).hexdigest(), 16) % 3

    return {i for i, (a, b) in enumerate(keys) if part(component[min(a, b)]) == 0}


def link(claims, limits: Thresholds) -> tuple[Linker, Change]:
    """Every claim linked into threads at once, as `kg extract` links files given together."""
    linker = Linker(ThreadIndex(), limits)
    by_article = defaultdict(list)
    for claim in claims:
        by_article[claim.article].append(claim)
    return linker, linker.update({article: (article, members) for article, members in by_article.items()})


def parts(pairs: list[dict], which: str | None) -> list[tuple[str, list[dict]]]:
    """The pairs to score, by part: one part (``tune``, ``held-out``), every part and the whole split (``all``),
    or the whole split (None)."""
    held = held_out(pairs)
    split = {"tune": [p for i, p in enumerate(pairs) if i not in held],
             "held-out": [p for i, p in enumerate(pairs) if i in held]}
    if which is None:
        return [("split", pairs)]
    return [*split.items(), ("split", pairs)] if which == "all" else [(which, split[which])]


def score(pairs: list[dict], claims_by_doc: dict[str, list], article_ids: dict[str, list[str]],
          dates: dict[str, str], change: Change) -> dict:
    """The scores of ``pairs`` on the threads of ``change`` (link(): every claim linked once for all parts)."""
    thread_of = {m.iri: t.iri for t in change.threads for m in t.members}
    first_of = {t.iri: t.first for t in change.threads}
    # (disputing claim, disputed thread), and (disputing claim, disputed claim) for a claim no thread holds
    disputed = {(d, t.iri) for t in change.threads for d in t.disputers}
    disputed |= {(d, claim) for claim, disputers in change.disputes.items() for d in disputers}
    mapped = {}
    tp = fp = fn = tn = 0
    unmapped = 0
    dispute_found = dispute_total = dispute_wrong = 0
    items = []
    gold_links = []
    for pair in pairs:
        a, b = side_key(pair["a"]), side_key(pair["b"])
        items += [a, b]
        for key, side in ((a, pair["a"]), (b, pair["b"])):
            if key not in mapped:
                mapped[key] = map_side(side, claims_by_doc)
                unmapped += mapped[key] is None
        ta, tb = thread_of.get(mapped[a]), thread_of.get(mapped[b])
        # one claim of one republished text, or two claims of one thread
        predicted = (mapped[a] is not None and mapped[a] == mapped[b]) or (ta is not None and ta == tb)
        gold = pair["label"] == "same"
        if gold:
            gold_links.append((a, b))
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
        tn += not predicted and not gold
        disputes = any((first, second) in disputed for first, second in (
            (mapped[a], tb or mapped[b]), (mapped[b], ta or mapped[a])) if first and second)
        if pair["label"] == "disputes":
            dispute_total += 1
            dispute_found += disputes
        else:
            dispute_wrong += disputes  # a labelled pair that is no dispute, predicted one
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    items = sorted(set(items))
    gold_cluster = components(items, gold_links)
    predicted_cluster = {item: thread_of.get(mapped[item]) or (("claim", mapped[item]) if mapped[item] else ("single", item))
                         for item in items}
    members_gold, members_pred = defaultdict(set), defaultdict(set)
    for item in items:
        members_gold[gold_cluster[item]].add(item)
        members_pred[predicted_cluster[item]].add(item)
    b_precision = sum(len(members_gold[gold_cluster[i]] & members_pred[predicted_cluster[i]]) /
                      len(members_pred[predicted_cluster[i]]) for i in items) / len(items)
    b_recall = sum(len(members_gold[gold_cluster[i]] & members_pred[predicted_cluster[i]]) /
                   len(members_gold[gold_cluster[i]]) for i in items) / len(items)
    b_f1 = 2 * b_precision * b_recall / (b_precision + b_recall) if b_precision + b_recall else 0.0
    # first statement: gold threads spanning two or more articles
    first_right = first_total = first_found = 0
    for root, members in sorted(members_gold.items()):
        docs = {item[0] for item in members}
        if len(docs) < 2:
            continue
        first_total += 1
        earliest = min(dates.get(doc, "9999") for doc in docs)
        threads = [thread_of.get(mapped[item]) for item in sorted(members) if thread_of.get(mapped[item])]
        if not threads:
            continue
        thread = max(sorted(set(threads)), key=threads.count)
        if threads.count(thread) < 2:
            continue  # the gold thread was not found: no two of its claims share a predicted thread
        first_found += 1
        first = first_of[thread]
        first_right += any(doc in docs and dates.get(doc) == earliest for doc in article_ids.get(first.article, []))
    return {"pairs": len(pairs), "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "bcubed_precision": round(b_precision, 3), "bcubed_recall": round(b_recall, 3),
            "bcubed_f1": round(b_f1, 3), "first_right": first_right, "gold_threads": first_total,
            "gold_threads_found": first_found,
            "disputes_found": dispute_found, "disputes": dispute_total, "disputes_wrong": dispute_wrong,
            "unmapped_sides": unmapped,
            "threads": len(change.threads), "largest_thread": max((len(t.members) for t in change.threads), default=0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", required=True, type=Path, help="PolNeAR split (JSON Lines)")
    parser.add_argument("--split", required=True, choices=("train", "dev"))
    parser.add_argument("--pairs", type=Path, default=ROOT / "benchmarks" / "threads" / "polnear_pairs.jsonl")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--grid", action="store_true", help="try thresholds and print each score")
    parser.add_argument("--part", choices=("tune", "held-out", "all"),
                        help="score one part of the pairs (held_out()), or with `all` the tune part, the held-out part "
                             "and the whole split from one linking (a line each)")
    parser.add_argument("--misses", action="store_true", help="count the missed `same` pairs by cause (miss_cause())")
    parser.add_argument("--show", action="store_true", help="with --misses: print each missed pair with its texts")
    args = parser.parse_args()
    docs = [json.loads(line) for line in args.polnear.open(encoding="utf-8")]
    pairs = [p for p in map(json.loads, args.pairs.open(encoding="utf-8")) if p["split"] == args.split]
    scored = parts(pairs, args.part)
    cache = args.cache or Path(tempfile.gettempdir()) / f"claimgraph-threads-{args.split}.nq"
    store = extract_split(docs, cache)
    ids = article_ids(store)
    claims = read_claims(store)
    claims_by_doc = defaultdict(list)
    for claim in claims:
        for doc_id in ids.get(claim.article, []):
            claims_by_doc[doc_id].append(claim)
    dates = {d["doc_id"]: d.get("publication_date") or "9999" for d in docs}
    print(f"{args.split}: {len(docs)} articles, {len(claims)} claims, {len(scored[-1][1])} labelled pairs",
          file=sys.stderr)
    if args.misses:
        print_misses(scored[-1][1], claims, claims_by_doc, {d["doc_id"]: d["text"] for d in docs}, args.show)
        return
    settings = [DEFAULT]
    if args.grid:
        settings = [Thresholds(containment=c, min_shared=m, jaccard=j, min_said=s) for c in (0.5, 0.6)
                    for m in (3, 4) for j in (0.1, 0.2) for s in (2, 3)]
    for limits in settings:
        started = time.monotonic()
        _, change = link(claims, limits)  # once for every part: linking is most of a run's time after the cache
        link_seconds = round(time.monotonic() - started, 2)
        for part, part_pairs in scored:
            result = score(part_pairs, claims_by_doc, ids, dates, change)
            print(json.dumps({"containment": limits.containment, "min_shared": limits.min_shared,
                              "jaccard": limits.jaccard, "min_said": limits.min_said,
                              **({"part": part} if args.part else {}), **result, "link_seconds": link_seconds}))


def print_misses(pairs: list[dict], claims, claims_by_doc: dict[str, list], texts: dict[str, str], show: bool) -> None:
    """The missed `same` pairs counted by cause (one JSON line); with ``show``, each pair first, its gold contents
    and the claims they map to (texts from the corpus, printed only)."""
    _, change = link(claims, DEFAULT)
    thread_of = {m.iri: t.iri for t in change.threads for m in t.members}
    by_iri = {claim.iri: claim for claim in claims}
    causes: dict[str, int] = defaultdict(int)
    for pair in pairs:
        if pair["label"] != "same":
            continue
        cause = miss_cause(pair, by_iri, claims_by_doc, thread_of)
        if cause is None:
            continue
        causes[cause] += 1
        if show:
            print(f"== {cause} {pair['category']} {pair['confidence']} {pair['stratum']}")
            for side in (pair["a"], pair["b"]):
                claim = by_iri.get(map_side(side, claims_by_doc) or "")
                gold = " … ".join(texts[side["doc_id"]][s:e] for s, e in side["content"])
                print(f"   {side['doc_id']}\n      gold:  {gold!r}")
                if claim is not None:
                    print(f"      claim: {claim.text!r} ({claim.source_name}, {claim.source_kind})")
    print(json.dumps({"missed": sum(causes.values()), **dict(sorted(causes.items(), key=lambda kv: (-kv[1], kv[0])))}))


if __name__ == "__main__":
    main()
