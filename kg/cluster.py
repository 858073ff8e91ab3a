"""Extraction on a Dask distributed cluster (kg ingest --scheduler): partitions of articles out, extractions or N-Quads shards back."""
from __future__ import annotations

import gzip
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kg.article import Article
from kg.errors import InternalError, Stopped, TookTooLong, UserError, skip_reason, wait_for, warn_internal
from kg.model import Extraction
from kg.readers.html import UnreadPage

# Articles per task (and per shard): enough to fill spaCy batches and make the per-task overhead of the
# scheduler (a few ms) and of pickling small, few enough that the tasks spread over the workers and a
# lost worker costs little work again.
PARTITION = 8
RETRIES = 2  # a task that raises (a full disk under a shard, say) runs this many times more
IN_FLIGHT_PER_THREAD = 3  # partitions queued or running per worker thread: busy workers, bounded memory
CONNECT_SECONDS = 20
WORKERS_SECONDS = 60  # how long to wait for a scheduler that has no worker yet
# How long a partition may take from being sent out to coming back, retries and reruns after a lost worker
# included (kg ingest --partition-timeout). Without a bound a cluster that stops answering (every worker and
# nanny gone: the scheduler keeps the tasks for workers that never come; a frozen worker: the scheduler waits
# 5 minutes, then has none) hangs the ingest for good. 8 articles take a worker thread ~3 s: 600 s is room for
# a loaded cluster and a long article, and still ends a dead run.
PARTITION_SECONDS = 600.0
FETCH_SECONDS = 60  # fetching a finished partition's result from its worker (distributed's own comm timeouts: 30 s)
RESTART_SECONDS = 60  # a stuck worker's nanny ending it and starting a new one
PLUGIN_SECONDS = 60  # waiting for every worker to load spaCy before the first task (each task loads it if need be)
SHARD_PREFIX = "part-"

ADDRESS = re.compile(r"^(?:(tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")

# ---------------------------------------------------------------- on the workers

_nlp = None  # this worker process's spaCy pipeline (or the UserError that loading it raised)
_nlp_lock = threading.Lock()


def _pipeline():
    """spaCy, loaded once per worker process (by the plugin as the worker joins, or by its first task);
    never pickled: each worker loads its own from its installed model."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            from kg import nlp

            _restore_malloc_thresholds()
            try:
                _nlp = nlp.load()
            except UserError as error:  # no model on this worker: each task reports it, the run stops
                _nlp = error
    return _nlp


# glibc's mallopt parameters. 4 MiB holds spaCy's arrays for an article on the heap (page faults per 40 articles:
# 38,000 at 1 MiB, 13,000 at 4, 11,000 at 32, glibc's own dynamic ceiling) for 8 MiB less peak memory than 32;
# free memory over twice that at the top of the heap still goes back to the system, as glibc's own rule has it.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 4 * 1024 * 1024
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD


def _restore_malloc_thresholds() -> bool:
    """Undo, for this worker process, the fixed malloc thresholds Dask's nanny starts workers with
    (MALLOC_TRIM_THRESHOLD_=65536 in distributed.nanny.pre-spawn-environ). Setting that variable also turns
    off glibc's dynamic mmap threshold, so every array over 128 KiB that spaCy makes and drops is a fresh
    mmap and its pages fault in again: 40 PolNeAR articles took 12.1 CPU s in a nanny's worker with 531,000
    page faults, 10.3-10.5 s and 11,000-13,000 faults after this call, 10.4 s in a plain process. False where
    there is no glibc (the call is then skipped)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


try:
    from distributed import WorkerPlugin
except ImportError:  # the extra is not installed: connect() says so in one line
    WorkerPlugin = object


class LoadSpacy(WorkerPlugin):
    """Loads spaCy in every worker when it joins the run (and in workers that join later), before any task."""

    name = "claimgraph-load-spacy"

    def setup(self, worker) -> None:
        _pipeline()


