"""Headline claims ("X Claims It Captured ...", "Y Will Fail, Experts Say", "Lynch: No Outside Influence"),
read from the surface words.

Headlines are title-cased telegraphese that the parser handles badly, so they are split at an inflected
cue verb or at a colon instead of parsed.
"""
from __future__ import annotations

import re

from kg.extract.candidates import Candidate, quote_type_of, token_runs
from kg.extract.lexicon import Lexicon
from kg.extract.quotes import OPENING_MARKS
from kg.extract.tokens import doc_text
from kg.model import CueType

LEADING_MARKS = {"that"}
MAX_COLON_SOURCE_WORDS = 5  # "Clinton camp:", "Senate Majority Leader Mitch McConnell:"
MIN_COLON_CLAIM_WORDS = 3
PLACE_TYPES = {"GPE", "LOC"}  # "WASHINGTON:" opens a dateline, not a statement


def inflections(lemma: str) -> set[str]:
    """Present-tense and past forms a headline uses: "claim" -> claims, claimed; "say" -> says, said."""
    forms = {lemma, lemma + "s", lemma + "ed", lemma + "d"}
    if lemma.endswith("y") and lemma[-2:] not in ("ay", "ey", "oy"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith(("s", "sh", "ch", "x")):
        forms.add(lemma + "es")
    return forms | IRREGULAR.get(lemma, set())


IRREGULAR = {"say": {"says", "said"}, "tell": {"tells", "told"}, "think": {"thinks", "thought"},
             "write": {"writes", "wrote"}, "find": {"finds", "found"}, "show": {"shows", "showed"}}


# A line is title-cased when at least this share of its longer words is capitalised ("Trump Praises Boyle's
# Reporting"); fewer, and the capitals are names in an ordinary sentence.
TITLE_CASE_SHARE = 0.7
MIN_TITLE_WORDS = 3
TITLE_VERB_MIN_P_CUE = 0.25  # learned verbs at least this often a cue, besides the hand-listed ones
_WORD = re.compile(r"[^\W\d_][\w’'-]*")


def title_verb_forms(lexicon: Lexicon) -> frozenset[str]:
    """The inflected forms ("praises", "slammed", "said"; never the bare lemma, which is also a name: "Hope",
    "Grant") of the verbs that are cues often enough to be worth a headline's attention."""
    lemmas = set(lexicon.verbs) | {lemma for (lemma, kind), learned in lexicon.learned.items()
                                   if kind == "verb" and learned.p_cue >= TITLE_VERB_MIN_P_CUE}
    return frozenset(form for lemma in lemmas for form in inflections(lemma) if form != lemma)


def for_parser(text: str, verb_forms: frozenset[str]) -> str:
    """The text the parser reads for one part: a title-cased line with its cue verb forms in lower case
    ("Donald Trump praises Breitbart's Editor"), so that the tagger does not read them as part of a name;
    anything else unchanged. Same length, character for character, so every offset still holds."""
    if "\n" in text.strip():
        return text
    words = [m for m in _WORD.finditer(text) if len(m.group()) >= 4]
    capitalised = sum(1 for m in words if m.group()[0].isupper())
    if len(words) < MIN_TITLE_WORDS or capitalised < TITLE_CASE_SHARE * len(words):
        return text
    chars = list(text)
    for m in _WORD.finditer(text):
        word = m.group()
        if m.start() > 0 and word[0].isupper() and word[1:].islower() and word.lower() in verb_forms \
                and len(word[0].lower()) == 1:
            chars[m.start()] = word[0].lower()
    return "".join(chars)


def headline_claims(doc, lexicon: Lexicon) -> list[Candidate]:
    """At most one claim: the source before the cue and the content after it (or the reverse)."""
    forms = {form: lemma for lemma in lexicon.verbs for form in inflections(lemma)}
    tokens = list(doc)
    for i, token in enumerate(tokens):
        lemma = forms.get(token.lower_)
        if lemma is None:
            continue
        cue = lexicon.verbs[lemma]
        before, after = tokens[:i], tokens[i + 1:]
        if before and before[-1].text == "," and len(after) <= 2:
            # "Taxes Will Rise, Experts Say": content, comma, source, cue
            continue
        if len(before) >= 1 and len(after) >= 2 and not any(t.text in ",:;" for t in before):
            while after and after[0].lower_ in LEADING_MARKS:
                after = after[1:]
            return [Candidate(cue_type=cue.cue_type, stance=cue.stance, content=token_runs(after),
                              source=doc[before[0].i:before[-1].i + 1], cue=(token.idx, token.idx + len(token)),
                              confidence=0.6, rule="headline")]
        comma = max((j for j, t in enumerate(before) if t.text == ","), default=None)
        if comma is not None and 0 < i - comma - 1 <= 4 and not after:
            return [Candidate(cue_type=cue.cue_type, stance=cue.stance, content=token_runs(before[:comma]),
                              source=doc[before[comma + 1].i:token.i], cue=(token.idx, token.idx + len(token)),
                              confidence=0.6, rule="headline")]
    return []


def source_colon_claim(doc, lexicon: Lexicon, quotes=()) -> list[Candidate]:
    """A one-line headline or paragraph "SOURCE: claim" ("Poll: Sanders Leads", "Trump: ‘I Will Win’").

    The source is a short capitalised phrase with no cue verb (verbcues.py reads "X said: ..."), no number
    (times such as "12:45 p.m.:") and no label word ("Update:", "Editor's note:").
    """
    colon = next((t for t in doc[:MAX_COLON_SOURCE_WORDS + 3] if t.text == ":"), None)
    if colon is None or "\n" in doc_text(doc).strip():
        return []
    before = [t for t in doc[:colon.i] if not t.is_space]
    after = [t for t in doc[colon.i + 1:] if not t.is_space]
    words = [t for t in before if t.is_alpha]
    if not words or len(words) > MAX_COLON_SOURCE_WORDS or not before[0].text[:1].isupper():
        return []
    named = [t for t in words if t.pos_ != "DET"]
    if any(t.like_num or t.is_digit for t in before) or all(t.lower_ in lexicon.colon_labels for t in named):
        return []  # "Update:", "The Latest:", "Watch:" label the line ("Judicial Watch:" names a source)
    # a transcript's speaker label ("ANA RUIZ: ...", "Q: ...") is capitals the tagger reads as anything
    transcript = all(t.is_upper for t in words) and (len(words) >= 2 or len(words[0]) == 1)
    # a person's name before a quotation or a transcript turn speaks, however many sentences follow
    speaker_turn = transcript or all(t.ent_type_ == "PERSON" for t in named) \
        or bool(after) and after[0].text.startswith(OPENING_MARKS)
    if not speaker_turn and any(t.is_sent_start for t in after[1:]):
        return []  # "Turnout: Sanders said ... . His wife called ...": a topic heading a paragraph, not a source
    if not transcript and any(t.pos_ in ("VERB", "AUX") for t in before):
        return []  # a clause is no speaker's name ("Bill is back: ...", "Still to come: ...")
    if not transcript and before[0].pos_ in ("CCONJ", "SCONJ", "ADV", "ADP", "INTJ"):
        return []  # "But beware, Republicans: ...", "At issue: ...", "Wow: ..." address the reader
    if all(t.ent_type_ in PLACE_TYPES for t in words) or sum(t.is_alpha for t in after) < MIN_COLON_CLAIM_WORDS:
        return []
    content = token_runs(after)
    if not content:
        return []
    return [Candidate(cue_type=CueType.ASSERT, content=content, source=doc[before[0].i:before[-1].i + 1],
                      cue=(colon.idx, colon.idx + 1), quote_type=quote_type_of(content, quotes), confidence=0.6,
                      rule="source-colon", sentence=colon.sent.start)]
