"""Export a store to Turtle, TriG or N-Quads, streamed by Oxigraph (no in-memory rdflib graph)."""
from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError
from kg.output import atomic_output
from kg.store import StoreFileVanished, vanished_file

EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
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
        stream.write(_prefix_lines(PREFIXES))
        for chunk in in_order(lambda graph: _trig(store, graph, PREFIXES), _graphs(store)):
            stream.write(chunk)
    else:
        stream.write(_prefix_lines(PREFIXES))
        union = UnionTurtle(store, PREFIXES)
        for graph, turtle in in_order(lambda graph: (graph, _turtle(store, graph, PREFIXES)), _graphs(store)):
            stream.write(union.without_repeats(graph, turtle))


def export_store(store: ox.Store, output: str | Path, rdf_format: ox.RdfFormat) -> int:
    """Write the store to ``output`` atomically (a failed export never clobbers an old file); returns bytes."""
    with atomic_output(output) as stream:
        try:
            write_store(store, stream, rdf_format)
        except OSError as error:
            if vanished_file(error):  # not a write error: kg.store.read_store reads a fresh view again
                raise StoreFileVanished(str(error)) from error
            raise
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
    body = _turtle(store, graph, prefixes)
    if not body or isinstance(graph, ox.DefaultGraph):
        return body
    return str(graph).encode() + b" {\n" + body + b"}\n"


def _turtle(store: ox.Store, graph, prefixes: dict[str, str]) -> bytes:
    """One graph's triples as Turtle statements, without the prefix declarations."""
    return _without_prefix_lines(store.dump(None, ox.RdfFormat.TURTLE, from_graph=graph, prefixes=prefixes))


def _prefix_lines(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items()).encode()


# Oxigraph's Turtle writes one block per subject: the subject at the start of a line, followed by a
# space, its other lines indented by a tab; literals escape their line breaks and blank nodes are
# labelled, never nested. So every line break not followed by a tab starts a subject's block. (Searched
# from the line break, not with ^ and MULTILINE, which made the scan 6x slower.)
BLOCK = re.compile(rb"\n([^\t][^ ]*) ")


class UnionTurtle:
    """Turtle has no graphs, so a Turtle export is the union of the graphs, where a triple that two
    documents state (a shared person's name) must be written once.

    The graphs are dumped one by one, as for TriG (threads, Oxigraph's own serialiser), and only a
    subject described by several graphs can repeat a triple: its first block is written as it is, and
    a later block only with the triples not yet written (a subject can also have several blocks in one
    graph: an in-memory store does not group them). Measured at 1M quads: 498 of 140k subjects were
    described by more than one graph; the union query this replaces (CONSTRUCT over the union default
    graph, one core) took 7.3-8.9 s, this takes as long as the TriG export. It remembers every subject
    written: 17 MB for the 140k subjects.
    """

    def __init__(self, store: ox.Store, prefixes: dict[str, str]):
        self.store = store
        self.prefixes = prefixes
        self.header = _prefix_lines(prefixes)
        self.first_graph: dict[bytes, object] = {}  # a subject as written -> the graph that described it first
        self.written: dict = {}  # subject described by several graphs -> its triples written so far

    def without_repeats(self, graph, turtle: bytes) -> bytes:
        """``graph``'s Turtle minus the triples that earlier graphs already wrote."""
        text = b"\n" + turtle
        blocks = list(BLOCK.finditer(text))
        kept, repeated, firsts, position = [], [], {}, 1
        for block, following in zip(blocks, [*blocks[1:], None]):
            subject = block.group(1)
            first = self.first_graph.setdefault(subject, graph)
            if first != graph:
                start, end = block.start() + 1, following.start() + 1 if following else len(text)
                kept.append(text[position:start])
                repeated.append(text[start:end])
                firsts.setdefault(subject, first)
                position = end
        kept.append(text[position:])
        if repeated:
            kept.append(self._new_triples(b"".join(repeated), list(firsts.values())))
        return b"".join(kept)

    def _new_triples(self, blocks: bytes, firsts: list) -> bytes:
        """The triples of ``blocks`` not yet written; ``firsts`` are the graphs that first described
        their subjects, in the order the subjects first appear (a subject may have several blocks)."""
        triples = [quad.triple for quad in ox.parse(self.header + blocks, ox.RdfFormat.TURTLE)]
        subjects = list(dict.fromkeys(triple.subject for triple in triples))
        if len(subjects) != len(firsts):
            # a newer Oxigraph laid its Turtle out differently: say so in one line (the old file stays)
            raise UserError("unexpected Turtle layout from this Oxigraph version: the Turtle export cannot "
                            "remove repeated triples; export --format trig or nquads instead")
        for subject, first in zip(subjects, firsts):
            if subject not in self.written:
                self.written[subject] = {q.triple for q in self.store.quads_for_pattern(subject, None, None, first)}
        new = []
        for triple in triples:
            written = self.written[triple.subject]
            if triple not in written:
                written.add(triple)
                new.append(triple)
        if not new:
            return b""
        return _without_prefix_lines(ox.serialize(new, format=ox.RdfFormat.TURTLE, prefixes=self.prefixes))


def _without_prefix_lines(turtle: bytes) -> bytes:
    """Turtle minus its leading @prefix declarations (a statement never starts with '@')."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return turtle[start:]