def extract_partition(articles: list[Article], batch_size: int) -> list[tuple]:
    """A task: ("ok", index, Extraction) or ("failed", index, step, document, error, warnings) per article."""
    from kg.parallel import extract_chunk

    return _portably(lambda: portable_results(extract_chunk(articles, batch_size, _pipeline())))


def _portably(task: Callable[[], list[tuple]]) -> list[tuple]:
    """``task()``, raising only what the client can unpickle: the error made portable, without the chain of
    errors it was raised in (Dask pickles that too, and the client reports a type and a message only)."""
    try:
        return task()
    except UserError:
        raise
    except Exception as error:  # noqa: BLE001 -- raised again below, as something the client can unpickle
        failure = portable(error)
    failure.__cause__ = failure.__context__ = None
    raise failure


def portable(error: BaseException) -> BaseException:
    """The error itself when the client can rebuild it (a built-in or claimgraph exception that survives
    pickling), else a RuntimeError naming its type and message, as kg.parallel.picklable does. A task's
    error or result is unpickled on the client, which may lack the worker's module (a library installed
    on the workers only, a --preload): the whole partition's result would then be lost on the client, or
    its error arrive as pickled bytes."""
    from kg.parallel import picklable

    module = type(error).__module__
    if module == "builtins" or module == "kg" or module.startswith("kg."):
        return picklable(error)
    return RuntimeError(f"{type(error).__name__}: {error}")


def portable_results(results: list[tuple]) -> list[tuple]:
    """A task's per-article results with each failure's error made portable."""
    return [(*result[:4], portable(result[4]), *result[5:]) if result[0] == "failed" else result
            for result in results]


def shard_partition(articles: list[Article], batch_size: int, path: str) -> list[tuple]:
    """A task: the partition's document graphs as one N-Quads file at ``path``, written whole or not at all
    (a temporary file, synced, then renamed over ``path``; a retried task writes the same bytes again).
    Returns ("ok", index, claims, statements, faults) or ("failed", ...) per article."""
    return _portably(lambda: portable_results(_shard_partition(articles, batch_size, path)))


def _shard_partition(articles: list[Article], batch_size: int, path: str) -> list[tuple]:
    from kg.errors import during
    from kg.parallel import extract_chunk
    from kg.rdf import document_iri, extraction_quads

    report = []
    # document -> its graph's quads. A document met twice (one page in a folder and in an archive) keeps its
    # later graph, as a store does: two graphs under one name would load as their union
    documents: dict = {}
    for result in extract_chunk(articles, batch_size, _pipeline()):
        if result[0] != "ok":
            report.append(result)
            continue
        _, index, extraction = result
        try:
            with during("making RDF of", articles[index].identifier):
                _, document_quads = extraction_quads(extraction)
        except InternalError as error:
            warn_internal(error)
            warnings = extraction.warnings if isinstance(articles[index], UnreadPage) else ()
            # made portable by the caller
            report.append(("failed", index, error.step, error.document, error.error, warnings))
            continue
        document = document_iri(extraction.doc_id)
        documents.pop(document, None)  # the later one takes the place of the earlier, at the end
        documents[document] = document_quads
        # a page read here: its reader's warnings go back with the faults, to be said by the client
        warnings = extraction.warnings if isinstance(articles[index], UnreadPage) else ()
        report.append(("ok", index, len(extraction.claims), len(document_quads), (*warnings, *extraction.faults)))
    if documents:
        _write_shard(Path(path), [quad for quads in documents.values() for quad in quads])
    return report


def _write_shard(path: Path, quads) -> None:
    import os

    import pyoxigraph as ox

    from kg.output import atomic_output

    with atomic_output(path) as stream:
        if path.name.endswith(".gz"):
            # no name or time in the gzip header: a retried task writes the same bytes again. Level 6: 84
            # PolNeAR articles' N-Quads (24.9 MB) shrink 20.5x in 0.11 CPU s (level 9: 21.0x in 0.22 s)
            with gzip.GzipFile(filename="", mode="wb", fileobj=stream, mtime=0, compresslevel=6) as packed:
                ox.serialize(quads, packed, ox.RdfFormat.N_QUADS)
        else:
            ox.serialize(quads, stream, ox.RdfFormat.N_QUADS)
        stream.flush()
        os.fsync(stream.fileno())  # the file a rename makes visible is on disk, not only in the page cache


