"""Find quoted passages in a text, tolerant of unbalanced and stray quotation marks."""
from __future__ import annotations

OPEN_CURLY, CLOSE_CURLY, STRAIGHT = "“", "”", '"'
OPENERS = {"“", "«", "„"}
CLOSERS = {"”", "»"}


def find_quotes(text: str) -> list[tuple[int, int]]:
    """[start, end) of every quotation, marks included, as offsets into ``text``.

    Works paragraph by paragraph so that one stray mark can never swallow the rest of an article:
    a quote left open at the end of a paragraph ends there (news style re-opens a continued quote
    in the next paragraph), and a new opening mark before a closing one drops the unmatched opener.
    """
    found: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        found.extend((s + start, e + start) for s, e in _quotes_in_paragraph(paragraph))
        start += len(paragraph) + 1
    return found


def _quotes_in_paragraph(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    opened: int | None = None
    straight_open: int | None = None
    for i, ch in enumerate(text):
        if ch == STRAIGHT:
            if straight_open is None:
                if opened is None and _can_open(text, i):
                    straight_open = i
            else:
                found.append((straight_open, i + 1))
                straight_open = None
        elif ch in OPENERS and straight_open is None:
            opened = i  # if one was open already, it was unbalanced: the newer opener wins
        elif ch in CLOSERS and opened is not None:
            found.append((opened, i + 1))
            opened = None
    # a quote still open at the paragraph's end runs to the end of the paragraph
    for left in (opened, straight_open):
        if left is not None and len(text) - left > 1:
            end = len(text.rstrip())
            if end - left > 2:
                found.append((left, end))
    return sorted(_drop_nested(found))


def _can_open(text: str, i: int) -> bool:
    """A straight quote opens if it is not glued to the end of a word (inch marks, typos)."""
    return i == 0 or not text[i - 1].isalnum() or i + 1 < len(text) and text[i + 1].isalpha() and text[i - 1] in " ([—–-"


def _drop_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept
