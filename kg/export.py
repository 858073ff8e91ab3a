"""Export a store to Turtle, TriG or N-Quads, streamed by Oxigraph (no in-memory rdflib graph)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError

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
    output = Path(output)
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{output}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as stream:
            write_store(store, stream, rdf_format)
        os.replace(temporary, output)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {output}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return output.stat().st_size