def shard_name(number: int, compress: bool = False) -> str:
    return f"{SHARD_PREFIX}{number:06d}.nq" + (".gz" if compress else "")


# ---------------------------------------------------------------- on the client

def connect(address: str):
    """A Dask client of the scheduler at ``address`` (tcp://HOST:PORT), with spaCy loading on its workers."""
    match = ADDRESS.match(address)
    if not match:
        raise UserError(f"--scheduler {address!r}: not a scheduler address (tcp://HOST:PORT)")
    _probe(address, match.group(2).strip("[]"), int(match.group(3)))
    try:
        from distributed import Client
    except ImportError:
        raise UserError("--scheduler needs Dask: pip install 'claimgraph[dask]'") from None
    import logging

    # the client logs each failed connection attempt: one line of our own says it instead
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise UserError(f"cannot reach the Dask scheduler at {address} ({_reason(error)})") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except (OSError, TimeoutError):
        client.close()
        raise UserError(f"the Dask scheduler at {address} has no workers (waited {WORKERS_SECONDS} s)") from None
    logging.getLogger("distributed").setLevel(logging.ERROR)  # a lost worker is worth a line
    # the client's event loop logs, as a traceback at exit, the gather it gave up on when a partition timed out
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    _load_spacy_on_workers(client, PLUGIN_SECONDS)
    return client


def _load_spacy_on_workers(client, seconds: float) -> None:
    """Register LoadSpacy, waiting at most ``seconds`` for the workers to run it. The scheduler keeps the
    plugin before it asks the workers (and gives it to those that join later), so a worker that does not
    answer (frozen, cut off) need not hold the run: Client.register_plugin waits for every worker with no
    timeout, and that worker's tasks load spaCy themselves. An error (a worker lost meanwhile) is the tasks'
    to meet too."""

    def register() -> None:
        try:
            client.register_plugin(LoadSpacy())
        except Exception:  # noqa: BLE001 -- see above: only the preloading is lost
            pass

    waiting = threading.Thread(target=register, name="kg-load-spacy", daemon=True)
    waiting.start()
    waiting.join(seconds)


def _probe(address: str, host: str, port: int) -> None:
    """Fail at once, in one line, on an unknown host or a closed port (the Dask client would keep
    retrying until its timeout, then say only that it timed out)."""
    import socket

    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except socket.gaierror:
        raise UserError(f"cannot reach the Dask scheduler at {address} (unknown host {host})") from None
    except OSError as error:
        raise UserError(f"cannot reach the Dask scheduler at {address} "
                        f"({error.strerror or _reason(error)})") from None


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:200] if text else type(error).__name__


def _threads(client) -> int:
    return max(1, sum(client.nthreads().values()))


