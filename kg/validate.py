"""SHACL validation of RDF files against the shipped shapes, with the ontology for subclass reasoning."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kg.errors import UserError

RDFLIB_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld",
                  ".json": "json-ld"}


def shipped(name: str) -> str:
    return files("kg.ontology").joinpath(name).read_text(encoding="utf-8")


def validate_files(paths: list[str]) -> tuple[bool, str]:
    """(conforms, report text) for the union of the files' triples."""
    import pyshacl
    from rdflib import Dataset, Graph

    data = Dataset()
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise UserError(f"{path}: no such data file")
        fmt = RDFLIB_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise UserError(f"{path}: unknown RDF file type {path.suffix!r}")
        try:
            data.parse(path, format=fmt)
        except Exception as error:  # rdflib raises many parser-specific types
            raise UserError(f"{path}: not valid {fmt}: {str(error).splitlines()[0] if str(error) else error}") from None
    union = Graph()  # shapes span documents (a claim and its comment), so validate the union of all graphs
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    if len(union) == 0:
        raise UserError("no triples to validate")
    shapes = Graph().parse(data=shipped("shapes.ttl"), format="turtle")
    ontology = Graph().parse(data=shipped("claimgraph.ttl"), format="turtle")
    conforms, _, report = pyshacl.validate(union, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                           advanced=True)
    return bool(conforms), report

