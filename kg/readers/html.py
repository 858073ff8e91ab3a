"""Read a saved news page (HTML) into an Article: trafilatura finds the main text and metadata, boilerplate left out."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from kg.article import MAX_BYTES, Article, blocks, split_comments
from kg.errors import UserError
from kg.readers.comments import PageComment, read_comments
from kg.readers.boilerplate import is_boilerplate, is_section_end, strip_inline

# The charset a page declares in its first bytes: <meta charset="x"> or <meta http-equiv content="...; charset=x">
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
# WHATWG Encoding: pages labelled Latin-1 or ASCII are decoded as Windows-1252, as every browser does
BROWSER_ENCODING = {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252", "iso8859-9": "cp1254",
                    "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030"}
BULLETS = "•·▪◦●‣∙"  # a text block opening with one would read as a comment header in the article layout
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+")
DATE_LIKE = re.compile(r"^[\d./ -]{6,}$")
BLOCK_TAGS = {"p", "head", "item", "quote", "code", "cell"}
CONTAINER_TAGS = {"list", "quote", "table", "row", "div", "body"}
PAGE_DATE = "page"
CAPTURE_DATE = "WARC-Date"  # the date source of a page that states no date: when an archive captured it
# Share of link text that makes a block navigation: a list item that is mostly a link is a related-article
# entry ("A SIMPLE GUIDE: How do I protect myself?"); a paragraph must be all link ("Read more: ...").
NAVIGATION_LINK_SHARE = {True: 0.5, False: 0.9}


@dataclass(frozen=True)
class Block:
    kind: str  # "head" | "text" | "item" | "graphic"
    text: str
    rend: str = ""
    src: str = ""
    linked: float = 0.0  # share of the text that is link text


# ---------------------------------------------------------------- decoding

def decode_html(data: bytes, name: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Bytes -> text by the page's own labels: byte-order mark, then the HTTP charset, then the <meta> charset;
    unlabelled pages are UTF-8 when they decode as such, else Windows-1252 (with a warning)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), ()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), ()
    labels = [declared] if declared else []
    head = data[:4096]
    labels += [m.group(1).decode("ascii") for m in (XML_ENCODING.match(head), META_CHARSET.search(head)) if m]
    for label in labels:
        encoding = _codec(label)
        if encoding is None:
            continue
        try:
            return data.decode(encoding), ()
        except UnicodeDecodeError:
            text = data.decode(encoding, errors="replace")
            return text, (f"{name}: not valid {label} as declared; undecodable bytes replaced",)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), (f"{name}: no charset declared and not UTF-8; "
                                                         "decoded as Windows-1252 (cp1252)",)


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return BROWSER_ENCODING.get(name, name)


# ---------------------------------------------------------------- the page's text

def page_blocks(body) -> list[Block]:
    """trafilatura's main-text XML -> headings, text blocks, list items and pictures in reading order."""
    found: list[Block] = []

    def visit(element) -> None:
        tag = element.tag
        if tag == "graphic":
            found.append(Block("graphic", "", src=element.get("src") or ""))
            return
        if tag in BLOCK_TAGS and not any(d.tag in BLOCK_TAGS or d.tag == "graphic" or d.tag == "list"
                                         for d in element.iterdescendants()):
            text = _clean(" ".join(element.itertext()))
            if text:
                kind = {"head": "head", "item": "item"}.get(tag, "text")
                found.append(Block(kind, text, rend=element.get("rend") or "", linked=_linked(element, text)))
            return
        loose = _clean(element.text or "")
        if loose and tag not in CONTAINER_TAGS - {"quote"}:
            found.append(Block("text", loose))
        for child in element:
            visit(child)
            tail = _clean(child.tail or "")
            if tail and tag not in {"list", "table", "row"}:
                found.append(Block("text", tail))

    visit(body)
    return found


def _linked(element, text: str) -> float:
    linked = _clean(" ".join(t for ref in element.iter("ref") for t in ref.itertext()))
    return min(1.0, len(linked) / len(text)) if text else 0.0