def _partitions(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    source = iter(articles)
    return iter(lambda: list(islice(source, size)), [])


class PartitionTimeout(Exception):
    """A task that did not come back within the partition timeout (see Watch)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"no result within {seconds:g} s (--partition-timeout)")


class Watch:
    """A run's clock for its tasks on the cluster (kg ingest --partition-timeout). A task may take ``seconds``
    from when it was sent out, or from the last restart of a worker the run gave up on: tasks queued behind a
    task that never ends wait on its worker, and only start (there, or on another worker) once it is replaced.
    ``stop`` is set by Ctrl-C."""

    def __init__(self, client, seconds: float = PARTITION_SECONDS, stop: threading.Event | None = None):
        self.client = client
        self.seconds = seconds
        self.stop = stop
        self.restarted = float("-inf")  # monotonic time of the last restart

    def outcome(self, future, sent: float):
        """_outcome of a task sent out at ``sent`` (monotonic); a task that timed out is given up on."""
        outcome = _outcome(future, max(sent, self.restarted) + self.seconds, self.seconds, self.stop)
        if isinstance(outcome, PartitionTimeout):
            self.give_up([future])  # its result, if it ever comes, is not wanted
        return outcome

    def give_up(self, futures: list) -> None:
        """Cancel tasks that were not back in time, and restart the workers running them. Cancelling alone would
        not do: Python cannot stop a thread, so the worker's thread stays in the task (an hour, or for good)
        while the scheduler, which thinks it free, queues the next tasks behind it. A worker's nanny ends its
        process and starts a new one; tasks of other clients on that worker are run again by the scheduler. A
        worker without a nanny is left as it is (it could not come back)."""
        keys = {future.key for future in futures}
        try:
            stuck = sorted(worker for worker, held in self.client.processing().items() if keys.intersection(held))
        except Exception:  # noqa: BLE001 -- a scheduler that stopped answering: nothing to restart through it
            stuck = []
        self.client.cancel(futures, force=True)  # first: a restart would otherwise run the task again elsewhere
        if stuck:
            self._restart(stuck)

    def _restart(self, workers: list[str]) -> None:
        restarted = []

        def restart() -> None:
            try:
                self.client.restart_workers(workers, timeout=RESTART_SECONDS, raise_for_error=False)
                restarted.append(True)
            except Exception:  # noqa: BLE001 -- no nanny (ValueError), or the scheduler gone: the next wait tells
                pass

        thread = threading.Thread(target=restart, name="kg-restart", daemon=True)
        thread.start()
        wait_for(lambda: not thread.is_alive(), thread.join, RESTART_SECONDS + FETCH_SECONDS, self.stop)
        if restarted:  # else nothing was freed: the tasks still out keep their time
            self.restarted = time.monotonic()


def _outcome(future, deadline: float, seconds: float, stop: threading.Event | None = None):
    """The task's result, or the exception that ended it, or PartitionTimeout once ``deadline`` (monotonic)
    has passed with the task still out. A UserError (the same on every worker) is raised, and so is Stopped
    once ``stop`` is set (Ctrl-C) while the task is out."""

    def wait(timeout: float) -> None:
        try:
            future.exception(timeout=timeout)  # waits for the task to end without fetching its result
        except Exception:  # noqa: BLE001 -- the timeout (or a cancellation): future.done() below says which
            pass

    wait_for(future.done, wait, deadline - time.monotonic(), stop)
    if not future.done():  # done is local state: a task that ended is fetched however late we look
        return PartitionTimeout(seconds)
    try:
        return _fetch(future, max(deadline - time.monotonic(), min(FETCH_SECONDS, seconds)), stop)
    except UserError:
        raise  # no spaCy model, a shard folder it cannot write
    except Exception as error:  # noqa: BLE001 -- this task failed for good (or its result could not be fetched)
        # Not the task's own error: a result lost with its worker while we fetched it (the task is back to be
        # run again), or held by a worker that stopped answering after it finished
        fetching = not future.done() or (isinstance(error, TimeoutError) and future.status != "error")
        return PartitionTimeout(seconds) if fetching else error


def _fetch(future, timeout: float, stop: threading.Event | None):
    """``future.result(timeout)``; with ``stop``, fetched in a thread of its own so that Ctrl-C is heard while a
    worker that stopped answering holds the result (a fetch cannot be cut into short tries: each would start
    the transfer again). Raises Stopped once ``stop`` is set; the thread then ends with its timeout."""
    if stop is None:
        return future.result(timeout=timeout)
    outcome: list = []

    def fetch() -> None:
        try:
            outcome.append((True, future.result(timeout=timeout)))
        except BaseException as error:  # noqa: BLE001 -- handed to the caller, as future.result would raise it
            outcome.append((False, error))

    thread = threading.Thread(target=fetch, name="kg-fetch", daemon=True)
    thread.start()
    wait_for(lambda: not thread.is_alive(), thread.join, timeout + FETCH_SECONDS, stop)
    if not outcome:  # the fetch outlived its own timeout (cannot happen unless distributed ignores it)
        raise TimeoutError(f"no result within {timeout:g} s")
    fetched, value = outcome[0]
    if fetched:
        return value
    raise value


def _some_worker_left(client, number: int, seconds: float) -> None:
    """After a timeout: stop the run in one line when the scheduler has no worker left (every worker and its
    nanny gone, or dropped after its heartbeats stopped): each partition still to go would wait the whole
    timeout for nothing. The documents stored so far are whole; the same command again finishes the run."""
    if not client.nthreads():
        raise UserError(f"the Dask scheduler at {client.scheduler.address} has no workers left (partition {number} "
                        f"was not back within {seconds:g} s); what was stored is whole: run the same command again "
                        f"to finish")


def _in_order(watch: Watch, articles: Iterable[Article], size: int,
              submit: Callable) -> Iterator[tuple[int, list[Article], object]]:
    """(number, partition, outcome) in input order, ``outcome`` being the task's result or the exception that
    ended it after Dask's retries (a worker that dies has its tasks run elsewhere by the scheduler, up to
    its allowed-failures), or PartitionTimeout when it was not back in the time ``watch`` gives it (its worker
    is then restarted). At most IN_FLIGHT_PER_THREAD partitions per worker thread are out at a time (so one
    waits behind two others per thread at most); the ones still out when the generator is closed are
    cancelled. Raises Stopped once the watch's stop is set (Ctrl-C) while it waits."""
    client = watch.client
    run = uuid.uuid4().hex[:8]
    source = enumerate(_partitions(articles, size))
    pending: deque = deque()
    window = _threads(client) * IN_FLIGHT_PER_THREAD

    def fill() -> None:
        while len(pending) < window:
            item = next(source, None)
            if item is None:
                return
            number, chunk = item
            future = submit(f"kg-{run}-{number:06d}", number, chunk)
            pending.append((number, chunk, future, time.monotonic()))

    try:
        fill()
        while pending:
            number, chunk, future, sent = pending.popleft()
            try:
                outcome = watch.outcome(future, sent)
            except Stopped:
                client.cancel([future], force=True)  # out of ``pending`` already: the finally would miss it
                raise
            if isinstance(outcome, PartitionTimeout):
                _some_worker_left(client, number, watch.seconds)
            future.release()
            fill()  # before handing the result out: the workers stay busy while the store writes
            yield number, chunk, outcome
    finally:
        if pending:
            client.cancel([future for _, _, future, _ in pending], force=True)


