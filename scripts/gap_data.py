"""GAP rows (Webster et al. 2018) read as the extractor's coreference sees them: snippet parse, discourse, A/B."""
from __future__ import annotations

import csv
import hashlib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import coref  # noqa: E402
from kg.names import normalize  # noqa: E402


@dataclass
class Row:
    id: str
    text: str
    pronoun: str
    offset: int
    names: tuple[tuple[str, int, bool], tuple[str, int, bool]]  # (A, offset, coref), (B, offset, coref)


def rows(path: Path) -> list[Row]:
    """The rows of a GAP tsv file (a one-line error on a file that is not one)."""
    found = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"ID", "Text", "Pronoun", "Pronoun-offset", "A", "A-offset", "A-coref", "B", "B-offset",
                   "B-coref"} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"eval_gap: error: {path} is not a GAP file (no column {sorted(missing)[0]})")
        for r in reader:
            found.append(Row(r["ID"], r["Text"], r["Pronoun"], int(r["Pronoun-offset"]),
                             ((r["A"], int(r["A-offset"]), r["A-coref"].upper() == "TRUE"),
                              (r["B"], int(r["B-offset"]), r["B-coref"].upper() == "TRUE"))))
    return found


def parses(texts: list[str]):
    """spaCy Docs of the snippets with the extractor's pipeline (cached under /tmp by content hash)."""
    from spacy.tokens import DocBin

    from kg.nlp import load, parse

    nlp = load()
    digest = hashlib.sha256("\x1e".join(texts).encode("utf-8")).hexdigest()[:16]
    cache = Path("/tmp") / f"claimgraph-gap-{digest}.spacy"
    if cache.exists():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(parse(texts, nlp))
    DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs


def entity_for(discourse: coref.Discourse, name: str, offset: int) -> coref.Entity | None:
    """The entity the system found for a labelled name: one whose mention overlaps it, else one of that name."""
    end = offset + len(name)
    for entity in discourse.entities:
        if any(s.start < end and offset < s.end for s in entity.sites):
            return entity
    key = normalize(name)
    for entity in discourse.entities:
        keys = entity.keys()
        if key in keys or any(k.split()[-1] == key.split()[-1] for k in keys if k and key):
            return entity
    return None


@lru_cache(maxsize=4)
def instances(path: Path) -> list:
    """Per row: (row, discourse, pronoun site, entity of A, entity of B)."""
    from kg.extract.lexicon import load as load_lexicon

    lexicon = load_lexicon()
    data = rows(path)
    found = []
    for row, doc in zip(data, parses([r.text for r in data])):
        discourse = coref.read([(0, doc)], lexicon)
        site = discourse.pronoun_at(row.offset)
        entities = tuple(entity_for(discourse, name, offset) for name, offset, _ in row.names)
        found.append((row, discourse, site, entities))
    return found