def article_blocks(parsed: list[Block], title: str | None) -> list[Block]:
    """The blocks that are the article: navigation (list items that are mostly links, blocks that are all
    link text), a related-links section at the end, page furniture (kg/data/boilerplate.tsv) and the
    breadcrumb run-in before a repeated headline are left out."""
    kept = [b for b in parsed if b.kind == "graphic"
            or not (b.linked >= NAVIGATION_LINK_SHARE[b.kind == "item"] or is_boilerplate(b.text))]
    kept = _before_related_links(kept)
    cleaned = []
    for block in kept:
        if block.kind != "graphic":
            text = _after_headline(strip_inline(block.text), title)
            if not text or is_boilerplate(text):
                continue
            block = replace(block, text=text)
        cleaned.append(block)
    return cleaned


def _before_related_links(blocks: list[Block]) -> list[Block]:
    """Cut at a "More from ..."/"Related stories" heading in the second half when what follows it is mostly
    links or list items (other articles' titles); such a heading followed by prose is a subheading and stays."""
    for index in range(len(blocks) // 2, len(blocks)):
        if blocks[index].kind != "graphic" and is_section_end(blocks[index].text):
            after = [b for b in blocks[index + 1:] if b.kind != "graphic"]
            listed = sum(b.linked >= 0.5 or b.kind in ("item", "head") for b in after)
            if listed * 2 >= len(after):
                return blocks[:index]
    return blocks


def _after_headline(text: str, title: str | None) -> str:
    """A block that opens with a few words and then the headline ("Home News <headline> ...") is a breadcrumb
    run into the text: it starts after the headline."""
    if not title or len(title) < 20:
        return text
    at = text.find(title)
    if 0 <= at <= 60 and len(text) > at + len(title) + 1:
        return text[at + len(title):].strip()
    return text


def _clean(text: str) -> str:
    """One line of text: whitespace runs collapsed (a blank line would split the block), no leading bullet."""
    text = " ".join(text.split())
    return text.lstrip(BULLETS + " ").strip()


def clean_title(title: str | None, site_names: list[str]) -> str | None:
    """The page title without the site's name and dates appended to it ("Headline | Site | 10.06.2019")."""
    if not title:
        return None
    parts = TITLE_SEPARATORS.split(_clean(title))
    keys = [_key(name) for name in site_names if name and _key(name)]
    while len(parts) > 1 and (DATE_LIKE.match(parts[-1]) or any(_key(parts[-1]) in k or k in _key(parts[-1])
                                                                   for k in keys if _key(parts[-1]))):
        parts.pop()
    return " - ".join(parts) if len(parts) > 1 else parts[0]


def _key(name: str) -> str:
    key = "".join(ch for ch in name.casefold() if ch.isalnum())
    for suffix in ("com", "org", "net", "couk"):
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            key = key[: -len(suffix)]
            break
    return key.removeprefix("www")


def clean_publisher(sitename: str | None, title: str | None, hostname: str | None) -> str | None:
    """The site's name: the first part of a "Name | Tagline" site name; the host when the site name is the
    page's title (some pages put the headline in og:site_name)."""
    if sitename:
        name = TITLE_SEPARATORS.split(_clean(sitename))[0]
        if name and not (title and _key(name) == _key(title)):
            return name
    return hostname.removeprefix("www.") if hostname else None


def figure_captions(tree, pictures: list[str]) -> dict[str, str]:
    """Captions marked up as <figcaption> for the pictures trafilatura kept, by picture address."""
    wanted = set(pictures)
    captions: dict[str, str] = {}
    for figure in tree.iter("figure"):
        caption = next(figure.iter("figcaption"), None)
        if caption is None:
            continue
        text = _clean(" ".join(caption.itertext()))
        if not text:
            continue
        sources = [candidate for image in figure.iter("img", "amp-img", "source")
                   for attribute in ("src", "data-src", "srcset", "data-srcset")
                   for candidate in (image.get(attribute) or "").replace(",", " ").split()]
        kept = [source for source in sources if source in wanted]
        if kept:
            captions.setdefault(kept[0], text)
        elif sources and _in_story(figure):  # pictures trafilatura does not keep (AMP's amp-img)
            captions.setdefault(sources[0], text)
    return captions


def _in_story(element) -> bool:
    """Inside the article proper: an <article> that holds the headline (<h1>), or the marked-up article body."""
    for ancestor in element.iterancestors():
        if ancestor.get("itemprop") == "articleBody":
            return True
        if ancestor.tag == "article" and next(ancestor.iter("h1"), None) is not None:
            return True
    return False


# ---------------------------------------------------------------- the article

@dataclass(frozen=True)
class UnreadPage:
    """An HTML page held as its bytes, read where it is extracted. With extraction in worker processes or on a
    cluster, reading a page (trafilatura: about 50 ms, a quarter of its extraction) would otherwise be done by
    the one process that hands the work out, for every worker. ``read()`` gives what reading it at once gives."""

    data: bytes
    name: str  # the page in messages: its file, or "ARCHIVE [URL]"
    identifier: str
    source: str | None = None
    url: str | None = None  # where it came from (the page's canonical URL wins)
    given_url: str | None = None  # a URL the user gave (sidecar, --url): it wins over the page's own
    charset: str | None = None
    captured: str | None = None  # a web archive's capture time (WARC-Date)
    publisher: str | None = None
    date: str | None = None

    def read(self) -> Article:
        """The page as an Article (UserError when it holds no article, named by ``name``)."""
        article = read_html(self.data, self.name, identifier=self.identifier, source=self.source, url=self.url,
                            charset=self.charset, captured=self.captured, publisher=self.publisher, date=self.date)
        if self.given_url:
            article = replace(article, url=self.given_url)
        if article.date is None and self.captured:
            # the page states no date of its own: the capture date is the latest it can have been published
            article = replace(article, date=self.captured[:10], date_source=CAPTURE_DATE)
        return article


def read_html(data: bytes, name: str, *, identifier: str | None = None, source: str | None = None,
              url: str | None = None, charset: str | None = None, captured: str | None = None,
              publisher: str | None = None, date: str | None = None) -> Article:
    """One page -> an Article laid out as the JSON Lines path lays out a record (headline, captions,
    paragraphs, bulleted comments), so its offsets point into the text stored with the document.
    ``url`` is where the page came from (the page's canonical URL wins); options override the page."""
    import trafilatura

    if len(data) > MAX_BYTES * 4:  # pages carry markup: four times the limit for one article's text
        raise UserError(f"{name}: {len(data):,} bytes is larger than the {MAX_BYTES * 4:,}-byte limit for one page")
    html, warnings = decode_html(data, name, charset)
    tree = trafilatura.load_html(html)
    if tree is None:
        raise UserError(f"{name}: not a readable HTML page")
    page = _extract(html, url, name)
    parsed = page_blocks(page.body) if page is not None and page.body is not None else []
    if page is not None and _fell_back_to_page_chrome(parsed, page.title):
        precise = _extract(html, url, name, precision=True)
        precise_blocks = page_blocks(precise.body) if precise is not None and precise.body is not None else []
        if any(block.kind == "text" for block in precise_blocks):
            parsed = precise_blocks
    if page is None or not any(block.kind == "text" for block in parsed):
        raise UserError(f"{name}: no article text found in the HTML page (only menus, links or scripts)")

    site = clean_publisher(page.sitename, page.title, page.hostname)
    title = clean_title(page.title, [site or "", page.sitename or "", page.hostname or ""])
    first = next(index for index, block in enumerate(parsed) if block.kind != "graphic")  # a lead picture may open
    if parsed[first].kind == "head" and (parsed[first].rend == "h1" or _key(parsed[first].text) == _key(title or "")):
        title, parsed = parsed[first].text, parsed[:first] + parsed[first + 1:]  # the headline as the page shows it
    parsed = article_blocks(parsed, title)
    captions = [text for text in figure_captions(tree, [b.src for b in parsed if b.kind == "graphic"]).values()
                if not is_boilerplate(text)]
    captions = [text for text in (strip_inline(c) for c in captions) if text]
    paragraphs = [b.text for b in parsed if b.kind != "graphic" and b.text != title]
    paragraphs = [text for text in _dedupe(paragraphs) if text not in captions]
    if not any(map(_is_prose, paragraphs)):
        raise UserError(f"{name}: no article text found in the HTML page (only menus, links or scripts)")
    comments = read_comments(tree)
    said_in_comments = {text for comment in comments for text in comment.paragraphs}
    paragraphs = [text for text in paragraphs if text not in said_in_comments] or paragraphs
    page_url = page.url or url
    article = _lay_out(title, captions, paragraphs, comments, identifier or name,
                       publisher=publisher or site, url=page_url, date=date or page.date)
    date_source = ("given" if date else PAGE_DATE) if (date or page.date) else None
    return replace(article, author=_clean(page.author or "") or None, source=source, captured=captured,
                   date_source=date_source, warnings=article.warnings + warnings)


def _extract(html: str, url: str | None, name: str, *, precision: bool = False):
    """trafilatura's reading of the page (main text as XML, metadata), or None when it finds no main text."""
    import trafilatura

    try:
        # extensive_search=False: a date from the page's metadata or markup, never a guess from a copyright line
        return trafilatura.bare_extraction(
            trafilatura.load_html(html), url=url, with_metadata=True, include_comments=False, include_images=True,
            include_tables=False, include_links=True, include_formatting=False, deduplicate=False,
            favor_precision=precision, date_extraction_params={"extensive_search": False, "original_date": True},
            output_format="python")
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError) as error:
        # a third-party parser's failure on one odd page is that page's problem, not the run's
        raise UserError(f"{name}: the HTML could not be read ({type(error).__name__}: {error})") from None


