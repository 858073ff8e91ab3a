"""Read a web archive (WARC, plain or gzipped; ARC too): one Article per archived HTML page, with its URL and date."""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from kg.article import Article
from kg.errors import READING, InternalError, UserError, during, skip_reason, without_name
from kg.ingest import Skipped
from kg.readers.detect import HTML, detect
from kg.readers.html import UnreadPage

PAGE_LIMIT = 20_000_000  # bytes of one archived page; a larger record is a video or a dump, not an article
HTML_TYPES = ("text/html", "application/xhtml+xml")


def warc_items(path: Path, defer_pages: bool = False) -> Iterator[Article | UnreadPage | Skipped]:
    """Each HTML response (or resource) record of the archive as an Article (an UnreadPage with ``defer_pages``:
    read where it is extracted), in archive order. Records of other types (requests, metadata, revisits) and
    non-HTML responses (images, scripts) are not pages and are passed over; an HTML record that holds no
    article, or a broken archive, comes out as Skipped with its reason."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    with path.open("rb") as stream:
        records = iter(ArchiveIterator(stream, arc2warc=True))
        number = 0
        while True:
            number += 1
            try:
                record = next(records)
                item = _page(record, path)
            except StopIteration:
                break
            except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as error:
                yield Skipped(f"{path}", f"archive unreadable from record {number} on ({_one_line(error)})")
                return
            # pages are counted before they are read, so that the archive is reported alike wherever they are read
            pages += isinstance(item, UnreadPage)
            if isinstance(item, UnreadPage) and not defer_pages:
                item = _read(item)  # outside the archive's own errors: a page's failure is that page's only
            if item is not None:
                yield item
    truncated = _truncated(path)
    if truncated:
        yield Skipped(str(path), f"archive unreadable at its end ({truncated}); the pages before it were read")
    elif pages == 0:
        yield Skipped(str(path), "the web archive holds no HTML page")


def _read(page: UnreadPage) -> Article | Skipped:
    """The page read, or Skipped with what a worker reading it would say (kg.parallel.extract_chunk): a page
    that holds no article, or a failure of the reader on this page alone."""
    try:
        with during(READING, page.name):
            return page.read()
    except UserError as error:
        return Skipped(page.name, without_name(str(error), page.name))
    except InternalError as error:
        return Skipped(page.name, skip_reason(error))


def _page(record, path: Path) -> UnreadPage | Skipped | None:
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    captured = record.rec_headers.get_header("WARC-Date")
    charset = None
    if record.rec_type == "response":
        if record.http_headers is None:  # dns: and other non-HTTP captures
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
        status = record.http_headers.get_statuscode() or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
        status = "200"
    media_type = content_type.split(";")[0].strip().lower()
    if media_type and media_type not in HTML_TYPES and not media_type.startswith("text/"):
        return None
    name = f"{path} [{uri}]"
    data = record.content_stream().read(PAGE_LIMIT + 1)
    if len(data) > PAGE_LIMIT:
        return Skipped(name, f"page larger than the {PAGE_LIMIT:,}-byte limit")
    try:
        if detect(data) != HTML:
            return None  # a text/plain or text/css record: not a page
    except UserError:
        return None  # an image served as text/*
    if not status.startswith("2"):
        return Skipped(name, f"the archived response is HTTP {status}, not a page")
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    return UnreadPage(data, name, identifier=uri or name, source=uri or None, url=uri or None, charset=charset,
                      captured=captured)


def _truncated(path: Path) -> str | None:
    """Why a gzipped archive is cut short, or None. warcio ends quietly at a gzip member that stops mid-way
    (a download cut off), so the whole file is decompressed once more to tell that apart from a clean end."""
    import gzip

    with path.open("rb") as stream:
        if stream.read(2) != b"\x1f\x8b":
            return None
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as error:
        return _one_line(error)
    return None


def _one_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
