"""Extraction in worker processes (forked from one that loaded spaCy once), results handed back in input order."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import wait as wait_for_futures
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from kg.article import Article
from kg.errors import (READING, InternalError, Stopped, TookTooLong, UserError, debugging, during, set_debug, wait_for,
                       warn_internal, without_name)
from kg.model import Extraction
from kg.readers.html import UnreadPage

# Articles per task: small enough that 2 workers share a 12-article corpus evenly, large enough that a
# task's parts still fill spaCy batches and the per-task pickling stays a small share of the work.
CHUNK = 4
IN_FLIGHT_PER_WORKER = 3  # tasks queued or running per worker: keeps workers busy, memory flat
# Seconds an article may take in a worker, per 100,000 characters of its text (a shorter one counts as 100,000),
# before the worker is ended and the article skipped: a news article takes well under a second (about 0.15 s
# for PolNeAR's) and a 218 KB one about 14 s, so only a pathological input or a hang reaches this, and without
# it the ingest would wait for that worker for good. Scaled with the text, it never cuts short the 5 MB
# article the readers accept (about 5 minutes here), which one process would store.
ARTICLE_SECONDS = 300.0
TIMEOUT_CHARACTERS = 100_000


def allowed_seconds(article: Article | UnreadPage, article_seconds: float) -> float:
    """How long ``article`` may take: ``article_seconds`` per TIMEOUT_CHARACTERS of its text, at least once (a
    page not read yet counts a quarter of its bytes: the readers allow a page four times an article's text)."""
    size = len(article.data) // 4 if isinstance(article, UnreadPage) else len(article.text)
    return article_seconds * max(1.0, size / TIMEOUT_CHARACTERS)

_nlp = None  # the worker's pipeline, loaded once by _start_worker


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def useful_workers(workers: int, total: int | None) -> int:
    """No more workers than there are tasks: a worker costs a process start and a spaCy load (~3 s)."""
    if total is None:
        return workers
    return max(1, min(workers, -(-total // CHUNK)))


def _start_worker(debug: bool, ingest: int, batch_size: int) -> None:
    """Worker initializer: take spaCy (loaded in the fork server, or now); ignore Ctrl-C (the ingest
    decides when to stop); exit when the ingest process is gone (after a kill -9 nobody else would end
    the worker, and the fork server waits for its workers)."""
    global _nlp
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_debug(debug)
    threading.Thread(target=_exit_with, args=(ingest,), name="kg-ingest-watch", daemon=True).start()
    from kg import nlp

    try:
        _nlp = nlp.load()
    except UserError as error:  # e.g. no spaCy model: each task reports it, the ingest stops in one line
        _nlp = error


def _exit_with(ingest: int) -> None:
    """End this process when process ``ingest`` ends (it is not our parent: the fork server is)."""
    try:
        handle = os.pidfd_open(ingest)  # readable once the process has ended; immune to pid reuse
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (old kernel, not Linux): poll
        while True:
            try:
                os.kill(ingest, 0)
            except ProcessLookupError:
                os._exit(1)
            time.sleep(0.5)
    select.select([handle], [], [])
    os._exit(1)


def _extract_chunk(articles: list[Article], batch_size: int) -> list[tuple]:
    """In a worker: ("ok", index, Extraction) or ("failed", index, step, document, error, warnings) per article
    (``warnings``: a page's reader warnings when the page was read here, else ())."""
    return extract_chunk(articles, batch_size, _nlp)


def extract_chunk(items: list[Article | UnreadPage], batch_size: int, nlp) -> list[tuple]:
    """``_extract_chunk`` with the pipeline given (kg.cluster's workers keep their own); ``nlp`` may be the
    UserError that loading it raised, raised again here. Pages sent unread are read here first: one that
    holds no article is ("failed", index, READING, its name, UserError(why), ())."""
    from kg.pipeline import extract_robustly

    if isinstance(nlp, UserError):
        raise nlp
    results: list[tuple] = []
    articles: list[Article] = []
    index: dict[int, int] = {}  # id(article) -> its place in ``items``
    warned: dict[int, tuple[str, ...]] = {}  # place -> the warnings of a page read here
    for number, item in enumerate(items):
        try:
            with during(READING, getattr(item, "name", None)):
                article = item.read() if isinstance(item, UnreadPage) else item
        except UserError as error:  # the page holds no article: said as reading it at once says it
            results.append(("failed", number, READING, item.name, UserError(without_name(str(error), item.name)),
                            ()))
            continue
        except InternalError as error:  # a bug in the reader: this page only
            warn_internal(error)
            results.append(("failed", number, READING, item.name, picklable(error.error), ()))
            continue
        index[id(article)] = number
        articles.append(article)
        if isinstance(item, UnreadPage):
            warned[number] = article.warnings

    def failed(article: Article, error: InternalError) -> None:
        warn_internal(error)  # the traceback with --debug, from the process that has it
        place = index[id(article)]
        results.append(("failed", place, error.step, error.document, picklable(error.error), warned.get(place, ())))

    for article, extraction in extract_robustly(articles, failed, batch_size=batch_size, nlp=nlp):
        results.append(("ok", index[id(article)], extraction))
    return sorted(results, key=lambda result: result[1])


def picklable(error: BaseException) -> BaseException:
    """The error itself if it survives pickling, else a RuntimeError with its description."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001 -- any pickling problem: send the words instead
        return RuntimeError(f"{type(error).__name__}: {error}")


class _Pool:
    """A process pool that can be replaced when a worker dies."""

    def __init__(self, workers: int, batch_size: int):
        self.workers, self.batch_size = workers, batch_size
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # Not a fork of this process: it holds the store and threads, unsafe to copy. Workers fork from a
        # server that loaded spaCy once: a worker then starts in milliseconds instead of ~3 s of CPU each,
        # and shares the model's memory with its siblings. (Each worker still imports the main script, as
        # with spawn, so code patched in there by a test reaches it.)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kg._preload_spacy"])
        _start_fork_server()
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker,
                                   initargs=(debugging(), os.getpid(), self.batch_size))

    def submit(self, chunk: list[Article]):
        return self.executor.submit(_extract_chunk, chunk, self.batch_size)

    def renew(self) -> None:
        self.close()
        self.executor = self._new()

    def close(self) -> None:
        """Stop at once: queued tasks are cancelled and running ones ended (their results are not wanted)."""
        processes = list((self.executor._processes or {}).values())  # noqa: SLF001 -- no public handle
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(5)
            if process.is_alive():  # deaf to SIGTERM (stuck in the kernel, or a library's own handler)
                process.kill()
                process.join()


# The workers are the parallelism: a BLAS thread pool in each of them only oversubscribes the cores
# (24 PolNeAR articles, 2 workers: 6.8 CPU s in the workers with OpenBLAS threads, 5.3 s without).
ONE_THREAD_EACH = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _start_fork_server() -> None:
    """Start the fork server (once per process) with one BLAS thread per worker, without changing the
    environment of this process for good."""
    from multiprocessing import forkserver

    saved = {name: os.environ.get(name) for name in ONE_THREAD_EACH}
    for name in ONE_THREAD_EACH:
        os.environ.setdefault(name, "1")
    try:
        forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def stuck(error: BaseException, future) -> bool:
    """The wait for ``future`` ran out while its task still runs (not the task's own TimeoutError)."""
    return isinstance(error, FutureTimeout) and not future.done()


def extract_in_workers(articles: Iterable[Article], on_failure: Callable[[Article, InternalError], None], *,
                       workers: int, batch_size: int, article_seconds: float = ARTICLE_SECONDS,
                       stop: threading.Event | None = None) -> Iterator[tuple[Article, Extraction]]:
    """Like kg.pipeline.extract_robustly, with the work spread over ``workers`` processes: (article,
    Extraction) pairs in input order, failures passed to ``on_failure`` in input order too.

    A worker process that dies (a crash in native code, the OOM killer) loses no other article: the
    pool is replaced, the articles of the oldest lost task run again one at a time with nothing else in
    the pool (the one that then kills a worker is reported), and the later tasks are sent again. A task not
    back in the time its articles may take (allowed_seconds, summed; counted from when the ingest began to
    wait for it) is handled the same way: the pool is ended, and an article that alone takes longer than it
    may is reported as TookTooLong. Closing the generator (Ctrl-C, a failed store) ends the workers at once.
    """
    source = iter(articles)
    source_error: list[BaseException] = []
    pool = _Pool(workers, batch_size)
    pending: deque[tuple[list[Article], object]] = deque()  # (articles, future), in input order

    def next_chunk() -> list[Article]:
        chunk: list[Article] = []
        while not source_error and len(chunk) < CHUNK:
            try:
                chunk.append(next(source))
            except StopIteration:
                break
            except Exception as error:  # noqa: BLE001 -- re-raised once the articles before it are done
                source_error.append(error)
        return chunk

    def fill() -> None:
        while len(pending) < workers * IN_FLIGHT_PER_WORKER and (chunk := next_chunk()):
            pending.append((chunk, pool.submit(chunk)))

    def allowed(chunk: list[Article]) -> float:
        return sum(allowed_seconds(article, article_seconds) for article in chunk)

    def result_within(future, seconds: float) -> list[tuple]:
        """The task's results; a TimeoutError while it still runs after ``seconds``, Stopped on Ctrl-C."""
        wait_for(future.done, lambda timeout: wait_for_futures([future], timeout=timeout), seconds, stop)
        return future.result(timeout=0)

    def handed_out(chunk: list[Article], results: list[tuple]) -> Iterator[tuple[Article, Extraction]]:
        for result in results:
            article = chunk[result[1]]
            if result[0] == "ok":
                yield article, result[2]
            else:
                _, _, step, document, error, warnings = result
                internal = InternalError(step, document, error)
                internal.__cause__ = error
                internal.warnings = warnings
                on_failure(article, internal)

    def alone(chunk: list[Article], queued: float = 0.0) -> Iterator[tuple[Article, Extraction]]:
        """The articles of a task lost with its worker, each run with nothing else in the pool: when a
        worker dies one task then takes every other task down with it, and only now is the culprit known.
        (``queued``: the seconds the tasks still in the pool may take first, when it is not empty.)"""
        for article in chunk:
            allowed = allowed_seconds(article, article_seconds)
            future = pool.submit([article])
            try:
                results = result_within(future, allowed + queued)
            except UserError:
                raise
            except Exception as error:  # noqa: BLE001 -- it killed its worker, took too long, or its result is lost
                if stuck(error, future):
                    cause = TookTooLong(f"extraction did not finish within {allowed:g} s (--article-timeout)")
                elif isinstance(error, BrokenProcessPool):
                    cause = RuntimeError("the worker process extracting it died")
                else:
                    cause = error
                on_failure(article, InternalError("extracting", article.identifier, cause))
                if cause is not error:  # a worker died or still runs it: a new pool
                    pool.renew()
                continue
            yield from handed_out([article], results)

    try:
        fill()
        while pending:
            chunk, future = pending.popleft()
            try:
                results = result_within(future, allowed(chunk))
            except UserError:
                raise  # the worker could not start (no spaCy model): the same for every article
            except Exception as error:  # noqa: BLE001 -- a dead or stuck worker, or a result that did not come back
                if not stuck(error, future) and not isinstance(error, BrokenProcessPool):  # a result lost: this task
                    yield from alone(chunk, queued=sum(allowed(articles) for articles, _ in pending))
                    continue
                # a stuck worker is ended with the pool (a process pool cannot end one of its workers)
                later = [articles for articles, _ in pending]
                pending.clear()  # with a dead worker every task in the pool is lost: all run again
                pool.renew()
                yield from alone(chunk)
                pending.extend((articles, pool.submit(articles)) for articles in later)
                continue
            fill()  # before handing results out: the workers stay busy while the store writes
            yield from handed_out(chunk, results)
    except Stopped:
        return  # the ingest was stopped: the workers end below, and what was handed out is all
    finally:
        pool.close()
    if source_error:
        raise source_error[0]
