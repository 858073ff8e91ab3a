"""Batch ingest: article files, folders, JSON Lines corpora, N-Quads shards and stdin -> one named graph per document in a store."""
from __future__ import annotations

import gzip
import itertools
import json
import os
import queue
import re
import signal
import sys
import threading
import time
import zlib
from contextlib import contextmanager
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.article import MAX_BYTES, Article, article_from_text
from kg.errors import READING, InternalError, UserError, during, skip_reason, without_name
from kg.readers import is_archive, is_web_input
from kg.readers.html import UnreadPage
from kg.readers.url import is_url
from kg.store import replace_document, statement_count

ARTICLE_SUFFIXES = {".txt", ".text", ".md"}
CORPUS_SUFFIXES = {".jsonl", ".ndjson"}
GRAPH_SUFFIXES = (".nq", ".nq.gz")  # document graphs already extracted: kg ingest --shards, kg export -f nquads
STDIN = "-"


def is_graph_file(path: Path) -> bool:
    """N-Quads of document graphs, plain or gzipped (kg ingest --shards --compress)."""
    return path.name.lower().endswith(GRAPH_SUFFIXES)


@dataclass(frozen=True)
class Skipped:
    """An input item that was reported and left out (bad file, broken line, extractor failure)."""

    name: str
    reason: str


@dataclass(frozen=True)
class StoredGraph:
    """A document's graph read from an N-Quads file: stored as it is, without extracting it again."""

    name: str  # for reports: the file and the graph
    document: ox.NamedNode
    graph: ox.NamedNode
    quads: list[ox.Quad]
    claims: int


@dataclass
class IngestResult:
    articles: int = 0  # stored, each whole
    claims: int = 0
    statements: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    store_statements: int = 0
    unstored: int = 0  # extracted, but not stored because the store writer stopped
    failure: UserError | InternalError | None = None  # what stopped the run before its end

    @property
    def complete(self) -> bool:
        """Every input was stored: nothing skipped, nothing left unwritten, and something was there."""
        return self.articles > 0 and not self.skipped and not self.unstored and self.failure is None \
            and not self.interrupted

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


# ---------------------------------------------------------------- sources

def expand_paths(paths: Iterable[str]) -> Iterator[str | Path | Skipped]:
    """Command-line paths -> input files (folders recursively, sorted by name), '-' for stdin, and a Skipped
    for each folder that cannot be listed (reported, never passed over in silence)."""
    seen: set[tuple[int, int]] = set()  # folders already walked: a link back to one is not walked again
    for name in paths:
        if name == STDIN or is_url(name):
            yield name
            continue
        path = Path(name)
        if _is_dir(path):
            yield from _walk(path, seen)
        else:
            yield path  # a missing or unreadable file is reported by read_items, in order


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path | Skipped]:
    """The article and corpus files under ``folder`` in name order, following links to folders once."""
    try:
        status = folder.stat()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield Skipped(str(folder), f"cannot read this folder ({os_reason(error)})")
        return
    if (status.st_dev, status.st_ino) in seen:
        return
    seen.add((status.st_dev, status.st_ino))
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if _is_dir(path):
            yield from _walk(path, seen)
        elif _is_input_name(path):
            yield path  # read_items reports one that is not a readable regular file under its own name


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # e.g. a link that loops: not a folder; reading it reports why
        return False


def _is_input_name(path: Path) -> bool:
    if path.name.endswith(".meta.json"):  # an article's metadata sidecar, read with the article
        return False
    return path.suffix.lower() in ARTICLE_SUFFIXES | CORPUS_SUFFIXES or is_graph_file(path) or is_web_input(path)


def os_reason(error: OSError) -> str:
    """"Permission denied": the system's words for an OSError, without the path (the report names it)."""
    return error.strerror or str(error)


