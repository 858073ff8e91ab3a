"""Export a store to Turtle, TriG or N-Quads, streamed by Oxigraph (no in-memory rdflib graph)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError
from kg.output import atomic_output

EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
# Turtle has no graphs: it gets the union of the document graphs, where a person described by two
# documents appears once (Oxigraph's union default graph drops the duplicates).
UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def export_format(name: str) -> ox.RdfFormat:
    if name not in EXPORT_FORMATS:
        raise UserError(f"unknown export format {name!r} (turtle, trig, nquads)")
    return EXPORT_FORMATS[name]


def write_store(store: ox.Store, stream, rdf_format: ox.RdfFormat) -> None:
    """Serialise the whole store to a binary stream."""
    from kg.rdf import PREFIXES

    if rdf_format == ox.RdfFormat.N_QUADS:
        store.dump(stream, rdf_format)
    elif rdf_format.supports_datasets:
        store.dump(stream, rdf_format, prefixes=PREFIXES)
    else:
        triples = store.query(UNION_TRIPLES, use_default_graph_as_union=True)
        ox.serialize(triples, stream, rdf_format, prefixes=PREFIXES)


def export_store(store: ox.Store, output: str | Path, rdf_format: ox.RdfFormat) -> int:
    """Write the store to ``output`` atomically (a failed export never clobbers an old file); returns bytes."""
    with atomic_output(output) as stream:
        write_store(store, stream, rdf_format)
    return Path(output).stat().st_size
