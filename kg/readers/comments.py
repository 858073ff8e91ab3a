"""Reader comments (author + text) from the markup a page uses for them: schema.org Comment items and CMS comment lists."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

# trafilatura finds comment sections but returns them as one anonymous text (on the 50 benchmark pages, the 6
# sections it found were all comment policies and sign-in forms), so the author/text pairs are read from the
# markup conventions pages use: schema.org microdata or JSON-LD, and the class names of WordPress-style CMSs.
MAX_COMMENTS = 500
CONTAINER_CLASS = re.compile(r"^(comment|comment-body|comment-item|comment-container|comment-wrapper|commentlist-item|"
                             r"single-comment|media-comment)$", re.I)
AUTHOR_CLASS = re.compile(r"^(fn|comment-author(-name)?|comment-user(name)?|comment__author|author-name|username|"
                          r"user-name|commenter|comment-name)$", re.I)
TEXT_CLASS = re.compile(r"^(comment-content|comment-text|comment_text|comment-body-text|comment__text|"
                        r"comment-message|commenttext)$", re.I)
SAYS = re.compile(r"\s+(says|said|wrote)\s*:?\s*$", re.I)


@dataclass(frozen=True)
class PageComment:
    author: str  # "" when the markup names nobody
    paragraphs: tuple[str, ...]


def read_comments(tree) -> list[PageComment]:
    """The page's reader comments in page order; none when its HTML holds no marked-up comments
    (comments loaded by a script, such as Disqus, are not in a saved page)."""
    found = _microdata(tree) or _cms_lists(tree) or _json_ld(tree)
    return found[:MAX_COMMENTS]


def _microdata(tree) -> list[PageComment]:
    found = []
    for item in tree.xpath("//*[@itemscope][contains(@itemtype, 'schema.org/Comment')]"):
        inner = set(item.xpath(".//*[@itemscope][contains(@itemtype, 'schema.org/Comment')]//*"))
        author = next((e for e in item.xpath(".//*[@itemprop='author' or @itemprop='creator']") if e not in inner), None)
        if author is not None:
            named = author.xpath(".//*[@itemprop='name']")
            author = named[0] if named else author
        text = next((e for e in item.xpath(".//*[@itemprop='text' or @itemprop='commentText' "
                                           "or @itemprop='description']") if e not in inner), None)
        comment = _comment(author, text)
        if comment:
            found.append(comment)
    return found


def _cms_lists(tree) -> list[PageComment]:
    """Comment bodies with a CMS class (WordPress "comment-content"), each with the author of its own comment
    container (replies nest inside their parent's container, so the nearest container is the comment)."""
    found = []
    for text in tree.xpath("//*[@class]"):
        if not _has_class(text, TEXT_CLASS):
            continue
        container = next((a for a in text.iterancestors() if _has_class(a, CONTAINER_CLASS)), None)
        if container is None:
            continue
        nested = {d for other in container.iterdescendants() if other is not text and _has_class(other, CONTAINER_CLASS)
                  for d in other.iter()}
        authors = [e for e in container.iterdescendants() if e not in nested and _has_class(e, AUTHOR_CLASS)]
        # "fn" (the hCard name) is inside "comment-author" in WordPress: the innermost is the name alone
        author = next((e for e in authors if not any(_has_class(d, AUTHOR_CLASS) for d in e.iterdescendants())), None)
        comment = _comment(author, text)
        if comment:
            found.append(comment)
    return found


def _json_ld(tree) -> list[PageComment]:
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _json_comments(data):
            author = item.get("author")
            name = author.get("name") if isinstance(author, dict) else author
            text = item.get("text") or item.get("commentText")
            if isinstance(name, str) and isinstance(text, str) and _squash(name) and _squash(text):
                found.append(PageComment(_squash(name), tuple(p for p in map(_squash, text.split("\n\n")) if p)))
    return found


def _json_comments(data):
    """Every object of type Comment in a JSON-LD document, in document order."""
    if isinstance(data, list):
        for value in data:
            yield from _json_comments(value)
    elif isinstance(data, dict):
        kind = data.get("@type")
        if kind == "Comment" or (isinstance(kind, list) and "Comment" in kind):
            yield data
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _json_comments(value)


def _comment(author, text) -> PageComment | None:
    if text is None:
        return None
    paragraphs = [_squash(" ".join(p.itertext())) for p in text.iter("p")] or [_squash(" ".join(text.itertext()))]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return None
    name = SAYS.sub("", _squash(" ".join(author.itertext()))) if author is not None else ""
    return PageComment(name, tuple(paragraphs))  # no name: the record path numbers it ("Commenter 2")


def _has_class(element, pattern: re.Pattern) -> bool:
    classes = element.get("class") if isinstance(element.tag, str) else None
    return bool(classes) and any(pattern.match(token) for token in classes.split())


def _squash(text: str) -> str:
    return " ".join(text.split()).lstrip("•·▪◦●‣∙ ")
