"""A remote SPARQL 1.1 store: push document graphs (Graph Store Protocol, else SPARQL Update) and query it."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from itertools import islice
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import UserError

TIMEOUT = 300  # seconds; a big graph on a busy server takes a while
UPDATE_BATCH = 2000  # Virtuoso rejects much larger INSERT DATA requests (DESIGN §4)
RESULTS_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Endpoint:
    """Where to send queries, updates and Graph Store Protocol requests of one server."""

    query: str
    update: str
    graph_store: str


def endpoint(url: str, update: str | None = None, graph_store: str | None = None) -> Endpoint:
    """The server's three URLs from its query URL, following the two conventions met in practice:
    Oxigraph (/query, /update, /store) and Virtuoso (/sparql, /sparql, /sparql-graph-crud)."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UserError(f"--endpoint {url!r}: expected an http(s) URL of a SPARQL endpoint")
    base, _, last = url.rstrip("/").rpartition("/")
    if parsed.path in ("", "/"):  # a bare server URL: Oxigraph's layout
        base, last = url.rstrip("/"), ""
    guesses = {"query": ("update", "store"), "sparql": ("sparql", "sparql-graph-crud"), "": ("update", "store")}
    update_name, store_name = guesses.get(last, (last, last))  # else: one URL for everything (Fuseki-like)
    return Endpoint(query=url if last else f"{base}/query", update=update or f"{base}/{update_name}",
                    graph_store=graph_store or f"{base}/{store_name}")


# ---------------------------------------------------------------- HTTP

class HttpError(Exception):
    def __init__(self, status: int, body: str):
        super().__init__(f"HTTP {status}: {body.strip().splitlines()[0][:200] if body.strip() else ''}")
        self.status = status


def _request(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise HttpError(error.code, error.read().decode("utf-8", "replace")) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise UserError(f"cannot reach {url}: {reason}") from None


def _form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode("utf-8")


# ---------------------------------------------------------------- query

def query(target: Endpoint, sparql: str):
    """SELECT -> (columns, rows of plain strings or None); ASK -> bool; CONSTRUCT/DESCRIBE -> list of triples."""
    from kg.sparql import query_form

    form = query_form(sparql)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    # a graph is asked for as Turtle: given JSON results as acceptable, Virtuoso answers a CONSTRUCT with
    # ?s ?p ?o rows
    accept = "text/turtle, application/n-triples;q=0.9" if graph else RESULTS_JSON
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    try:
        data = _request("POST", target.query, _form(query=sparql), headers)
    except HttpError as error:
        raise UserError(f"query failed at {target.query}: {error}") from None
    if graph:
        try:
            return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        except (SyntaxError, ValueError) as error:
            raise UserError(f"{target.query} did not answer in Turtle: {str(error).splitlines()[0]}") from None
    try:
        results = json.loads(data)
    except ValueError:
        raise UserError(f"{target.query} did not answer with SPARQL JSON results") from None
    if not isinstance(results, dict):
        raise UserError(f"{target.query} did not answer with SPARQL JSON results")
    answer = parse_results(results)
    if form == "ASK" and not isinstance(answer, bool):
        # Virtuoso 7 answers ASK with rows of ?__ASK_RETVAL: one row "1" when true, none when false
        _, rows = answer
        values = [value for row in rows for value in row.values() if value is not None]
        return any(value.lower() in ("1", "true") for value in values)
    return answer


def parse_results(results: dict):
    """SPARQL 1.1 JSON results -> bool (ASK) or (columns, rows)."""
    if "boolean" in results:
        return bool(results["boolean"])
    columns = results.get("head", {}).get("vars", [])
    bindings = results.get("results", {}).get("bindings", [])
    return columns, [{column: _value(row.get(column)) for column in columns} for row in bindings]


def _value(term: dict | None) -> str | None:
    if term is None:
        return None
    return f"_:{term['value']}" if term.get("type") == "bnode" else term["value"]


# ---------------------------------------------------------------- push

@dataclass
class PushResult:
    graphs: int = 0
    statements: int = 0
    method: str = "graph store protocol"


def graph_ntriples(store: ox.Store, graph: ox.NamedNode) -> bytes:
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)


def push(store: ox.Store, target: Endpoint, *, progress=None) -> PushResult:
    """Copy every named graph of the store to the server, replacing the server's graph of the same name
    (so pushing twice leaves no duplicates). Graph Store Protocol PUT first; if the server refuses it,
    SPARQL Update (DROP + INSERT DATA in batches) for the rest."""
    result = PushResult()
    use_gsp = True
    for graph in store.named_graphs():
        if not isinstance(graph, ox.NamedNode):
            continue
        count = _count(store, graph)
        if use_gsp:
            try:
                put_graph(target, graph, graph_ntriples(store, graph))
            except HttpError as error:
                if error.status not in (400, 401, 403, 404, 405, 406, 415, 500, 501):
                    raise UserError(f"push failed at {target.graph_store}: {error}") from None
                use_gsp = False
                result.method = f"SPARQL Update (Graph Store Protocol refused: {error})"
        if not use_gsp:
            update_graph(target, graph, store.quads_for_pattern(None, None, None, graph))
        result.graphs += 1
        result.statements += count
        if progress:
            progress(result)
    return result


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def put_graph(target: Endpoint, graph: ox.NamedNode, ntriples: bytes) -> None:
    """SPARQL 1.1 Graph Store Protocol: PUT replaces the graph. N-Triples sent as Turtle, which every
    server reads (it is a subset), where some do not know the application/n-triples type."""
    url = f"{target.graph_store}?{urllib.parse.urlencode({'graph': graph.value})}"
    _request("PUT", url, ntriples, {"Content-Type": "text/turtle; charset=utf-8"})


def update_graph(target: Endpoint, graph: ox.NamedNode, quads: Iterator[ox.Quad]) -> None:
    """Replace a graph with SPARQL Update: DROP with the first batch, then INSERT DATA batches."""
    for number, batch in enumerate(_batches(quads, UPDATE_BATCH)):
        lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in batch)
        request = f"INSERT DATA {{ GRAPH {graph} {{\n{lines}\n}} }}"
        if number == 0:
            request = f"DROP SILENT GRAPH {graph} ;\n{request}"
        try:
            _request("POST", target.update, _form(update=request),
                     {"Content-Type": "application/x-www-form-urlencoded"})
        except HttpError as error:
            raise UserError(f"push failed at {target.update}: {error}") from None


def _batches(items: Iterable, size: int) -> Iterator[list]:
    source = iter(items)
    return iter(lambda: list(islice(source, size)), [])
