"""SHACL validation of RDF files against the shipped shapes, with the ontology for subclass reasoning."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugins.sparql import prepareQuery

from kg.errors import UserError

RDFLIB_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld",
                  ".json": "json-ld"}


class QueryPreparingGraph(Graph):
    """An rdflib Graph that parses each distinct SPARQL text once.

    pyshacl sends a SPARQL constraint's text once per focus node (216 times on the seed's output) and
    rdflib parses it every time: 85 % of `kg validate`. A prepared query is exactly what rdflib builds
    from the text (parse, then translate with the graph's prefixes), so the results are the same.
    """

    def query(self, query_object, processor="sparql", result="sparql", initNs=None, initBindings=None,
              use_store_provided=True, **kwargs):
        if isinstance(query_object, str):
            prepared = self.__dict__.setdefault("_prepared", {})
            if query_object not in prepared:
                prepared[query_object] = prepareQuery(query_object, initNs=initNs or dict(self.namespaces()))
            query_object = prepared[query_object]
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def shipped(name: str) -> str:
    return files("kg.ontology").joinpath(name).read_text(encoding="utf-8")


def read_union(paths: list[str]):
    """An rdflib Graph of the union of the files' triples (shapes span documents: a claim and its comment)."""
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
        except OSError as error:
            raise UserError(f"{path}: cannot read: {error.strerror or error}") from None
        except Exception as error:  # rdflib raises many parser-specific types
            raise UserError(f"{path}: not valid {fmt}: {str(error).splitlines()[0] if str(error) else error}") from None
    union = QueryPreparingGraph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate_files(paths: list[str]) -> tuple[bool, str]:
    """(conforms, report text) for the union of the files' triples."""
    union = read_union(paths)
    if len(union) == 0:
        raise UserError("no triples to validate")
    return validate_graph(union)


def validate_graph(union) -> tuple[bool, str]:
    """(conforms, report text) for a QueryPreparingGraph; the graph gains the ontology's triples.

    pyshacl would copy the data graph to mix the ontology in (and copy it again in advanced mode) and
    the copy would be a plain rdflib Graph; mixing the ontology in here and validating in place keeps
    our graph, whose query method parses each constraint's SPARQL once instead of once per focus node.
    """
    import pyshacl

    shapes = Graph().parse(data=shipped("shapes.ttl"), format="turtle")
    union.parse(data=shipped("claimgraph.ttl"), format="turtle")
    conforms, _, report = pyshacl.validate(union, shacl_graph=shapes, inference="none", advanced=True,
                                           inplace=True)
    return bool(conforms), report
