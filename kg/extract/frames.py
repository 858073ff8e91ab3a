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
    has_object = any(child.dep_ in ("dobj", "dative") for child in token.children)
    for child in token.children:
        label = "dobj" if child.dep_ == "dative" or (not has_object and _object_with_complement(child)) else child.dep_
        if label in FRAME_LABELS:
            if label == "prep":
                label = f"prep-{child.lower_}"
            options.setdefault(label, set()).update(subtree_indices(child))
    if _heads_a_clause(token):
        # "The plan, he said, will fail": the governing clause, minus the cue's own phrase
        outside = subtree_indices(token)
        options["parataxis-head"] = set(subtree_indices(token.head)).difference(outside)
    return options


def _object_with_complement(child) -> bool:
    """"with Ruiz calling Berg a crook": the parser may make a verb's object a nominal verb complement and hang
    the object's complement on it as the object's own object; the two are the verb's object and its complement
    ("calling [Berg a crook]"), as when it parses them right. A nominal complement without such a dependent is
    not ("was named [chairman]")."""
    return child.dep_ == "xcomp" and child.pos_ in ("NOUN", "PROPN", "PRON") \
        and any(c.dep_ in ("dobj", "attr") and c.i > child.i and c.pos_ in ("NOUN", "PROPN", "PRON")
                for c in child.children)


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
