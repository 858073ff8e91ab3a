"""Errors the CLI reports as one line: bad input (UserError) and unexpected failures named by step and document."""
from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager


class UserError(Exception):
    """Bad input or environment: shown to the user as one line, never as a traceback."""


class InternalError(Exception):
    """An unexpected failure (a bug) while doing ``step`` to ``document``; the original is ``__cause__``."""

    def __init__(self, step: str, document: str | None, error: BaseException):
        self.step, self.document, self.error = step, document, error
        # what reading the input said, when that could not be said at once (a page read in a worker): said
        # before the input's skip line
        self.warnings: tuple[str, ...] = ()
        where = f"{step} {document}" if document else step
        super().__init__(f"internal error while {where}: {describe(error)}")


class TookTooLong(Exception):
    """An article whose extraction did not come back in the time allowed (kg ingest --article-timeout, or a
    cluster's --partition-timeout): the work was ended or given up. Not a bug to report with a traceback: the
    article is named as skipped with these words alone, through skip_reason (the InternalError that carries it
    would say "internal error")."""


READING = "reading"  # the step of reading an input, in InternalErrors and skip reports


class Stopped(BaseException):
    """The run was stopped (Ctrl-C) while it waited for work done elsewhere (a worker process, a cluster): the
    extractor ends its stream there, and the ingest reports the run as interrupted. A BaseException, as
    KeyboardInterrupt is: the handlers that turn a failed task into a skipped article must let it through."""


POLL_SECONDS = 0.25  # how often a long wait looks whether the run was stopped


def wait_for(done: Callable[[], bool], wait: Callable[[float], object], seconds: float,
             stop: threading.Event | None) -> None:
    """Wait up to ``seconds`` for ``done()`` by calling ``wait(timeout)``; with ``stop``, in slices of
    POLL_SECONDS, raising Stopped once it is set: a Ctrl-C is heard at once, not when a wait of minutes for a
    stuck worker ends (the handler only sets ``stop``, see kg.ingest.ctrl_c_stops)."""
    deadline = time.monotonic() + seconds
    while not done():
        if stop is not None and stop.is_set():
            raise Stopped
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        slice_seconds = remaining if stop is None else min(POLL_SECONDS, remaining)
        began = time.monotonic()
        wait(slice_seconds)
        if not done() and time.monotonic() - began < slice_seconds / 2:
            time.sleep(slice_seconds / 2)  # a wait that returns early without the work done: no busy loop


def without_name(message: str, name: str) -> str:
    """UserErrors start with the input's name; a report that names the input itself drops it."""
    return message[len(name) + 2:] if message.startswith(name + ": ") else message


def describe(error: BaseException) -> str:
    """"ValueError: the first line of its message": enough to recognise it, short enough for one line."""
    if isinstance(error, InternalError):
        return describe(error.error)
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


@contextmanager
def during(step: str, document: str | None = None):
    """Name the step and document of any unexpected exception raised in the block (UserErrors and
    InternalErrors already say what they are and pass through unchanged)."""
    try:
        yield
    except (UserError, InternalError):
        raise
    except Exception as error:  # noqa: BLE001 -- wrapped, not swallowed
        raise InternalError(step, document, error) from error


# ---------------------------------------------------------------- --debug

_debug = False


def set_debug(on: bool) -> None:
    global _debug
    _debug = _debug or on


def debugging() -> bool:
    """--debug was given, or KG_DEBUG is set to something other than 0/empty."""
    return _debug or os.environ.get("KG_DEBUG", "").strip() not in ("", "0")


def report_internal(error: BaseException, step: str, stream=None) -> None:
    """One line for an unexpected error (the traceback too with --debug or KG_DEBUG=1)."""
    stream = stream or sys.stderr
    if debugging():
        traceback.print_exception(error, file=stream)
    message = str(error) if isinstance(error, InternalError) else f"internal error while {step}: {describe(error)}"
    hint = "" if debugging() else "; run with --debug for the traceback"
    print(f"kg: {message}{hint}", file=stream)


def warn_internal(error: BaseException, stream=None) -> None:
    """The traceback of an unexpected error that was isolated and reported as a warning, with --debug only."""
    if debugging():
        traceback.print_exception(error, file=stream or sys.stderr)


def skip_reason(error: InternalError) -> str:
    """The one line that says why an article is skipped. A timeout is no bug: its own words ("... did not finish
    within 300 s (--article-timeout)"), and nor is a page read in a worker that holds no article ("no article
    text found ..."); anything else is an internal error, whose traceback --debug shows."""
    if isinstance(error.error, (TookTooLong, UserError)):  # a timeout, or an input that holds no article
        return str(error.error)
    warn_internal(error)
    return f"internal error while {error.step}: {describe(error)}"
