"""Properties of the reader and the extractor on random and mutated articles: nothing escapes, and every
stored anchor is the original text at its offsets (in the model and, after a round trip, in the RDF)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.article import article_from_text, comment_block
from kg.errors import UserError
from kg.model import Span

# Invented articles in the shapes the extractor reads: quotes in every convention, indirect speech,
# "according to", a transcript, a sign-off, a list, reader comments.
TEMPLATES = [
    "Harbour Bridge Closes For Repairs\n\nA crane on the bridge\n\n"
    "“We will reopen the bridge before winter,” Mayor Ana Ruiz said on Tuesday. “It takes time.”\n\n"
    "Ben Ortiz, a spokesman for the Harbour Authority, told the Valley News that the cables were corroded.\n\n"
    "According to local engineers, repairs could cost $4 million.\n\n"
    + comment_block("river_fan", "Finally!\n\nThey said the same thing in 2019.") + "\n\n"
    + comment_block("Sam Ortiz", "The mayor is lying about the cost. \"It was always $9 million,\" I heard.") + "\n",

    "Council Votes On Budget\n\nThe council approved the budget on Monday:\n\n• Roads\n• Two schools\n\n"
    "\"This is a good day,\" said councillor Lee Park, adding that taxes would not rise.\n\n"
    "''We never promised that,'' the opposition leader, Dana Holt, said. Critics believe the plan is reckless.\n\n"
    "Q: Will taxes rise?\nA: No.\n\nMARIA SANTOS: They will, next year.\n",

    "Park plans draw criticism\n\nResidents are worried that the park will close early. “It is a disgrace” ― "
    "a neighbour\n\nThe city said in a statement: “Opening hours will not change.”\n\n"
    "- Tom Reyes.\n\nOfficials estimate that 2,000 people visit daily, according to a survey released Friday.\n",
]

MARKS = ["“", "”", '"', "''", "«", "»", "„", "'"]
NOISE = ["\u0301", "\u0327", "\u202e", "\u200f", "\u061f", "مرحبا", "שלום", "👍", "👩‍👩‍👧", "\U0001f1fa\U0001f1f8",
         "\u00a0", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\r",
         "\ufffd", "\uffff", "\U0010fffd", "\ue000", "\u3000", "\t", "ǅ", "ﬁ", "İ", "ß"]
INSERTS = ["\n  • Someone Else\n", "\n• item\n", "  • ", ": ", ":", "\n\n", "\n", " — ", "Q: ", "said: "]
LONG = ["word " * 600, "x" * 2500, "“" + "a, " * 700 + "”", "said that " * 200]


def _mutation():
    kinds = st.sampled_from(["delete-mark", "duplicate-mark", "insert-mark", "insert", "noise", "long"])
    return st.tuples(kinds, st.floats(0, 1), st.integers(0, 10 ** 6))


def _apply(text: str, mutation) -> str:
    kind, where, pick = mutation
    position = int(where * len(text))
    if kind in ("delete-mark", "duplicate-mark"):
        marks = [i for i, ch in enumerate(text) if ch in "“”\"'«»„"]
        if not marks:
            return text
        i = marks[pick % len(marks)]
        return text[:i] + text[i + 1:] if kind == "delete-mark" else text[:i] + text[i] + text[i:]
    payload = {"insert-mark": MARKS, "insert": INSERTS, "noise": NOISE, "long": LONG}[kind]
    return text[:position] + payload[pick % len(payload)] + text[position:]


MUTATED = st.builds(lambda template, mutations: _mutate(TEMPLATES[template], mutations),
                    st.integers(0, len(TEMPLATES) - 1), st.lists(_mutation(), max_size=8))
# Texts from scratch: words, marks, layout and noise in any order.
ALPHABET = st.sampled_from(["Ana", "said", "told", "that", "the", "bridge", "is", "safe", ".", ",", ":", " ",
                            "\n", "\n\n", "  • ", "    ", *MARKS, *NOISE[:12], "according to", "Q:", "—"])
RANDOM = st.lists(ALPHABET, min_size=1, max_size=80).map("".join)


def _mutate(text: str, mutations) -> str:
    for mutation in mutations:
        text = _apply(text, mutation)
    return text


def _layout_spans(article):
    spans = [article.title, *article.captions, *article.paragraphs]
    for comment in article.comments:
        spans += [comment.author, *comment.paragraphs]
    return [span for span in spans if span is not None]


def _model_spans(extraction):
    for claim in extraction.claims:
        yield from claim.content
        for link in claim.chain:
            yield from (span for span in (link.cue, link.source_span) if span is not None)
            yield from link.hedges
    for agent in extraction.agents:
        yield from agent.mentions
    for document in extraction.documents:
        yield document.span
    yield from (m.span for m in extraction.memberships)
    yield from (a.span for a in extraction.affiliations)


def _read(text: str, structured: bool):
    try:
        return article_from_text(text, identifier="prop", structured=structured)
    except UserError:
        assert not text.strip()  # only a blank text is refused
        return None


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.one_of(MUTATED, RANDOM), st.booleans())
def test_the_reader_keeps_every_part_at_its_offsets(text, structured):
    article = _read(text, structured)
    if article is None:
        return
    spans = _layout_spans(article)
    for span in spans:
        assert isinstance(span, Span) and text[span.start:span.end] == span.text and span.text.strip()
    # parts are in text order and do not overlap: no character belongs to two parts
    starts = sorted((s.start, s.end) for s in spans)
    for (_, end), (start, _) in zip(starts, starts[1:]):
        assert end <= start
    if article.comments:
        assert all(p.end <= article.comments[0].author.start for p in article.paragraphs)


@settings(max_examples=45, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(MUTATED, MUTATED, RANDOM), st.booleans())
def test_extraction_anchors_are_the_original_text(nlp, text, structured):
    from kg.pipeline import extract_article
    from kg.rdf import extraction_quads, serialize

    article = _read(text, structured)
    if article is None:
        return
    extraction = extract_article(article, nlp=nlp)
    assert extraction.text == text
    for span in _model_spans(extraction):
        assert text[span.start:span.end] == span.text, span
    # through the RDF, as a store or another tool reads it: every anchor is nif:isString[begin:end]
    _, quads = extraction_quads(extraction)
    for rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TURTLE):
        anchors = _check_rdf_anchors(ox.parse(serialize(quads, rdf_format), format=rdf_format), text)
        assert anchors >= len({(s.start, s.end) for claim in extraction.claims for s in claim.content})


NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def _check_rdf_anchors(statements, text: str) -> int:
    """Checks every anchor of the parsed statements against the context string; returns how many."""
    by_subject: dict = {}
    for statement in statements:
        by_subject.setdefault(statement.subject, {})[statement.predicate.value] = statement.object
    contexts = [values[NIF + "isString"].value for values in by_subject.values() if NIF + "isString" in values]
    assert contexts == [text]
    anchors = 0
    for values in by_subject.values():
        if NIF + "anchorOf" in values:
            begin, end = int(values[NIF + "beginIndex"].value), int(values[NIF + "endIndex"].value)
            assert values[NIF + "anchorOf"].value == text[begin:end]
            anchors += 1
    return anchors


@pytest.mark.parametrize("text", [
    "“" * 300 + "Ana said the bridge is safe" + "”" * 300,
    "\"" * 301 + " she said. " + "''" * 150,
    "Ana said:\n\n“",
    "  • Ana\n\n    “",
    "•\n  •\n    •",
    "\u202eAna said that the bridge \u200bis safe, \u0301\u0301“she” said.\u2028Ben said: no.",
    # found by the properties: a relative pronoun's source phrase lies apart from the name it stands for, and
    # cutting the other statements out of it left an empty source ("bad span [N, N)")
    _mutate(TEMPLATES[0], [("long", 0.109375, 3), ("long", 0.25, 3)]),
], ids=["curly-300-deep", "straight-and-apostrophes", "colon-then-mark", "comment-of-one-mark", "bare-bullets",
        "unicode-noise", "relative-pronoun-source"])
@pytest.mark.parametrize("structured", [True, False])
def test_hostile_shapes(nlp, text, structured):
    from kg.pipeline import extract_article

    extraction = extract_article(article_from_text(text, identifier="hostile", structured=structured), nlp=nlp)
    for span in _model_spans(extraction):
        assert text[span.start:span.end] == span.text
