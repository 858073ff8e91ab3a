"""The `kg` command line: parses options and calls the library; no logic of its own."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import List, Optional

import typer

from kg.errors import UserError, report_internal, set_debug

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="claimgraph: who said what, to whom, relayed by whom, in which document.")


@app.callback()
def options(debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error "
                                                              "(also KG_DEBUG=1).")) -> None:
    set_debug(debug)


def main() -> None:
    """Entry point: user and data errors become one line on stderr and exit code 1; so does a bug, named by
    the step and document it hit (its traceback only with --debug)."""
    try:
        code = app(standalone_mode=False)  # click returns a typer.Exit's code instead of raising it
        if isinstance(code, int) and code:
            sys.exit(code)
    except UserError as error:
        print(f"kg: error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as error:  # usage errors from the option parser: exit 2
        show = getattr(error, "show", None)
        if show is None:
            report_internal(error, _step())
            sys.exit(1)
        show()
        sys.exit(getattr(error, "exit_code", 2))
    except BrokenPipeError:  # `kg query ... | head`: the reader left; nothing to report
        _silence_stdout()
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 -- the last line of defence: one line, never a traceback
        report_internal(error, _step())
        sys.exit(1)


def _step() -> str:
    """The command being run, for an error that no step named ("running kg query")."""
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    return f"running kg {command}" if command else "running kg"


def _silence_stdout() -> None:
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass


# --- extract, query, validate -------------------------------------------------------------

FORMAT_BY_SUFFIX = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".jsonld": "jsonld", ".json": "jsonld"}


def _rdf_format(name: str):
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
               "jsonld": ox.RdfFormat.JSON_LD}
    if name not in formats:
        raise typer.BadParameter(f"unknown format {name!r} (turtle, trig, nquads, jsonld)", param_hint="--format")
    return formats[name]


@app.command()
def extract(
    articles: list[str] = typer.Argument(..., help="Article files (text, HTML, WARC, JSON Lines; told apart by content), "
                                                   "http(s) URLs to fetch, '-' reads one article from stdin."),
    output: str = typer.Option(None, "-o", "--output", help="Write RDF here (default: stdout)."),
    format: str = typer.Option(None, "--format", "-f", help="turtle | trig | nquads | jsonld (default: from -o, else turtle)."),
    publisher: str = typer.Option(None, help="The article's publisher (else ARTICLE.meta.json, else unknown)."),
    url: str = typer.Option(None, help="The article's URL."),
    date: str = typer.Option(None, help="The article's publication date."),
    plain: bool = typer.Option(False, "--plain", help="Plain text: no headline, caption or comment layout."),
) -> None:
    """Extract who-said-what from articles into RDF."""
    from kg.output import write_atomically
    from kg.errors import InternalError, during
    from kg.pipeline import extract_robustly
    from kg.rdf import extraction_quads, serialize
    from kg.readers import read_inputs

    fmt = _rdf_format(format or FORMAT_BY_SUFFIX.get(_suffix(output), "turtle"))
    loaded = read_inputs(articles, stdin=sys.stdin.buffer, note=lambda line: print(line, file=sys.stderr),
                         publisher=publisher, url=url, date=date, structured=not plain)
    failures = []

    def failed(article, error) -> None:  # the others are still extracted and written
        failures.append(error)
        report_internal(error, "extracting")

    quads, claims, done = [], 0, 0
    for article, extraction in extract_robustly(loaded, failed):
        for fault in extraction.faults:
            print(f"kg: warning: {fault}", file=sys.stderr)
        try:
            with during("making RDF of", article.identifier):
                quads.extend(extraction_quads(extraction)[1])
        except InternalError as error:
            failed(article, error)
            continue
        claims += len(extraction.claims)
        done += 1
    if done > 1:  # articles given together: the same claim across them is one thread
        from kg.threads import thread_quads_for

        with during("linking threads across", f"{done} articles"):
            quads.extend(thread_quads_for(quads))
    data = serialize(quads, fmt)
    if output:
        write_atomically(output, data)
        print(f"kg: {claims} claims from {done} article(s), {len(quads)} statements -> {output}",
              file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    if failures:
        raise typer.Exit(1)


def _read_rdf(data, store, purpose: str, work):
    """``work(store)`` on an Oxigraph store holding the --data files (in memory), or on the last committed
    state of the on-disk --store (readable while kg ingest writes it)."""
    from kg.store import load_files, open_store, read_store

    if data and store:
        raise typer.BadParameter("give --data or --store, not both")
    if not data and not store:
        raise typer.BadParameter(f"say what to {purpose}: --data FILE... or --store DIR")
    if store:
        return read_store(store, work)
    memory = open_store()
    load_files(memory, list(data))
    if len(data) > 1:  # files given together: link their claims into threads unless they hold threads already
        from kg.threads import add_threads

        add_threads(memory)
    return work(memory)


def _write_block(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _suffix(path: str | None) -> str:
    return Path(path).suffix.lower() if path else ""


@app.command()
def query(
    query: str = typer.Argument(..., help="A built-in query name (who-said-what, memberships, chains, "
                                          "claims-by-organization), a .rq file, or SPARQL text."),
    data: list[str] = typer.Option(None, "--data", "-d", help="RDF files to query (.ttl, .trig, .nq, .jsonld)."),
    store: str = typer.Option(None, "--store", help="An on-disk store directory (kg ingest)."),
    endpoint: str = typer.Option(None, "--endpoint", help="A remote SPARQL endpoint URL (default graph = union)."),
    format: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
    bind: list[str] = typer.Option(None, "--bind", help="Pre-bind a variable: VAR=IRI or VAR=text (repeatable)."),
    columns: str = typer.Option(None, "--columns", help="Only these columns, e.g. claimText,sourceName (the table "
                                                       "of a built-in query shows names and text by default; "
                                                       "csv and json every column)."),
) -> None:
    """Run a SPARQL query (built-in or your own) over RDF files, a store or an endpoint."""
    from kg import query as queries
    from kg.sparql import bind_values

    if format not in ("table", "csv", "json"):
        raise typer.BadParameter(f"unknown format {format!r} (table, csv, json)", param_hint="--format")
    sparql = queries.resolve_query(query)
    bindings = queries.parse_bindings(bind or [])
    chosen = queries.parse_columns(columns)
    # VALUES inside the sub-selects that bind the variable: one speaker's rows without a full scan
    sparql = bind_values(sparql, bindings) if bindings else sparql
    table = format == "table"

    def answer(run):
        """The answer and, for a table of rows, the documents' titles, both from the same source."""
        result = run(sparql)
        titles = {}
        if table and isinstance(result, tuple):
            try:
                titles = queries.document_titles(run)
            except UserError:  # only cosmetic: a server that cannot answer it leaves short document IRIs
                pass
        return result, titles

    if endpoint:
        from kg import remote

        if data or store:
            raise typer.BadParameter("give one of --data, --store or --endpoint")
        target = remote.endpoint(endpoint)
        result, titles = answer(lambda text: remote.query(target, text))
    else:
        result, titles = _read_rdf(data, store, "query", lambda rdf: answer(lambda text: queries.run(rdf, text)))
    # a terminal gets a table as wide as the terminal; a file or a pipe the whole table, nothing cut
    width = shutil.get_terminal_size().columns if table and sys.stdout.isatty() else None
    _write_block(queries.render(result, format, columns=chosen, width=width, titles=titles,
                                default_columns=queries.table_columns(sparql)))


