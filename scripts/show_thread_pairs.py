#!/usr/bin/env python3
"""Print candidate (or labelled) claim pairs with their context from the corpus, for labelling by reading.

    python scripts/show_thread_pairs.py --polnear FILE... --pairs benchmarks/threads/candidates.jsonl \
        [--split dev] [--stratum high] [--start 0] [--limit 20] [--context 160] [--ids ID ...]

For each side: publisher, date, document id, the source's words, the content (between [[ ]]) inside the
characters around it. The texts come from the corpus path and go to the terminal only.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit // 2] + " … " + text[-limit // 2:]


def show_side(article: dict, side: dict, context: int) -> str:
    text = article["text"]
    content = side["content"]
    start, end = min(s for s, _ in content), max(e for _, e in content)
    parts = []
    cursor = start
    for s, e in sorted(content):
        parts.append(text[cursor:s])
        parts.append("[[" + text[s:e] + "]]")
        cursor = e
    body = clip("".join(parts), 900)
    before = clip(text[max(0, start - context):start], context)
    after = clip(text[end:end + context], context)
    source = " | ".join(text[s:e] for s, e in side["source"]) if side.get("source") else "(no source)"
    return (f"  {article['publisher']} {article['publication_date']} {article['doc_id'][-28:]}\n"
            f"  SOURCE: {source}\n  …{before} {body} {after}…")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, nargs="+", required=True)
    parser.add_argument("--pairs", type=Path, required=True)
    parser.add_argument("--split")
    parser.add_argument("--stratum")
    parser.add_argument("--ids", nargs="*")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--context", type=int, default=160)
    parser.add_argument("--skip", type=Path, help="leave out the pairs already in this labelled file")
    args = parser.parse_args()
    articles = {}
    for path in args.polnear:
        for line in path.open(encoding="utf-8"):
            article = json.loads(line)
            articles[article["doc_id"]] = article
    pairs = [json.loads(line) for line in args.pairs.open(encoding="utf-8") if line.strip()]
    if args.skip and args.skip.exists():
        done = {json.dumps([p["a"], p["b"]], sort_keys=True) for p in map(json.loads, args.skip.open(encoding="utf-8"))}
        pairs = [p for p in pairs if json.dumps([p["a"], p["b"]], sort_keys=True) not in done]
    if args.ids:
        wanted = set(args.ids)
        pairs = [p for p in pairs if p.get("id") in wanted]
    pairs = [p for p in pairs if (not args.split or p.get("split") == args.split)
             and (not args.stratum or p.get("stratum") == args.stratum)]
    for pair in pairs[args.start:args.start + args.limit]:
        tag = pair.get("id") or f"{pair.get('label')} {pair.get('category')}"
        print(f"=== {tag} cos={pair.get('cosine')}")
        for key in ("a", "b"):
            print(show_side(articles[pair[key]["doc_id"]], pair[key], args.context))
    return 0


if __name__ == "__main__":
    sys.exit(main())
