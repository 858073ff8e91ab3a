#!/usr/bin/env python3
"""Benchmark claim threads: what linking adds to ingest, and the thread queries at >= 1M quads.

    python scripts/bench_threads.py CORPUS.jsonl [--articles 150] [--triples 1000000]

One run, same machine, same articles, so the ratios mean something on a noisy box:
1. ingest the articles into a fresh store without threads, with threads, and without threads again
   (the mean of the two runs without is the baseline): the cost of linking as a ratio;
2. the threaded store is grown to >= --triples quads by copying every graph (documents and threads)
   under new ids (as scripts/bench_store.py does), then
3. `first-said` for one thread and for all, and `threads` for one thread and for all, are timed;
4. one statement carried by --carried articles (a sentence written here) is linked one article at a time,
   as an ingest does, with each claim keeping its strongest links (the default) and, as the baseline, every
   link: milliseconds per article as the thread grows, and the ratio.
The corpus (e.g. PolNeAR's train split, where seven outlets cover the same events) is read from the path
given; nothing of it is written into the repository.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_store import grow, timed  # noqa: E402  (same folder)

from kg.ingest import ingest  # noqa: E402
from kg.query import named_queries, parse_bindings, run  # noqa: E402
from kg.sparql import bind_values  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.threads import StoreThreads, ThreadIndex  # noqa: E402


class Quiet:
    def advance(self, done, stored):
        pass

    def note(self, line):
        pass

    def stop(self):
        pass


def ingest_once(corpus: Path, folder: Path, threads: bool) -> tuple[float, object, int, float, float]:
    """Wall seconds, the store, articles, the process's CPU seconds and the CPU seconds spent linking."""
    store = open_store(folder)
    linker = StoreThreads(store, folder) if threads else None
    started, cpu = time.monotonic(), time.process_time()
    result = ingest(store, [str(corpus)], progress=Quiet(), threads=linker)
    store.flush()
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    linking = 0.0
    if linker is not None:
        linking = linker.cpu_seconds
        linker.close()
    return seconds, store, result.articles, cpu, linking


def carried_statement(articles: int, links_per_claim: int) -> list[tuple[int, float]]:
    """Link one statement carried by ``articles`` articles, one at a time: (members so far, ms per article)."""
    from kg.threads import Linker, ThreadIndex
    from kg.threads.claims import ThreadClaim

    words = "the harbour will reopen within two weeks once the cranes are inspected"
    linker = Linker(ThreadIndex(links_per_claim=links_per_claim))
    timings, started, step = [], time.process_time(), max(1, articles // 4)
    for number in range(articles):
        article = f"doc/{number:06d}"
        claim = ThreadClaim(iri=f"{article}/claim", text=words, document=article, article=article,
                            source="person/ana-ruiz", source_kind="Person", source_name="Ana Ruiz",
                            chain=("person/ana-ruiz",), denies=False, published=None, outlet=f"outlet/{number % 50}",
                            start=0, end=len(words))
        linker.update({article: (article, [claim])})
        linker.index.commit()
        if (number + 1) % step == 0:
            timings.append((number + 1, 1000 * (time.process_time() - started) / step))
            started = time.process_time()
    threads = list(linker.index.threads())
    assert len(threads) == 1 and len(threads[0][1]) == articles, "the carried statement is not one thread"
    return timings


def rows(store, sparql: str) -> int:
    return len(run(store, sparql)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--carried", type=int, default=400, help="articles carrying one statement (0: skip)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-threads-"))
    subset = work / "corpus.jsonl"
    with args.corpus.open(encoding="utf-8") as stream, subset.open("w", encoding="utf-8") as out:
        for number, line in enumerate(stream):
            if number == args.articles:
                break
            record = json.loads(line)
            out.write(json.dumps({"id": record.get("doc_id"), "title": record.get("title"), "text": record["text"],
                                  "publisher": record.get("publisher"), "date": record.get("publication_date")}) + "\n")

    from kg.nlp import load

    load()  # spaCy loaded once, before any timing
    without_first, _, articles, cpu_first, _ = ingest_once(subset, work / "plain-1", threads=False)
    with_threads, store, _, cpu_threads, linking = ingest_once(subset, work / "threads", threads=True)
    without_second, _, _, cpu_second, _ = ingest_once(subset, work / "plain-2", threads=False)
    baseline, cpu_baseline = (without_first + without_second) / 2, (cpu_first + cpu_second) / 2
    threads_found = rows(store, named_queries()["first-said"])
    print(f"ingest of {articles} articles: without threads {without_first:.1f} s and {without_second:.1f} s, "
          f"with threads {with_threads:.1f} s: {with_threads / baseline:.3f}x wall; {threads_found} threads")
    # CPU time does not move with what else the machine runs, wall time does
    print(f"CPU: without threads {cpu_first:.1f} s and {cpu_second:.1f} s, with threads {cpu_threads:.1f} s: "
          f"{cpu_threads / cpu_baseline:.3f}x; linking itself {linking:.2f} s of CPU "
          f"({100 * linking / cpu_threads:.1f} % of the ingest's)")

    copies = grow(store, args.triples)
    print(f"store grown to {len(store):,} quads ({copies} copies of every graph)")
    all_first = named_queries()["first-said"]
    seconds, count = timed(lambda: rows(store, all_first))
    print(f"first-said, all threads: {1000 * seconds:.0f} ms, {count} rows")
    some = run(store, all_first)[1][0]["thread"]
    one = bind_values(all_first, parse_bindings([f"thread={some}"]))
    seconds, count = timed(lambda: rows(store, one))
    print(f"first-said, one thread: {1000 * seconds:.1f} ms, {count} row")
    members = named_queries()["threads"]
    seconds, count = timed(lambda: rows(store, members))
    print(f"threads, all members: {1000 * seconds:.0f} ms, {count} rows")
    seconds, count = timed(lambda: rows(store, bind_values(members, parse_bindings([f"thread={some}"]))))
    print(f"threads, one thread: {1000 * seconds:.1f} ms, {count} rows")

    if args.carried:
        strongest = carried_statement(args.carried, ThreadIndex().links_per_claim)
        every = carried_statement(args.carried, 10**9)
        for (members, kept), (_, baseline_ms) in zip(strongest, every):
            print(f"one statement in {members} articles: {kept:.1f} ms CPU per article with the strongest links, "
                  f"{baseline_ms:.1f} ms with every link: {kept / baseline_ms:.2f}x")


if __name__ == "__main__":
    main()
