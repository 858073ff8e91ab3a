"""Batch ingest: article files, folders, JSON Lines corpora and stdin -> one named graph per document in a store."""
from __future__ import annotations

import itertools
import json
import queue
import signal
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.article import MAX_BYTES, Article, article_from_text, decode, read_article
from kg.errors import UserError
from kg.store import replace_document, statement_count

ARTICLE_SUFFIXES = {".txt", ".text", ".md"}
CORPUS_SUFFIXES = {".jsonl", ".ndjson"}
STDIN = "-"


@dataclass(frozen=True)
class Skipped:
    """An input item that was reported and left out (bad file, broken line, extractor failure)."""

    name: str
    reason: str


@dataclass
class IngestResult:
    articles: int = 0
    claims: int = 0
    statements: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    store_statements: int = 0

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


# ---------------------------------------------------------------- sources

def expand_paths(paths: Iterable[str]) -> Iterator[str | Path]:
    """Command-line paths -> input files (folders recursively, sorted) and '-' for stdin."""
    for name in paths:
        if name == STDIN:
            yield STDIN
            continue
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _is_input_file(p, path))
        else:
            yield path  # a missing file is reported by read_items, in order


def _is_input_file(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).parts
    if any(part.startswith(".") for part in relative) or not path.is_file():
        return False
    if path.name.endswith(".meta.json"):  # an article's metadata sidecar, read with the article
        return False
    return path.suffix.lower() in ARTICLE_SUFFIXES | CORPUS_SUFFIXES


def read_items(paths: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[Article | Skipped]:
    """Articles from every input, in order; bad inputs come out as Skipped instead of stopping the run."""
    for path in expand_paths(paths):
        if path == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer)
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            yield from _read_corpus_file(path)
        else:
            yield _read_article_file(path)


def _read_article_file(path: Path) -> Article | Skipped:
    try:
        return read_article(path)
    except UserError as error:
        return Skipped(str(path), _strip_name(str(error), str(path)))


def _read_corpus_file(path: Path) -> Iterator[Article | Skipped]:
    try:
        stream = path.open("rb")
    except OSError as error:
        yield Skipped(str(path), error.strerror or str(error))
        return
    with stream:
        yield from corpus_items(stream, str(path))


def _read_stdin(stream: BinaryIO) -> Iterator[Article | Skipped]:
    """stdin holds either a JSON Lines corpus (first line is a JSON object) or one article."""
    first = stream.readline()
    if _is_json_object_line(first):
        yield from corpus_items(itertools.chain([first], stream), "<stdin>")
        return
    try:
        text, warnings = decode(first + stream.read(), "<stdin>")
        yield _with_warnings(article_from_text(text, identifier="stdin"), warnings)
    except UserError as error:
        yield Skipped("<stdin>", _strip_name(str(error), "<stdin>"))


