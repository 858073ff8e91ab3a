"""Page furniture that survives main-text extraction (share prompts, cookie and newsletter notices), from kg/data."""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import data_lines

# Furniture is short: a longer block that happens to mention cookies or a newsletter is prose.
MAX_FURNITURE_CHARS = 250


@lru_cache(maxsize=1)
def patterns() -> re.Pattern:
    """One pattern from kg/data/boilerplate.txt (one regular expression a line, matched from the block's start)."""
    return re.compile("|".join(f"(?:{line})" for line in data_lines("boilerplate.txt")), re.I)


def is_boilerplate(text: str) -> bool:
    return len(text) <= MAX_FURNITURE_CHARS and patterns().match(text) is not None
