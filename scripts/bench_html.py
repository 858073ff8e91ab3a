"""Run the HTML reader and the extractor over saved news pages and report, per page, what was read and extracted.

    python scripts/bench_html.py [PAGES_DIR] [--claims FILE] [--json FILE]

PAGES_DIR defaults to ../shared/benchmarks/html (50 real pages; evaluation only, never copied here). Per page:
characters of article text, which metadata was found (title, date, publisher, URL), comments, claims, and claims
that contain boilerplate: a known phrase for that page (tests/data/html_boilerplate.tsv, kept by reading the
claims) or page furniture in general (kg/data/boilerplate.txt). "Carries" counts the pages whose HTML holds a
title or a date in markup a reader can use (<title>/og:title/<h1>; date meta tags, JSON-LD, <time datetime>,
a date in the URL), checked on the raw HTML independently of trafilatura, so found/carries is the reader's recall.
--claims writes every claim text (for reading; keep the file outside the repository).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# shared/ sits beside the checkout (a worktree is one level further down)
DEFAULT_PAGES = next((base / "shared" / "benchmarks" / "html" for base in (ROOT.parent, ROOT.parent.parent)
                      if (base / "shared" / "benchmarks" / "html").is_dir()), ROOT.parent / "shared" / "benchmarks" / "html")
KNOWN_PHRASES = ROOT / "tests" / "data" / "html_boilerplate.tsv"
TITLE_MARKUP = re.compile(rb"<title[^>]*>\s*[^<\s]|og:title|<h1[\s>]", re.I)
DATE_MARKUP = re.compile(rb"article:published_time|datePublished|dateCreated|pubdate|publish[-_]?date|"
                         rb"<time[^>]+datetime|name=[\"'](?:dc\.)?date[\"']|sailthru\.date|parsely-pub-date|"
                         rb"/20\d\d/\d\d?/\d\d?/|/20\d\d-\d\d-\d\d", re.I)


def known_phrases(path: Path = KNOWN_PHRASES) -> dict[str, list[str]]:
    """page name -> boilerplate phrases seen on that page (tab-separated; '#' comments)."""
    phrases: dict[str, list[str]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                page, phrase = line.split("\t", 1)
                phrases.setdefault(page, []).append(phrase.strip())
    return phrases


def leaks(claim_texts: list[str], phrases: list[str]) -> list[str]:
    """Known phrases found in a claim, and claims that are page furniture as a whole."""
    from kg.readers.boilerplate import is_boilerplate

    found = [phrase for phrase in phrases for text in claim_texts if phrase.casefold() in text.casefold()]
    found += [text[:60] for text in claim_texts if is_boilerplate(text)]
    return sorted(set(found))


def bench_page(path: Path, phrases: list[str], nlp) -> dict:
    from kg.errors import UserError
    from kg.pipeline import extract_articles
    from kg.readers import items_from_path

    raw = path.read_bytes()
    row = {"page": path.name, "carries_title": bool(TITLE_MARKUP.search(raw)),
           "carries_date": bool(DATE_MARKUP.search(raw)), "error": None, "crash": None}
    started = time.monotonic()
    try:
        articles = [item for item in items_from_path(path) if hasattr(item, "text")]
        article = articles[0]
        extraction = next(extract_articles([article], nlp=nlp))
    except UserError as error:
        row["error"] = str(error)
        return row
    except Exception:  # noqa: BLE001 -- the benchmark counts crashes instead of stopping at the first
        row["crash"] = traceback.format_exc().strip().splitlines()[-1]
        return row
    claim_texts = [claim.text for claim in extraction.claims]
    body = article.body
    row.update(seconds=round(time.monotonic() - started, 2), chars=(body.end - body.start) if body else 0,
               title=article.title.text if article.title else None, date=article.date,
               publisher=article.publisher, url=article.url, author=article.author,
               comments=len(article.comments), claims=len(claim_texts), leaks=leaks(claim_texts, phrases),
               claim_texts=claim_texts)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="?", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--claims", type=Path, help="write every claim text here, page by page (for reading)")
    parser.add_argument("--json", type=Path, help="write the per-page rows here")
    args = parser.parse_args()
    if not args.pages.is_dir():
        sys.exit(f"bench_html: {args.pages}: no such folder")
    from kg.nlp import load

    nlp = load()
    phrases = known_phrases()
    rows = [bench_page(page, phrases.get(page.name, []), nlp) for page in sorted(args.pages.glob("*.htm*"))]

    print(f"{'page':44} {'chars':>6} T D P U {'com':>3} {'claims':>6} leaks")
    for row in rows:
        if row["error"] or row["crash"]:
            print(f"{row['page'][:44]:44} {'CRASH: ' + row['crash'] if row['crash'] else 'error: ' + row['error']}")
            continue
        marks = " ".join("y" if row[key] else "-" for key in ("title", "date", "publisher", "url"))
        print(f"{row['page'][:44]:44} {row['chars']:6d} {marks} {row['comments']:3d} {row['claims']:6d} "
              f"{'; '.join(row['leaks'])}")
    read = [row for row in rows if not row["error"] and not row["crash"]]

    def rate(key: str, carried: str) -> str:
        carrying = [row for row in rows if row[carried]]
        found = [row for row in carrying if row.get(key)]
        return f"{len(found)}/{len(carrying)} ({100 * len(found) / max(len(carrying), 1):.0f} %)"

    print(f"\npages {len(rows)}: read {len(read)}, one-line errors {sum(1 for r in rows if r['error'])}, "
          f"crashes {sum(1 for r in rows if r['crash'])}")
    print(f"title found on {rate('title', 'carries_title')} of the pages that carry one; "
          f"date on {rate('date', 'carries_date')}")
    print(f"publisher on {sum(1 for r in read if r['publisher'])}/{len(read)}, URL on "
          f"{sum(1 for r in read if r['url'])}/{len(read)}, author on {sum(1 for r in read if r['author'])}/{len(read)}; "
          f"pages with comments {sum(1 for r in read if r['comments'])}")
    print(f"claims {sum(r['claims'] for r in read)}; claims with boilerplate {sum(len(r['leaks']) for r in read)} "
          f"on {sum(1 for r in read if r['leaks'])} page(s)")
    if args.claims:
        with args.claims.open("w", encoding="utf-8") as out:
            for row in read:
                out.write(f"=== {row['page']} | {row['title']}\n")
                out.writelines(f"- {text}\n" for text in row["claim_texts"])
    if args.json:
        args.json.write_text(json.dumps([{k: v for k, v in row.items() if k != "claim_texts"} for row in rows],
                                        indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
