"""Claim threads across articles: the same claim followed from document to document (after extraction).

The linker reads claims from an RDF store (kg/threads/claims.py), never spaCy: features of the content
text (features.py), a pair decision (match.py), an inverted index kept beside the store (index.py), the
threads as connected components of "same claim" links (link.py), and the threads as RDF (rdf.py).
"""
from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from kg.threads.claims import ThreadClaim, read_claims
from kg.threads.index import ThreadIndex
from kg.threads.link import Change, Linker, Thread
from kg.threads.rdf import apply_change, change_quads

__all__ = ["Change", "Linker", "Thread", "ThreadClaim", "ThreadIndex", "link_all", "thread_quads_for",
           "StoreThreads"]

CLAIMKG = "https://w3id.org/claimkg#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
NEWS_ARTICLE = ox.NamedNode(CLAIMKG + "NewsArticle")
CLAIM_THREAD = ox.NamedNode(CLAIMKG + "ClaimThread")
PROV_GENERATED_BY = ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy")
THREAD_GRAPHS = ("https://w3id.org/claimkg/id/graph/thread/", "https://w3id.org/claimkg/id/graph/dispute/")


def _by_article(claims: list[ThreadClaim]) -> dict[str, tuple[str, list[ThreadClaim]]]:
    grouped: dict[str, list[ThreadClaim]] = defaultdict(list)
    for claim in claims:
        grouped[claim.article].append(claim)
    return {article: (article, members) for article, members in grouped.items()}


def link_all(store: ox.Store, index: ThreadIndex | None = None) -> Change:
    """Threads over every claim of ``store`` (files given together to kg extract or kg query)."""
    return Linker(index or ThreadIndex()).update(_by_article(read_claims(store)))


def thread_quads_for(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The thread graphs for a set of extracted documents' quads (nothing when fewer than two articles)."""
    store = ox.Store()
    store.extend(quads)
    if sum(1 for _ in store.quads_for_pattern(None, RDF_TYPE, NEWS_ARTICLE, None)) < 2:
        return []
    return change_quads(link_all(store))


def has_threads(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, RDF_TYPE, CLAIM_THREAD, None)), None) is not None


def add_threads(store: ox.Store) -> int:
    """Link the claims of an in-memory dataset (--data files) unless it already holds threads; returns
    how many threads were added."""
    if has_threads(store) or sum(1 for _ in store.quads_for_pattern(None, RDF_TYPE, NEWS_ARTICLE, None)) < 2:
        return 0
    change = link_all(store)
    store.extend(change_quads(change))
    return len(change.threads)


class StoreThreads:
    """Keeps an on-disk store's threads current during kg ingest, with the index file beside the store.

    The store commits a document first and its threads after; the index commits last. A run killed in
    between leaves a document the index does not know, and the next run links it (``reconcile``).
    """

    def __init__(self, store: ox.Store, store_dir: str | Path):
        self.store = store
        self.index = ThreadIndex.beside(store_dir)
        self.linker = Linker(self.index)
        self.cpu_seconds = 0.0  # CPU time spent linking (scripts/bench_threads.py reports it)

    def reconcile(self) -> int:
        """Link articles stored but not indexed (or changed since), forget articles indexed but gone; returns
        how many changed. With a new or deleted index file, thread graphs left in the store are dropped first
        and every article is linked again (deleting the file is how to rebuild the threads)."""
        from kg.store import graphs_of_document

        indexed = self.index.articles()
        if not indexed:
            self._drop_every_thread_graph()
        stored = {quad.subject.value for quad in self.store.quads_for_pattern(None, RDF_TYPE, NEWS_ARTICLE, None)
                  if isinstance(quad.subject, ox.NamedNode)}
        changed = 0
        for article in sorted(stored):
            graphs = graphs_of_document(self.store, ox.NamedNode(article))
            graph = min((g.value for g in graphs), default=None)
            if graph is not None and indexed.get(article) != self._fingerprint(ox.NamedNode(graph)):
                self.document_written(ox.NamedNode(article), ox.NamedNode(graph))
                changed += 1
        gone = tuple(sorted(set(indexed) - stored))
        if gone:
            apply_change(self.store, self.linker.update({}, removed=gone))
            self.index.commit()
            changed += len(gone)
        return changed

    def _fingerprint(self, graph: ox.NamedNode) -> str:
        """The document graph and the extraction run that made it: the run's IRI hashes the text, so an
        edited article (same URL, same graph IRI) stored without linking is seen to have changed."""
        runs = sorted(q.object.value for q in self.store.quads_for_pattern(graph, PROV_GENERATED_BY, None, graph))
        return " ".join([graph.value, *runs])

    def _drop_every_thread_graph(self) -> None:
        stale = sorted(g.value for g in self.store.named_graphs() if g.value.startswith(THREAD_GRAPHS))
        if stale:
            self.store.update("".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in stale).rstrip(" ;\n"))

    def document_written(self, document: ox.NamedNode, graph: ox.NamedNode) -> None:
        """Link a document just committed to the store (a new one, or a new extraction of an old one)."""
        started = time.thread_time()
        try:
            self._link(document, graph)
        finally:
            self.cpu_seconds += time.thread_time() - started

    def _link(self, document: ox.NamedNode, graph: ox.NamedNode) -> None:
        claims = [c for c in read_claims(self.store, [graph]) if c.article == document.value]
        try:
            apply_change(self.store, self.linker.update({document.value: (self._fingerprint(graph), claims)}))
        except BaseException:
            self.index.rollback()
            raise
        self.index.commit()

    def close(self) -> None:
        self.index.close()
