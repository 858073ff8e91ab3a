"""Links claims of different articles into threads and keeps the threads current as articles arrive or change."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from kg.threads.claims import ThreadClaim
from kg.threads.disputes import anaphoric_disputes
from kg.threads.features import Features, features
from kg.threads.index import ThreadIndex
from kg.threads.match import (DEFAULT, Relation, Thresholds, disagree, relation, repeats_a_quotation, same_speaker,
                                speaker_key)

THREAD_BASE = "https://w3id.org/claimkg/id/thread/"
NAMED_KINDS = ("Person", "Organization", "MediaOutlet")


@dataclass(frozen=True)
class Thread:
    """The same claim across articles: its members in the order outlets carried it."""

    iri: str
    members: tuple[ThreadClaim, ...]  # dated first, by date; undated last
    first: ThreadClaim  # the earliest dated statement by the originating source
    documents: int  # articles (a reader comment counts under its article)
    outlets: int
    disputers: tuple[str, ...] = ()  # claims of other articles that deny or contradict it


@dataclass
class Change:
    """What a linking step changed: threads to drop from the store, threads to (re)write."""

    dropped: set[str] = field(default_factory=set)
    threads: list[Thread] = field(default_factory=list)
    # a claim no thread holds, disputed from other articles: claim -> its disputers (rewritten: claims listed
    # in ``undisputed`` lose what they had)
    disputes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    undisputed: set[str] = field(default_factory=set)


def thread_iri(members: list[str]) -> str:
    """Named after its least member claim IRI: the same members give the same IRI whatever the order of
    ingest, and re-ingesting the same articles gives the same threads."""
    return THREAD_BASE + hashlib.sha256(min(members).encode("utf-8")).hexdigest()[:16]


def carried_order(claim: ThreadClaim) -> tuple:
    return (claim.published is None, claim.published or "", claim.article, claim.start, claim.iri)


def make_thread(members: list[ThreadClaim], disputers: list[str]) -> Thread:
    ordered = sorted(members, key=carried_order)
    named = [m for m in ordered if m.source_kind in NAMED_KINDS and not m.speaks_for_anyone]
    first = ordered[0]
    if named:
        # the originating source: the named speaker most members give; a tie goes to the one heard first
        speaker = {m.iri: speaker_key(m) for m in named}
        counts = Counter(speaker.values())
        best = max(counts.values())
        origin = next(speaker[m.iri] for m in named if counts[speaker[m.iri]] == best)
        first = next(m for m in named if speaker[m.iri] == origin)
    outlets = {m.outlet or m.article for m in ordered}
    member_iris = {m.iri for m in ordered}
    return Thread(thread_iri([m.iri for m in ordered]), tuple(ordered), first, len({m.article for m in ordered}),
                  len(outlets), tuple(sorted(set(disputers) - member_iris)))


class Linker:
    """Adds articles' claims to the index, links them to what is there, and recomputes the threads touched."""

    def __init__(self, index: ThreadIndex, limits: Thresholds = DEFAULT):
        self.index = index
        self.limits = limits
        self._features: dict[str, Features] = {}

    def features(self, claim: ThreadClaim) -> Features:
        found = self._features.get(claim.iri)
        if found is None or len(self._features) > 200_000:
            if len(self._features) > 200_000:
                self._features.clear()
            found = self._features[claim.iri] = features(claim.text)
        return found

    def update(self, articles: dict[str, tuple[str, list[ThreadClaim]]], removed: tuple[str, ...] = ()) -> Change:
        """Replace the claims of ``articles`` (article IRI -> (graph, claims)) and forget ``removed`` articles."""
        touched: set[str] = set()
        dropped: set[str] = set()
        disputed: set[str] = set()  # claims going away that had a dispute graph of their own, maybe
        for article in sorted({*articles, *removed}):
            for iri in self.index.claims_of(article):
                thread = self.index.thread_of(iri)
                if thread:
                    dropped.add(thread)
                if self.index.disputers_of(iri):
                    disputed.add(iri)
                targets = self.index.disputed_by(iri)
                disputed.update(targets)  # a claim this one disputed may be left with no dispute at all
                touched.update(self.index.neighbours(iri, Relation.SAME.value))
                touched.update(targets)
            self.index.remove_article(article)
        new: list[ThreadClaim] = []
        within: list[tuple[str, str]] = []  # disputes inside one article, found from its claims alone
        for article in sorted(articles):
            graph, claims = articles[article]
            self.index.set_article(article, graph)
            within += anaphoric_disputes(claims)
            for claim in claims:
                self._features.pop(claim.iri, None)
                for key in self.index.add(claim, self.features(claim)):
                    # a key that has become too common to read: what it alone linked is no link in any order
                    for kind, first, second in self.index.drop_links_through(key):
                        touched.update((first, second))
                        if kind == Relation.DISPUTES.value:
                            disputed.add(second)  # its dispute graph is rewritten, or dropped if none is left
                new.append(claim)
        for claim in new:
            mine = self.features(claim)
            for other_iri in self.index.candidates(claim, mine):
                other = self.index.claim(other_iri)
                edge = relation(claim, mine, other, self.features(other), self.limits)
                if edge is not None:
                    # the tier orders links for clustering: two named sources first, then one, then none
                    tier = claim.speaks_for_anyone + other.speaks_for_anyone
                    self.index.add_edge(edge.kind.value, edge.first, edge.second, edge.score, tier)
                    touched.update((edge.first, edge.second))
            for target in claim.disputes:  # within the article: a reader calling it a lie
                self.index.add_edge(Relation.DISPUTES.value, claim.iri, target)
                touched.add(target)
            touched.add(claim.iri)
        # "those statements were wrong": the statement it refers to, and so that statement's thread
        for disputer, target in within:
            self.index.add_edge(Relation.DISPUTES.value, disputer, target)
            touched.add(target)
        # every claim whose links changed keeps its strongest few; a link that went out of them may split a thread
        for iri in sorted(touched):
            if self._exists(iri):
                touched |= self.index.keep_strongest(iri, Relation.SAME.value)
        change = self._recompute(touched, dropped)
        change.undisputed |= disputed
        return change

    def _recompute(self, touched: set[str], dropped: set[str]) -> Change:
        change = Change(dropped=set(dropped))
        seen: set[str] = set()
        for start in sorted(touched):
            if start in seen or not self._exists(start):
                continue
            component = self._component(start)
            seen.update(component)
            for iri in component:
                old = self.index.thread_of(iri)
                if old:
                    change.dropped.add(old)
            claims = {iri: self.index.claim(iri) for iri in sorted(component)}
            for cluster in self._clusters(claims):
                members = [claims[iri] for iri in cluster]
                for member in members:
                    if self.index.disputers_of(member.iri):
                        change.undisputed.add(member.iri)  # whatever it had is rewritten below, or dropped
                if len({m.article for m in members}) < 2:
                    self.index.set_thread(cluster, None)
                    for member in members:  # a denial in another article still reaches the claim itself
                        others = tuple(d for d in self.index.disputers_of(member.iri)
                                       if self.index.claim(d).article != member.article)
                        if others:
                            change.disputes[member.iri] = others
                    continue
                disputers = [d for iri in cluster for d in self.index.disputers_of(iri)]
                thread = make_thread(members, disputers)
                self.index.set_thread(cluster, thread.iri)
                change.threads.append(thread)
        change.threads.sort(key=lambda t: t.iri)
        return change

    def _clusters(self, claims: dict[str, ThreadClaim]) -> list[list[str]]:
        """Split a connected component so that no thread holds two named sources that are not one speaker.

        "Same claim" links are not transitive through a claim that speaks for anyone: a reader repeating
        the mayor's words and a union saying the same words would otherwise join the mayor and the union.
        Links are merged strongest first (two named sources, then one, then none; higher overlap first),
        and a merge that would put incompatible named sources, or claims that disagree on a figure, date or
        name, into one thread is refused (links are not transitive through a claim that leaves them out).
        Deterministic: the order depends only on the links, not on the order in which articles arrived.
        """
        edges = self.index.kept_edges_among(set(claims), Relation.SAME.value)
        # a direct link between two named sources that are not one speaker was accepted by relation() for one
        # of two reasons. One quoting the other word for word: the two are one statement's speakers in this
        # component, whoever else joins, under any form of their names ("James Comey" quoted, "James B. Comey"
        # elsewhere). One outlet printing the same words again, its "He" resolved to two people: those two
        # claims only, or the two people's parallel claims would meet through them.
        quoted: set[frozenset] = set()
        reprinted: set[frozenset] = set()
        for first, second, _, tier in edges:
            x, y = claims[first], claims[second]
            if tier or same_speaker(x, y):
                continue
            if repeats_a_quotation(x, self.features(x), y, self.features(y), self.limits):
                quoted.add(frozenset((speaker_key(x), speaker_key(y))))
            else:
                reprinted.add(frozenset((first, second)))

        def compatible(x: ThreadClaim, y: ThreadClaim) -> bool:
            return (same_speaker(x, y) or frozenset((speaker_key(x), speaker_key(y))) in quoted
                    or frozenset((x.iri, y.iri)) in reprinted)

        parent = {iri: iri for iri in claims}
        named = {iri: ([claims[iri]] if not claims[iri].speaks_for_anyone else []) for iri in claims}
        # what each cluster states about figures, dates and names: one signature per different statement of them
        stated = {iri: {self._signature(claims[iri]): self.features(claims[iri])} for iri in claims}

        def agree(a: str, b: str) -> bool:
            """No claim of one cluster gives a figure, date or place that a claim of the other contradicts:
            "12 dead" and "31 dead" do not meet through a claim that gives no toll at all."""
            return not any(disagree(x, y) for x in stated[a].values() for y in stated[b].values())

        def root(iri: str) -> str:
            while parent[iri] != iri:
                parent[iri] = parent[parent[iri]]
                iri = parent[iri]
            return iri

        # edges come strongest first; once everything is one cluster the remaining links change nothing
        clusters_left = len(claims)
        for first, second, _, _ in edges:
            if clusters_left == 1:
                break
            a, b = root(first), root(second)
            if (a == b or not all(compatible(x, y) for x in named[a] for y in named[b])
                    or not agree(a, b)):
                continue
            a, b = min(a, b), max(a, b)
            parent[b] = a
            stated[a].update(stated.pop(b))
            clusters_left -= 1
            named[a] = named[a] + [y for y in named[b] if all(y.source != x.source for x in named[a])]
        clusters: dict[str, list[str]] = {}
        for iri in sorted(claims):
            clusters.setdefault(root(iri), []).append(iri)
        return sorted(clusters.values())

    def _signature(self, claim: ThreadClaim) -> tuple:
        found = self.features(claim)
        return found.numbers, found.dates, found.surnames

    def _exists(self, iri: str) -> bool:
        return self.index.db.execute("SELECT 1 FROM claim WHERE iri = ?", (iri,)).fetchone() is not None

    def _component(self, start: str) -> set[str]:
        return self.index.kept_component(start)
