"""Read an article file into its parts (headline, captions, paragraphs, reader comments) with char offsets."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import UserError
from kg.model import Span

MAX_BYTES = 5_000_000  # one article; a larger file is almost certainly not an article

# A reader-comment header: a bullet, then the commenter's display name on the same line.
BULLET_LINE = re.compile(r"^[ \t\u00a0]*[•·▪◦●‣∙][ \t\u00a0]*(?P<name>\S[^\n]*?)[ \t\u00a0]*$", re.M)
BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
SENTENCE_END = re.compile(r"[.!?…:\"”’')]$")


@dataclass(frozen=True)
class Comment:
    author: Span
    paragraphs: tuple[Span, ...]

    @property
    def body(self) -> Span:
        return self.paragraphs[0] if len(self.paragraphs) == 1 else _join(self.paragraphs)


@dataclass(frozen=True)
class Article:
    """An article's text and its parts; every Span indexes into ``text``."""

    text: str
    identifier: str
    title: Span | None = None
    captions: tuple[Span, ...] = ()
    paragraphs: tuple[Span, ...] = ()
    comments: tuple[Comment, ...] = ()
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    warnings: tuple[str, ...] = field(default=())
    # Set by the web readers (kg/readers): the page's byline, where the text was read from (the URL fetched,
    # the WARC record's URI or the file given), when an archive captured it, and where ``date`` comes from.
    author: str | None = None
    source: str | None = None
    captured: str | None = None
    date_source: str | None = None

    @property
    def doc_id(self) -> str:
        """Stable id: the URL when known (an edited article stays the same document), else the text."""
        basis = self.url or self.text
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

    @property
    def body(self) -> Span | None:
        """From the headline to the end of the last paragraph: the article proper, without comments."""
        parts = [p for p in (self.title, *self.captions, *self.paragraphs) if p]
        return _join(parts) if parts else None


def _join(spans) -> Span:
    # text is filled by the caller when needed; the joined span only records the extent
    return Span(spans[0].start, spans[-1].end, "")


# ---------------------------------------------------------------- decoding

