"""Find the few tokens each extractor looks at through a per-Doc index of its attribute values.

Creating spaCy Token objects is the extractor's main cost; reading the attribute columns once and
building tokens only where a cue word, a parenthesis or an apposition is saves most of it.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.symbols import AUX, NOUN, VERB


SUBJECTS = ("nsubj", "nsubjpass", "csubj")

_ATTRS = "claimgraph.attrs"
_TEXT = "claimgraph.text"


@lru_cache(maxsize=64)
def _hashes(vocab, words: frozenset[str]) -> frozenset[int]:
    return frozenset(vocab.strings.add(w) for w in words)


def grammatical_subject(verb):
    """The verb's own subject token (no shared or passive-agent subject: speech.subject_of finds those)."""
    return next((c for c in verb.children if c.dep_ in SUBJECTS), None)


def doc_text(doc) -> str:
    """Doc.text, joined once per Doc (spaCy rebuilds the string from its tokens on every access)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def known_text(doc, text: str) -> None:
    """Record the text a Doc was parsed from, so that doc_text() need not rebuild it."""
    if len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):  # cheap: the lengths agree
        doc.user_data[_TEXT] = text


def _index(doc) -> tuple[dict[int, list[int]], ...]:
    """Once per Doc: for the lemma, lower-case, POS and dependency columns, value -> token indices."""
    index = doc.user_data.get(_ATTRS)
    if index is None:
        index = []
        for column in doc.to_array([LEMMA, LOWER, POS, DEP]).T.tolist():
            by_value: dict[int, list[int]] = {}
            for i, value in enumerate(column):
                by_value.setdefault(value, []).append(i)
            index.append(by_value)
        index = doc.user_data[_ATTRS] = tuple(index)
    return index


def positions(doc, *, lemmas: frozenset[str] = frozenset(), lowers: frozenset[str] = frozenset(),
              pos: tuple[int, ...] = (), deps: frozenset[str] = frozenset()) -> list[int]:
    """Indices of tokens whose lemma or lower-case form is listed (and whose POS is in ``pos``, if
    given), or whose dependency label is in ``deps``."""
    if len(doc) == 0:
        return []
    by_lemma, by_lower, by_pos, by_dep = _index(doc)
    if lemmas or lowers:
        found: set[int] = set()
        for words, by_value in ((lemmas, by_lemma), (lowers, by_lower)):
            if words:
                for value in by_value.keys() & _hashes(doc.vocab, words):
                    found.update(by_value[value])
    elif deps:
        found = set()
    else:
        found = set(range(len(doc)))
    if pos:
        found &= {i for tag in pos for i in by_pos.get(tag, ())}
    if deps:
        for value in by_dep.keys() & _hashes(doc.vocab, deps):
            found.update(by_dep[value])
    return sorted(found)


VERBAL = (VERB, AUX)
NOMINAL = (NOUN,)
