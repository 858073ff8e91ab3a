"""Quotations signed with a dash and a name: "“...” ― Ana Ruiz", a line "- Ana Ruiz." under a quoted
paragraph, and embedded posts ending "... — Ana Ruiz (@anaruiz) May 4, 2016".

Read from the surface text rather than the parse: the parser takes a sign-off for an apposition or a
fragment, and the layout (a dash closing a quotation or opening a line) is what marks it.
"""
from __future__ import annotations

import re

from kg.extract.candidates import Candidate
from kg.extract.quotes import CLOSING_MARKS
from kg.extract.tokens import doc_text
from kg.model import CueType, QuoteType

_NAME_WORD = r"[A-Z][\w.'’-]*"
_NAME = rf"{_NAME_WORD}(?:[ \u00a0]+(?:{_NAME_WORD}|of|de|del|da|van|von|al|bin|le|la)){{0,5}}"
# dash, the name (optionally its @handle), then at most a short tail (", Philadelphia", "May 4, 2016",
# ", tweeting after the speech") up to the end of the line; no quotation mark may follow
SIGN_OFF = re.compile(
    rf"(?P<dash>--|[-–—―])[ \u00a0]*(?P<name>{_NAME}(?:[ \u00a0]*\(@\w+\))?)"
    rf"(?P<tail>[^\n\"“”]{{0,80}}?)[ \u00a0]*(?:</\w+>)?[ \u00a0.]*$", re.MULTILINE)
HANDLE = re.compile(r"\(@\w+\)")
DASHES = set("-–—―")
# what may follow the name: a comma (", Philadelphia", ", tweeting after the speech") or a date
TAIL_START = re.compile(r"[ \u00a0]*(?:,|\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \u00a0]+\d)")
MAX_TAIL_WORDS = 8


def signed_quotations(doc, quotes) -> list[Candidate]:
    """Sign-offs in one parsed part. A line that is only a sign-off gets no content here (rule
    ``signoff-previous``): it signs the quotation of the paragraph before it, which extraction attaches."""
    text = doc_text(doc)
    found = []
    for match in SIGN_OFF.finditer(text):
        tail = match.group("tail")
        if len(tail.split()) > MAX_TAIL_WORDS or DASHES & set(tail) or tail.strip() and not TAIL_START.match(tail):
            continue  # "– Ready for the vote –" (a heading), "- Ana Ruiz leads in Ohio" (a bullet)
        dash = match.start("dash")
        line_start = text.rfind("\n", 0, dash) + 1
        before = text[line_start:dash].rstrip(" \u00a0")
        if not before:
            content, rule = [], "signoff-previous"
        elif before.endswith(CLOSING_MARKS):
            quotation = next((q for q in quotes if q[1] == line_start + len(before)), None)
            if quotation is None or text[line_start:quotation[0]].strip():
                continue  # 'he said it was "the best."--Ana Ruiz': a reporter's byline, not a signature
            content, rule = [quotation], "signoff"
        elif HANDLE.search(match.group("name")):
            # an embedded post: its text runs from the line start (after any markup) to the dash
            start = line_start + (before.rfind(">") + 1)
            while start < dash and text[start] in " \u00a0":
                start += 1
            if len(text[start:dash].split()) < 3:
                continue
            content, rule = [(start, line_start + len(before))], "signoff"
        else:
            continue  # "He met one man — John Smith.": an aside, not a signature
        name_end = match.end("name")
        if text[name_end - 1] == "." and len(text[match.start("name"):name_end].split()[-1]) > 2:
            name_end -= 1  # "- Ana Ruiz." ends its sentence; "Ana E." keeps its initial
        source = doc.char_span(match.start("name"), name_end, alignment_mode="expand")
        if source is None:
            continue
        found.append(Candidate(cue_type=CueType.ASSERT, content=content, source=source, source_extent=source,
                               cue=(dash, match.end("dash")), quote_type=QuoteType.DIRECT, confidence=0.8,
                               rule=rule, sentence=source.start))
    return found
