"""The raw attribution found in one parsed text, before its source is resolved to an agent."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.quotes import quotation_inside
from kg.model import CueType, QuoteType, Stance

# Punctuation trimmed from the edges of content; quotation marks are kept (they belong to quotes).
EDGE_PUNCT = set(",.;:!?—–-()[]…") | {"--"}


@dataclass
class Candidate:
    """One attribution in part-relative character offsets; ``source`` is a spaCy Span or None."""

    cue_type: CueType
    content: list[tuple[int, int]]
    source: object | None = None  # spacy.tokens.Span of the source mention (the name or noun phrase)
    source_extent: object | None = None  # the whole source phrase, appositions and relative clauses included
    cue: tuple[int, int] | None = None
    recipient: object | None = None  # spacy.tokens.Span of the addressee
    quote_type: QuoteType = QuoteType.INDIRECT
    stance: Stance = Stance.CERTAIN
    hedges: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 0.8
    rule: str = ""
    sentence: int = 0  # index of the sentence start token, to order and deduplicate
    aside: bool = False  # the cue is a relative clause's with a speaker of its own: not relayed by a claim around it


def token_runs(tokens, keep_that: bool = True) -> list[tuple[int, int]]:
    """Char spans of the contiguous runs of ``tokens``, trimmed of edge punctuation.

    A leading complementizer ("that", "whether") stays, as in PARC and PolNeAR annotations; the
    claim's readable text drops it (Claim.text).
    """
    indices = sorted({t.i for t in tokens})
    if not indices:
        return []
    doc = tokens[0].doc
    runs, start, prev = [], indices[0], indices[0]
    for i in indices[1:]:
        if i != prev + 1:
            runs.append((start, prev))
            start = i
        prev = i
    runs.append((start, prev))
    spans = []
    for first, last in runs:
        first, last = _trim(doc, first, last, keep_that)
        if first <= last:
            spans.append((doc[first].idx, doc[last].idx + len(doc[last].text)))
    return spans


def _trim(doc, first: int, last: int, keep_that: bool) -> tuple[int, int]:
    def droppable_left(t):
        return t.is_space or t.text in EDGE_PUNCT or (not keep_that and t.lower_ in ("that", "whether", "if")
                                                       and t.dep_ == "mark")

    while first <= last and droppable_left(doc[first]):
        first += 1
    while first <= last and (doc[last].is_space or doc[last].text in EDGE_PUNCT):
        last -= 1
    return first, last


def quote_type_of(spans, quotes) -> QuoteType:
    """Direct if the content is (almost) all quotation, mixed if it holds a quotation, else indirect."""
    total = sum(e - s for s, e in spans)
    quoted = sum(max(0, min(e, qe) - max(s, qs)) for s, e in spans for qs, qe in quotes)
    if quoted == 0:
        return QuoteType.INDIRECT
    return QuoteType.DIRECT if quoted >= 0.9 * total else QuoteType.MIXED


def char_span(tokens) -> tuple[int, int]:
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def inside_quote(token, quotes) -> bool:
    return quotation_inside(quotes, token.idx) is not None


def covers(quote, token) -> bool:
    return quote[0] <= token.idx < quote[1]


def with_quotes(spans, quotes) -> list[tuple[int, int]]:
    """Content spans grown to whole quotations where they overlap one (the marks belong to the quote)."""
    grown = []
    for start, end in spans:
        for q_start, q_end in quotes:
            if q_start < end and start < q_end:
                start, end = min(start, q_start), max(end, q_end)
        if grown and start <= grown[-1][1]:
            grown[-1] = (grown[-1][0], max(end, grown[-1][1]))
        else:
            grown.append((start, end))
    return grown


def overlaps(span, spans) -> bool:
    return any(s < span.end_char and span.start_char < e for s, e in spans)
