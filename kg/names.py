"""Name normalisation and IRI slugs: the string functions the extractor and the RDF step share."""
from __future__ import annotations

import re
import unicodedata


def normalize(name: str) -> str:
    """Case-, accent-, apostrophe- and article-insensitive form of a name, for matching."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").lower()
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"[^\w'&-]+", " ", text).strip()
    text = re.sub(r"^(the|a|an) ", "", text)
    return text


def slug(name: str) -> str:
    """An IRI-safe slug of a normalised name."""
    text = re.sub(r"[^a-z0-9]+", "-", normalize(name).replace("'", "")).strip("-")
    return text or "x"