def read_items(paths: Iterable[str], stdin: BinaryIO | None = None,
               defer_pages: bool = False) -> Iterator[Article | UnreadPage | StoredGraph | Skipped]:
    """Articles (and the document graphs of N-Quads files) from every input, in order; bad inputs come out as
    Skipped instead of stopping the run. With ``defer_pages``, the HTML pages of files and archives come out
    unread, to be read where they are extracted (worker processes, a cluster)."""
    for path in expand_paths(paths):
        if isinstance(path, Skipped):
            yield path
        elif path == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer)
        elif isinstance(path, str):
            yield from _read_url(path)
        elif path.suffix.lower() in CORPUS_SUFFIXES and not _is_dir(path):
            yield from _read_corpus_file(path)
        elif is_graph_file(path) and not _is_dir(path):
            yield from _read_graph_file(path)
        else:
            yield from _read_article_file(path, defer_pages)


def _read_article_file(path: Path, defer_pages: bool = False) -> Iterator[Article | UnreadPage | Skipped]:
    """A text article, an HTML page or a WARC archive's pages (kg.readers tells them apart by content)."""
    from kg.readers import items_from_path

    yield from _guarded(lambda: items_from_path(path, defer_pages=defer_pages), READING, str(path))


def _read_url(url: str) -> Iterator[Article | Skipped]:
    from kg.readers.url import url_articles

    yield from _guarded(lambda: url_articles(url), "fetching", url)


def _guarded(items: Callable[[], Iterable[Article | Skipped]], step: str, name: str) -> Iterator[Article | Skipped]:
    """The items of one input until it fails; its failure becomes a Skipped under its own name (the pages
    of an archive read before a broken record are kept)."""
    iterator = None
    while True:
        try:
            with during(step, name):
                iterator = iterator or iter(items())
                item = next(iterator, None)
        except UserError as error:
            yield Skipped(name, without_name(str(error), name))
            return
        except InternalError as error:
            yield Skipped(name, skip_reason(error))  # worded as a failure in a worker is (kg.errors.skip_reason)
            return
        if item is None:
            return
        yield item


def _read_corpus_file(path: Path) -> Iterator[Article | Skipped]:
    if not path.exists():
        yield Skipped(str(path), "a link to nothing" if path.is_symlink() else "no such file")
        return
    if not path.is_file():
        yield Skipped(str(path), "not a regular file")  # a FIFO or a device would block or never end
        return
    try:
        stream = path.open("rb")
    except OSError as error:
        yield Skipped(str(path), f"cannot read ({os_reason(error)})")
        return
    lines = _CountedLines(stream)
    with stream:
        try:
            yield from corpus_items(lines, str(path))
        except OSError as error:
            yield Skipped(f"{path}:{lines.number + 1}", f"cannot read the rest of the file ({os_reason(error)})")


CLAIM_CLASS = ox.NamedNode("https://w3id.org/claimkg#Claim")


def _graph_stream(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def _read_graph_file(path: Path) -> Iterator[StoredGraph | Skipped]:
    """The document graphs of an N-Quads file, in the order they first appear. The whole file is parsed
    before any graph is handed out, so a broken file stores nothing. Graphs that are not a document's
    (claim threads of an export: linked again as the documents are stored) and triples outside any
    graph are left out."""
    from kg.store import DCTERMS_SOURCE

    if not path.exists():
        yield Skipped(str(path), "a link to nothing" if path.is_symlink() else "no such file")
        return
    if not path.is_file():
        yield Skipped(str(path), "not a regular file")
        return
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}  # insertion order: the file's order
    try:
        with _graph_stream(path) as stream:
            for quad in ox.parse(input=stream, format=ox.RdfFormat.N_QUADS):
                if isinstance(quad.graph_name, ox.NamedNode):
                    graphs.setdefault(quad.graph_name, []).append(quad)
    except SyntaxError as error:
        yield Skipped(str(path), f"not valid N-Quads ({str(error).splitlines()[0] if str(error) else 'syntax'})")
        return
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:  # a shard cut short, or not gzip at all
        yield Skipped(str(path), f"not a whole gzip file ({error})")
        return
    except OSError as error:
        yield Skipped(str(path), f"cannot read ({os_reason(error)})")
        return
    documents = 0
    for graph, quads in graphs.items():
        document = next((quad.object for quad in quads if quad.subject == graph
                         and quad.predicate == DCTERMS_SOURCE and isinstance(quad.object, ox.NamedNode)), None)
        if document is None:
            continue
        claims = sum(1 for quad in quads if quad.predicate == RDF_TYPE and quad.object == CLAIM_CLASS)
        yield StoredGraph(f"{path} [{graph.value}]", document, graph, quads, claims)
        documents += 1
    if not documents:
        yield Skipped(str(path), "holds no document graph (N-Quads of kg ingest --shards or kg export)")


