"""Frames: the dependents of a cue word that can hold its content ("said [that ...]", "criticized [X]")."""
from __future__ import annotations

from kg.extract.tokens import subtree_indices

# Dependency labels whose subtree can be a cue's content; a dative counts as an object. Each preposition
# is its own frame ("prep-for": "vote for [X]", "prep-about": "talked about [X]"), because which one a cue
# takes its content with is what tells "called for [a ban]" from "spoke in [Iowa]".
FRAME_LABELS = ("ccomp", "dobj", "xcomp", "prep", "advcl", "attr", "acl", "nsubj", "nsubjpass")


def frame_options(token) -> dict[str, set[int]]:
    """Frame name -> token indices of the content that frame would give, for the frames ``token`` has."""
    options: dict[str, set[int]] = {}
    for child in token.children:
        label = "dobj" if child.dep_ == "dative" else child.dep_
        if label in FRAME_LABELS:
            if label == "prep":
                label = f"prep-{child.lower_}"
            options.setdefault(label, set()).update(subtree_indices(child))
    if _heads_a_clause(token):
        # "The plan, he said, will fail": the governing clause, minus the cue's own phrase
        outside = subtree_indices(token)
        options["parataxis-head"] = set(subtree_indices(token.head)).difference(outside)
    return options


def has_clausal_frame(token) -> bool:
    """Whether frame_options(token) has a clausal frame ("ccomp" or "parataxis-head"), without building them."""
    return _heads_a_clause(token) or any(child.dep_ == "ccomp" for child in token.children)


def _heads_a_clause(token) -> bool:
    return token.dep_ in ("parataxis", "ccomp", "advcl") and token.head.i != token.i


def adjective_frames(adjective) -> dict[str, set[int]]:
    """The frames of a predicate adjective ("worried [that ...]", "critical [of ...]", "willing [to ...]");
    a clause the parser gave to the copula instead ("it is unclear [whether ...]") counts as its own."""
    options = frame_options(adjective)
    copula = adjective.head
    if "ccomp" not in options and copula.i != adjective.i:
        clauses = [c for c in copula.children if c.dep_ == "ccomp"]
        if clauses:
            options["ccomp"] = {i for c in clauses for i in subtree_indices(c)}
    return options
