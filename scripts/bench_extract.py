#!/usr/bin/env python3
"""Extractor throughput against bare spaCy on the same texts in the same run, with peak memory.

    python scripts/bench_extract.py [--corpus CORPUS.jsonl] [--articles N] [--repeat R]

The baseline is `nlp.pipe` with exactly the spaCy components the extractor loads (without its own
line-break component), over the same article parts; the extractor run is the same code path as
`kg extract` (parse + extract + RDF). Runs alternate (baseline, extractor, baseline, ...) so that a noisy shared machine hurts both alike, and
the best of R runs of each is reported.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "benchmarks" / "polnear" / "polnear_dev.jsonl"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSON Lines with a 'text' field")
    parser.add_argument("--articles", type=int, default=84)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"bench_extract: {args.corpus}: no such file", file=sys.stderr)
        return 1

    from kg import nlp as nlp_module
    from kg.article import article_from_text
    from kg.extract import parts_of
    from kg.pipeline import extract_articles
    from kg.rdf import extraction_quads

    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()][:args.articles]
    articles = [article_from_text(r["text"], identifier=r.get("doc_id", str(i)), structured=False)
                for i, r in enumerate(records)]
    texts = [a.text[p.span.start:p.span.end] for a in articles for p in parts_of(a)]
    words = sum(len(re.findall(r"\S+", r["text"])) for r in records)
    nlp = nlp_module.load()
    print(f"{len(articles)} articles, {words:,} words, pipeline {nlp.pipe_names}")

    def baseline() -> float:
        started = time.perf_counter()
        with nlp.select_pipes(disable=[nlp_module.LINE_BREAKS]):  # bare: spaCy's own components only
            for _ in nlp.pipe(texts, batch_size=nlp_module.BATCH_SIZE):
                pass
        return time.perf_counter() - started

    def extractor() -> float:
        started = time.perf_counter()
        for extraction in extract_articles(articles, nlp=nlp):
            extraction_quads(extraction)
        return time.perf_counter() - started

    baseline()  # warm-up: first batches pay one-off allocation costs
    base_times, ext_times = [], []
    for _ in range(args.repeat):
        base_times.append(baseline())
        ext_times.append(extractor())
    base, ext = min(base_times), min(ext_times)
    print(f"bare spaCy nlp.pipe : {len(articles) / base:7.2f} articles/s {words / base:9,.0f} words/s")
    print(f"claimgraph extract  : {len(articles) / ext:7.2f} articles/s {words / ext:9,.0f} words/s")
    print(f"throughput ratio    : {base / ext:.1%} of bare spaCy (best of {args.repeat} alternating runs)")
    print(f"peak RSS            : {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