class _CountedLines:
    """A binary stream's lines, remembering how many were read (to name where a read error struck)."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.number = stream, 0

    def __iter__(self):
        for line in self.stream:
            self.number += 1
            yield line


def _read_stdin(stream: BinaryIO) -> Iterator[Article | Skipped]:
    """stdin holds either a JSON Lines corpus (first line is a JSON object) or one article."""
    first = stream.readline()
    if _is_json_object_line(first):
        yield from corpus_items(itertools.chain([first], stream), "<stdin>")
        return
    from kg.readers import articles_from_bytes

    try:
        yield from articles_from_bytes(first + stream.read(), "<stdin>", identifier="stdin")
    except UserError as error:
        yield Skipped("<stdin>", without_name(str(error), "<stdin>"))


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
            with during("reading", name):
                record, replaced = without_lone_surrogates(_parse_line(line, name))
                article = article_from_record(record, name)
            if replaced:
                article = _with_warnings(article, (
                    f"{name}: {replaced} lone surrogate escape(s) (such as \\ud800) are not characters; "
                    f"replaced with U+FFFD",))
            yield article
        except UserError as error:
            yield Skipped(name, without_name(str(error), name))
        except InternalError as error:
            yield Skipped(name, str(error))


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(value):
    """JSON may escape half of a UTF-16 pair ("\\ud800"): not a character, and no UTF-8 text (nor the
    store) can hold it. Returns the value with each one replaced by U+FFFD and how many there were."""
    if isinstance(value, str):
        cleaned, count = LONE_SURROGATE.subn("\ufffd", value)
        return cleaned, count
    if isinstance(value, dict):
        total, cleaned = 0, {}
        for key, item in value.items():
            key, key_count = without_lone_surrogates(key)
            item, item_count = without_lone_surrogates(item)
            cleaned[key] = item
            total += key_count + item_count
        return cleaned, total
    if isinstance(value, list):
        pairs = [without_lone_surrogates(item) for item in value]
        return [item for item, _ in pairs], sum(count for _, count in pairs)
    return value, 0


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
    store work overlaps spaCy instead of adding to it. The queue is bounded to keep memory flat.

    Each document is one transaction, so it is in the store whole or not at all. Once a write fails the
    writer writes nothing more but keeps taking what is queued, so the producer never waits on a full
    queue; ``put`` then raises WriterStopped and ``failure`` says what went wrong.
    """

    # Oxigraph keeps what it writes in memory until it flushes, about 1 KB per quad here: unflushed,
    # RSS grew by 0.45 GB per 400k quads and kept growing past 1 GB. Flushing every 50k quads kept it
    # flat (+80 MB) and made the writes no slower in total (418k quads: 7.2 s unflushed, 6.8 s with
    # the flushes), since RocksDB then works on small memtables.
    FLUSH_EVERY = 50_000
    POLL_SECONDS = 0.5  # how often a producer waiting on a full queue checks that the writer still runs

    def __init__(self, store: ox.Store, depth: int = 32, after_write: Callable | None = None):
        self.store = store
        self.after_write = after_write  # e.g. link the document's claims into threads (kg.threads)
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.failure: UserError | InternalError | None = None
        self.written = 0  # documents
        self.claims = 0
        self.statements = 0
        self.unflushed = 0
        self.thread = threading.Thread(target=self._run, name="kg-store-writer", daemon=True)
        self.thread.start()

    def put(self, name: str, document: ox.NamedNode, graph: ox.NamedNode, quads: list[ox.Quad],
            claims: int = 0) -> None:
        """Queue one document (``name`` is the input's, for reports)."""
        item = (name, document, graph, quads, claims)
        while True:
            self._check()
            try:
                self.queue.put(item, timeout=self.POLL_SECONDS)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """Write what is queued (unless a write failed), then stop the thread."""
        while self.thread.is_alive():
            try:
                self.queue.put(None, timeout=self.POLL_SECONDS)
                break
            except queue.Full:
                continue
        self.thread.join()
        if self.failure is None and self.unflushed:
            with during("storing"):
                self.store.flush()

    def _check(self) -> None:
        if self.failure is not None:
            raise WriterStopped(self.failure)
        if not self.thread.is_alive():
            raise WriterStopped(InternalError("storing", None, RuntimeError("the store writer thread stopped")))

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.failure is not None:
                continue  # drain, so that no producer waits forever
            name, document, graph, quads, claims = item
            try:
                replace_document(self.store, document, graph, quads)
                if self.after_write is not None:  # e.g. link the document's claims into threads
                    self.after_write(document, graph)
                self.written += 1
                self.claims += claims
                self.statements += len(quads)
                self.unflushed += len(quads)
                if self.unflushed >= self.FLUSH_EVERY:
                    self.store.flush()
                    self.unflushed = 0
            except OSError as error:  # the disk, not the data: full, read-only, gone
                self.failure = UserError(f"cannot write to the store while storing {name}: {os_reason(error)}")
            except BaseException as error:  # noqa: BLE001 -- a bug: reported by the producer, never lost
                self.failure = InternalError("storing", name, error)
                self.failure.__cause__ = error


