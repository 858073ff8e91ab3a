"""Articles -> extractions: the one code path used by the CLI, ingest and the benchmarks."""
from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from kg import nlp as nlp_module
from kg.article import Article
from kg.errors import InternalError, during
from kg.extract import extract, headline, parts_of
from kg.extract.lexicon import load as load_lexicon
from kg.model import Extraction

PARSING, EXTRACTING = "parsing", "extracting"


def extract_articles(articles: Iterable[Article], *, batch_size: int = nlp_module.BATCH_SIZE,
                     nlp=None) -> Iterator[Extraction]:
    """Parse the parts of each article with one nlp.pipe stream and extract, in input order.

    A failure stops the stream with an InternalError: its step is "extracting" and its document the
    article when extraction failed; "parsing" without a document when spaCy failed on a batch (which
    article of the batch is then unknown: ``extract_robustly`` finds out).
    """
    nlp = nlp or nlp_module.load()
    pending: deque[tuple[Article, int]] = deque()  # articles whose parts are parsing; dropped once extracted

    def texts():
        for article in articles:
            parsed = parser_texts(article)
            pending.append((article, len(parsed)))
            yield from parsed

    docs = nlp.pipe(texts(), batch_size=batch_size)
    yield from _chunks(_parsed(docs), pending)


def parser_texts(article: Article) -> list[str]:
    """What the parser reads of an article: each of its parts (kg.extract.parts_of), as parser_text gives it."""
    return [parser_text(article.text[part.span.start:part.span.end]) for part in parts_of(article)]


def parser_text(text: str) -> str:
    """What the parser reads for one part of an article (headline.for_parser: title-cased cue verbs lowered)."""
    return headline.for_parser(text, _title_verb_forms())


@lru_cache(maxsize=1)
def _title_verb_forms() -> frozenset[str]:
    return headline.title_verb_forms(load_lexicon())


def _parsed(docs: Iterator) -> Iterator:
    """spaCy's stream, with a failure inside it named as the parsing step."""
    while True:
        with during(PARSING):
            doc = next(docs, None)
        if doc is None:
            return
        yield doc


def _chunks(docs, pending: deque):
    """Regroup the flat stream of parsed parts into articles (the generator fills ``pending``; each
    article leaves it when extracted, so a long corpus does not keep every article in memory)."""
    buffer = []
    for doc in docs:
        buffer.append(doc)
        while pending and len(buffer) >= pending[0][1]:
            article, count = pending.popleft()
            with during(EXTRACTING, article.identifier):
                extraction = extract(article, buffer[:count])
            yield extraction
            buffer = buffer[count:]
    while pending:  # articles with no parts at all
        article, count = pending.popleft()
        with during(EXTRACTING, article.identifier):
            extraction = extract(article, buffer[:count])
        yield extraction
        buffer = buffer[count:]


def extract_article(article: Article, nlp=None) -> Extraction:
    return next(extract_articles([article], nlp=nlp))


def extract_robustly(articles: Iterable[Article], on_failure: Callable[[Article, InternalError], None], *,
                     batch_size: int = nlp_module.BATCH_SIZE, nlp=None,
                     stop: threading.Event | None = None) -> Iterator[tuple[Article, Extraction]]:
    """(article, Extraction) pairs in input order; an article the pipeline fails on is passed to
    ``on_failure`` and left out, and only that article is lost.

    Parts of several articles share a spaCy batch, so a part spaCy cannot parse stops the whole batch
    without saying whose part it was: the articles of that batch are then parsed again one by one, and
    only the one that fails alone is reported. An extraction failure names its article, so the stream
    simply goes on after it. An exception from ``articles`` itself is raised once the articles read
    before it are done. Once ``stop`` is set (Ctrl-C) no further article is read.
    """
    nlp = nlp or nlp_module.load()
    fed: deque[Article] = deque()  # handed to spaCy, not yet yielded
    source_error: list[BaseException] = []
    source = iter(articles)

    def feed() -> Iterator[Article]:
        while stop is None or not stop.is_set():
            try:
                article = next(source)
            except StopIteration:
                return
            except Exception as error:  # noqa: BLE001 -- re-raised below, after the articles already read
                source_error.append(error)
                return
            fed.append(article)
            yield article

    while True:
        try:
            for extraction in extract_articles(feed(), batch_size=batch_size, nlp=nlp):
                yield fed.popleft(), extraction
            break
        except InternalError as error:
            if error.step == EXTRACTING and fed and error.document == fed[0].identifier:
                on_failure(fed.popleft(), error)  # extraction runs in input order: the oldest one failed
                suspects: list[Article] = []
            else:
                suspects = list(fed)
                fed.clear()
            for article in suspects:
                try:
                    extraction = _extract_alone(article, nlp)
                except InternalError as alone:
                    on_failure(article, alone)
                    continue
                yield article, extraction
            # the articles after the failed one that were already read go first, then the rest
            rest = list(fed)
            fed.clear()
            source = itertools.chain(rest, source)
    if source_error:
        raise source_error[0]


def _extract_alone(article: Article, nlp) -> Extraction:
    with during(PARSING, article.identifier):
        texts = parser_texts(article)
        docs = list(nlp.pipe(texts, batch_size=max(1, len(texts))))
    with during(EXTRACTING, article.identifier):
        return extract(article, docs)
