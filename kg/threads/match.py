"""Whether two claims of different documents state the same thing, dispute each other, or neither."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kg.threads.claims import UNNAMED_KINDS, ThreadClaim
from kg.threads.features import Features, stem


class Relation(str, Enum):
    SAME = "same"
    DISPUTES = "disputes"  # the first claim disputes the second


@dataclass(frozen=True)
class Thresholds:
    """How much content two claims must share (tuned on the train half of the labelled PolNeAR pairs)."""

    containment: float = 0.6  # shared content words / the smaller claim's content words
    min_shared: int = 3  # shared content words, at least (or all of a shorter claim's, at least two)
    jaccard: float = 0.0  # shared content words / all content words of both
    min_shared_keys: int = 1  # adjacent content-word pairs in common: the words must also run alike


DEFAULT = Thresholds()


def overlap(a: Features, b: Features, limits: Thresholds = DEFAULT) -> float:
    """Containment of the smaller claim's content words in the other's; 0 when too little is shared."""
    smaller = min(len(a.words), len(b.words))
    if smaller == 0:
        return 0.0
    shared = len(a.words & b.words)
    if shared < max(2, min(limits.min_shared, smaller)):
        return 0.0
    if len(a.keys & b.keys) < limits.min_shared_keys or shared / len(a.words | b.words) < limits.jaccard:
        return 0.0
    return shared / smaller


def _one_sided(mine: frozenset[str], theirs: frozenset[str], their_words: frozenset[str]) -> frozenset[str]:
    return frozenset(item for item in mine - theirs if stem(item) not in their_words)


def disagree(a: Features, b: Features) -> str | None:
    """What two otherwise similar claims disagree on: each has a figure, date or name the other lacks."""
    for what, mine, theirs in (("numbers", a.numbers, b.numbers), ("dates", a.dates, b.dates),
                               ("names", a.names, b.names)):
        if _one_sided(mine, theirs, b.words) and _one_sided(theirs, mine, a.words):
            return what
    return None


def _surname(name: str) -> str:
    words = name.casefold().replace("’", "'").split()
    return words[-1].removesuffix("'s") if words else ""


def same_speaker(a: ThreadClaim, b: ThreadClaim) -> bool:
    """The two claims can be one statement: one source, a relay of the other, or a source that speaks for
    anyone (a writer restating, a reader repeating, an unnamed official). Two named sources that relay
    nobody are parallel claims, kept apart."""
    if a.source == b.source or a.speaks_for_anyone or b.speaks_for_anyone:
        return True
    if a.source_kind in UNNAMED_KINDS and b.source_kind in UNNAMED_KINDS:
        return True  # "officials said" in two outlets: scoped to their documents, maybe the same people
    if a.source in b.chain or b.source in a.chain:
        return True
    return bool(a.source_name) and _surname(a.source_name) == _surname(b.source_name)


@dataclass(frozen=True)
class Edge:
    kind: Relation
    first: str  # claim IRIs; for DISPUTES the disputing claim first
    second: str
    score: float = 0.0  # content overlap


def relation(a: ThreadClaim, fa: Features, b: ThreadClaim, fb: Features,
             limits: Thresholds = DEFAULT) -> Edge | None:
    """SAME when a and b state one proposition of one source; DISPUTES when one contradicts the other."""
    score = overlap(fa, fb, limits)
    if a.document == b.document or score < limits.containment or disagree(fa, fb):
        return None
    # polarity over what both say: "I'm not a politician" elsewhere in a long quote does not negate its excerpt
    shared = fa.words & fb.words
    a_negative = bool(fa.negated & shared) != a.denies
    b_negative = bool(fb.negated & shared) != b.denies
    if a_negative == b_negative:
        if not same_speaker(a, b):
            return None
        first, second = sorted((a.iri, b.iri))
        return Edge(Relation.SAME, first, second, round(score, 4))
    disputer = _disputer(a, a_negative, b, b_negative)
    other = b if disputer is a else a
    return Edge(Relation.DISPUTES, disputer.iri, other.iri, round(score, 4))


def _disputer(a: ThreadClaim, a_negative: bool, b: ThreadClaim, b_negative: bool) -> ThreadClaim:
    """Of a claim and its contradiction, the one that disputes: a denial, else the later one, else the negative."""
    if a.denies != b.denies:
        return a if a.denies else b
    if a.published and b.published and a.published != b.published:
        return a if a.published > b.published else b
    return a if a_negative else b
