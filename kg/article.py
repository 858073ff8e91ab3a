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

INDENT_CHARS = " \t\u00a0"
# A reader-comment header line starts with a bullet; the commenter's display name follows on the same line.
BULLET = re.compile(r"[ \t\u00a0]*[•·▪◦●‣∙]")
BLANK_LINES = re.compile(r"\n[^\S\n]*\n")  # also CRLF files and lines of NBSP or other spaces
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


def regular_file(path: str | Path) -> Path:
    """``path`` as a Path, if it names an existing regular file; else a UserError saying what it is instead."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: {'a link to nothing' if path.is_symlink() else 'no such file'}")
    if not path.is_file():
        raise UserError(f"{path}: not a regular file")
    return path


# ---------------------------------------------------------------- layout

def trimmed(text: str, start: int, end: int) -> Span | None:
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
        span = trimmed(text, cursor, match.start())
        if span:
            found.append(span)
        cursor = match.end()
    span = trimmed(text, cursor, end)
    if span:
        found.append(span)
    return found


def _is_heading_like(span: Span) -> bool:
    """One short line without sentence-final punctuation: a headline or an image caption."""
    return "\n" not in span.text and len(span.text) <= 200 and not SENTENCE_END.search(span.text)


def _indent(line: str) -> int:
    """Width of a line's leading whitespace (a tab counts as eight columns, NBSP as one)."""
    return len(line[:len(line) - len(line.lstrip(INDENT_CHARS))].expandtabs(8))


def _header_name(line: str) -> tuple[int, int] | None:
    """[start, end) of the name in a comment header line ("  • Name"), or None if it is not one."""
    bullet = BULLET.match(line)
    if bullet is None:
        return None
    start, end = bullet.end(), len(line)
    while start < end and line[start].isspace():  # str methods, not a regex: linear on any line
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_comments(text: str) -> tuple[int, tuple[Comment, ...]]:
    """Where the comment section starts, and its comments.

    The section is the run of comments that ends the text: each comment is a header line (indentation,
    a bullet and the commenter's name, nothing else) followed by a body whose non-blank lines are all
    indented deeper than the header; every header of the section has the same indentation. So a bullet
    line inside a comment's indented text is that comment's text (it cannot start a comment under another
    name), and a bulleted list inside an article stays article text: its items carry their text on the
    bullet's line with no indented body, more article paragraphs follow it, and an unindented bullet is
    never a header (so a list that ends the article cannot swallow the comments after it as its "body").
    One pass over the lines: linear in the text's length.
    """
    section: int | None = None  # where the comment section that is still valid started
    header_indent = 0
    headers: list[tuple[int, int, int]] = []  # (line start, name start, name end) of the section's headers
    has_body = False  # the section's last header has a non-blank, deeper indented line after it
    position = 0
    for line in text.split("\n"):
        start, position = position, position + len(line) + 1
        if not line.strip():
            continue
        indent = _indent(line)
        if section is not None and indent > header_indent:
            has_body = True  # the current comment's indented text, bullet lines included
            continue
        name = _header_name(line) if indent > 0 else None
        if name is not None and section is not None and indent == header_indent and has_body:
            headers.append((start, start + name[0], start + name[1]))
            has_body = False
            continue
        # anything else ends the would-be section: what came before this line is article text
        section, headers, has_body = None, [], False
        if name is not None:
            section, header_indent = start, indent
            headers.append((start, start + name[0], start + name[1]))
    if section is None or not has_body:
        return len(text), ()
    comments = []
    for number, (_, name_start, name_end) in enumerate(headers):
        body_end = headers[number + 1][0] if number + 1 < len(headers) else len(text)
        author = Span(name_start, name_end, text[name_start:name_end])
        comments.append(Comment(author, tuple(blocks(text, name_end, body_end))))
    return section, tuple(comments)


def comment_block(author: str, text: str) -> str:
    """One comment in the layout ``split_comments`` reads back as exactly this comment: the header
    "  • Author", a blank line, and every line of the text indented four spaces, so that no line of the
    text, a bullet line included, can be read as a header of its own."""
    name = " ".join(author.split()) or "Anonymous"
    if not text.strip():
        raise ValueError("a comment needs text")
    body = "\n".join(f"    {line}" if line.strip() else "" for line in text.strip().split("\n"))
    return f"  • {name}\n\n{body}"


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
    path = regular_file(path)
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