def _killed_workers(error: BaseException) -> bool:
    """The scheduler gave up on a task because the workers running it died (distributed.KilledWorker)."""
    return type(error).__name__ == "KilledWorker"


def _alone(watch: Watch, number: int, chunk: list[Article], batch_size: int) -> list[tuple]:
    """The articles of a partition whose workers died, each extracted as a task of its own: when one article
    kills every worker it runs on, the others of its partition are not lost with it. Results as
    extract_partition's, indexed in ``chunk``; an article that fails alone, or is not back in the time
    ``watch`` gives it, comes back as a failure."""
    client = watch.client
    run = uuid.uuid4().hex[:8]
    futures = [client.submit(extract_partition, [article], batch_size, key=f"kg-{run}-{number:06d}-alone-{index}",
                             retries=RETRIES) for index, article in enumerate(chunk)]
    sent = time.monotonic()
    results = []
    try:
        for index, (article, future) in enumerate(zip(chunk, futures)):
            outcome = watch.outcome(future, sent)
            if isinstance(outcome, BaseException):  # this article failed on its own: reported by the caller
                results.append(("failed", index, "extracting", article.identifier, _alone_failed(number, outcome),
                                ()))
                continue
            (result,) = outcome
            results.append((result[0], index, *result[2:]))
    finally:
        client.cancel(futures, force=True)
    return results


def _alone_failed(number: int, error: BaseException) -> Exception:
    if isinstance(error, PartitionTimeout):
        return TookTooLong(f"run on its own (partition {number}), it did not come back from the cluster "
                           f"within {error.seconds:g} s (--partition-timeout)")
    return RuntimeError(f"it failed on the cluster on its own (partition {number}), retries included "
                        f"({type(error).__name__}: {_reason(error)})")


