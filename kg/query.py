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
from kg.store import vanished_file

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
        if vanished_file(error):
            raise  # a store file removed by a writer meanwhile: kg.store.read_store reads again
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


def render(answer, fmt: str, *, columns: list[str] | None = None, width: int | None = None,
           default_columns: list[str] | None = None, titles: dict[str, str] | None = None) -> str:
    """SELECT -> table/csv/json; ASK -> true/false (in every format); CONSTRUCT/DESCRIBE -> Turtle
    (JSON-LD with --format json). See render_rows for the columns, width and titles."""
    if isinstance(answer, bool):
        return render_boolean(answer, fmt)
    if isinstance(answer, list):
        return render_graph(answer, fmt)
    return render_rows(*answer, fmt, chosen=columns, width=width, default_columns=default_columns, titles=titles)


def render_boolean(answer: bool, fmt: str) -> str:
    """An ASK answer: `true`/`false` on its own (table), under a header (csv), as a JSON boolean."""
    word = "true" if answer else "false"
    return f"ask\n{word}\n" if fmt == "csv" else word


def render_graph(triples: list, fmt: str) -> str:
    """A CONSTRUCT or DESCRIBE answer: Turtle with the project's prefixes, or JSON-LD for --format json."""
    from kg.rdf import PREFIXES

    if fmt == "csv":
        raise UserError("a CONSTRUCT or DESCRIBE query gives a graph, not rows: use --format table "
                        "(Turtle) or json (JSON-LD)")
    # a graph is a set: sorted, so that the same data always gives the same bytes whatever order the
    # engine (or a server) produced the triples in
    triples = sorted(dict.fromkeys(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt == "json":
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD).decode("utf-8")
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")


# ---------------------------------------------------------------- rows

TABLE_COLUMNS = re.compile(r"(?im)^\s*#\s*table columns:\s*(?P<names>.+?)\s*$")


def table_columns(sparql: str) -> list[str] | None:
    """The columns a query's author chose for the terminal table (a `# table columns: a, b` line), if any."""
    match = TABLE_COLUMNS.search(sparql)
    return [name.strip().lstrip("?$") for name in match.group("names").split(",") if name.strip()] if match else None


def parse_columns(option: str | None) -> list[str] | None:
    """--columns a,b,c (with or without ?)."""
    if option is None:
        return None
    names = [name.strip().lstrip("?$") for name in option.split(",") if name.strip()]
    if not names:
        raise UserError("--columns: give column names separated by commas, e.g. --columns claimText,sourceName")
    return names


def render_rows(columns: list[str], data: list[dict], fmt: str, *, chosen: list[str] | None = None,
                width: int | None = None, default_columns: list[str] | None = None,
                titles: dict[str, str] | None = None) -> str:
    """SELECT rows (plain strings or None) as a table, CSV or a JSON array of objects.

    CSV and JSON keep every column and every IRI as it is unless --columns chose columns. The table
    shows the chosen columns, else the query's `# table columns:` (names and text rather than IRIs),
    else all; it shows a document IRI as the document's title when ``titles`` has one, other claimkg
    IRIs without their common prefix, and fits ``width`` characters (None: as wide as the content, for
    a file or a pipe, nothing cut).
    """
    if chosen is not None:
        unknown = [name for name in chosen if name not in columns]
        if unknown:
            raise UserError(f"--columns: no column {', '.join(map(repr, unknown))} in this query's answer "
                            f"(its columns: {', '.join(columns)})")
    if fmt == "json":
        shown = chosen or columns
        return json.dumps([{c: row[c] for c in shown} for row in data], ensure_ascii=False, indent=1)
    if fmt == "csv":
        shown = chosen or columns
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=shown, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: ("" if row[c] is None else row[c]) for c in shown} for row in data)
        return buffer.getvalue()
    defaults = [name for name in default_columns or [] if name in columns]
    return _table(chosen or defaults or columns, data, width, titles or {})


def _table(columns: list[str], data: list[dict], width: int | None, titles: dict[str, str]) -> str:
    from rich.console import Console
    from rich.table import Table

    cells = [[_shown(row[c], titles) for c in columns] for row in data]
    natural = [max([len(column), *(len(line) for row in cells for line in row[i].splitlines())])
               for i, column in enumerate(columns)]
    widths = _fit(natural, width - 3 * len(columns) - 1) if width else natural
    table = Table(show_lines=False)
    for column, size in zip(columns, widths):
        table.add_column(column, overflow="fold", width=size if width else None)  # long words wrap in the cell
    for row in cells:
        table.add_row(*row)
    console = Console(file=io.StringIO(), width=width or 1_000_000, record=True, color_system=None)
    console.print(table)
    console.print(f"{len(data)} row(s)")
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def _fit(natural: list[int], room: int) -> list[int]:
    """Column widths that fit ``room`` characters: every column as wide as its content up to one common
    cap, the largest that fits, so names, kinds and cues stay whole and the long texts wrap."""
    if sum(natural) <= room:
        return natural
    cap = max(room // max(len(natural), 1), 4)
    while sum(min(size, cap + 1) for size in natural) <= room:
        cap += 1
    return [min(size, cap) for size in natural]


def _shown(value: str | None, titles: dict[str, str]) -> str:
    if value is None:
        return ""
    if value in titles:
        return titles[value]
    for prefix in ("https://w3id.org/claimkg/id/", "https://w3id.org/claimkg#"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def document_titles(rows_of) -> dict[str, str]:
    """Document IRI -> a title for the table, from the built-in `document-titles` query run by ``rows_of``
    (a function of SPARQL text giving (columns, rows), local or remote)."""
    _, data = rows_of(named_queries()["document-titles"])
    return {row["document"]: row["title"] for row in data if row["document"] and row["title"]}
