"""Articles -> extractions: the one code path used by the CLI, ingest and the benchmarks."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg import nlp as nlp_module
from kg.article import Article
from kg.extract import extract, parts_of
from kg.model import Extraction


def extract_articles(articles: Iterable[Article], *, batch_size: int = nlp_module.BATCH_SIZE,
                     nlp=None) -> Iterator[Extraction]:
    """Parse the parts of each article with one nlp.pipe stream and extract, in input order."""
    nlp = nlp or nlp_module.load()
    pending: list[tuple[Article, int]] = []

    def texts():
        for article in articles:
            parts = parts_of(article)
            pending.append((article, len(parts)))
            for part in parts:
                yield article.text[part.span.start:part.span.end]

    docs = nlp.pipe(texts(), batch_size=batch_size)
    for doc in _chunks(docs, pending):
        yield doc


def _chunks(docs, pending):
    """Regroup the flat stream of parsed parts into articles (the generator fills ``pending``)."""
    buffer = []
    index = 0
    for doc in docs:
        buffer.append(doc)
        while index < len(pending) and len(buffer) >= pending[index][1]:
            article, count = pending[index]
            yield extract(article, buffer[:count])
            buffer = buffer[count:]
            index += 1
    while index < len(pending):  # articles with no parts at all
        article, count = pending[index]
        yield extract(article, buffer[:count])
        buffer = buffer[count:]
        index += 1


def extract_article(article: Article, nlp=None) -> Extraction:
    return next(extract_articles([article], nlp=nlp))
