"""Find quoted passages in a text, tolerant of unbalanced and stray quotation marks."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

OPENERS = {"“", "«", "„"}
CLOSERS = {"”", "»"}
# Marks that open and close alike: the straight '"', and two (or, closing a nested single quote, three)
# apostrophes, the typewriter convention of newspaper archives (''We will,'' she said).
MARK = re.compile(r"'{2,3}|[\"“”«»„]")
# What a quotation starts or ends with, for callers that test a text's edge ("''" ends with "'").
OPENING_MARKS = (*sorted(OPENERS), '"', "''")
CLOSING_MARKS = (*sorted(CLOSERS), '"', "'")


def find_quotes(text: str) -> list[tuple[int, int]]:
    """[start, end) of every quotation, marks included, as offsets into ``text``: sorted and disjoint, so
    the lookups below find a position's quotation by bisection.

    Works paragraph by paragraph so that one stray mark can never swallow the rest of an article:
    a quote left open at the end of a paragraph ends there (news style re-opens a continued quote
    in the next paragraph), and a new opening mark before a closing one drops the unmatched opener.
    A curly quotation closed by a straight mark (“...," she said) or the reverse is still one quotation.
    """
    found: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        found.extend((s + start, e + start) for s, e in _quotes_in_paragraph(paragraph))
        start += len(paragraph) + 1
    return found


def _quotes_in_paragraph(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    opened: int | None = None  # a curly opener waiting for its closer
    straight_open: int | None = None
    marks = [(m.start(), m.end(), _kind(m.group())) for m in MARK.finditer(text)]
    last = {kind: number for number, (_, _, kind) in enumerate(marks)}  # where each kind of mark last occurs
    for number, (i, end, kind) in enumerate(marks):
        if kind == "straight":
            if straight_open is not None:
                found.append((straight_open, end))
                straight_open = None
            elif opened is not None and last.get("close", -1) < number:
                found.append((opened, end))  # “...," she said: no curly closer is coming
                opened = None
            elif opened is None and _can_open(text, i, end):
                straight_open = i
        elif kind == "open" and straight_open is None:
            opened = i  # if one was open already, it was unbalanced: the newer opener wins
        elif kind == "close":
            if opened is not None:
                found.append((opened, end))
                opened = None
            elif straight_open is not None and last.get("straight", -1) < number:
                found.append((straight_open, end))  # "...” she said
                straight_open = None
    # a quote still open at the paragraph's end runs to the end of the paragraph
    for left in (opened, straight_open):
        if left is not None and len(text) - left > 1:
            end = len(text.rstrip())
            if end - left > 2:
                found.append((left, end))
    return sorted(_drop_nested(found))


def _kind(mark: str) -> str:
    if mark in OPENERS:
        return "open"
    if mark in CLOSERS:
        return "close"
    return "straight"


def _can_open(text: str, i: int, end: int) -> bool:
    """A straight mark opens if it is not glued to the end of a word (inch marks, typos)."""
    return i == 0 or not text[i - 1].isalnum() \
        or end < len(text) and text[end].isalpha() and text[i - 1] in " ([—–-"


def _drop_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def last_ending_by(quotes: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The last quotation of ``find_quotes`` that ends at or before ``position``, if any."""
    number = bisect_right(quotes, position, key=lambda q: q[1])
    return quotes[number - 1] if number else None


def first_starting_from(quotes: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The first quotation of ``find_quotes`` that starts at or after ``position``, if any."""
    number = bisect_left(quotes, position, key=lambda q: q[0])
    return quotes[number] if number < len(quotes) else None


def quotation_inside(quotes: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The quotation of ``find_quotes`` whose words (after its opening mark, before its closing one) hold
    ``position``, if any."""
    number = bisect_left(quotes, position, key=lambda q: q[0])
    if number and position < quotes[number - 1][1] - 1:
        return quotes[number - 1]
    return None


def opens_sentence(text: str, start: int) -> bool:
    """A quotation that opens a sentence or paragraph is a statement of its own or continues one (news
    style); one inside a sentence is more often a title, a scare quote or part of a paraphrase."""
    end = end_of_words_before(text, start)  # (no copy of the text before: callers ask for every quotation)
    return end == 0 or text.endswith(("\n", ".", "!", "?", ":", "”", "\"", "''"), 0, end) \
        or "\n" in text[end:start]


def end_of_words_before(text: str, position: int) -> int:
    """Where the text before ``position`` ends without its trailing whitespace (len(text[:position].rstrip()))."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return position


def char_before(text: str, position: int) -> str:
    """The last character before ``position`` that is not whitespace ("" if none)."""
    end = end_of_words_before(text, position)
    return text[end - 1] if end else ""