class WriterStopped(Exception):
    """The store writer failed; ``failure`` says how (a UserError or an InternalError)."""

    def __init__(self, failure: UserError | InternalError):
        super().__init__(str(failure))
        self.failure = failure


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
        if isinstance(path, Skipped):
            continue
        if path == STDIN or (isinstance(path, Path) and (is_archive(path) or is_graph_file(path))):
            return None  # unknowable up front: stdin, how many pages an archive or graphs an N-Quads file holds
        if isinstance(path, str):  # a URL
            total += 1
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            try:
                with path.open("rb") as stream:
                    total += sum(1 for line in stream if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def skipped_name(article: Article | UnreadPage, error: InternalError) -> str:
    """How a skipped article is named: by its identifier, except a page read in a worker that holds no article,
    named as reading it here would have named it (its file, or "ARCHIVE [URL]")."""
    return article.name if isinstance(article, UnreadPage) and error.step == READING else article.identifier


@contextmanager
def ctrl_c_stops(stop: threading.Event):
    """Within the block, Ctrl-C sets ``stop`` instead of raising KeyboardInterrupt at an arbitrary
    bytecode: one raised inside ``with lock:`` of the writer's queue can leave the lock held and hang the
    run (CPython cannot make that atomic). A second Ctrl-C interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum, frame):
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def ingest(store: ox.Store, paths: list[str], *, batch_size: int = 16, progress: Progress | None = None,
           stdin: BinaryIO | None = None, threads=None, workers: int = 1, extract: Callable | None = None,
           article_seconds: float | None = None) -> IngestResult:
    """Extract every input article and store each as its own named graph (replacing earlier versions);
    with ``threads`` (kg.threads.StoreThreads), each stored document's claims are linked into threads.
    With ``workers`` > 1 the extraction runs in that many processes (kg.parallel), where an article may take
    ``article_seconds`` per 100,000 characters (default kg.parallel.ARTICLE_SECONDS; given, it runs even one
    worker in a process of its own, the only way to stop one that takes too long; in this process nothing
    stops it); ``extract`` replaces
    it (called like kg.pipeline.extract_robustly with ``stop``, e.g. kg.cluster's, on a Dask cluster; as the
    extraction then runs elsewhere, it is given HTML pages unread, kg.readers.html.UnreadPage). The RDF, the
    names across documents and the store writes stay here, in input order, so the store is the same.
    The document graphs of N-Quads files are stored as they are, through the same names and writer.

    A bad input, or an article the extractor fails on, is reported and skipped; a store that cannot be
    written stops the run, which returns with ``failure`` set (every stored document is whole).
    """
    from kg.rdf import document_iri, extraction_quads

    result = IngestResult()
    progress = progress or Progress(None)
    started = time.monotonic()
    extracted = 0

    def skip(name: str, reason: str) -> None:
        result.skipped.append(Skipped(name, reason))
        progress.note(f"kg: skipped {name}: {reason}")

    def items() -> Iterator[Article | UnreadPage | StoredGraph]:
        for item in read_items(paths, stdin=stdin, defer_pages=elsewhere):
            if isinstance(item, Skipped):
                skip(item.name, item.reason)
                continue
            for warning in getattr(item, "warnings", ()):
                progress.note(f"kg: warning: {warning}")
            yield item

    def failed(article: Article | UnreadPage, error: InternalError) -> None:
        for warning in error.warnings:  # a page read in a worker: what reading it said
            progress.note(f"kg: warning: {warning}")
        skip(skipped_name(article, error), skip_reason(error))

    if extract is None and (workers > 1 or article_seconds is not None):
        from kg.parallel import ARTICLE_SECONDS, extract_in_workers

        def extract(articles, on_failure, batch_size, stop):
            return extract_in_workers(articles, on_failure, workers=workers, batch_size=batch_size,
                                      article_seconds=article_seconds or ARTICLE_SECONDS, stop=stop)
    # with the extraction in other processes, pages are read there too (items() reads this when it runs):
    # reading one costs a quarter of its extraction, which this process would otherwise spend for every worker
    elsewhere = extract is not None
    if extract is None:
        # imported only here: spaCy costs this process 0.6 s of CPU to import, which its workers or a cluster
        # would take from the extraction, and a cluster's client need not have it at all
        from kg.pipeline import extract_robustly as extract

    def produced() -> Iterator[tuple[Article, object] | StoredGraph]:
        """(article, Extraction) pairs and stored graphs, in input order: each run of articles goes through
        the extractor (no worker starts for a run of graphs only)."""
        for is_graph, run in itertools.groupby(items(), key=lambda item: isinstance(item, StoredGraph)):
            if stop.is_set():
                return  # stopped: no further input is read, no further worker started
            if is_graph:
                yield from run
                continue
            pairs = extract(run, failed, batch_size=batch_size, stop=stop)
            try:
                yield from pairs
            finally:
                pairs.close()  # worker processes end now, not when garbage collected
            if stop.is_set():
                return  # before groupby reads the rest of this run to find the next one

    identities = Identities(store)
    writer = StoreWriter(store, after_write=threads.document_written if threads is not None else None)
    extracted_pairs = None
    stop = threading.Event()  # set by Ctrl-C: the run stops after the document being written
    try:
        with ctrl_c_stops(stop):
            extracted_pairs = produced()
            for item in extracted_pairs:
                if stop.is_set():
                    result.interrupted = True
                    break
                if isinstance(item, StoredGraph):
                    try:
                        with during("storing", item.name):
                            quads = identities.canonical(item.quads)
                    except InternalError as error:
                        skip(item.name, skip_reason(error))
                        continue
                    writer.put(item.name, item.document, item.graph, quads, claims=item.claims)
                    extracted += 1
                    progress.advance(extracted, writer.written)
                    continue
                article, extraction = item
                # a page read where it was extracted has its reader's warnings said now
                warnings = extraction.warnings if isinstance(article, UnreadPage) else ()
                for fault in (*warnings, *extraction.faults):
                    progress.note(f"kg: warning: {fault}")
                try:
                    with during("making RDF of", article.identifier):
                        graph, quads = extraction_quads(extraction)
                        quads = identities.canonical(quads)
                except InternalError as error:
                    failed(article, error)
                    continue
                writer.put(article.identifier, document_iri(extraction.doc_id), graph, quads,
                           claims=len(extraction.claims))
                extracted += 1
                progress.advance(extracted, writer.written)
            # an extractor waiting for its workers ends its stream early when stopped
            result.interrupted = result.interrupted or stop.is_set()
    except KeyboardInterrupt:  # a second Ctrl-C: stop at once, still writing what is queued
        result.interrupted = True
    except WriterStopped:
        pass  # reported below from writer.failure, after the summary of what was stored
    finally:
        try:
            if extracted_pairs is not None:
                extracted_pairs.close()  # worker processes end now, not when garbage collected
            writer.close()  # documents already extracted are written whole; each is one transaction
        finally:
            progress.stop()
    result.failure = writer.failure
    result.articles, result.claims, result.statements = writer.written, writer.claims, writer.statements
    result.unstored = extracted - writer.written
    result.seconds = time.monotonic() - started
    result.store_statements = statement_count(store)
    return result


# the kinds of reasons an input is skipped for, in the order the summary lists them
REASON_GROUPS = (
    ("internal error", "internal error (a bug; --debug shows the traceback)"),
    ("did not finish within", "took too long (--article-timeout)"),
    ("did not come back from the cluster within", "took too long (--partition-timeout)"),
    ("cannot read", "unreadable"),
    ("no such file", "missing"),
    ("a link to nothing", "missing"),
    ("not a regular file", "not a regular file"),
    ("larger than", "too large"),
    ("not valid JSON", "bad JSON Lines record"),
    ("JSON object", "bad JSON Lines record"),
    ("comment", "bad JSON Lines record"),
    ("no \"text\"", "no text"),
    ("empty", "no text"),
    ("binary", "not text (binary)"),
    ("UTF-8", "not text (unknown encoding)"),
)


def reason_group(reason: str) -> str:
    """The kind of a skip reason, for the summary ("unreadable", "too large", ...)."""
    return next((group for marker, group in REASON_GROUPS if marker in reason), reason.split(" (")[0])


def summary(result: IngestResult, store_path: str) -> str:
    """The one-paragraph report printed at the end of a run: what was stored, what was skipped and why."""
    head = "interrupted: " if result.interrupted else ""
    lines = [f"kg: {head}{result.articles} article(s) ingested into {store_path} in {result.seconds:.1f} s "
             f"({result.rate:.1f} articles/s): {result.claims} claims, {result.statements} statements"]
    if result.skipped:
        counts: dict[str, int] = {}
        for item in result.skipped:
            group = reason_group(item.reason)
            counts[group] = counts.get(group, 0) + 1
        order = [group for _, group in REASON_GROUPS]
        groups = sorted(counts, key=lambda g: (order.index(g) if g in order else len(order), g))
        lines.append(f"kg: {len(result.skipped)} input(s) skipped, each named above: "
                     + ", ".join(f"{counts[group]} {group}" for group in groups))
    if result.failure is not None:
        lines.append(f"kg: stopped early, the store writer failed (below): {result.unstored} extracted article(s) "
                     f"were not stored and the inputs after them were not read")
    if not result.articles and not result.skipped and not result.failure and not result.interrupted:
        suffixes = sorted(ARTICLE_SUFFIXES | CORPUS_SUFFIXES | set(GRAPH_SUFFIXES))
        lines.append("kg: no input found (articles: " + " ".join(suffixes) + ", or '-' for stdin)")
    if result.interrupted:
        lines.append("kg: every stored document is complete; run the same command again to finish")
    lines.append(f"kg: the store now holds {result.store_statements} statements")
    return "\n".join(lines)