def _is_json_object_line(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def corpus_items(lines: Iterable[bytes], source: str) -> Iterator[Article | Skipped]:
    """A JSON Lines corpus: one article object per line; broken lines are skipped, not fatal."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        name = f"{source}:{number}"
        try:
            yield article_from_record(_parse_line(line, name), name)
        except UserError as error:
            yield Skipped(name, _strip_name(str(error), name))


def _parse_line(line: bytes, name: str) -> dict:
    if len(line) > MAX_BYTES:
        raise UserError(f"{name}: {len(line):,} bytes is larger than the {MAX_BYTES:,}-byte limit for one article")
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{name}: not UTF-8 text") from None
    except ValueError as error:
        raise UserError(f"{name}: not valid JSON ({error.args[0] if error.args else error})") from None
    if not isinstance(record, dict):
        raise UserError(f"{name}: expected a JSON object with a \"text\" field")
    return record


def article_from_record(record: dict, name: str) -> Article:
    """One corpus record: text, optional title, comments, publisher, url, date (PolNeAR's field names too)."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UserError(f"{name}: no \"text\" (a non-empty string)")
    if "\x00" in text:
        raise UserError(f"{name}: binary data in \"text\" (NUL characters)")
    title = _optional_str(record, "title")
    identifier = _optional_str(record, "id") or _optional_str(record, "doc_id") or name
    layout, title_span = compose_text(title, text, _comments(record.get("comments"), name))
    article = article_from_text(layout, identifier=identifier, publisher=_optional_str(record, "publisher"),
                                url=_optional_str(record, "url"),
                                date=_optional_str(record, "date") or _optional_str(record, "publication_date"))
    return _with_title(article, title_span)


def _optional_str(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _comments(value, name: str) -> list[tuple[str, str]]:
    """Comments as (author, text): a list of {"author", "text"} objects or of plain strings."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise UserError(f"{name}: \"comments\" must be a list")
    comments = []
    for number, comment in enumerate(value, start=1):
        if isinstance(comment, str):
            author, text = f"Commenter {number}", comment
        elif isinstance(comment, dict) and isinstance(comment.get("text"), str):
            author, text = str(comment.get("author") or f"Commenter {number}"), comment["text"]
        else:
            raise UserError(f"{name}: comment {number} is neither a string nor an object with \"text\"")
        if text.strip():
            comments.append((" ".join(author.split()), text.strip()))
    return comments


def compose_text(title: str | None, body: str, comments: list[tuple[str, str]]) -> tuple[str, tuple[int, int] | None]:
    """The record laid out as an article file (headline, body, bulleted comments), so that corpus
    articles and file articles go through the same layout reader; returns the text and the title's span."""
    title = " ".join(title.split()) if title else None
    parts, title_span = [], None
    if title and not body.lstrip().startswith(title):
        parts.append(title)
        title_span = (0, len(title))
    elif title:
        start = len(body) - len(body.lstrip())
        title_span = (start, start + len(title))
    parts.append(body.strip("\n") if parts else body.rstrip("\n"))
    from kg.article import comment_block

    for author, text in comments:
        parts.append(comment_block(author, text))  # every line indented: no comment text reads as a header
    return "\n\n".join(parts) + "\n", title_span


def _with_title(article: Article, title_span: tuple[int, int] | None) -> Article:
    """Trust the record's title over the layout guess when the guess kept it as the first paragraph."""
    if title_span is None or article.title is not None or not article.paragraphs:
        return article
    first = article.paragraphs[0]
    if (first.start, first.end) != title_span:
        return article
    return replace(article, title=first, paragraphs=article.paragraphs[1:])


def _with_warnings(article: Article, warnings: tuple[str, ...]) -> Article:
    return replace(article, warnings=article.warnings + warnings) if warnings else article


def _strip_name(message: str, name: str) -> str:
    """UserErrors start with the input's name; the report adds it once."""
    return message[len(name) + 2:] if message.startswith(name + ": ") else message


# ---------------------------------------------------------------- extraction

def extract_robustly(articles: Iterator[Article], on_failure: Callable[[Article, Exception], None],
                     batch_size: int = 16) -> Iterator[tuple[Article, object]]:
    """(article, Extraction) pairs in input order; an article the extractor fails on is reported and
    skipped, and the stream restarts after it, so one bad article never stops a corpus run."""
    from kg.pipeline import extract_articles

    fed: deque[Article] = deque()

    def feed(source: Iterator[Article]) -> Iterator[Article]:
        for article in source:
            fed.append(article)
            yield article

    source = iter(articles)
    while True:
        try:
            for extraction in extract_articles(feed(source), batch_size=batch_size):
                yield fed.popleft(), extraction
            return
        except Exception as error:  # noqa: BLE001 -- an extractor bug on one article must not lose the corpus
            if not fed:
                raise
            # extraction runs in input order, so the oldest article not yet yielded is the one that failed
            on_failure(fed.popleft(), error)
            source = itertools.chain(list(fed), source)
            fed.clear()


# ---------------------------------------------------------------- identity across documents

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABELS = (ox.NamedNode("http://schema.org/name"), ox.NamedNode("http://schema.org/alternateName"))
CLAIMKG = "https://w3id.org/claimkg#"
GLOBAL_KINDS = tuple(ox.NamedNode(CLAIMKG + kind) for kind in ("Person", "Organization", "MediaOutlet"))
GLOBAL_PREFIXES = ("https://w3id.org/claimkg/id/person/", "https://w3id.org/claimkg/id/org/")


def label_key(label: str) -> str:
    """Names compared across documents: case, accents, apostrophes and punctuation do not count."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", label)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch) and ch not in "'’‘`´")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain.casefold()).split())


class Identities:
    """One node per person or organisation across the corpus.

    The extractor already gives one IRI per normalised name; what it cannot see from one article is
    that "SOHR" in a later article is the "Syrian Observatory for Human Rights (SOHR)" of an earlier
    one. So a named node new to the store whose name or alias is already a name or alias of a stored
    node of the same kind takes that node's IRI. Unnamed sources and commenters are scoped IRIs and
    are never merged. The first name stored wins, so the result depends on ingest order.
    """

    def __init__(self, store: ox.Store):
        self.by_label: dict[tuple[str, str], ox.NamedNode] = {}
        self.known: set[ox.NamedNode] = set()
        for kind in GLOBAL_KINDS:
            for quad in store.quads_for_pattern(None, RDF_TYPE, kind, None):
                if _is_global(quad.subject):
                    self.known.add(quad.subject)
        for node in sorted(self.known, key=lambda n: n.value):
            self._register(node, self._stored_labels(store, node), self._stored_kinds(store, node))

    def canonical(self, quads: list[ox.Quad]) -> list[ox.Quad]:
        """The document's quads with its named nodes renamed to the corpus's node for the same name."""
        kinds: dict[ox.NamedNode, set[str]] = {}
        labels: dict[ox.NamedNode, set[str]] = {}
        for quad in quads:
            if quad.predicate == RDF_TYPE and quad.object in GLOBAL_KINDS and _is_global(quad.subject):
                kinds.setdefault(quad.subject, set()).add(quad.object.value)
            elif quad.predicate in LABELS and isinstance(quad.object, ox.Literal):
                labels.setdefault(quad.subject, set()).add(quad.object.value)
        renamed = {}
        for node, node_kinds in kinds.items():
            if node in self.known:
                continue
            for kind in sorted(node_kinds):
                match = next((self.by_label[(kind, key)] for key in sorted(map(label_key, labels.get(node, ())))
                              if (kind, key) in self.by_label), None)
                if match is not None and match != node:
                    renamed[node] = match
                    break
        for node, node_kinds in kinds.items():
            final = renamed.get(node, node)
            self.known.add(final)
            self._register(final, labels.get(node, set()), node_kinds)
        if not renamed:
            return quads
        return [ox.Quad(renamed.get(q.subject, q.subject), q.predicate, renamed.get(q.object, q.object), q.graph_name)
                if q.subject in renamed or q.object in renamed else q for q in quads]

    def _register(self, node: ox.NamedNode, labels, kinds) -> None:
        for kind in kinds:
            for label in labels:
                self.by_label.setdefault((kind, label_key(label)), node)

    @staticmethod
    def _stored_labels(store: ox.Store, node: ox.NamedNode) -> set[str]:
        return {q.object.value for predicate in LABELS for q in store.quads_for_pattern(node, predicate, None, None)}

    @staticmethod
    def _stored_kinds(store: ox.Store, node: ox.NamedNode) -> set[str]:
        return {q.object.value for q in store.quads_for_pattern(node, RDF_TYPE, None, None) if q.object in GLOBAL_KINDS}


def _is_global(node) -> bool:
    return (isinstance(node, ox.NamedNode) and node.value.startswith(GLOBAL_PREFIXES)
            and "/publisher-of-" not in node.value)


# ---------------------------------------------------------------- writing

class StoreWriter:
    """Writes documents from a background thread: Oxigraph releases the GIL while it commits, so the
    store work overlaps spaCy instead of adding to it. The queue is bounded to keep memory flat."""

    # Oxigraph keeps what it writes in memory until it flushes, about 1 KB per quad here: unflushed,
    # RSS grew by 0.45 GB per 400k quads and kept growing past 1 GB. Flushing every 50k quads kept it
    # flat (+80 MB) and made the writes no slower in total (418k quads: 7.2 s unflushed, 6.8 s with
    # the flushes), since RocksDB then works on small memtables.
    FLUSH_EVERY = 50_000

    def __init__(self, store: ox.Store, depth: int = 32):
        self.store = store
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.written = 0
        self.unflushed = 0
        self.thread = threading.Thread(target=self._run, name="kg-store-writer", daemon=True)
        self.thread.start()

    def put(self, document: ox.NamedNode, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        if self.error is not None:
            raise UserError(f"cannot write to the store: {self.error}")
        self.queue.put((document, graph, quads))

    def close(self) -> None:
        """Write what is queued (each document is one transaction), then stop."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise UserError(f"cannot write to the store: {self.error}")

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    replace_document(self.store, *item)
                    self.written += 1
                    self.unflushed += len(item[2])
                    if self.unflushed >= self.FLUSH_EVERY:
                        self.store.flush()
                        self.unflushed = 0
                except (OSError, ValueError, SyntaxError) as error:
                    self.error = error


# ---------------------------------------------------------------- the run

class Progress:
    """Articles done, articles/s and skips on stderr: a live bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int | None, stream=None, every: float = 10.0):
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.every = every  # seconds between plain progress lines (logs, CI)
        self.last_line = self.started
        self.total = total
        self.bar = None
        if self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            self.bar = Bar(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.fields[rate]:.1f} articles/s"), TimeElapsedColumn(),
                           console=Console(file=self.stream), transient=True)
            self.task = self.bar.add_task("ingest", total=total, rate=0.0)
            self.bar.start()

    def advance(self, done: int, stored: int) -> None:
        now = time.monotonic()
        rate = done / max(now - self.started, 1e-9)
        if self.bar is not None:
            self.bar.update(self.task, completed=done, rate=rate)
        elif now - self.last_line >= self.every:
            self.last_line = now
            of = f"/{self.total}" if self.total else ""
            print(f"kg: ingest: {done}{of} articles extracted, {stored} stored, {rate:.1f} articles/s",
                  file=self.stream, flush=True)

    def note(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def count_inputs(paths: list[str]) -> int | None:
    """How many articles to expect (for the bar), or None when stdin makes it unknowable up front."""
    total = 0
    for path in expand_paths(paths):
        if path == STDIN:
            return None
        if path.suffix.lower() in CORPUS_SUFFIXES:
            try:
                with path.open("rb") as stream:
                    total += sum(1 for line in stream if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


@contextmanager
def ctrl_c_stops():
    """Within the block, Ctrl-C sets the yielded Event instead of raising KeyboardInterrupt at an arbitrary
    bytecode: one raised inside ``with lock:`` of the writer's queue can leave the lock held and hang the
    run (CPython cannot make that atomic). A second Ctrl-C interrupts at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop  # signals reach the main thread only
        return
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum, frame):
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def ingest(store: ox.Store, paths: list[str], *, batch_size: int = 16, progress: Progress | None = None,
           stdin: BinaryIO | None = None) -> IngestResult:
    """Extract every input article and store each as its own named graph (replacing earlier versions)."""
    from kg.rdf import document_iri, extraction_quads

    result = IngestResult()
    progress = progress or Progress(None)
    started = time.monotonic()

    def skip(name: str, reason: str) -> None:
        result.skipped.append(Skipped(name, reason))
        progress.note(f"kg: skipped {name}: {reason}")

    def articles() -> Iterator[Article]:
        for item in read_items(paths, stdin=stdin):
            if isinstance(item, Skipped):
                skip(item.name, item.reason)
                continue
            for warning in item.warnings:
                progress.note(f"kg: warning: {warning}")
            yield item

    def extractor_failed(article: Article, error: Exception) -> None:
        skip(article.identifier, f"extraction failed ({type(error).__name__}: {_first_line(error)})")

    identities = Identities(store)
    writer = StoreWriter(store)
    try:
        with ctrl_c_stops() as stop:
            for article, extraction in extract_robustly(articles(), extractor_failed, batch_size=batch_size):
                if stop.is_set():
                    result.interrupted = True
                    break
                try:
                    graph, quads = extraction_quads(extraction)
                except ValueError as error:
                    extractor_failed(article, error)
                    continue
                writer.put(document_iri(extraction.doc_id), graph, identities.canonical(quads))
                result.articles += 1
                result.claims += len(extraction.claims)
                result.statements += len(quads)
                progress.advance(result.articles, writer.written)
    except KeyboardInterrupt:  # a second Ctrl-C: stop at once, still writing what is queued
        result.interrupted = True
    finally:
        try:
            writer.close()  # documents already extracted are written whole; each is one transaction
        finally:
            progress.stop()
    result.seconds = time.monotonic() - started
    result.store_statements = statement_count(store)
    return result


def summary(result: IngestResult, store_path: str) -> str:
    """The one-paragraph report printed at the end of a run."""
    head = "interrupted: " if result.interrupted else ""
    lines = [f"kg: {head}{result.articles} article(s) ingested into {store_path} in {result.seconds:.1f} s "
             f"({result.rate:.1f} articles/s): {result.claims} claims, {result.statements} statements"]
    if result.skipped:
        lines.append(f"kg: {len(result.skipped)} input(s) skipped (reasons above)")
    if result.interrupted:
        lines.append("kg: every stored document is complete; run the same command again to finish")
    lines.append(f"kg: the store now holds {result.store_statements} statements")
    return "\n".join(lines)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
