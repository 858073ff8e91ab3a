"""Time extraction of nested quotations against flat quotations of the same size, at growing sizes.

A nested text is one paragraph of statements inside statements (“Officer 0 said “Officer 1 said ... ” ”);
a flat one is as many characters of statements side by side (“The bridge 7 is safe,” Officer 7 said.).
Each is read, parsed and extracted in this process with the real pipeline, as `kg extract --plain`
would; the script prints the seconds, nested / flat at each size, and how each grows when the size
doubles (2.0 = linear, 4.0 = quadratic).

    python scripts/bench_quotes.py [--sizes 2000 5000 10000 20000] [--repeat 1]
"""
from __future__ import annotations

import argparse
import math
import time


def nested_text(size: int) -> str:
    """The deepest nesting of statements that fits in ``size`` characters."""
    text, levels = "", 1
    while True:
        candidate = "".join(f"“Officer {i} said " for i in range(levels)) + "the bridge is safe" \
            + "”" * levels + " she said."
        if len(candidate) > size:
            return text
        text, levels = candidate, levels + 1


def flat_text(size: int) -> str:
    """Independent quoted statements, one sentence each, up to ``size`` characters."""
    sentences, length, number = [], 0, 0
    while True:
        sentence = f"“The bridge {number} is safe,” Officer {number} said."
        if length + len(sentence) + 1 > size:
            return " ".join(sentences)
        sentences.append(sentence)
        length, number = length + len(sentence) + 1, number + 1


def seconds(text: str, nlp, repeat: int) -> tuple[float, int]:
    """Best time of ``repeat`` runs of read + parse + extract, and the number of claims."""
    from kg.article import article_from_text
    from kg.pipeline import extract_article

    best, claims = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        extraction = extract_article(article_from_text(text, identifier="bench", structured=False), nlp=nlp)
        best = min(best, time.perf_counter() - started)
        claims = len(extraction.claims)
    return best, claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 10000, 20000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per text; the best counts")
    args = parser.parse_args()
    from kg.nlp import load

    nlp = load()
    seconds("“Warm-up,” she said.", nlp, 1)
    print(f"{'size':>7} {'levels':>6} {'nested s':>9} {'flat s':>8} {'nested/flat':>11} "
          f"{'nested growth':>13} {'flat growth':>11}  claims nested/flat")
    previous = None
    for size in args.sizes:
        nested, flat = nested_text(size), flat_text(size)
        nested_s, nested_claims = seconds(nested, nlp, args.repeat)
        flat_s, flat_claims = seconds(flat, nlp, args.repeat)
        growth = ""
        if previous is not None:
            # per doubling of the size, so that uneven steps (2k -> 5k) compare with even ones
            doublings = math.log2(len(nested) / previous[0])
            growth = f"{(nested_s / previous[1]) ** (1 / doublings):>13.2f} " \
                     f"{(flat_s / previous[2]) ** (1 / doublings):>11.2f}"
        else:
            growth = f"{'':>13} {'':>11}"
        print(f"{len(nested):>7} {nested.count('said') - 1:>6} {nested_s:>9.2f} {flat_s:>8.2f} "
              f"{nested_s / flat_s:>11.2f} {growth}  {nested_claims}/{flat_claims}", flush=True)
        previous = (len(nested), nested_s, flat_s)


if __name__ == "__main__":
    main()