def decode(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Bytes -> text. UTF-8 (with or without BOM); otherwise Windows-1252 with a warning naming it."""
    if not data.strip():
        raise UserError(f"{name}: empty file")
    _refuse_other_formats(data, name)
    if b"\x00" in data[:8192]:
        raise UserError(f"{name}: binary file (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
        warnings: tuple[str, ...] = ()
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise UserError(f"{name}: neither UTF-8 nor Windows-1252 text") from None
        warnings = (f"{name}: not UTF-8; decoded as Windows-1252 (cp1252)",)
    controls = sum(1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise UserError(f"{name}: binary file (control characters), not a text article")
    if not text.strip():
        raise UserError(f"{name}: empty file")
    return text, warnings


def _refuse_other_formats(data: bytes, name: str) -> None:
    """Markup and binary formats are never laid out as text: kg.readers reads pages and archives."""
    from kg.readers.detect import TEXT, detect

    kind = detect(data)  # raises for formats claimgraph cannot read at all
    if kind != TEXT:
        raise UserError(f"{name}: {'an HTML page' if kind == 'html' else 'a web archive (WARC)'}, "
                        "not a text article; kg extract and kg ingest read it as such")


# ---------------------------------------------------------------- layout

def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The span [start, end) without surrounding whitespace (incl. NBSP), or None if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end]) if start < end else None


def blocks(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Blank-line separated blocks of text[start:end], trimmed, with offsets into text."""
    end = len(text) if end is None else end
    found, cursor = [], start
    for match in BLANK_LINES.finditer(text, start, end):
        span = _trimmed(text, cursor, match.start())
        if span:
            found.append(span)
        cursor = match.end()
    span = _trimmed(text, cursor, end)
    if span:
        found.append(span)
    return found


def _is_heading_like(span: Span) -> bool:
    """One short line without sentence-final punctuation: a headline or an image caption."""
    return "\n" not in span.text and len(span.text) <= 200 and not SENTENCE_END.search(span.text)


def split_comments(text: str) -> tuple[int, tuple[Comment, ...]]:
    """Where the comment section starts, and its comments (bullet line = author, then the text)."""
    headers = list(BULLET_LINE.finditer(text))
    if not headers:
        return len(text), ()
    comments = []
    for number, header in enumerate(headers):
        body_end = headers[number + 1].start() if number + 1 < len(headers) else len(text)
        author = Span(header.start("name"), header.end("name"), header.group("name"))
        paragraphs = tuple(blocks(text, header.end(), body_end))
        if paragraphs:
            comments.append(Comment(author, paragraphs))
    return headers[0].start(), tuple(comments)


def parse_layout(text: str, identifier: str, *, structured: bool = True, **meta) -> Article:
    """Find the parts of an article. ``structured=False`` treats everything as body paragraphs."""
    if not structured:
        return Article(text, identifier, paragraphs=tuple(blocks(text)), **meta)
    comments_start, comments = split_comments(text)
    parts = blocks(text, 0, comments_start)
    title = None
    captions: list[Span] = []
    # A headline is a first block that is one short line without final punctuation and is followed
    # by more text; caption lines ("A vehicle of X after an attack") sit between it and the body.
    if len(parts) > 1 and _is_heading_like(parts[0]):
        title, parts = parts[0], parts[1:]
        while len(parts) > 1 and _is_heading_like(parts[0]):
            captions.append(parts.pop(0))
    return Article(text, identifier, title=title, captions=tuple(captions), paragraphs=tuple(parts),
                   comments=comments, **meta)


# ---------------------------------------------------------------- entry points

def read_sidecar(path: Path) -> dict:
    """ARTICLE.meta.json beside ARTICLE.txt: publisher, url, date (all optional)."""
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.is_file():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(f"{sidecar}: not valid JSON: {error}") from None
    except OSError as error:
        raise UserError(f"{sidecar}: cannot read ({error.strerror or error})") from None
    if not isinstance(meta, dict):
        raise UserError(f"{sidecar}: expected a JSON object")
    return {key: str(meta[key]) for key in ("publisher", "url", "date") if meta.get(key)}


def read_article(path: str | Path, *, publisher: str | None = None, url: str | None = None,
                 date: str | None = None, structured: bool = True, max_bytes: int = MAX_BYTES) -> Article:
    """Read and lay out one article file; options override the sidecar's metadata."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: {'a link to nothing' if path.is_symlink() else 'no such file'}")
    if not path.is_file():
        raise UserError(f"{path}: not a regular file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UserError(f"{path}: {size:,} bytes is larger than the {max_bytes:,}-byte limit for one article")
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)  # a file that grows while read (or a /proc file) stays bounded
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror or error})") from None
    if len(data) > max_bytes:
        raise UserError(f"{path}: more than the {max_bytes:,}-byte limit for one article")
    text, warnings = decode(data, str(path))
    meta = read_sidecar(path)
    meta.update({k: v for k, v in (("publisher", publisher), ("url", url), ("date", date)) if v})
    article = parse_layout(text, path.stem, structured=structured, **meta)
    return _with_warnings(article, warnings)


def article_from_text(text: str, *, identifier: str, publisher: str | None = None, url: str | None = None,
                      date: str | None = None, structured: bool = True) -> Article:
    """Lay out text that is already decoded (stdin, a JSON Lines corpus, the PolNeAR benchmark)."""
    if not text.strip():
        raise UserError(f"{identifier}: empty text")
    meta = {k: v for k, v in (("publisher", publisher), ("url", url), ("date", date)) if v}
    return parse_layout(text, identifier, structured=structured, **meta)


def _with_warnings(article: Article, warnings: tuple[str, ...]) -> Article:
    if not warnings:
        return article
    from dataclasses import replace

    return replace(article, warnings=article.warnings + warnings)
