"""Threads as RDF: one named graph per thread, written and dropped in one store transaction."""
from __future__ import annotations

import hashlib

import pyoxigraph as ox

from kg.rdf import CKG, ID, RDF, SCHEMA, XSD
from kg.threads.link import THREAD_BASE, Change, Thread

LABEL_LENGTH = 120


def thread_graph(thread: str) -> ox.NamedNode:
    return ID[f"graph/thread/{thread.removeprefix(THREAD_BASE)}"]


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def thread_quads(thread: Thread) -> list[ox.Quad]:
    """The thread node, its counts and first claim, each member's place in it, and the claims disputing it."""
    node, graph = ox.NamedNode(thread.iri), thread_graph(thread.iri)
    first = ox.NamedNode(thread.first.iri)
    quads = [
        ox.Quad(node, RDF.type, CKG.ClaimThread, graph),
        ox.Quad(node, SCHEMA.name, ox.Literal(label(thread.first.text)), graph),
        ox.Quad(node, CKG.firstClaim, first, graph),
        ox.Quad(node, CKG.documentCount, _integer(thread.documents), graph),
        ox.Quad(node, CKG.outletCount, _integer(thread.outlets), graph),
    ]
    if thread.first.source_kind in ("Person", "Organization", "MediaOutlet"):
        quads.append(ox.Quad(node, CKG.originatingSource, ox.NamedNode(thread.first.source), graph))
    for position, member in enumerate(thread.members):
        claim = ox.NamedNode(member.iri)
        quads.append(ox.Quad(claim, CKG.inThread, node, graph))
        quads.append(ox.Quad(claim, CKG.threadOrder, _integer(position), graph))
        if member.iri != thread.first.iri:
            quads.append(ox.Quad(claim, CKG.sameContentAs, first, graph))
    for disputer in thread.disputers:
        quads.append(ox.Quad(ox.NamedNode(disputer), CKG.disputes, node, graph))
    return quads


def dispute_graph(claim: str) -> ox.NamedNode:
    """Where the cross-article disputes of a claim that no thread holds are kept."""
    return ID[f"graph/dispute/{hashlib.sha256(claim.encode('utf-8')).hexdigest()[:16]}"]


def dispute_quads(claim: str, disputers: tuple[str, ...]) -> list[ox.Quad]:
    graph, target = dispute_graph(claim), ox.NamedNode(claim)
    return [ox.Quad(ox.NamedNode(disputer), CKG.disputes, target, graph) for disputer in disputers]


def change_quads(change: Change) -> list[ox.Quad]:
    quads = [quad for thread in change.threads for quad in thread_quads(thread)]
    for claim in sorted(change.disputes):
        quads.extend(dispute_quads(claim, change.disputes[claim]))
    return quads


def apply_change(store: ox.Store, change: Change) -> None:
    """Drop the stale thread graphs and write the new ones, as one transaction."""
    if not change.dropped and not change.threads and not change.undisputed and not change.disputes:
        return
    graphs = sorted({thread_graph(t).value for t in change.dropped} | {thread_graph(t.iri).value for t in change.threads}
                    | {dispute_graph(c).value for c in change.undisputed | set(change.disputes)})
    drops = "".join(f"DROP SILENT GRAPH <{graph}> ;\n" for graph in graphs)
    body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in change_quads(change))
    store.update(f"{drops}INSERT DATA {{\n{body}\n}}" if body else drops.rstrip(" ;\n"))
