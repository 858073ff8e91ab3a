"""Fault isolation inside one article: a bug hit by one part, rule or candidate loses only that piece."""
from __future__ import annotations

from contextlib import contextmanager

from kg.errors import describe, warn_internal


class Faults:
    """The pieces of one article left out after an unexpected error, as warnings with offsets."""

    def __init__(self, identifier: str):
        self.identifier = identifier
        self.warnings: list[str] = []

    @contextmanager
    def isolate(self, what: str, start: int, end: int):
        """Run the block; if it raises, record "<document> [start, end): <what> left out (<error>)" and go on
        after the block (so the block must commit its result only at its end)."""
        try:
            yield
        except Exception as error:  # noqa: BLE001 -- isolated and reported, never silent
            warn_internal(error)
            self.warnings.append(f"{self.identifier} [{start}, {end}): {what} left out after an internal error "
                                 f"({describe(error)})")
