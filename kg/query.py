"""Run built-in (kg/queries/*.rq) or ad-hoc SPARQL on a store and format the results (table, CSV, JSON)."""
from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError
from kg.sparql import names_a_dataset

SPARQL_START = ("select", "construct", "ask", "describe", "prefix", "base", "#")
VARIABLE_NAME = re.compile(r"[A-Za-z0-9_\u00b7\u00c0-\uffff]+")


@lru_cache(maxsize=1)
def named_queries() -> dict[str, str]:
    """Built-in query name -> SPARQL text."""
    folder = files("kg.queries")
    return {entry.name[:-3]: entry.read_text(encoding="utf-8")
            for entry in folder.iterdir() if entry.name.endswith(".rq")}


def resolve_query(name_or_file_or_sparql: str) -> str:
    """A built-in query's name, a .rq file's path, or SPARQL text itself."""
    builtin = named_queries()
    if name_or_file_or_sparql in builtin:
        return builtin[name_or_file_or_sparql]
    stripped = name_or_file_or_sparql.lstrip()
    if stripped.lower().startswith(SPARQL_START) or "{" in stripped:
        return name_or_file_or_sparql
    path = Path(name_or_file_or_sparql)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UserError(f"{path}: query file is not UTF-8 text") from None
    raise UserError(f"unknown query {name_or_file_or_sparql!r}: not a built-in query "
                    f"({', '.join(sorted(builtin))}), a file or SPARQL text")


def parse_bindings(pairs: list[str]) -> dict[ox.Variable, object]:
    """--bind VAR=VALUE: an IRI if VALUE looks like one (or <...>), else a plain string literal."""
    bindings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise UserError(f"--bind {pair!r}: expected VAR=VALUE")
        if not VARIABLE_NAME.fullmatch(name):
            raise UserError(f"--bind {pair!r}: {name!r} is not a SPARQL variable name (letters, digits, _)")
        value = value.strip()
        try:
            if value.startswith("<") and value.endswith(">"):
                term = ox.NamedNode(value[1:-1])
            elif value.startswith(("http://", "https://", "urn:")):
                term = ox.NamedNode(value)
            else:
                term = ox.Literal(value)
        except ValueError as error:
            raise UserError(f"--bind {pair!r}: not a valid IRI ({_first_line(error)})") from None
        bindings[ox.Variable(name)] = term
    return bindings


def run(store: ox.Store, sparql: str):
    """The whole answer: bool (ASK), list of triples (CONSTRUCT, DESCRIBE) or (columns, rows) (SELECT).

    The default graph is the union of all graphs (Turtle input lands in the default graph, TriG in
    named ones) unless the query names its own with FROM / FROM NAMED. Rows are read here, inside the
    error handling, because an engine reports some failures (a SERVICE that cannot be reached) only
    while the rows are read.
    """
    try:
        results = store.query(sparql, use_default_graph_as_union=not names_a_dataset(sparql))
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        if isinstance(results, ox.QueryTriples):
            return list(results)
        return rows(results)
    except SyntaxError as error:
        raise UserError(f"malformed SPARQL: {_first_line(error)}") from None
    except (OSError, ValueError, RuntimeError) as error:
        raise UserError(f"query failed: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def term_value(term) -> str | None:
    """A result term as a plain string: IRIs and literals by their value, blank nodes as _:id."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def rows(results) -> tuple[list[str], list[dict[str, str | None]]]:
    """Column names and rows of SELECT results (plain strings, missing values as None)."""
    columns = [v.value for v in results.variables]
    return columns, [{c: term_value(solution[c]) for c in columns} for solution in results]


def render(answer, fmt: str) -> str:
    """SELECT -> table/csv/json; ASK -> true/false (in every format); CONSTRUCT/DESCRIBE -> Turtle
    (JSON-LD with --format json)."""
    if isinstance(answer, bool):
        return render_boolean(answer, fmt)
    if isinstance(answer, list):
        return render_graph(answer, fmt)
    return render_rows(*answer, fmt)


def render_boolean(answer: bool, fmt: str) -> str:
    """An ASK answer: `true`/`false` on its own (table), under a header (csv), as a JSON boolean."""
    word = "true" if answer else "false"
    return f"ask\n{word}\n" if fmt == "csv" else word


def render_graph(triples: list, fmt: str) -> str:
    """A CONSTRUCT or DESCRIBE answer: Turtle with the project's prefixes, or JSON-LD for --format json."""
    if fmt == "csv":
        raise UserError("a CONSTRUCT or DESCRIBE query gives a graph, not rows: use --format table "
                        "(Turtle) or json (JSON-LD)")
    from kg.rdf import PREFIXES

    if fmt == "json":
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD).decode("utf-8")
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")


def render_rows(columns: list[str], data: list[dict], fmt: str) -> str:
    """SELECT rows (plain strings or None) as a table, CSV or a JSON array of objects."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in data)
        return buffer.getvalue()
    return _table(columns, data)


def _table(columns: list[str], data: list[dict]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False)
    for row in data:
        table.add_row(*[_short(row[c]) for c in columns])
    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(table)
    console.print(f"{len(data)} row(s)")
    return console.export_text()


def _short(value: str | None) -> str:
    if value is None:
        return ""
    for prefix in ("https://w3id.org/claimkg/id/", "https://w3id.org/claimkg#"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value if len(value) <= 90 else value[:87] + "…"