def _fell_back_to_page_chrome(blocks: list[Block], title: str | None) -> bool:
    """trafilatura's default mode falls back to the page's whole text when it finds no article container (a
    paywalled page, say): the headline then recurs inside one block, between menus and share buttons. Its
    precision mode reads such pages right, but drops link words from sentences elsewhere, so it is the
    second reading only."""
    if not title or len(title) < 20:
        return False
    return any(block.text.count(title) >= 2 for block in blocks)


def _is_prose(text: str) -> bool:
    """A sentence, not a row of menu labels ("Home News Sport Sign in"): several words and punctuation."""
    words = len(text.split()) + sum(1 for ch in text if "\u3040" <= ch <= "\u9fff") // 2  # CJK has no spaces
    return words >= 6 and any(mark in text for mark in ".!?;:,。！？，")


def _dedupe(texts: list[str]) -> list[str]:
    """Each text block once: pages repeat a standfirst or a pull quote verbatim."""
    return list(dict.fromkeys(texts))


def _lay_out(title: str | None, captions: list[str], paragraphs: list[str], comments: list[PageComment],
             identifier: str, **meta) -> Article:
    """Through the JSON Lines record path (kg.ingest.article_from_record), then the parts as the page marked
    them: the layout guesser need not guess what the markup says."""
    from kg.ingest import article_from_record

    record = {"id": identifier, "title": title, "text": "\n\n".join(captions + paragraphs),
              "comments": [{"author": c.author or None, "text": "\n\n".join(c.paragraphs)} for c in comments],
              **{key: value for key, value in meta.items() if value}}
    article = article_from_record(record, identifier)
    if title is None and article.title is not None:  # the layout guessed a headline the page does not mark
        article = replace(article, title=None)
    start = article.title.end if article.title else 0
    end, _ = split_comments(article.text)
    body = blocks(article.text, start, end)
    if len(body) == len(captions) + len(paragraphs):
        article = replace(article, captions=tuple(body[:len(captions)]), paragraphs=tuple(body[len(captions):]))
    return article
