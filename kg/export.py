"""Export a store to Turtle, TriG or N-Quads, streamed by Oxigraph (no in-memory rdflib graph)."""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError
from kg.output import atomic_output

EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
# Turtle has no graphs: it gets the union of the document graphs, where a person described by two
# documents appears once (Oxigraph's union default graph drops the duplicates).
UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
# Most of an export's time is Oxigraph reading every term's string back from disk (about 1.5 us a
# term, whether it writes to a Python stream or to a path itself), and Store.dump releases the GIL
# while it does so: graphs dumped by a few threads at once and written in order took 4.2 s instead of
# 6.4 s for 1M quads on 2 free cores (no gain when another process keeps the second core busy).
WORKERS = min(os.cpu_count() or 1, 4)


def export_format(name: str) -> ox.RdfFormat:
    if name not in EXPORT_FORMATS:
        raise UserError(f"unknown export format {name!r} (turtle, trig, nquads)")
    return EXPORT_FORMATS[name]


def write_store(store: ox.Store, stream, rdf_format: ox.RdfFormat) -> None:
    """Serialise the whole store to a binary stream."""
    from kg.rdf import PREFIXES

    if rdf_format == ox.RdfFormat.N_QUADS:
        for chunk in in_order(lambda graph: _nquads(store, graph), _graphs(store)):
            stream.write(chunk)
    elif rdf_format == ox.RdfFormat.TRIG:
        stream.write("".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items()).encode())
        for chunk in in_order(lambda graph: _trig(store, graph, PREFIXES), _graphs(store)):
            stream.write(chunk)
    else:
        # Turtle: the union query removes the duplicates. Dumping graph by graph in threads and cutting
        # out the shared subjects' blocks afterwards was tried: right, but no faster on a busy 2-core box
        # (8.2 s, 8.3 s CPU, against 7.9 s) and it depends on the layout of Oxigraph's Turtle output.
        triples = store.query(UNION_TRIPLES, use_default_graph_as_union=True)
        ox.serialize(triples, stream, rdf_format, prefixes=PREFIXES)


def export_store(store: ox.Store, output: str | Path, rdf_format: ox.RdfFormat) -> int:
    """Write the store to ``output`` atomically (a failed export never clobbers an old file); returns bytes."""
    with atomic_output(output) as stream:
        write_store(store, stream, rdf_format)
    return Path(output).stat().st_size


def in_order(work: Callable, items: Iterable, workers: int = WORKERS) -> Iterator:
    """``work(item)`` for each item, run by ``workers`` threads, yielded in input order; at most a few
    results wait at a time, so memory stays that of a few graphs however big the store."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-export") as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _graphs(store: ox.Store) -> list:
    return [ox.DefaultGraph(), *store.named_graphs()]


def _nquads(store: ox.Store, graph) -> bytes:
    """One graph as N-Quads: its N-Triples lines with the graph name added. N-Triples escapes line
    breaks inside literals, so every b" .\\n" is the end of a statement."""
    lines = store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=graph)
    if isinstance(graph, ox.DefaultGraph):
        return lines
    return lines.replace(b" .\n", b" " + str(graph).encode() + b" .\n")


def _trig(store: ox.Store, graph, prefixes: dict[str, str]) -> bytes:
    """One graph as a TriG block: its Turtle (same prefixes, declared once at the top of the file)."""
    turtle = store.dump(None, ox.RdfFormat.TURTLE, from_graph=graph, prefixes=prefixes)
    body = _without_prefix_lines(turtle)
    if not body or isinstance(graph, ox.DefaultGraph):
        return body
    return str(graph).encode() + b" {\n" + body + b"}\n"


def _without_prefix_lines(turtle: bytes) -> bytes:
    """Turtle minus its leading @prefix declarations (a statement never starts with '@')."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return turtle[start:]
