"""The `kg` command line: parses options and calls the library; no logic of its own."""
from __future__ import annotations

import sys

import typer

from kg.errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="claimgraph: who said what, to whom, relayed by whom, in which document.")


def main() -> None:
    """Entry point: user and data errors become one line on stderr and exit code 1."""
    try:
        app(standalone_mode=False)
    except UserError as error:
        print(f"kg: error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # click usage errors and the like
        import click

        if isinstance(error, click.exceptions.Exit):
            sys.exit(error.exit_code)
        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(2 if isinstance(error, click.UsageError) else 1)
        if isinstance(error, click.exceptions.Abort):
            sys.exit(130)
        raise


# --- graph and stats commands (viewer) ---
from pathlib import Path  # noqa: E402
from typing import List, Optional  # noqa: E402


def _projected_graph(data: Optional[List[Path]], store_dir: Optional[Path]):
    """The networkx projection of --data files (loaded into memory) or of the on-disk --store."""
    from kg import projection
    from kg.store import load_files, open_store

    if data and store_dir:
        raise UserError("give either --data FILE... or --store DIR, not both")
    if not data and not store_dir:
        raise UserError("nothing to draw: give --data FILE... or --store DIR")
    if store_dir and not Path(store_dir).is_dir():
        raise UserError(f"{store_dir}: no such store directory")
    store = open_store(store_dir) if store_dir else open_store()
    if data:
        load_files(store, list(data))
    return projection.project(store)


@app.command()
def graph(
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write (one self-contained page)."),
    data: Optional[List[Path]] = typer.Option(None, "--data", help="RDF file(s) to draw (.ttl, .trig, .nq, ...)."),
    store_dir: Optional[Path] = typer.Option(None, "--store", help="On-disk Oxigraph store directory to draw."),
    speaker: Optional[str] = typer.Option(None, help="Only claims whose originating source matches (substring)."),
    organization: Optional[str] = typer.Option(None, help="Only claims whose chain involves this organisation or its members."),
    document: Optional[str] = typer.Option(None, help="Only claims reported in a matching document (headline, id or IRI)."),
    claim: Optional[str] = typer.Option(None, help="Only claims whose text contains this."),
    max_nodes: Optional[int] = typer.Option(None, "--max-nodes", min=1, help="Draw at most this many nodes (whole chains)."),
) -> None:
    """Write the interactive attribution-chain graph as one offline HTML file."""
    from kg import projection, viz

    full = _projected_graph(data, store_dir)
    shown = projection.filter_graph(full, speaker=speaker, organization=organization, document=document,
                                    claim=claim, max_nodes=max_nodes)
    note = ""
    if shown.number_of_nodes() < full.number_of_nodes():
        note = f"Showing {shown.number_of_nodes()} of {full.number_of_nodes()} nodes (filtered)."
    try:
        size = viz.write_html(shown, output, note=note)
    except OSError as error:
        raise UserError(f"cannot write {output}: {error.strerror or error}") from None
    n_claims = len(projection.claims(shown))
    if shown.number_of_nodes() == 0:
        print(f"kg: no nodes match the filters; wrote an empty graph to {output}", file=sys.stderr)
    else:
        print(f"kg: wrote {output} ({shown.number_of_nodes()} nodes, {n_claims} claims, {size // 1024} KB)",
              file=sys.stderr)


@app.command()
def stats(
    data: Optional[List[Path]] = typer.Option(None, "--data", help="RDF file(s) (.ttl, .trig, .nq, ...)."),
    store_dir: Optional[Path] = typer.Option(None, "--store", help="On-disk Oxigraph store directory."),
    top: int = typer.Option(10, "--top", min=1, help="Rows per table."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Most quoted sources, outlets that relay most, longest chains, most disputed claims."""
    import json

    from kg import projection

    if fmt not in ("table", "json"):
        raise UserError(f"unknown format {fmt!r} (use table or json)")
    result = projection.stats(_projected_graph(data, store_dir), top)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(_stats_text(result))


def _stats_text(result: dict) -> str:
    def clip(text: str, width: int = 90) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = ["Most quoted sources (claims originated):"]
    lines += [f"  {n:5d}  {clip(label)} ({kind})" for label, kind, n in result["most_quoted_sources"]] or ["  (none)"]
    lines += ["", "Relaying most (claims relayed):"]
    lines += [f"  {n:5d}  {clip(label)} ({kind})" for label, kind, n in result["top_relayers"]] or ["  (none)"]
    lines += ["", "Longest chains (links):"]
    lines += [f"  {n:5d}  {clip(' -> '.join(chain))}\n         {clip(text)}"
              for n, chain, text in result["longest_chains"]] or ["  (none)"]
    lines += ["", "Most disputed claims (disputing claims):"]
    lines += [f"  {n:5d}  {clip(text)}\n         disputed by: {clip(', '.join(sources))}"
              for text, n, sources in result["most_disputed_claims"]] or ["  (none)"]
    return "\n".join(lines)
