"""Articles -> extractions: the one code path used by the CLI, ingest and the benchmarks."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from kg import nlp as nlp_module
from kg.article import Article
from kg.extract import extract, parts_of
from kg.model import Extraction


def extract_articles(articles: Iterable[Article], *, batch_size: int = nlp_module.BATCH_SIZE,
                     nlp=None) -> Iterator[Extraction]:
    """Parse the parts of each article with one nlp.pipe stream and extract, in input order."""
    nlp = nlp or nlp_module.load()
    pending: deque[tuple[Article, int]] = deque()  # articles whose parts are parsing; dropped once extracted

    def texts():
        for article in articles:
            parts = parts_of(article)
            pending.append((article, len(parts)))
            for part in parts:
                yield article.text[part.span.start:part.span.end]

    docs = nlp.pipe(texts(), batch_size=batch_size)
    for doc in _chunks(docs, pending):
        yield doc


def _chunks(docs, pending: deque):
    """Regroup the flat stream of parsed parts into articles (the generator fills ``pending``; each
    article leaves it when extracted, so a long corpus does not keep every article in memory)."""
    buffer = []
    for doc in docs:
        buffer.append(doc)
        while pending and len(buffer) >= pending[0][1]:
            article, count = pending.popleft()
            yield extract(article, buffer[:count])
            buffer = buffer[count:]
    while pending:  # articles with no parts at all
        article, count = pending.popleft()
        yield extract(article, buffer[:count])
        buffer = buffer[count:]


def extract_article(article: Article, nlp=None) -> Extraction:
    return next(extract_articles([article], nlp=nlp))
