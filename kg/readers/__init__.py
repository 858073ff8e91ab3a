"""Input readers: tell an input's format by its content and read it as Articles (text layout, HTML page, WARC, URL)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from kg.article import MAX_BYTES, Article, article_from_text, decode, read_article, read_sidecar, regular_file
from kg.errors import UserError
from kg.readers.detect import HTML, SNIFF_BYTES, TEXT, WARC, detect
from kg.readers.url import is_url

# File names a folder walk (kg ingest DIR) reads besides text and JSON Lines; any other file given by name is
# still read, by its content.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
PAGE_LIMIT = MAX_BYTES * 4  # a page's markup is several times its text


def is_web_input(path: Path) -> bool:
    return path.name.lower().endswith(PAGE_SUFFIXES + ARCHIVE_SUFFIXES)


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def items_from_path(path: str | Path, *, publisher: str | None = None, url: str | None = None,
                    date: str | None = None, structured: bool = True, defer_pages: bool = False) -> Iterator:
    """The Articles in one file, by its content: a text article, an HTML page, every page of a WARC file or every
    line of a JSON Lines corpus (unreadable records and lines come out as kg.ingest.Skipped). With
    ``defer_pages`` an HTML page comes out unread (kg.readers.html.UnreadPage), to be read where it is extracted.
    A file that cannot be read raises UserError."""
    path = regular_file(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror or error})") from None
    if not head.strip():
        raise UserError(f"{path}: empty file")
    kind = _detect(head, str(path))
    if kind == TEXT and _starts_with_json_object(head):  # a JSON Lines corpus, whatever its name
        from kg.ingest import corpus_items

        with path.open("rb") as stream:
            yield from corpus_items(stream, str(path))
    elif kind == TEXT:
        yield read_article(path, publisher=publisher, url=url, date=date, structured=structured)
    elif kind == HTML:
        size = path.stat().st_size
        if size > PAGE_LIMIT:
            raise UserError(f"{path}: {size:,} bytes is larger than the {PAGE_LIMIT:,}-byte limit for one page")
        from kg.readers.html import UnreadPage

        meta = read_sidecar(path)
        meta.update({k: v for k, v in (("publisher", publisher), ("url", url), ("date", date)) if v})
        page = UnreadPage(path.read_bytes(), str(path), identifier=path.stem, source=str(path),
                          given_url=meta.get("url"), publisher=meta.get("publisher"), date=meta.get("date"))
        yield page if defer_pages else page.read()
    else:
        from kg.readers.warc import warc_items

        yield from warc_items(path, defer_pages)


def articles_from_bytes(data: bytes, name: str, *, identifier: str, source: str | None = None,
                        url: str | None = None, charset: str | None = None, publisher: str | None = None,
                        date: str | None = None, structured: bool = True) -> list[Article]:
    """One input held in memory (stdin, a fetched page): an HTML page or a text article."""
    kind = _detect(data, name)
    if kind == HTML:
        from kg.readers.html import read_html

        return [read_html(data, name, identifier=identifier, source=source, url=url, charset=charset,
                          publisher=publisher, date=date)]
    if kind == WARC:
        raise UserError(f"{name}: a web archive (WARC); save it to a file and give the file to kg ingest")
    text, warnings = decode(data, name)
    article = article_from_text(text, identifier=identifier, publisher=publisher, url=url, date=date,
                                structured=structured)
    return [replace(article, source=source, warnings=article.warnings + warnings)]


def read_inputs(names: Iterable[str], *, stdin: BinaryIO, note: Callable[[str], None], publisher: str | None = None,
                url: str | None = None, date: str | None = None, structured: bool = True) -> list[Article]:
    """What `kg extract` reads: files (any format, by content), URLs and '-' for stdin. A bad input is a
    UserError; an archive's unreadable records are reported through ``note`` and left out."""
    from kg.readers.url import url_articles

    loaded: list[Article] = []
    for name in names:
        if name == "-":
            found = articles_from_bytes(stdin.read(), "<stdin>", identifier="stdin", publisher=publisher, url=url,
                                        date=date, structured=structured)
        elif is_url(name):
            found = url_articles(name, publisher=publisher, date=date, structured=structured)
            found = [replace(a, url=url) for a in found] if url else found
        else:
            found = []
            for item in items_from_path(name, publisher=publisher, url=url, date=date, structured=structured):
                if isinstance(item, Article):
                    found.append(item)
                else:
                    note(f"kg: skipped {item.name}: {item.reason}")
            if not found:
                raise UserError(f"{name}: no article could be read (reasons above)")
        for article in found:
            for warning in article.warnings:
                note(f"kg: warning: {warning}")
        loaded.extend(found)
    return loaded


def _starts_with_json_object(head: bytes) -> bool:
    import json

    first = head.lstrip().split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _detect(data: bytes, name: str) -> str:
    try:
        return detect(data)
    except UserError as error:
        raise UserError(f"{name}: {error}") from None
