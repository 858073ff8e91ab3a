"""Find the few tokens each extractor looks at with one vectorised pass over a Doc's attributes.

Creating spaCy Token objects is the extractor's main cost; scanning attribute arrays and building
tokens only where a cue word, a parenthesis or an apposition is saves most of it.
"""
from __future__ import annotations

from functools import lru_cache

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.symbols import AUX, NOUN, VERB


_ATTRS = "claimgraph.attrs"


@lru_cache(maxsize=64)
def _hashes(vocab, words: frozenset[str]) -> numpy.ndarray:
    return numpy.array(sorted(vocab.strings.add(w) for w in words), dtype=numpy.uint64)


def positions(doc, *, lemmas: frozenset[str] = frozenset(), lowers: frozenset[str] = frozenset(),
              pos: tuple[int, ...] = (), deps: frozenset[str] = frozenset()) -> list[int]:
    """Indices of tokens whose lemma or lower-case form is listed (and whose POS is in ``pos``, if
    given), or whose dependency label is in ``deps``."""
    if len(doc) == 0:
        return []
    array = doc.user_data.get(_ATTRS)
    if array is None:  # once per Doc: every extractor scans the same four columns
        array = doc.user_data[_ATTRS] = doc.to_array([LEMMA, LOWER, POS, DEP]).astype(numpy.uint64)
    mask = numpy.zeros(len(doc), dtype=bool) if (lemmas or lowers or deps) else numpy.ones(len(doc), dtype=bool)
    if lemmas:
        mask |= numpy.isin(array[:, 0], _hashes(doc.vocab, lemmas))
    if lowers:
        mask |= numpy.isin(array[:, 1], _hashes(doc.vocab, lowers))
    if pos:
        mask &= numpy.isin(array[:, 2], numpy.array(pos, dtype=numpy.uint64))
    if deps:
        mask |= numpy.isin(array[:, 3], _hashes(doc.vocab, deps))
    return numpy.flatnonzero(mask).tolist()


VERBAL = (VERB, AUX)
NOMINAL = (NOUN,)
