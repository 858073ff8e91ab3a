"""The 50 real news pages of shared/benchmarks/html (when present): no crash, titles and dates found, and none of
the boilerplate phrases kept in tests/data/html_boilerplate.tsv left in the text read from its page."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = next((base / "shared" / "benchmarks" / "html" for base in (ROOT.parent, ROOT.parent.parent)
              if (base / "shared" / "benchmarks" / "html").is_dir()), None)
PHRASES = ROOT / "tests" / "data" / "html_boilerplate.tsv"
# Markup a reader can take a date from, checked on the raw page independently of trafilatura
DATE_MARKUP = re.compile(r"article:published_time|datePublished|dateCreated|pubdate|<time[^>]+datetime|"
                         r"name=[\"'](?:dc\.)?date[\"']|/20\d\d/\d\d?/\d\d?/", re.I)

pytestmark = pytest.mark.skipif(PAGES is None, reason="shared/benchmarks/html is not beside the checkout")


@pytest.fixture(scope="module")
def read_pages():
    from kg.errors import UserError
    from kg.readers import items_from_path

    found = {}
    for path in sorted(PAGES.glob("*.html")):
        try:
            found[path.name] = next(iter(items_from_path(path)))
        except UserError as error:  # a one-line error is allowed; any other exception fails the test
            found[path.name] = error
    return found


def visible_text(path: Path) -> str:
    from kg.readers.html import decode_html

    page, _ = decode_html(path.read_bytes(), path.name)
    page = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_every_page_is_read_and_carries_title_and_date(read_pages):
    assert len(read_pages) == 50
    articles = {name: a for name, a in read_pages.items() if not isinstance(a, Exception)}
    assert len(articles) == 50, {name: str(a) for name, a in read_pages.items() if isinstance(a, Exception)}
    titled = sum(1 for a in articles.values() if a.title and len(a.title.text) >= 10)
    assert titled >= 45
    carrying = [name for name in articles if DATE_MARKUP.search((PAGES / name).read_text(errors="replace"))]
    assert sum(1 for name in carrying if articles[name].date) >= 0.9 * len(carrying)


def test_known_boilerplate_stays_out_of_the_text(read_pages):
    rows = [line.split("\t") for line in PHRASES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) >= 40
    leaks = []
    for page, phrase in rows:
        assert phrase.casefold() in visible_text(PAGES / page).casefold(), f"{page}: {phrase!r} is not on the page"
        if phrase.casefold() in read_pages[page].text.casefold():
            leaks.append(f"{page}: {phrase}")
    assert not leaks
