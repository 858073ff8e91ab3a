"""SPARQL text read at the token level: the query form, its dataset clauses, and pre-bound variables as whole terms."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import UserError

# One alternative per token kind; strings and IRIs first, so that '#', '{' or a keyword inside them is
# never read as a comment, a brace or a keyword. An IRI is '<' up to '>' without spaces (the IRIREF
# production), which also tells it from the '<' operator as written in practice ("?a < ?b").
TOKEN = re.compile(r"""
    (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*(?::[^\s{}()<>"',;]*)?|:[^\s{}()<>"',;]*)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, comment, var, word, space, other
    text: str
    start: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased keyword if this is a bare word (not a prefixed name such as ``ex:from``)."""
        return self.text.upper() if self.kind == "word" and ":" not in self.text else None


def tokens(sparql: str) -> list[Token]:
    """The query's tokens without spaces and comments (an unterminated string reads as single characters,
    and the engine reports it)."""
    return [Token(m.lastgroup, m.group(), m.start()) for m in TOKEN.finditer(sparql)
            if m.lastgroup not in ("space", "comment")]


def query_form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE (the first such keyword), or None for anything else (an update)."""
    return next((t.keyword for t in tokens(sparql) if t.keyword in FORMS), None)


def names_a_dataset(sparql: str) -> bool:
    """True if the query has FROM or FROM NAMED clauses, which then decide its default and named graphs."""
    return any(t.keyword == "FROM" for t in tokens(sparql))


# ---------------------------------------------------------------- pre-bound variables

def bind_values(sparql: str, bindings: dict) -> str:
    """Pre-bind variables with inline VALUES blocks, placed where they narrow the work.

    A VALUES block goes at the top of the outer WHERE group, and also into every sub-select that
    projects the variable as itself (not as an aggregate's alias): such a sub-select's rows join the
    outer rows on that variable, so restricting it early cannot change the answer, while evaluating it
    for every speaker and filtering afterwards costs a full scan (who-said-what for one speaker).
    Blocks go only between tokens, never into a string, IRI or comment, and each value is one whole
    term. Standard SPARQL, so it also works on remote servers.
    """
    if not bindings:
        return sparql
    code = tokens(sparql)
    inserts: list[tuple[int, str]] = []
    outer_done = False
    for index, token in enumerate(code):
        if token.keyword not in FORMS:
            continue
        group = _where_group(code, index)
        if not outer_done:
            outer_done = True
            if group is None:
                if token.keyword == "CONSTRUCT" and _is_short_construct(code, index):
                    # CONSTRUCT WHERE { triples } allows only triples in its group: a final VALUES clause
                    inserts.append((len(sparql), _values(bindings.items())))
                    continue
                raise UserError("--bind needs a query with a WHERE { ... } group")
            inserts.append((group.start + 1, _values(bindings.items())))
            continue
        if token.keyword != "SELECT" or group is None:
            continue
        projection = code[index + 1:code.index(group)]
        chosen = [(variable, term) for variable, term in bindings.items()
                  if _projects_plainly(projection, _name(variable))]
        if chosen:
            inserts.append((group.start + 1, _values(chosen)))
    if not inserts:
        raise UserError("--bind needs a query with a WHERE { ... } group")
    for position, text in sorted(inserts, reverse=True):
        sparql = f"{sparql[:position]} {text} {sparql[position:]}"
    return sparql


def _where_group(code: list[Token], head: int) -> Token | None:
    """The '{' that opens the WHERE group of the query form at ``code[head]``: the first '{' outside
    parentheses (a projection may hold EXISTS { ... }), after a CONSTRUCT's template. None for
    CONSTRUCT WHERE { ... }, whose group may hold only triples, and for a form without a group."""
    index = head + 1
    if code[head].keyword == "CONSTRUCT":
        if _is_short_construct(code, head):
            return None
        index = _after_matching_brace(code, index) if index < len(code) and code[index].text == "{" else None
        if index is None:
            return None
    depth = 0
    for token in code[index:]:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "{" and depth <= 0:
            return token
        elif token.keyword in FORMS:
            return None
    return None


def _is_short_construct(code: list[Token], head: int) -> bool:
    """CONSTRUCT [FROM ...] WHERE { ... }: no template of its own."""
    for token in code[head + 1:]:
        if token.text == "{":
            return False
        if token.keyword == "WHERE":
            return True
    return False


def _after_matching_brace(code: list[Token], opening: int) -> int | None:
    depth = 0
    for index in range(opening, len(code)):
        depth += {"{": 1, "}": -1}.get(code[index].text, 0)
        if depth == 0:
            return index + 1
    return None


def _projects_plainly(projection: list[Token], name: str) -> bool:
    """``?name`` (or ``*``) is in the projection as itself, not inside ``(... AS ?name)``."""
    depth = 0
    for token in projection:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif depth == 0 and (token.text == "*" or (token.kind == "var" and token.text[1:] == name)):
            return True
    return False


def _name(variable) -> str:
    return str(variable).lstrip("?$")


def _values(pairs) -> str:
    return " ".join(f"VALUES ?{_name(variable)} {{ {term} }}" for variable, term in pairs)
