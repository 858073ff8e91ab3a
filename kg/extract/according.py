""""According to X, ..." and "..., according to X": X is the source of the rest of its clause or sentence."""
from __future__ import annotations

from kg.extract.candidates import Candidate, char_span, quote_type_of, token_runs, with_quotes
from kg.extract.quotes import quotation_inside
from kg.extract.sources import noun_phrase, phrase_extent
from kg.extract.tokens import positions, shallow, subtree, subtree_indices
from kg.model import CueType


def according_to(doc, quotes) -> list[Candidate]:
    """"According to X, ..." and "..., according to X": X is the source of the rest of the clause."""
    found = []
    for i in shallow(doc, positions(doc, lowers=frozenset({"according"}))):
        token = doc[i]
        to = next((c for c in token.children if c.lower_ == "to"), None)
        if to is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
        if to is None:
            continue
        objects = [c for c in to.children if c.dep_ == "pobj"] or [t for t in to.rights if t.pos_ in ("NOUN", "PROPN", "PRON")]
        if not objects:
            continue
        phrase = set(subtree_indices(token)) | set(subtree_indices(to)) | {token.i, to.i}
        clause_head = token.head if token.head.i != token.i else token.sent.root
        sentence = token.sent
        last = max(phrase)
        closes_sentence = all(t.is_punct or t.is_space for t in doc[last + 1:sentence.end])
        # "..., according to X." closing a sentence vouches for all of it ("Most voters say ..., according to
        # a poll": the poll reports what voters say), wherever the parser hung the phrase
        scope = subtree(clause_head) if clause_head.pos_ in ("VERB", "AUX") and not closes_sentence else sentence
        tokens = [t for t in scope if t.i not in phrase and sentence.start <= t.i < sentence.end]
        quotation = quotation_inside(quotes, token.idx)
        if quotation is not None:
            # “The bridge fell, according to the police,” she said: the quoted speaker's source vouches
            # for the quoted words only
            tokens = [t for t in tokens if quotation[0] < t.idx < quotation[1] - 1]
        spans = token_runs(tokens) if quotation is not None else with_quotes(token_runs(tokens), quotes)
        if not spans:
            continue
        source = noun_phrase(objects[0])
        found.append(Candidate(cue_type=CueType.REPORT, content=spans, source=source,
                               source_extent=phrase_extent(source),
                               cue=char_span([token, to]), quote_type=quote_type_of(spans, quotes),
                               confidence=0.9, rule="according", sentence=token.sent.start))
    return found


def nested_according(doc, indices: set[int]) -> set[int]:
    """"X seems enamored, according to Politico" inside a content: a separate attribution, not content."""
    nested = set()
    for i in indices.intersection(positions(doc, lowers=frozenset({"according"}))):
        token = doc[i]
        if i + 1 < len(doc) and doc[i + 1].lower_ == "to":
            nested |= set(subtree_indices(token)) | set(subtree_indices(doc[i + 1]))
            if i > 0 and doc[i - 1].text == ",":
                nested.add(i - 1)
    return nested
