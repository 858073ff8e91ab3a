"""Fetch a news page by URL (timeout, size limit, a User-Agent naming claimgraph, redirects followed and reported)."""
from __future__ import annotations

import http.client
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import UserError

TIMEOUT = 20.0  # seconds without an answer before a fetch gives up
PAGE_LIMIT = 20_000_000  # bytes; a news page with its markup is well under 5 MB
MAX_REDIRECTS = 10
URL = re.compile(r"^https?://[^\s/]+", re.I)


def user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("claimgraph")
    except PackageNotFoundError:
        number = "dev"
    return f"claimgraph/{number} (news claim-provenance extractor; python-urllib)"


def is_url(name: str) -> bool:
    return bool(URL.match(name))


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    data: bytes
    media_type: str
    charset: str | None
    redirects: tuple[tuple[int, str], ...]  # (status, location) per hop


class _Recorder(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does and keeps each hop, so the report can say where the page moved."""

    max_redirections = MAX_REDIRECTS

    def __init__(self):
        self.hops: list[tuple[int, str]] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(newurl):
            raise UserError(f"{req.full_url}: redirected to {newurl!r}, which is not an http(s) URL")
        self.hops.append((code, newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, timeout: float = TIMEOUT, limit: int = PAGE_LIMIT) -> Fetched:
    """GET one page; every failure is a UserError of one line that names the URL."""
    if not is_url(url):
        raise UserError(f"{url}: not an http(s) URL")
    recorder = _Recorder()
    opener = urllib.request.build_opener(recorder)
    request = urllib.request.Request(url, headers={
        "User-Agent": user_agent(), "Accept-Encoding": "identity",
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"})
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise UserError(f"{url}: {int(declared):,} bytes is larger than the {limit:,}-byte limit for one page")
            data = response.read(limit + 1)
            if len(data) > limit:
                raise UserError(f"{url}: larger than the {limit:,}-byte limit for one page")
            return Fetched(url, response.geturl(), data, response.headers.get_content_type(),
                           response.headers.get_content_charset(), tuple(recorder.hops))
    except urllib.error.HTTPError as error:
        where = f" (after redirect to {error.url})" if recorder.hops else ""
        raise UserError(f"{url}: HTTP {error.code} {error.reason}{where}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise UserError(f"{url}: no answer within {timeout:g} s") from None
        raise UserError(f"{url}: cannot fetch ({error.reason})") from None
    except (TimeoutError, socket.timeout):
        raise UserError(f"{url}: no answer within {timeout:g} s") from None
    except (http.client.HTTPException, OSError, ValueError) as error:
        raise UserError(f"{url}: cannot fetch ({type(error).__name__}: {error})") from None


def url_articles(url: str, *, publisher: str | None = None, date: str | None = None, structured: bool = True,
                 timeout: float = TIMEOUT):
    """The article(s) at a URL: an HTML page, or a text article served as text/plain."""
    from kg.readers import articles_from_bytes

    page = fetch(url, timeout=timeout)
    notes = tuple(f"{url}: redirected ({code}) to {location}" for code, location in page.redirects)
    articles = articles_from_bytes(page.data, url, identifier=url, source=url, url=page.final_url,
                                   charset=page.charset, publisher=publisher, date=date, structured=structured)
    return [replace(article, warnings=notes + article.warnings) for article in articles]


def read_url_list(path: str | Path) -> tuple[list[str], list[tuple[str, str]]]:
    """A file of URLs, one a line ('#' comments and blank lines ignored): the URLs and the (line, reason) of
    lines that are not http(s) URLs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read the URL list ({error})") from None
    urls, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            urls.append(line)
        else:
            bad.append((f"{path}:{number}", f"not an http(s) URL: {line[:80]}"))
    return urls, bad
