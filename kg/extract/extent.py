"""Content extent: which of a cue verb's other dependents, and its preposition, belong to the content."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

from kg.extract.cuemodel import CueModel
from kg.extract.tokens import subtree, subtree_indices

EXTENT_FILE = "extent_model.json"
# Dependents that are never content: the verb's own grammar, its speaker, and separate clauses.
NOT_CONTENT = {"punct", "cc", "aux", "auxpass", "neg", "nsubj", "nsubjpass", "csubj", "prt", "mark", "conj",
               "agent", "det", "expl"}
INCLUDE_P = 0.5  # the decision boundary; 0.4 and 0.6 scored no better on held-out train articles


def sibling_name(child) -> str:
    """A dependent's name as a frame would call it ("prep-for", "dobj")."""
    if child.dep_ == "prep":
        return f"prep-{child.lower_}"
    return "dobj" if child.dep_ == "dative" else child.dep_


def frame_preposition(verb, frame: str):
    """The preposition a "prep-X" frame is named after ("described him [as] a liar")."""
    return next(c for c in verb.children if c.dep_ == "prep" and sibling_name(c) == frame)


def side_of(child, frame_indices: set[int]) -> str:
    """Where a dependent sits: between the verb and the frame, or after the frame."""
    return "between" if child.i < min(frame_indices) else "after"


def candidate_siblings(verb, frame_indices: set[int]) -> list:
    """The verb's dependents right of it, outside the frame, nearest the frame first on each side:
    between the verb and the frame ("told [reporters] that ...") walking left, then after it walking right."""
    start, end = min(frame_indices), max(frame_indices)
    others = [c for c in verb.children if c.i > verb.i and c.dep_ not in NOT_CONTENT and c.i not in frame_indices]
    before = sorted((c for c in others if c.i < start), key=lambda c: -c.i)
    after = sorted((c for c in others if c.i > end), key=lambda c: c.i)
    return before + after


def sibling_features(verb, frame: str, frame_indices: set[int], child, addressee: bool) -> list[str]:
    """Binary features of one dependent: what it is, where it sits, what the cue and its frame are."""
    doc = verb.doc
    name = sibling_name(child)
    lemma = verb.lemma_.lower()
    side = side_of(child, frame_indices)
    if side == "between":
        low, high = child.right_edge.i, min(frame_indices)
    else:
        low, high = max(frame_indices), child.left_edge.i
    comma = any(t.is_punct for t in doc[low + 1:high])
    size = len(subtree_indices(child))
    feats = [
        "bias", f"sib={name}", f"frame|sib={frame}|{name}", f"lemma|sib={lemma}|{name}",
        f"lemma|frame|sib={lemma}|{frame}|{name}", f"side|sib={side}|{name}", f"comma={comma}",
        f"comma|sib={comma}|{name}", f"ent={child.ent_type_ or '-'}", f"len={min(4, size // 3)}",
        f"head={child.lower_ if child.is_stop else child.pos_}", f"side|frame={side}|{frame}",
    ]
    if addressee and name == "dobj":
        feats.append("addressee")
    if any(t.ent_type_ in ("DATE", "TIME") for t in subtree(child)):
        feats.append("time")
    return feats


def preposition_features(verb, frame: str) -> list[str]:
    """Features for keeping a prepositional frame's preposition ("described him [as a liar]")."""
    return ["bias", f"frame={frame}", f"lemma|frame={verb.lemma_.lower()}|{frame}"]


@lru_cache(maxsize=1)
def load() -> dict[str, CueModel]:
    """The trained extent models ("sibling", "preposition") shipped in kg/data."""
    stored = json.loads(files("kg.data").joinpath(EXTENT_FILE).read_text(encoding="utf-8"))
    return {name: CueModel(weights) for name, weights in stored["models"].items()}


def extend(verb, frame: str, frame_indices: set[int], addressee: bool) -> set[int]:
    """The content's token indices: the frame's, plus the dependents the model puts in the content, taken
    outward from the frame and stopping at the first one left out (a content is one stretch of text)."""
    models = load()
    indices = set(frame_indices)
    if frame.startswith("prep-"):
        if models["preposition"].probability(preposition_features(verb, frame)) < INCLUDE_P:
            indices.discard(frame_preposition(verb, frame).i)
    if min(frame_indices) < verb.i:
        return indices  # a content before its cue ("X, he said") takes none of the cue's dependents
    blocked = {"between": False, "after": False}
    for child in candidate_siblings(verb, frame_indices):
        side = side_of(child, frame_indices)
        if blocked[side]:
            continue
        p = models["sibling"].probability(sibling_features(verb, frame, frame_indices, child, addressee))
        if p >= INCLUDE_P:
            indices |= set(subtree_indices(child)) | _punctuation_between(verb.doc, indices, child)
        else:
            blocked[side] = True
    return indices


def _punctuation_between(doc, indices: set[int], child) -> set[int]:
    """The commas or dashes between the content so far and an added dependent, so the span stays whole."""
    if child.i < min(indices):
        gap = range(child.right_edge.i + 1, min(indices))
    else:
        gap = range(max(indices) + 1, child.left_edge.i)
    return set(gap) if all(doc[i].is_punct or doc[i].is_space for i in gap) else set()
