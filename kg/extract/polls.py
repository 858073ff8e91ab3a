"""Poll findings: "In a CNN poll released Monday, 38 percent of voters said ...": the poll is the source.

A sentence that opens with "In" and a poll noun (kg/data/poll_nouns.txt) reports what the poll found,
whatever its verb; PolNeAR annotates the poll as the source, "In" as the cue and the rest of the sentence
as the content, and the respondents' "said" inside it as no attribution of its own (here it is relayed by
the poll's claim). A sentence whose verb is a statement by someone else ("In a recent poll, Democracy Corp
found ...") is that speaker's, with the poll as the venue.
"""
from __future__ import annotations

from kg.extract.candidates import char_span, inside_quote, with_quotes
from kg.extract.sources import noun_phrase, phrase_extent
from kg.extract.candidates import Candidate, quote_type_of, token_runs
from kg.extract.lexicon import Lexicon
from kg.extract.tokens import grammatical_subject, subtree_indices
from kg.model import CueType

# subject heads that are shares of the respondents, not speakers of their own ("38 percent said")
SHARE_WORDS = frozenset({"percent", "%", "majority", "minority", "plurality", "half", "third", "quarter",
                         "fifth", "most", "many", "some", "few", "all", "none"})


def poll_findings(doc, lexicon: Lexicon, quotes) -> list[Candidate]:
    """A claim for every sentence opening with "In [a poll]," whose verb is not another speaker's statement."""
    found = []
    for sentence in doc.sents:
        opening = next((t for t in sentence if not (t.is_punct or t.is_space)), None)
        if opening is None or opening.lower_ != "in" or opening.dep_ != "prep":
            continue
        poll = next((c for c in opening.children if c.dep_ == "pobj"), None)
        if poll is None or poll.lemma_.lower() not in lexicon.poll_nouns or inside_quote(opening, quotes):
            continue
        verb = opening.head
        if verb.pos_ not in ("VERB", "AUX") or _another_speaker(verb, lexicon):
            continue
        phrase = set(subtree_indices(opening))
        tokens = [t for t in sentence if t.i not in phrase and not t.is_space]
        spans = with_quotes(token_runs(tokens), quotes)
        if not spans:
            continue
        source = noun_phrase(poll)
        found.append(Candidate(cue_type=CueType.REPORT, content=spans, source=source,
                               source_extent=phrase_extent(source), cue=char_span([opening]),
                               quote_type=quote_type_of(spans, quotes), confidence=0.85, rule="poll",
                               sentence=sentence.start))
    return found


def _another_speaker(verb, lexicon: Lexicon) -> bool:
    """Whether the sentence's verb is a statement by a speaker other than the poll's respondents."""
    if not lexicon.is_speech_verb(verb.lemma_.lower()):
        return False
    subject = grammatical_subject(verb)
    if subject is None:
        return False
    share = subject.lemma_.lower() in SHARE_WORDS or subject.pos_ == "NUM" \
        or any(c.dep_ == "nummod" or c.pos_ == "NUM" for c in subject.children)
    return not share
