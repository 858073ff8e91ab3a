#!/usr/bin/env python3
"""Run the extractor over every article of PolNeAR JSON Lines files and report what failed.

    python scripts/run_polnear_all.py PATH... [--plain] [--batch-size 16]

Each article goes through the reader (the layout of an article file, or with --plain the plain text that
scripts/eval_polnear.py reads), the spaCy pipeline, the extractor and the RDF writer, as `kg extract` runs
them. A batch that raises is run again article by article, so every failure is reported under its doc id
with its exception; every anchor is also checked against the text at its offsets. Prints the articles, the
claims, the failures and the seconds; exits 1 if anything failed. The corpus is read from the given paths and
nothing of it is written anywhere.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's extractor, installed or not


def read_articles(paths: list[Path], structured: bool):
    """(doc id, Article) for every line of every file, in order."""
    from kg.article import article_from_text

    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                record = json.loads(line)
                doc_id = str(record.get("doc_id") or f"{path.name}:{number}")
                yield doc_id, article_from_text(record["text"], identifier=doc_id, structured=structured)


def check(extraction) -> int:
    """The extraction's claims, after checking that every anchor is the text at its offsets and that
    the RDF writer takes it."""
    from kg.rdf import extraction_quads

    text = extraction.text
    for claim in extraction.claims:
        spans = list(claim.content)
        for link in claim.chain:
            spans += [s for s in (link.cue, link.source_span) if s is not None] + list(link.hedges)
        for span in spans:
            if text[span.start:span.end] != span.text:
                raise AssertionError(f"anchor [{span.start}, {span.end}) is not the text at its offsets")
    extraction_quads(extraction)
    return len(extraction.claims)


def run(articles: list, nlp, batch_size: int, failures: list) -> int:
    """Claims of every article of one batch; failing articles are appended to ``failures``."""
    from kg.pipeline import extract_article, extract_articles

    try:
        return sum(check(x) for x in extract_articles([a for _, a in articles], batch_size=batch_size, nlp=nlp))
    except Exception:  # noqa: BLE001 — find the article(s) to blame, one by one
        pass
    claims = 0
    for doc_id, article in articles:
        try:
            claims += check(extract_article(article, nlp=nlp))
        except Exception as error:  # noqa: BLE001 — a failure is what this script reports
            failures.append((doc_id, f"{type(error).__name__}: {error}"))
    return claims


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+", help="PolNeAR JSON Lines files (doc_id, text)")
    parser.add_argument("--plain", action="store_true", help="plain text, no headline or comment layout")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    for path in args.paths:
        if not path.is_file():
            print(f"run_polnear_all: {path}: no such file", file=sys.stderr)
            return 1
    from kg.nlp import load

    nlp = load()
    started = time.perf_counter()
    articles = claims = 0
    failures: list[tuple[str, str]] = []
    batch: list = []
    for item in read_articles(args.paths, structured=not args.plain):
        batch.append(item)
        if len(batch) == args.batch_size:
            claims += run(batch, nlp, args.batch_size, failures)
            articles += len(batch)
            batch = []
            print(f"  {articles} articles, {claims} claims, {len(failures)} failures, "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    if batch:
        claims += run(batch, nlp, args.batch_size, failures)
        articles += len(batch)
    seconds = time.perf_counter() - started
    for doc_id, error in failures:
        print(f"FAILED {doc_id}: {error}")
    print(f"articles {articles}  claims {claims}  failures {len(failures)}  seconds {seconds:.1f}  "
          f"({'plain text' if args.plain else 'article layout'})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
