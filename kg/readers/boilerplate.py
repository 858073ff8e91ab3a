"""Page furniture that survives main-text extraction (share buttons, cookie and newsletter notices), by kg/data rules."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

# Furniture is short: a longer block that happens to mention cookies or a newsletter is prose.
MAX_FURNITURE_CHARS = 250
KINDS = ("block", "phrase", "notice", "inline", "tail")
# A word mixing Latin and Cyrillic letters ("Аdvеrtіѕе"): spam written to slip past word filters, never prose.
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=1)
def rules() -> dict[str, re.Pattern]:
    """kg/data/boilerplate.tsv as one case-blind expression per kind of rule."""
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for line in files("kg.data").joinpath("boilerplate.tsv").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        kind, expression = line.split("\t", 1)
        found[kind].append(f"(?:{expression})")
    return {kind: re.compile("|".join(expressions), re.I) for kind, expressions in found.items()}


def is_boilerplate(text: str) -> bool:
    """A block that is page furniture as a whole."""
    table = rules()
    if table["notice"].search(text):
        return True
    if len(text) > MAX_FURNITURE_CHARS:
        return False
    return bool(table["block"].match(text) or table["phrase"].search(text) or _obfuscated(text))


def is_section_end(text: str) -> bool:
    """The heading of a related-links section ("More from The Guardian", "Related stories")."""
    return len(text) <= 80 and rules()["tail"].match(text) is not None


def strip_inline(text: str) -> str:
    """The block without share-button runs and caption labels ("Media caption", "Header Image:")."""
    for _ in range(3):  # a cut can expose another ("... Credit : Photo: PA")
        shorter = " ".join(rules()["inline"].sub(" ", text).split())
        if shorter == text:
            break
        text = shorter
    return text


def _obfuscated(text: str) -> bool:
    return sum(1 for word in text.split() if LATIN.search(word) and CYRILLIC.search(word)) >= 2
