"""Claims as the thread linker sees them, read from an RDF store (one document graph, or the whole union)."""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib.resources import files

import pyoxigraph as ox

# Sources that speak for nobody in particular: a claim of theirs may restate anyone's (a writer restating
# without attribution, a reader repeating it). Unnamed sources ("officials said") are not among them: on
# the labelled PolNeAR pairs, letting them restate anyone joined parallel statements of polls, teams and
# campaigns to named speakers; two unnamed sources may still be one (kg/threads/match.py).
FREE_KINDS = frozenset({"Commenter", "Publisher"})
UNNAMED_KINDS = frozenset({"UnnamedSource", "UnnamedGroup", "UnresolvedSpeaker", "DocumentSource"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "his", "her", "their"})
KIND_ORDER = ("Person", "Organization", "MediaOutlet", "UnnamedGroup", "UnnamedSource", "UnresolvedSpeaker", "Commenter")


@dataclass(frozen=True)
class ThreadClaim:
    """One claim with what linking needs: its content, originating source, chain, document and date."""

    iri: str
    text: str
    document: str  # the document holding the content (an article or a reader comment)
    article: str  # the article: the document itself, or the comment's parent
    source: str  # the originating source (chain depth 0)
    source_kind: str  # Person, Organization, MediaOutlet, UnnamedSource, UnnamedGroup, Commenter, Publisher
    source_name: str
    chain: tuple[str, ...]  # every source of the chain, innermost first
    denies: bool  # the originating link's cue is a denial
    published: str | None  # the article's publication date (ISO), None when undated
    outlet: str | None  # the article's publisher
    start: int  # where the content begins and ends in its article's text
    end: int
    disputes: tuple[str, ...] = ()  # claims this one disputes inside its own article (a comment calling it a lie)

    @property
    def speaks_for_anyone(self) -> bool:
        return self.source_kind in FREE_KINDS or describes_nobody_in_particular(self.source_name)

    @property
    def quotes(self) -> bool:
        """The content is (or holds) a direct quotation."""
        return any(mark in self.text for mark in QUOTE_MARKS)

    def to_json(self) -> str:
        """The fields as a JSON array, in declaration order (asdict cost more than the linking itself)."""
        return json.dumps([getattr(self, name) for name in FIELDS], ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> "ThreadClaim":
        values = dict(zip(FIELDS, json.loads(text)))
        values["chain"], values["disputes"] = tuple(values["chain"]), tuple(values["disputes"])
        return ThreadClaim(**values)


FIELDS = tuple(field.name for field in fields(ThreadClaim))
QUOTE_MARKS = ("“", "”", '"', "''")


@lru_cache(maxsize=1)
def _description_heads() -> frozenset[str]:
    words: set[str] = set()
    for name in ("role_nouns.txt", "group_nouns.txt", "description_heads.txt"):
        text = files("kg.data").joinpath(name).read_text(encoding="utf-8")
        words.update(word for line in text.splitlines() if not line.startswith("#") for word in line.split())
    return frozenset(words)


@lru_cache(maxsize=65536)
def describes_nobody_in_particular(name: str) -> bool:
    """A pronoun ("He"), or a description whose head word is a role or group ("Democratic front-runner",
    "Gambling tycoon", "Mr. Trump's remarks", "Clinton advisers") rather than a name."""
    words = [w.strip(".,'’\"").casefold() for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return True
    return (len(words) == 1 and words[0] in PRONOUNS) or words[-1] in _description_heads()


def _query(name: str) -> str:
    return files("kg.queries").joinpath(name).read_text(encoding="utf-8")


def _value(term) -> str | None:
    return None if term is None else term.value


def read_claims(store: ox.Store, graphs: list[ox.NamedNode] | None = None) -> list[ThreadClaim]:
    """Every claim of ``graphs`` (default: the union of all graphs), in IRI order.

    Shared nodes (a person named in two documents) carry a name per document graph, so values that
    may repeat are gathered and the smallest one kept: the result does not depend on storage order.
    """
    dataset = {"default_graph": graphs} if graphs else {"use_default_graph_as_union": True}
    rows: dict[str, dict] = {}
    for solution in store.query(_query("thread-claims.rq"), **dataset):
        iri = solution["claim"].value
        row = rows.setdefault(iri, {"names": set(), "kinds": set(), "dates": set(), "outlets": set(),
                                    "texts": set(), "starts": set(), "ends": set(), "chain": {}, "disputes": set()})
        row["texts"].add(solution["text"].value)
        row["document"], row["article"] = solution["document"].value, solution["article"].value
        row["source"] = solution["source"].value
        row["denies"] = _value(solution["cueType"]) == "https://w3id.org/claimkg/vocab/cue-deny"
        for key, variable in (("names", "sourceName"), ("kinds", "sourceKind"), ("dates", "published"),
                              ("outlets", "outlet"), ("starts", "begin"), ("ends", "end")):
            if solution[variable] is not None:
                row[key].add(solution[variable].value)
    for solution in store.query(_query("thread-chains.rq"), **dataset):
        if solution["claim"].value in rows:
            rows[solution["claim"].value]["chain"][int(solution["depth"].value)] = solution["source"].value
    for solution in store.query(_query("thread-disputes.rq"), **dataset):
        if solution["claim"].value in rows:
            rows[solution["claim"].value]["disputes"].add(solution["target"].value)
    claims = []
    for iri in sorted(rows):
        row = rows[iri]
        kind = min(row["kinds"], key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER),
                   default="Person")
        if "/org/publisher-of-" in row["source"] or row["source"] in row["outlets"]:
            kind = "Publisher"  # the writer speaking in the article's own voice
        chain = tuple(row["chain"][depth] for depth in sorted(row["chain"])) or (row["source"],)
        claims.append(ThreadClaim(
            iri=iri, text=min(row["texts"]), document=row["document"], article=row["article"],
            source=row["source"], source_kind=kind, source_name=min(row["names"], default=""),
            chain=chain, denies=row["denies"], published=min(row["dates"], default=None),
            outlet=min(row["outlets"], default=None), start=int(min(row["starts"], key=int, default="0")),
            end=int(max(row["ends"], key=int, default="0")),
            disputes=tuple(sorted(row["disputes"]))))
    return claims