def _partition_failed(number: int, error: BaseException) -> Exception:
    if isinstance(error, PartitionTimeout):  # a worker frozen or gone for good, or an article that never ends
        return TookTooLong(f"partition {number} did not come back from the cluster within {error.seconds:g} s "
                           f"(--partition-timeout)")
    # Dask has run it again already: RETRIES times after an error, elsewhere after each lost worker
    return RuntimeError(f"partition {number} failed on the cluster, retries included "
                        f"({type(error).__name__}: {_reason(error)})")


def extractor(client, partition: int = PARTITION, seconds: float = PARTITION_SECONDS) -> Callable:
    """An ``extract`` for kg.ingest.ingest: (article, Extraction) pairs in input order, extracted on the
    cluster; failures go to ``on_failure`` in input order, a partition that failed for good (or was not back
    within ``seconds``) as a failure of each of its articles."""

    def extract_on_cluster(articles: Iterable[Article], on_failure: Callable[[Article, InternalError], None], *,
                           batch_size: int, stop: threading.Event | None = None) -> Iterator[tuple[Article, Extraction]]:
        def submit(key: str, number: int, chunk: list[Article]):
            return client.submit(extract_partition, chunk, batch_size, key=key, retries=RETRIES)

        watch = Watch(client, seconds, stop)
        try:
            for number, chunk, outcome in _in_order(watch, articles, partition, submit):
                if isinstance(outcome, BaseException) and _killed_workers(outcome) and len(chunk) > 1:
                    outcome = _alone(watch, number, chunk, batch_size)
                if isinstance(outcome, BaseException):
                    for article in chunk:
                        on_failure(article, _failure(article, number, outcome))
                    continue
                for result in outcome:
                    article = chunk[result[1]]
                    if result[0] == "ok":
                        yield article, result[2]
                    else:
                        on_failure(article, _failure_of(result))
        except Stopped:
            return  # the ingest was stopped (Ctrl-C): the partitions still out were cancelled

    return extract_on_cluster


def _failure(article: Article, number: int, error: BaseException) -> InternalError:
    cause = _partition_failed(number, error)
    failure = InternalError("extracting", article.identifier, cause)
    failure.__cause__ = error
    return failure


def _failure_of(result: tuple) -> InternalError:
    _, _, step, document, error, warnings = result
    failure = InternalError(step, document, error)
    failure.__cause__ = error
    failure.warnings = warnings
    return failure


@dataclass
class ShardResult:
    articles: int = 0  # in shards
    claims: int = 0
    statements: int = 0
    shards: int = 0
    skipped: list = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        return self.articles > 0 and not self.skipped and not self.interrupted


