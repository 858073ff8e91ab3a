"""Run built-in (kg/queries/*.rq) or ad-hoc SPARQL on a store and format the results (table, CSV, JSON)."""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError

SPARQL_START = ("select", "construct", "ask", "describe", "prefix", "base", "#")


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
        if not sep or not name.strip("?$ "):
            raise UserError(f"--bind {pair!r}: expected VAR=VALUE")
        value = value.strip()
        if value.startswith("<") and value.endswith(">"):
            term = ox.NamedNode(value[1:-1])
        elif value.startswith(("http://", "https://", "urn:")):
            term = ox.NamedNode(value)
        else:
            term = ox.Literal(value)
        bindings[ox.Variable(name.strip("?$ "))] = term
    return bindings


def run(store: ox.Store, sparql: str):
    """Query results over the union of all graphs (Turtle input lands in the default graph, TriG in named ones)."""
    try:
        return store.query(sparql, use_default_graph_as_union=True)
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


def render(results, fmt: str) -> str:
    """SELECT -> table/csv/json; ASK -> true/false; CONSTRUCT/DESCRIBE -> Turtle."""
    if isinstance(results, bool):
        return json.dumps(results) if fmt == "json" else str(results).lower()
    if isinstance(results, ox.QueryTriples):
        return ox.serialize(list(results), format=ox.RdfFormat.TURTLE).decode("utf-8")
    return render_rows(*rows(results), fmt)


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
