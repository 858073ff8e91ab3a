"""The store: embedded Oxigraph (in memory or on disk) holding one named graph per document."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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
        if "lock" in str(error).lower():
            raise UserError(f"store {path} is in use by another kg process; try again when it has finished") from None
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
        check_data_file(path)
        rdf_format = format_for(path)
        try:
            store.bulk_load(path=str(path), format=rdf_format)
        except (SyntaxError, ValueError) as error:
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise UserError(f"{path}: not valid {rdf_format.name}: {first_line}") from None
        except OSError as error:
            raise UserError(f"{path}: cannot read: {error.strerror or _first_line(error)}") from None


def check_data_file(path: Path) -> None:
    """A one-line error unless ``path`` is a regular file (a FIFO would block the reader forever)."""
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a data file")
    if not path.exists():
        raise UserError(f"{path}: no such data file")
    if not path.is_file():
        raise UserError(f"{path}: not a regular file (a pipe or device cannot be loaded)")


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def open_existing_store(path: str | Path) -> ox.Store:
    """The last committed state of the on-disk store in ``path``, read-only, even while `kg ingest` writes
    it; the store must already exist (reading never creates one). For work that reads much, prefer
    read_store, which also starts the work again if the writer removes a file the reader still needed."""
    path = _existing(path)
    for attempt in range(READ_ATTEMPTS):
        store = _open_consistent(path, last=attempt == READ_ATTEMPTS - 1)
        if store is not None:
            return store
        time.sleep(0.05 * (attempt + 1))
    raise _changing(path)


T = TypeVar("T")

# Readers never take the store's lock, so a reader neither waits for `kg ingest` nor stops one from
# starting. Oxigraph's read-only opening is RocksDB's: it reads the file list (MANIFEST), the immutable
# data files it names and the write-ahead log of what is committed but not yet in a data file, and
# keeps that view. A transaction is one record of that log, so the view holds each document wholly or
# not at all. Oxigraph calls reading during a write undefined because the writer may delete files the
# reader has yet to open: a data file merged away by compaction, a log whose content was flushed.
# Measured while a writer replaced graphs and flushed every 5k quads: 7 of 34 openings failed with
# such a vanished file (FileNotFoundError, or RuntimeError "No such file or directory"), none gave a
# wrong count; during a real 300-article `kg ingest`, 6 of 161 openings had to start again and every
# read was whole. So a vanished file means "start again", and so does a MANIFEST that changed while the
# reader opened (a flush finished in between: its log might be gone before the reader looked for it).
READ_ATTEMPTS = 20


def read_store(path: str | Path, work: Callable[[ox.Store], T]) -> T:
    """``work(store)`` on the last committed state of the on-disk store in ``path`` (see open_existing_store),
    started again on a fresh view if the writer removed a file the reader needed meanwhile."""
    path = _existing(path)
    for attempt in range(READ_ATTEMPTS):
        store = _open_consistent(path, last=attempt == READ_ATTEMPTS - 1)
        if store is not None:
            try:
                return work(store)
            except (OSError, RuntimeError) as error:
                if not vanished_file(error):
                    raise
            finally:
                del store
        time.sleep(0.05 * (attempt + 1))
    raise _changing(path)


class StoreFileVanished(RuntimeError):
    """A store file removed by a writer under a reader, raised where an OSError would be taken for
    another kind of failure (an export's write error)."""


def vanished_file(error: BaseException) -> bool:
    """True for Oxigraph's error when a file of the store disappeared under a read-only reader."""
    return isinstance(error, (OSError, RuntimeError)) and "No such file or directory" in str(error)


def _transient(error: BaseException) -> bool:
    """An opening error that a writer at work explains: a vanished file, or a store so new that the
    writer has not yet created all of Oxigraph's column families."""
    return vanished_file(error) or "Column family not found" in str(error)


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_dir() or not (path / "CURRENT").is_file():
        raise UserError(f"{path}: no such store (create one with kg ingest)")
    return path


def _open_consistent(path: Path, last: bool) -> ox.Store | None:
    """A read-only view, or None if the store changed while it was opened (try again unless ``last``)."""
    before = _manifest_state(path)
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as error:
        if _transient(error) and not last:
            return None
        raise UserError(f"cannot open store {path}: {_first_line(error)}") from None
    if before is None or _manifest_state(path) != before:
        del store
        return None
    return store


def _manifest_state(path: Path) -> tuple | None:
    """Which MANIFEST is current and how long it is: it changes whenever a flush or compaction ends."""
    try:
        manifest = (path / "CURRENT").read_text().strip()
        stat = (path / manifest).stat()
    except (OSError, ValueError):
        return None
    return manifest, stat.st_size, stat.st_mtime_ns


def _changing(path: Path) -> UserError:
    return UserError(f"store {path} changed under the reader {READ_ATTEMPTS} times in a row; try again")


# ---------------------------------------------------------------- document graphs (kg ingest)

DCTERMS_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


def graphs_of_document(store: ox.Store, document: ox.NamedNode) -> list[ox.NamedNode]:
    """The named graphs holding an extraction of ``document`` (any extractor version).

    Each document graph describes itself (``<graph> dcterms:source <document>``), so the store
    needs no separate index that could fall out of step with the data.
    """
    return [quad.graph_name for quad in store.quads_for_pattern(None, DCTERMS_SOURCE, document, None)
            if quad.subject == quad.graph_name]


def replace_document_sparql(old_graphs: list[ox.NamedNode], graph: ox.NamedNode, quads: list[ox.Quad]) -> str:
    """One SPARQL Update request that drops the old graphs and inserts the new one.

    Oxigraph runs one update request as one transaction, so a reader (or a crash) sees either the
    old extraction or the new one, never a mix and never a half-written graph.
    """
    drops = "".join(f"DROP SILENT GRAPH {old} ;\n" for old in dict.fromkeys([*old_graphs, graph]))
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"{drops}INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def replace_document(store: ox.Store, document: ox.NamedNode, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
    """Atomically make ``graph`` hold exactly ``quads`` and remove older extractions of ``document``."""
    old = graphs_of_document(store, document)
    if not old and not store.contains_named_graph(graph):
        store.extend(quads)  # a new document: one transaction too, without writing and parsing SPARQL text
        return
    store.update(replace_document_sparql(old, graph, quads))


def document_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """Every document graph in the store."""
    return [quad.graph_name for quad in store.quads_for_pattern(None, DCTERMS_SOURCE, None, None)
            if quad.subject == quad.graph_name]


def statement_count(store: ox.Store) -> int:
    """Quads in the store (a shared node described by two documents counts twice)."""
    return len(store)


def sorted_nquads(path: str | Path) -> list[bytes]:
    """Every quad of the on-disk store at ``path`` as N-Quads lines, sorted: two stores hold the same data
    exactly when these are equal (read-only, so a running ingest is not disturbed)."""
    reader = ox.Store.read_only(str(path))
    try:
        return sorted(reader.dump(format=ox.RdfFormat.N_QUADS).splitlines())
    finally:
        del reader