def shard(paths: list[str], directory: str | Path, *, client, batch_size: int = 16, partition: int = PARTITION,
          seconds: float = PARTITION_SECONDS, compress: bool = False, progress=None,
          stdin: BinaryIO | None = None) -> ShardResult:
    """Extract every input on the cluster into ``directory``: one N-Quads file per partition, written by the
    worker (the folder must be the same path on every worker: a shared file system), named by the
    partition's place in the input so that a run again replaces the same files; gzipped (``.nq.gz``) with
    ``compress``. `kg ingest DIR --store S` loads them later, in name order, to the store a local ingest
    would have made."""
    from kg.ingest import Progress, Skipped, StoredGraph, ctrl_c_stops, read_items, skipped_name

    folder = Path(directory).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot make the shard folder {directory}: {error.strerror or error}") from None
    result = ShardResult()
    progress = progress or Progress(None)
    started = time.monotonic()

    def skip(name: str, reason: str) -> None:
        result.skipped.append(Skipped(name, reason))
        progress.note(f"kg: skipped {name}: {reason}")

    def failed(article: Article | UnreadPage, error: InternalError) -> None:
        for warning in error.warnings:
            progress.note(f"kg: warning: {warning}")
        skip(skipped_name(article, error), skip_reason(error))

    def articles() -> Iterator[Article | UnreadPage]:
        for item in read_items(paths, stdin=stdin, defer_pages=True):
            if isinstance(item, Skipped):
                skip(item.name, item.reason)
            elif isinstance(item, StoredGraph):
                skip(item.name, "already extracted (N-Quads): load it with kg ingest --store")
            else:
                for warning in getattr(item, "warnings", ()):  # an unread page has none yet: they come with its result
                    progress.note(f"kg: warning: {warning}")
                yield item

    def path_of(number: int) -> str:
        return str(folder / shard_name(number, compress))

    def submit(key: str, number: int, chunk: list[Article]):
        return client.submit(shard_partition, chunk, batch_size, path_of(number), key=key, retries=RETRIES)

    done = 0
    stop = threading.Event()  # set by Ctrl-C: the run stops after the partition in hand
    watch = Watch(client, seconds, stop)
    outcomes = _in_order(watch, articles(), partition, submit)
    try:
        with ctrl_c_stops(stop):
            for number, chunk, outcome in outcomes:
                if isinstance(outcome, BaseException) and _killed_workers(outcome) and len(chunk) > 1:
                    outcome = _shard_without_culprits(watch, number, chunk, batch_size, path_of(number))
                if isinstance(outcome, BaseException):
                    for article in chunk:
                        failed(article, _failure(article, number, outcome))
                    continue
                stored = False
                for item in outcome:
                    article = chunk[item[1]]
                    if item[0] != "ok":
                        failed(article, _failure_of(item))
                        continue
                    _, _, claims, statements, faults = item
                    for fault in faults:
                        progress.note(f"kg: warning: {fault}")
                    result.articles += 1
                    result.claims += claims
                    result.statements += statements
                    stored = True
                result.shards += stored
                done += len(chunk)
                progress.advance(done, result.articles)
                if stop.is_set():
                    result.interrupted = True
                    break
    except (KeyboardInterrupt, Stopped):  # a second Ctrl-C, or the first one during a wait
        result.interrupted = True
    finally:
        outcomes.close()  # cancels what is still out: a shard is written whole or not at all
        progress.stop()
    result.seconds = time.monotonic() - started
    return result


def _shard_without_culprits(watch: Watch, number: int, chunk: list[Article], batch_size: int,
                            path: str) -> list[tuple] | BaseException:
    """A partition whose workers died, written again without the articles that fail on their own (found by
    extracting each alone): shard_partition's report, indexed in ``chunk``, or the error that ended it."""
    client = watch.client
    alone = _alone(watch, number, chunk, batch_size)
    kept = [index for index, result in enumerate(alone) if result[0] == "ok"]
    report = [result for result in alone if result[0] != "ok"]
    if kept:
        future = client.submit(shard_partition, [chunk[index] for index in kept], batch_size, path,
                               key=f"kg-{uuid.uuid4().hex[:8]}-{number:06d}-kept", retries=RETRIES)
        try:
            written = watch.outcome(future, time.monotonic())
        except Stopped:
            client.cancel([future], force=True)
            raise
        if isinstance(written, BaseException):  # reported by the caller, as any failed partition
            client.cancel([future], force=True)
            return written
        report += [(result[0], kept[result[1]], *result[2:]) for result in written]
    return sorted(report, key=lambda result: result[1])


def shard_summary(result: ShardResult, directory: str) -> str:
    """The report at the end of a --shards run."""
    rate = result.articles / result.seconds if result.seconds > 0 else 0.0
    head = "interrupted: " if result.interrupted else ""
    lines = [f"kg: {head}{result.articles} article(s) extracted into {result.shards} shard(s) in {directory} "
             f"in {result.seconds:.1f} s ({rate:.1f} articles/s): {result.claims} claims, {result.statements} statements"]
    if result.skipped:
        lines.append(f"kg: {len(result.skipped)} input(s) skipped, each named above")
    if result.interrupted:
        lines.append("kg: every shard written is complete; run the same command again to finish")
    if result.shards:
        lines.append(f"kg: load them with: kg ingest {directory} --store STORE (or concatenate them: N-Quads)")
    return "\n".join(lines)