@app.command()
def validate(files: list[str] = typer.Argument(..., help="RDF files to check against the shipped SHACL shapes.")) -> None:
    """Check RDF files against claimgraph's SHACL shapes (with the ontology)."""
    from kg.validate import validate_files

    conforms, report = validate_files(files)
    if conforms:
        print(f"conforms: {len(files)} file(s) match the claimgraph shapes")
        return
    print(report)
    raise UserError("does not conform to the claimgraph shapes (report above)")


# --- corpus commands (store) ---------------------------------------------------------------

@app.command()
def ingest(
    paths: list[str] = typer.Argument(None, help="Article files, folders (recursive: .txt .md .jsonl .html .htm "
                                                 ".warc .warc.gz .nq), JSON Lines corpora (.jsonl: text, title, comments, "
                                                 "publisher, url, date), WARC archives, N-Quads (.nq: document graphs, "
                                                 "e.g. --shards), URLs, or '-' for stdin."),
    store: str = typer.Option(None, "--store", help="Store directory (created if missing)."),
    urls: str = typer.Option(None, "--urls", help="A file of page URLs to fetch, one a line ('#' comments)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="spaCy nlp.pipe batch size."),
    report_every: float = typer.Option(10.0, "--report-every", min=0.0,
                                       help="Seconds between progress lines when stderr is not a terminal."),
    threads: bool = typer.Option(True, "--threads/--no-threads",
                                 help="Link the same claim across documents into threads (index kept in the store)."),
    workers: int = typer.Option(None, "--workers", min=1,
                                help="Extraction processes (default: the number of cores; 1 = in this process). "
                                     "The store is the same for any number."),
    scheduler: str = typer.Option(None, "--scheduler", help="Extract on a Dask cluster: its scheduler, "
                                                            "tcp://HOST:PORT (needs claimgraph's dask extra)."),
    shards: str = typer.Option(None, "--shards", help="With --scheduler, instead of --store: one N-Quads file "
                                                      "per partition in this folder (shared by the workers), "
                                                      "for kg ingest DIR --store or a triple store's bulk loader."),
    partition: int = typer.Option(None, "--partition", min=1, help="With --scheduler: articles per task and "
                                                                   "per shard (default 8)."),
    partition_timeout: float = typer.Option(None, "--partition-timeout", min=0.001,
                                            help="With --scheduler: seconds a partition may take from being sent "
                                                 "out to coming back, retries included (default 600); one not back "
                                                 "by then has its articles named as skipped and its worker "
                                                 "restarted (through its nanny)."),
    compress: bool = typer.Option(False, "--compress", help="With --shards: gzip each shard (part-NNNNNN.nq.gz, "
                                                            "about a twentieth of the size; kg ingest reads them)."),
    article_timeout: float = typer.Option(None, "--article-timeout", min=0.001,
                                          help="Seconds an article may take in a worker process, per 100,000 "
                                               "characters of text, before the workers are ended and the article "
                                               "named as skipped (default 300; given with one worker, it runs that "
                                               "worker in a process of its own)."),
) -> None:
    """Extract a corpus into an on-disk store: one named graph per document, replaced on re-ingest."""
    if scheduler and workers:
        raise typer.BadParameter("give --workers (this machine) or --scheduler (a Dask cluster), not both")
    if (shards or partition or partition_timeout) and not scheduler:
        raise typer.BadParameter("--shards, --partition and --partition-timeout go with --scheduler tcp://HOST:PORT")
    if article_timeout and scheduler:
        raise typer.BadParameter("--article-timeout is for workers on this machine; on a cluster give "
                                 "--partition-timeout")
    if compress and not shards:
        raise typer.BadParameter("--compress goes with --shards DIR")
    if shards and store:
        raise typer.BadParameter("give --store or --shards, not both (load the shards into a store later)")
    if not shards and not store:
        raise typer.BadParameter("say where to: --store DIR (or --shards DIR with --scheduler)")
    paths = list(paths or [])
    if urls:
        from kg.readers.url import read_url_list

        listed, bad_lines = read_url_list(urls)
        paths += listed
        for line, reason in bad_lines:
            print(f"kg: skipped {line}: {reason}", file=sys.stderr)
    if not paths:
        raise typer.BadParameter("give the inputs to ingest: files, folders, URLs, '-' or --urls FILE")
    client = None
    if scheduler:
        from kg import cluster

        client = cluster.connect(scheduler)
    try:
        _ingest_with(paths, store, shards, client, partition, batch_size, report_every, threads, workers,
                     partition_timeout, compress, article_timeout)
    finally:
        if client is not None:
            client.close()


def _ingest_with(paths, store, shards, client, partition, batch_size, report_every, threads, workers,
                 partition_timeout=None, compress=False, article_timeout=None) -> None:
    from kg.ingest import Progress, count_inputs, ingest as run_ingest, summary
    from kg.store import open_store

    if shards:
        from kg import cluster

        result = cluster.shard(paths, shards, client=client, batch_size=batch_size,
                               partition=partition or cluster.PARTITION,
                               seconds=partition_timeout or cluster.PARTITION_SECONDS, compress=compress,
                               progress=Progress(count_inputs(paths), every=report_every))
        print(cluster.shard_summary(result, shards), file=sys.stderr)
        if result.interrupted:
            raise typer.Abort()
        if not result.complete:
            raise typer.Exit(1)
        return
    graph_store = open_store(store)
    linker = None
    if threads:
        from kg.threads import StoreThreads

        linker = StoreThreads(graph_store, store)
        linker.reconcile()  # documents a killed run stored but did not link
    from kg.parallel import default_workers, useful_workers

    total = count_inputs(paths)
    workers = useful_workers(workers or default_workers(), total)
    extract = None
    if client is not None:
        from kg import cluster

        extract = cluster.extractor(client, partition or cluster.PARTITION,
                                    partition_timeout or cluster.PARTITION_SECONDS)
    progress = Progress(total, every=report_every)
    try:
        result = run_ingest(graph_store, paths, batch_size=batch_size, progress=progress, threads=linker,
                            workers=workers, extract=extract, article_seconds=article_timeout)
    finally:
        if linker is not None:
            linker.close()
    graph_store.flush()
    print(summary(result, store), file=sys.stderr)
    if result.failure is not None:
        raise result.failure  # main() reports it in one line, exit code 1
    if result.interrupted:
        raise typer.Abort()  # main() turns it into exit code 130, as for any Ctrl-C
    if not result.complete:
        raise typer.Exit(1)  # something was skipped, or nothing was ingested


@app.command()
def export(
    store: str = typer.Option(..., "--store", help="Store directory (kg ingest)."),
    output: str = typer.Option(..., "-o", "--output", help="File to write."),
    format: str = typer.Option(None, "--format", "-f", help="turtle | trig | nquads (default: from -o)."),
) -> None:
    """Stream a store to Turtle (union of the documents), TriG or N-Quads (one graph per document)."""
    from kg.export import export_format, export_store
    from kg.store import read_store

    name = format or {".ttl": "turtle", ".trig": "trig", ".nq": "nquads"}.get(_suffix(output), "trig")
    rdf_format = export_format(name)
    size = read_store(store, lambda graphs: export_store(graphs, output, rdf_format))
    print(f"kg: exported {store} as {name} -> {output} ({size:,} bytes)", file=sys.stderr)


@app.command()
def push(
    store: str = typer.Option(..., "--store", help="Store directory (kg ingest)."),
    endpoint: str = typer.Option(..., "--endpoint", help="The server's SPARQL query URL, e.g. "
                                                         "http://host:7878/query or http://host:8890/sparql."),
    update_url: str = typer.Option(None, "--update-url", help="SPARQL Update URL (default: guessed from --endpoint)."),
    graph_store_url: str = typer.Option(None, "--graph-store-url", help="Graph Store Protocol URL (default: guessed)."),
) -> None:
    """Copy every document graph to a SPARQL 1.1 server, replacing graphs of the same name."""
    from kg import remote
    from kg.store import read_store

    target = remote.endpoint(endpoint, update=update_url, graph_store=graph_store_url)
    result = read_store(store, lambda graphs: remote.push(graphs, target))
    print(f"kg: pushed {result.graphs} graph(s), {result.statements} statements to {endpoint} via {result.method}",
          file=sys.stderr)


# --- graph and stats commands (viewer) ---

def _projected_graph(data: Optional[List[Path]], store_dir: Optional[Path]):
    """The networkx projection of --data files (loaded into memory) or of the on-disk --store."""
    from kg import projection

    return _read_rdf(data, store_dir, "draw", projection.project)


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
    thread: Optional[str] = typer.Option(None, "--thread", help="Draw one claim thread in time order (its IRI, or "
                                                                "the 16 hex digits that end it; `kg stats` lists them)."),
) -> None:
    """Write the interactive attribution-chain graph as one offline HTML file."""
    from kg import projection, viz

    full = _projected_graph(data, store_dir)
    thread_iri = projection.find_thread(full, thread) if thread else None
    shown = projection.filter_graph(full, speaker=speaker, organization=organization, document=document,
                                    claim=claim, max_nodes=max_nodes, thread=thread_iri)
    note = ""
    if thread_iri:
        note = f"Thread: {full.graph['threads'][thread_iri]['label']}"
    elif shown.number_of_nodes() < full.number_of_nodes():
        note = f"Showing {shown.number_of_nodes()} of {full.number_of_nodes()} nodes (filtered)."
    size = viz.write_html(shown, output, note=note, thread=thread_iri)
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
    """Most quoted sources, outlets that relay most, longest chains, most disputed claims, threads carried by the
    most outlets."""
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
    if result["threads_by_outlets"]:  # data without threads prints what it printed before threads existed
        lines += ["", "Threads carried by the most outlets (outlets, documents, first date):"]
        lines += [f"  {t['outlets']:5d} {t['documents']:5d}  {t['first_date'] or 'undated':10}  {clip(t['label'], 70)}"
                  f"\n{'':25}{t['thread']}" for t in result["threads_by_outlets"]]
    return "\n".join(lines)
