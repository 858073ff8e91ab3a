"""Find the few tokens each extractor looks at through a per-Doc index of its attribute values.

Creating spaCy Token objects is the extractor's main cost; reading the attribute columns once and
building tokens only where a cue word, a parenthesis or an apposition is saves most of it.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.symbols import AUX, NOUN, VERB


SUBJECTS = ("nsubj", "nsubjpass", "csubj")

_ATTRS = "claimgraph.attrs"
_TEXT = "claimgraph.text"
_TREE = "claimgraph.tree"
# A cue word deeper than this in its sentence's tree is read as part of the statement around it, not as a
# statement of its own: each cue costs time in the size of its content, so a text of statements nested in
# statements would cost its length times its depth. Real text never comes near: the deepest verb in the
# 84 articles of PolNeAR's dev split is 17 heads below its sentence's root.
MAX_CUE_DEPTH = 40


@lru_cache(maxsize=64)
def _hashes(vocab, words: frozenset[str]) -> frozenset[int]:
    return frozenset(vocab.strings.add(w) for w in words)


def grammatical_subject(verb):
    """The verb's own subject token (no shared or passive-agent subject: sources.subject_of finds those)."""
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


def _tree(doc):
    """Once per Doc, in linear time: the token indices in spaCy's subtree order (left dependents, the token,
    right dependents), where each token's subtree starts in that order, its size and its depth.

    spaCy's Token.subtree is a recursive generator, so every token it yields passes through one generator
    per level: a subtree as deep as it is long (statements nested in statements) costs its size times its
    depth, per call. None if the heads do not form a forest (a parse spaCy would reject anyway)."""
    tree = doc.user_data.get(_TREE)
    if tree is not None:
        return tree or None
    size = len(doc)
    heads = [i + offset for i, offset in enumerate(doc.to_array(HEAD).astype("int64").tolist())]
    lefts: list[list[int]] = [[] for _ in range(size)]
    rights: list[list[int]] = [[] for _ in range(size)]
    for i, head in enumerate(heads):
        if head != i:
            (lefts if i < head else rights)[head].append(i)
    roots = [i for i, head in enumerate(heads) if head == i]
    depth, visiting = [0] * size, list(roots)
    for node in visiting:  # breadth first: every head before its dependents
        for child in lefts[node] + rights[node]:
            depth[child] = depth[node] + 1
            visiting.append(child)
    if len(visiting) != size:
        doc.user_data[_TREE] = ()
        return None
    sizes = [1] * size
    for node in reversed(visiting):
        if heads[node] != node:
            sizes[heads[node]] += sizes[node]
    starts, order, cursor = [0] * size, [0] * size, 0
    for root in roots:
        starts[root], cursor = cursor, cursor + sizes[root]
    for node in visiting:
        position = starts[node]
        for child in lefts[node]:
            starts[child], position = position, position + sizes[child]
        order[position] = node
        position += 1
        for child in rights[node]:
            starts[child], position = position, position + sizes[child]
    tree = doc.user_data[_TREE] = (order, starts, sizes, depth)
    return tree


def subtree_indices(token) -> list[int]:
    """The indices of Token.subtree, in its order, in time linear in the subtree's size."""
    tree = _tree(token.doc)
    if tree is None:
        return [t.i for t in token.subtree]
    order, starts, sizes, _ = tree
    return order[starts[token.i]:starts[token.i] + sizes[token.i]]


def subtree(token) -> list:
    """Token.subtree as a list, in time linear in its size."""
    doc = token.doc
    return [doc[i] for i in subtree_indices(token)]


def depth(token) -> int:
    """How many heads are above a token in its sentence's tree (0 for the root)."""
    tree = _tree(token.doc)
    return tree[3][token.i] if tree is not None else sum(1 for _ in token.ancestors)


def shallow(doc, indices) -> list[int]:
    """The indices of tokens at most MAX_CUE_DEPTH heads below their sentence's root (the cue words worth
    a look), in their order."""
    tree = _tree(doc)
    if tree is None:
        return [i for i in indices if depth(doc[i]) <= MAX_CUE_DEPTH]
    depths = tree[3]
    return [i for i in indices if depths[i] <= MAX_CUE_DEPTH]


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
