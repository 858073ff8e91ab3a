#!/usr/bin/env python3
"""Score claimgraph's extractor on PolNeAR with the shared scorer (plus recall per attribution type).

    python scripts/eval_polnear.py [--gold GOLD.jsonl] [--pred-out PRED.jsonl] [--limit N]

The gold file defaults to the dev split beside the checkout (../shared/benchmarks/polnear/). PolNeAR's
texts are publishers' articles for research use only: they are read from that path and never copied
into the repository.

Each claim becomes one scorer attribution (its innermost link: source, cue, content), and so does each
refusal to comment ("X declined to comment": a ckg:Refusal in the graph, an attribution in PolNeAR), except that
- a quotation claimed without a cue of its own, right after a statement by the same source, is scored as
  another fragment of that statement, as PolNeAR annotates it (the RDF keeps it a claim of its own);
- a claim relayed by another claim of the article ("the Times reported [the aide discussed how ...]") is
  not scored on its own: PolNeAR annotates no attribution inside another one's content (none of the
  19,834 attributions of its train split has its cue inside another one's content), only the outer
  report, whose content holds the inner one. The RDF keeps the chain. `--nested` scores them as attributions of their own, for comparison.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's extractor, installed or not
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
QUOTE_CHARS = set("“”\"")


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("polnear_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(gold_docs: list[dict], batch_size: int = 16, nested: bool = False) -> list[dict]:
    """Run the same extraction code path as `kg extract` (plain-text layout) over each article."""
    from kg.article import article_from_text
    from kg.pipeline import extract_articles

    articles = (article_from_text(doc["text"], identifier=doc["doc_id"], structured=False) for doc in gold_docs)
    predictions = []
    for doc, extraction in zip(gold_docs, extract_articles(articles, batch_size=batch_size)):
        predictions.append({"doc_id": doc["doc_id"], "attributions": scorer_attributions(extraction, nested)})
    return predictions


def scorer_attributions(extraction, nested: bool = False) -> list[dict]:
    """Claims in the scorer's schema. PolNeAR's unit is the cue: a quotation that continues a speaker's
    statement without a cue of its own ("“...” ¶ “...”") is another fragment of that statement; a claim
    another claim relays is part of that claim's content (unless ``nested``)."""
    attributions: list[dict] = []
    previous = None  # (source agent, attribution) of the statement just before, when it had a cue
    outer_links = {claim.chain[0] for claim in extraction.claims}
    for claim in sorted(extraction.claims, key=lambda c: c.anchor.start):
        if not nested and any(link in outer_links for link in claim.chain[1:]):
            continue  # relayed by another claim: its chain holds that claim's own first link
        inner = claim.chain[0]
        content = [[span.start, span.end] for span in claim.content]
        if inner.cue is None and previous is not None and previous[0] == inner.source:
            previous[1]["content"].extend(content)
            continue
        attribution = {
            "source": [[inner.source_span.start, inner.source_span.end]] if inner.source_span else None,
            "cue": [[inner.cue.start, inner.cue.end]] if inner.cue else [],
            "content": content,
        }
        attributions.append(attribution)
        previous = (inner.source, attribution) if inner.cue is not None else None
    # "X declined to comment" is no claim in the graph (a ckg:Refusal), but PolNeAR annotates most refusals as
    # attributions (train: 43 of 58 "declined to comment", "did not respond to requests for comment", ...)
    for refusal in extraction.refusals:
        attributions.append({
            "source": [[refusal.source_span.start, refusal.source_span.end]] if refusal.source_span else None,
            "cue": [[refusal.cue.start, refusal.cue.end]] if refusal.cue else [],
            "content": [[span.start, span.end] for span in refusal.content]})
    return attributions


def attribution_type(text: str, attribution: dict) -> str:
    """direct (all quoted), mixed (partly quoted), according-to, or indirect."""
    cue = " ".join(text[s:e] for s, e in attribution["cue"]).lower()
    if "according" in cue:
        return "according-to"
    # ''...'' (two apostrophes) is the quotation mark of some newspaper archives
    content = "".join(text[s:e] for s, e in attribution["content"]).strip().replace("''", '"')
    quoted = sum(1 for ch in content if ch in QUOTE_CHARS)
    if quoted >= 2 and content[:1] in QUOTE_CHARS and content[-1:] in QUOTE_CHARS | set(".,") and quoted == 2:
        return "direct"
    if quoted:
        return "mixed"
    return "indirect"


def recall_by_type(scorer, gold_docs: list[dict], predictions: list[dict]) -> dict[str, tuple[int, float]]:
    """Per gold type: count and token recall of the content (share of gold content tokens predicted)."""
    totals: dict[str, list[float]] = {}
    by_id = {p["doc_id"]: p for p in predictions}
    for doc in gold_docs:
        tok = scorer.Tok(doc["text"])
        predicted = frozenset().union(*[tok.tokens(a["content"]) for a in by_id[doc["doc_id"]]["attributions"]] or [frozenset()])
        for attribution in doc["attributions"]:
            gold = tok.tokens(attribution["content"])
            if not gold:
                continue
            kind = attribution_type(doc["text"], attribution)
            totals.setdefault(kind, []).append(len(gold & predicted) / len(gold))
    return {kind: (len(values), sum(values) / len(values)) for kind, values in sorted(totals.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=BENCHMARKS / "polnear" / "polnear_dev.jsonl")
    parser.add_argument("--pred-out", type=Path, default=Path("polnear_pred.jsonl"))
    parser.add_argument("--scorer", type=Path, default=BENCHMARKS / "score.py")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (quick checks)")
    parser.add_argument("--json", type=Path, help="also write the scorer's result dict here")
    parser.add_argument("--nested", action="store_true",
                        help="score claims relayed by another claim as attributions of their own")
    args = parser.parse_args()
    for path in (args.gold, args.scorer):
        if not path.is_file():
            print(f"eval_polnear: {path}: no such file", file=sys.stderr)
            return 1
    scorer = load_scorer(args.scorer)
    gold_docs = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    if args.limit:
        gold_docs = gold_docs[:args.limit]
    started = time.perf_counter()
    predictions = predict(gold_docs, nested=args.nested)
    seconds = time.perf_counter() - started
    with args.pred_out.open("w", encoding="utf-8") as stream:
        for prediction in predictions:
            stream.write(json.dumps(prediction) + "\n")
    gold = {doc["doc_id"]: doc for doc in gold_docs}
    result = scorer.score(gold, {p["doc_id"]: p for p in predictions})
    words = sum(len(re.findall(r"\S+", doc["text"])) for doc in gold_docs)
    print(f"{len(gold_docs)} articles, {words:,} words extracted in {seconds:.1f} s ({words / seconds:,.0f} words/s)")
    print(scorer.fmt(result))
    print("content token recall by gold attribution type:")
    for kind, (count, recall) in recall_by_type(scorer, gold_docs, predictions).items():
        print(f"  {kind:<13} n={count:<5} recall={100 * recall:5.1f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
