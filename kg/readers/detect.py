"""Tell an input's format from its first bytes: text, HTML, WARC, or a named format claimgraph cannot read."""
from __future__ import annotations

import re
import zlib

from kg.errors import UserError

TEXT, HTML, WARC = "text", "html", "warc"
READS = "claimgraph reads text articles, HTML pages, WARC archives and JSON Lines"
SNIFF_BYTES = 65_536

# Magic numbers of formats people hand over by mistake. Order matters only where one prefix contains another.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls/.ppt)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", None),  # BMP only with a plausible header, see _bmp
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", None),  # a Windows executable only with its PE header, see _exe
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
)
ZIP_MEMBERS = ((b"word/", "a Word document (DOCX)"), (b"xl/", "an Excel workbook (XLSX)"),
               (b"ppt/", "a PowerPoint presentation (PPTX)"), (b"opendocument", "an OpenDocument file (ODT/ODS)"),
               (b"META-INF/container.xml", "an EPUB e-book"))
HTML_START = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title|link|"
                        rb"base|script|style|div|article|section|header|nav|main|p|h[1-6]|table)[\s>/]",
                        re.I | re.S)
HTML_ANYWHERE = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)


def detect(data: bytes) -> str:
    """TEXT, HTML or WARC for what claimgraph reads; a UserError naming any other recognised format."""
    head = data[:SNIFF_BYTES]
    unreadable = unreadable_format(head)
    if unreadable:
        raise UserError(f"{unreadable}, not something claimgraph can read ({READS})")
    if head.startswith(b"\x1f\x8b"):
        inner = _gunzip_head(head)
        if inner.startswith((b"WARC/", b"filedesc://")):
            return WARC
        raise UserError(f"gzip-compressed data that is not a web archive (WARC); unpack it first ({READS})")
    if head.startswith((b"WARC/1.", b"WARC/0.")):
        return WARC
    if looks_like_html(head):
        return HTML
    return TEXT


def looks_like_html(head: bytes) -> bool:
    """A page's markup: it opens with an HTML tag, or declares <!doctype html>/<html>/<head>/<body> early on."""
    body = head.lstrip(b"\xef\xbb\xbf")
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        body = body.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    if HTML_START.match(body):
        return True
    return bool(HTML_ANYWHERE.search(body[:4096]))


def unreadable_format(head: bytes) -> str | None:
    """The name of a binary format claimgraph cannot read, or None."""
    for magic, name in MAGIC:
        if head.startswith(magic):
            if magic == b"BM":
                return "a BMP image" if _bmp(head) else None
            if magic == b"MZ":
                return "a Windows executable" if b"PE\x00\x00" in head[:1024] else None
            return name
    if head.startswith(b"PK\x03\x04"):
        for member, name in ZIP_MEMBERS:
            if member in head:
                return name
        return "a ZIP archive"
    if head[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[head[8:12]]
    return None


def _bmp(head: bytes) -> bool:
    return len(head) > 26 and head[6:10] == b"\x00\x00\x00\x00" and int.from_bytes(head[14:18], "little") in (
        12, 40, 52, 56, 64, 108, 124)


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
    except zlib.error:
        return b""
