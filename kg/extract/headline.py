"""Headline claims ("X Claims It Captured ...", "Y Will Fail, Experts Say"), read from the surface words.

Headlines are title-cased telegraphese that the parser handles badly, so they are split at an inflected
cue verb instead of parsed.
"""
from __future__ import annotations

from kg.extract.candidates import Candidate, token_runs
from kg.extract.lexicon import Lexicon

LEADING_MARKS = {"that"}


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
