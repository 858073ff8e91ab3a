"""The store: embedded Oxigraph (in memory or on disk) holding one named graph per document."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError

# File suffix -> RDF format, for --data files.
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def open_store(path: str | Path | None = None) -> ox.Store:
    """An in-memory store, or the on-disk store in directory ``path``."""
    if path is None:
        return ox.Store()
    try:
        return ox.Store(str(path))
    except OSError as error:
        raise UserError(f"cannot open store {path}: {error}") from None


def format_for(path: str | Path) -> ox.RdfFormat:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"{path}: unknown RDF file type {suffix!r} (use .ttl, .trig, .nq, .nt or .jsonld)")
    return FORMATS[suffix]


def load_files(store: ox.Store, paths: list[str | Path]) -> None:
    """Load RDF files into ``store`` (triples go to the default graph, quads keep their graphs)."""
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise UserError(f"{path}: no such data file")
        rdf_format = format_for(path)
        try:
            store.bulk_load(path=str(path), format=rdf_format)
        except (SyntaxError, ValueError) as error:
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise UserError(f"{path}: not valid {rdf_format.name}: {first_line}") from None


def open_existing_store(path: str | Path) -> ox.Store:
    """The on-disk store in ``path``, which must already exist (querying must not create one)."""
    path = Path(path)
    if not path.is_dir():
        raise UserError(f"{path}: no such store (create one with kg ingest)")
    return open_store(path)
