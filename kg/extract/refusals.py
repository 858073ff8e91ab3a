"""Refusals to comment ("declined to comment", "did not respond to requests for comment", "could not be
reached"): facts about a source, kept apart from its claims."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.extract.candidates import Candidate, char_span, inside_quote
from kg.extract.lexicon import data_lines
from kg.extract.sources import noun_phrase, phrase_extent
from kg.extract.tokens import grammatical_subject, positions
from kg.model import CueType, QuoteType

RULE_PREFIX = "refusal:"  # a candidate's rule "refusal:KIND" marks a refusal, never made a claim
NEGATIONS = ("not", "n't", "never")


@dataclass(frozen=True)
class RefusalCue:
    kind: str  # "declined", "no-response", "unreachable"
    negated: bool  # the verb says it only with "not" ("did not respond"; "declined" says it alone)
    words: frozenset[str]  # one of them in what is refused ("to comment", "requests for comment"); empty: any
    first_word: bool  # ... as its first word after "to" ("declined to comment", not "declined to say ...")


@lru_cache(maxsize=1)
def refusal_cues() -> dict[str, RefusalCue]:
    """kg/data/refusals.tsv by verb lemma."""
    table = {}
    for line in data_lines("refusals.tsv"):
        lemma, kind, negated, words, where = line.split("\t")
        table[lemma] = RefusalCue(kind, negated == "yes", frozenset() if words == "-" else frozenset(words.split(",")),
                                  where == "first")
    return table


def is_refusal(candidate: Candidate) -> bool:
    return candidate.rule.startswith(RULE_PREFIX)


def kind_of(candidate: Candidate) -> str:
    return candidate.rule[len(RULE_PREFIX):]


def mark(doc, candidates: list[Candidate]) -> None:
    """Mark the cue-verb candidates that only say their source would not comment ("declined [to comment on the
    fine]", "did not respond to [requests for comment]")."""
    cues = refusal_cues()
    for candidate in candidates:
        if candidate.cue is None or not candidate.content or is_refusal(candidate):
            continue
        verb = _verb_at(doc, candidate.cue[0])
        cue = cues.get(verb.lemma_.lower()) if verb is not None else None
        if cue is None or cue.kind == "unreachable" or cue.negated and not _negated(verb):
            continue
        words = doc.text[candidate.content[0][0]:candidate.content[-1][1]].lower().split()
        if words[:1] == ["to"]:
            words = words[1:]
        if cue.words and not (set(words[:1]) if cue.first_word else {w.strip(".,;:") for w in words}) & cue.words:
            continue
        candidate.rule = RULE_PREFIX + cue.kind


def unreachable(doc, quotes) -> list[Candidate]:
    """"X could not be reached (for comment)": a negated verb of the kind "unreachable", which has no content."""
    cues = refusal_cues()
    found = []
    lemmas = frozenset(lemma for lemma, cue in cues.items() if cue.kind == "unreachable")
    for i in positions(doc, lemmas=lemmas):
        verb = doc[i]
        if verb.pos_ != "VERB" or not _negated(verb) or inside_quote(verb, quotes):
            continue
        subject = grammatical_subject(verb)  # the one not reached (a passive's subject, not its agent)
        if subject is None:
            continue
        source = noun_phrase(subject)
        # what was not done: "[be reached for further comment]", from the auxiliary after "not" to the verb's
        # own adverbials (not a clause that follows)
        before = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
        after = [t for c in verb.children if c.i > verb.i and c.dep_ in ("prep", "advmod", "npadvmod")
                 for t in c.subtree]
        negation = max(c.i for c in verb.children if c.dep_ == "neg" or c.lower_ in NEGATIONS)
        content = [t for t in before if t.i > negation] + [verb] + after
        cue = [t for t in before if t.i < negation] + [doc[negation]]
        found.append(Candidate(cue_type=CueType.ASSERT, content=[char_span(content)], source=source,
                               source_extent=phrase_extent(source), cue=char_span(cue),
                               quote_type=QuoteType.INDIRECT, confidence=0.8,
                               rule=RULE_PREFIX + cues[verb.lemma_.lower()].kind, sentence=verb.sent.start))
    return found


def _verb_at(doc, start_char: int):
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in verb.children)

