"""Organisations in a parse: "the Y-linked outlet Z" affiliations, "Name (ACR)" aliases, and the raw records."""
from __future__ import annotations

from dataclasses import dataclass

from kg.extract.lexicon import Lexicon
from kg.extract.names import name_tokens, strip_title
from kg.extract.tokens import positions

# Participles that tie an outlet or group to an organisation: "HTS-linked", "Iran-backed".
AFFILIATION_WORDS = frozenset({"link", "linked", "affiliate", "affiliated", "back", "backed", "run", "own", "owned",
                     "align", "aligned", "sponsor", "sponsored", "fund", "funded", "tie", "tied", "allied",
                     "control", "controlled", "support", "supported", "loyal", "close", "connected"})


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RawMembership:
    member: NameSpan
    organization: NameSpan
    role: str
    start: int
    end: int


@dataclass(frozen=True)
class RawAffiliation:
    agent: NameSpan
    organization: NameSpan
    how: str
    start: int
    end: int
    media: bool  # the affiliated thing is described as a media outlet


@dataclass(frozen=True)
class RawAlias:
    name: NameSpan
    alias: NameSpan


def name_span(span, offset: int) -> NameSpan:
    """A name's place in the article and its text without a title."""
    return NameSpan(span.start_char + offset, span.end_char + offset, strip_title(span.text))


def affiliations(doc, offset: int, lexicon: Lexicon) -> list[RawAffiliation]:
    """"the HTS-linked news network Iba'a": Iba'a is affiliated with HTS (and is an outlet)."""
    found = []
    for i in positions(doc, lemmas=AFFILIATION_WORDS, lowers=AFFILIATION_WORDS):
        token = doc[i]
        if token.dep_ not in ("amod", "compound", "acl"):
            continue
        org_token = _hyphen_prefix(token)
        if org_token is None:
            continue
        org_run = name_tokens(org_token)
        target = token.head
        described = [target]
        while target.dep_ == "compound" and target.head.i != target.i:
            target = target.head
            described.append(target)
        name_run = name_tokens(target) if target.pos_ == "PROPN" else None
        if name_run is None and target.i + 1 < len(doc) and doc[target.i + 1].pos_ == "PROPN":
            name_run = name_tokens(doc[target.i + 1])  # "the Iran-backed militia Kataib Hezbollah"
        if name_run is None:
            appositions = [c for c in target.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
            name_run = name_tokens(appositions[0]) if appositions else None
        if org_run is None or name_run is None:
            continue
        media = any(t.lemma_.lower() in lexicon.media_nouns for t in described[:-1] or described)
        how = doc[org_run.start:token.i + 1].text
        found.append(RawAffiliation(name_span(name_run, offset), name_span(org_run, offset), how,
                                    org_run.start_char + offset, name_run.end_char + offset, media))
    return found


def _hyphen_prefix(token):
    """The name glued before "-linked" in "HTS-linked", however the parser attached it."""
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text in ("-", "–") and doc[token.i - 1].whitespace_ == "":
        candidate = doc[token.i - 2]
        if candidate.pos_ == "PROPN" or candidate.text[:1].isupper():
            return candidate
    for child in token.children:
        if child.dep_ in ("npadvmod", "compound") and child.pos_ == "PROPN":
            return child
    return None


def acronyms(doc, offset: int) -> list[RawAlias]:
    """"Hay'at Tahrir al-Sham (HTS)": a name followed by an upper-case word in parentheses."""
    found = []
    for i in positions(doc, lowers=frozenset({"("})):
        token = doc[i]
        if token.i + 2 >= len(doc) or doc[token.i + 2].text != ")":
            continue
        acronym = doc[token.i + 1]
        if not (acronym.text.isupper() and 2 <= len(acronym.text) <= 10 and acronym.is_alpha):
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        run = name_tokens(before) if before is not None else None
        if run is None or run.text.isupper():
            continue
        found.append(RawAlias(name_span(run, offset), name_span(doc[acronym.i:acronym.i + 1], offset)))
    return found
