"""Web inputs: HTML pages (CMS with comments, AMP, JSON-LD date, other encodings, no article), WARC archives,
URLs served from 127.0.0.1, and detection of formats by content; through the library and the real CLI."""
from __future__ import annotations

import gzip
import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

import web_pages
from conftest import run_kg
from kg.errors import UserError
from kg.readers import items_from_path, read_inputs

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
FURNITURE = ("cookies", "Share on", "All rights reserved", "Copyright", "Home News", "Leave a Reply",
             "Council approves new ferry timetable", "Reply", "says:")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    return web_pages.write_pages(tmp_path_factory.mktemp("pages"))


def only(path) -> object:
    items = list(items_from_path(path))
    assert len(items) == 1
    return items[0]


def assert_spans_point_into_text(article) -> None:
    spans = [article.title, *article.captions, *article.paragraphs]
    spans += [span for comment in article.comments for span in (comment.author, *comment.paragraphs)]
    for span in filter(None, spans):
        assert article.text[span.start:span.end] == span.text


# ---------------------------------------------------------------- pages, through the library

def test_cms_page_gives_text_metadata_and_comments_without_boilerplate(pages):
    article = only(pages["cms"])
    assert article.title.text == "Mayor rejects bridge toll plan"
    assert (article.publisher, article.author, article.date, article.date_source) == (
        "Harbour Gazette", "Nadia Okafor", "2024-03-05", "page")
    assert article.url == "https://gazette.example/2024/03/05/bridge-toll"  # the canonical link
    assert article.source == str(pages["cms"])
    assert [c.text for c in article.captions] == ["The old harbour bridge carries twelve thousand cars a day."]
    assert article.paragraphs[0].text.startswith("Mayor Elena Brandt said on Tuesday")
    assert len(article.paragraphs) == 4
    assert [(c.author.text, [p.text for p in c.paragraphs]) for c in article.comments] == [
        ("Harbourwatcher", ["The mayor is lying, the toll was her own idea last year."]),
        ("Tom Reyes", ["She said in 2022 that tolls were unfair.", "Check the minutes."]),
        ("Greta L.", ["Good decision, the ferry is full enough already."])]
    for phrase in FURNITURE:
        assert phrase not in article.text, phrase
    assert_spans_point_into_text(article)


def test_amp_page_takes_the_canonical_url_and_the_caption(pages):
    article = only(pages["amp"])
    assert article.title.text == "Port strike ends after two weeks"
    assert article.url == "https://courier.example/news/port-strike-ends"
    assert (article.publisher, article.date) == ("Coast Courier", "2023-11-20")
    assert [c.text for c in article.captions] == ["Cranes stood still at the container terminal during the strike."]
    assert "Home" not in article.text and "Ports" not in article.text
    assert_spans_point_into_text(article)


def test_a_date_only_in_json_ld_is_found_and_a_copyright_year_is_no_date(pages):
    dated = only(pages["jsonld"])
    assert (dated.date, dated.date_source, dated.author, dated.publisher) == ("2022-09-14", "page", "Ida Berg",
                                                                              "Valley Post")
    assert "© 2024" not in dated.text
    undated = only(pages["undated"])
    assert (undated.date, undated.date_source) == (None, None)  # "© 2024 Island News" is not a publication date


def test_page_without_an_article_is_a_one_line_error(pages):
    with pytest.raises(UserError, match="no article text found"):
        only(pages["empty"])


@pytest.mark.parametrize("key, words", [("cyrillic", ("Мэр отказался от платы за мост", "«Семьи не должны платить")),
                                        ("latin1", ("Café owners protest terrace fee", "José Núñez", "Ñandú"))])
def test_page_in_the_encoding_its_meta_tag_declares(pages, key, words):
    article = only(pages[key])
    for word in words:
        assert word in article.text
    assert not article.warnings


def test_html_is_recognised_by_content_whatever_its_name(pages, tmp_path):
    disguised = tmp_path / "saved-page.txt"
    disguised.write_bytes(pages["cms"].read_bytes())
    article = only(disguised)
    assert article.title.text == "Mayor rejects bridge toll plan"
    assert "<p>" not in article.text and "</" not in article.text
    from kg.article import read_article  # the text-layout reader refuses markup instead of laying it out

    with pytest.raises(UserError, match="HTML page"):
        read_article(disguised)


def test_json_lines_are_a_corpus_whatever_the_file_is_called(tmp_path):
    corpus = tmp_path / "feed.txt"
    corpus.write_text('{"id": "a1", "title": "Ferry fares rise", "text": "The ferry company said fares would rise."}\n'
                      '{"id": "a2", "text": "The council said the pier would reopen in May."}\n', encoding="utf-8")
    articles = list(items_from_path(corpus))
    assert [a.identifier for a in articles] == ["a1", "a2"]
    assert articles[0].title.text == "Ferry fares rise"


def test_html_on_stdin_is_read_as_a_page(pages):
    notes = []
    [article] = read_inputs(["-"], stdin=io.BytesIO(pages["amp"].read_bytes()), note=notes.append)
    assert article.title.text == "Port strike ends after two weeks"
    assert article.identifier == "stdin"


def unreadable_files(folder: Path) -> dict[str, tuple[Path, str]]:
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    samples = {"pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
               "docx": (docx.getvalue(), "Word document"),
               "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
               "gz": (gzip.compress(b"Mayor said the bridge stays open.\n" * 10), "gzip")}
    written = {}
    for suffix, (data, name) in samples.items():
        path = folder / f"input.{suffix}"
        path.write_bytes(data)
        written[suffix] = (path, name)
    return written


def test_formats_claimgraph_cannot_read_are_named(tmp_path):
    for path, name in unreadable_files(tmp_path).values():
        with pytest.raises(UserError, match=name):
            list(items_from_path(path))


# ---------------------------------------------------------------- WARC

@pytest.fixture(scope="module")
def warc(tmp_path_factory) -> Path:
    return web_pages.build_warc(tmp_path_factory.mktemp("warc") / "crawl.warc.gz")


def test_warc_gives_one_article_per_html_page_with_its_url_and_date(warc):
    items = list(items_from_path(warc))
    articles = [item for item in items if hasattr(item, "text")]
    skipped = {item.name.split(" [", 1)[1].rstrip("]"): item.reason for item in items if not hasattr(item, "text")}
    assert [a.source for a in articles] == ["https://gazette.example/2024/03/05/bridge-toll",
                                            "https://courier.example/amp/port-strike-ends",
                                            "https://islandnews.example/ferry", "https://news.example.ru/most"]
    cms, amp, ferry, cyrillic = articles
    assert (cms.date, cms.date_source, cms.captured) == ("2024-03-05", "page", "2024-04-01T12:00:00Z")
    assert amp.url == "https://courier.example/news/port-strike-ends"  # the page's canonical URL, not the AMP one
    assert (ferry.date, ferry.date_source) == ("2024-04-06", "WARC-Date")  # no date of its own: the capture's
    assert "Мэр отказался от платы за мост" in cyrillic.text  # the charset from the archived HTTP header
    assert len(cms.comments) == 3
    assert set(skipped) == {"https://gazette.example/missing", "https://gazette.example/login"}
    assert "404" in skipped["https://gazette.example/missing"]
    assert "no article" in skipped["https://gazette.example/login"]


def test_a_truncated_warc_is_reported_not_a_traceback(warc, tmp_path):
    broken = tmp_path / "broken.warc.gz"
    data = warc.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    items = list(items_from_path(broken))
    assert any(hasattr(item, "text") for item in items)  # the pages before the cut are read
    assert any(not hasattr(item, "text") and "unreadable" in item.reason for item in items)


# ---------------------------------------------------------------- the CLI

def test_kg_extract_html_stores_the_text_the_offsets_point_into(pages, tmp_path):
    out = tmp_path / "cms.ttl"
    result = run_kg("extract", pages["cms"], "-o", out, check=True)
    assert "Traceback" not in result.stderr_text
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    [text] = [q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(NIF + "isString"), None)]
    article = only(pages["cms"])
    assert text == article.text
    anchors = list(store.query(f"""SELECT ?begin ?end ?anchor WHERE {{
        ?span <{NIF}beginIndex> ?begin ; <{NIF}endIndex> ?end ; <{NIF}anchorOf> ?anchor }}"""))
    assert anchors
    for begin, end, anchor in anchors:
        assert text[int(begin.value):int(end.value)] == anchor.value
    rows = {(r["speaker"].value, r["claim"].value) for r in store.query("""
        PREFIX ckg: <https://w3id.org/claimkg#> PREFIX schema: <http://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?speaker ?claim WHERE { ?c a ckg:Claim ; schema:text ?claim ; prov:wasAttributedTo/schema:name ?speaker }""")}
    assert any(speaker == "Harbourwatcher" and "lying" in claim for speaker, claim in rows)
    assert any("Brandt" in speaker for speaker, _ in rows)
    document = {q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: q.object.value
                for q in store.quads_for_pattern(None, None, None) if q.predicate.value.startswith(
                    ("https://w3id.org/claimkg#", "http://schema.org/")) and q.predicate.value.endswith(
                    ("retrievedFrom", "byline", "dateSource", "datePublished", "url", "headline"))}
    assert document == {"retrievedFrom": str(pages["cms"]), "byline": "Nadia Okafor", "dateSource": "page",
                        "datePublished": "2024-03-05", "url": "https://gazette.example/2024/03/05/bridge-toll",
                        "headline": "Mayor rejects bridge toll plan"}
    validation = run_kg("validate", out)
    assert validation.returncode == 0, validation.stdout_text + validation.stderr_text


def test_kg_extract_errors_are_one_line(pages, tmp_path):
    cases = [(pages["empty"], "no article text found")]
    cases += [(path, name) for path, name in unreadable_files(tmp_path).values()]
    for path, expected in cases:
        result = run_kg("extract", path)
        assert result.returncode == 1, result.stderr_text
        lines = result.stderr_text.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: error: ") and expected in lines[0], result.stderr_text


def test_kg_ingest_reads_a_folder_of_pages_and_an_archive(pages, warc, tmp_path):
    folder = pages["cms"].parent
    store = tmp_path / "kg"
    result = run_kg("ingest", folder, warc, "--store", store)
    assert result.returncode == 1, result.stderr_text  # something was skipped (README: exit codes)
    assert "Traceback" not in result.stderr_text
    skipped = [line for line in result.stderr_text.splitlines() if line.startswith("kg: skipped")]
    assert len(skipped) == 3, result.stderr_text  # the login page (folder and archive) and the archived 404
    assert any("login.html" in line and "no article" in line for line in skipped)
    # 6 readable pages in the folder, 4 in the archive; the archive's copy of the gazette page (same canonical
    # URL, same document) replaces the folder's
    assert "10 article(s) ingested" in result.stderr_text
    opened = ox.Store(str(store))
    rows = {(r["url"].value, r["from"].value) for r in opened.query("""
        PREFIX ckg: <https://w3id.org/claimkg#> PREFIX schema: <http://schema.org/>
        SELECT ?url ?from WHERE { GRAPH ?g { ?d a ckg:NewsArticle ; schema:url ?url ; ckg:retrievedFrom ?from } }""")}
    assert ("https://islandnews.example/ferry", "https://islandnews.example/ferry") in rows
    assert ("https://gazette.example/2024/03/05/bridge-toll", "https://gazette.example/2024/03/05/bridge-toll") in rows


# ---------------------------------------------------------------- URLs, served from 127.0.0.1

class Site(BaseHTTPRequestHandler):
    """Saved pages, a redirect, a 404, a PDF and a page larger than a small limit."""

    agents: list[str] = []
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802 -- http.server's name
        Site.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/old-address":
            self.send_response(301)
            self.send_header("Location", "/news/bridge")
            self.end_headers()
            return
        status, content_type, body = Site.routes.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(pages):
    Site.routes = {"/news/bridge": (200, "text/html; charset=utf-8", pages["cms"].read_bytes()),
                   "/news/port": (200, "text/html", pages["amp"].read_bytes()),
                   "/files/report.pdf": (200, "application/pdf", b"%PDF-1.4\n" + b"0" * 100),
                   "/big": (200, "text/html", b"<html><body><p>" + b"word " * 5000 + b"</p></body></html>")}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_follows_redirects_names_claimgraph_and_limits_size(site):
    from kg.readers.url import fetch, url_articles

    Site.agents.clear()
    [article] = url_articles(f"{site}/old-address")
    assert article.title.text == "Mayor rejects bridge toll plan"
    assert article.source == f"{site}/old-address"
    assert any(f"redirected (301) to {site}/news/bridge" in warning for warning in article.warnings)
    assert Site.agents and all(agent.startswith("claimgraph/") for agent in Site.agents)
    with pytest.raises(UserError, match="HTTP 404"):
        fetch(f"{site}/nowhere")
    with pytest.raises(UserError, match="limit"):
        fetch(f"{site}/big", limit=1000)
    with pytest.raises(UserError, match="PDF"):
        url_articles(f"{site}/files/report.pdf")


def test_fetch_gives_up_after_the_timeout():
    import socket

    from kg.readers.url import fetch

    silent = socket.socket()  # accepts the connection and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        with pytest.raises(UserError, match="no answer within"):
            fetch(f"http://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.5)
    finally:
        silent.close()


def test_kg_extract_url_and_ingest_url_list(site, tmp_path):
    result = run_kg("extract", f"{site}/news/port", "-o", tmp_path / "port.ttl")
    assert result.returncode == 0, result.stderr_text
    assert "courier.example/news/port-strike-ends" in (tmp_path / "port.ttl").read_text(encoding="utf-8")
    failed = run_kg("extract", f"{site}/gone")
    assert failed.returncode == 1
    assert failed.stderr_text.strip() == f"kg: error: {site}/gone: HTTP 404 Not Found"

    listing = tmp_path / "urls.txt"
    listing.write_text(f"# pages to read\n{site}/old-address\n\n{site}/news/port\n{site}/gone\nnot a url\n",
                       encoding="utf-8")
    result = run_kg("ingest", "--urls", listing, "--store", tmp_path / "kg")
    assert result.returncode == 1, result.stderr_text  # two lines were skipped (README: exit codes)
    assert "2 article(s) ingested" in result.stderr_text
    assert f"kg: skipped {site}/gone: HTTP 404 Not Found" in result.stderr_text
    assert f"kg: skipped {listing}:6: not an http(s) URL" in result.stderr_text
    assert "redirected (301)" in result.stderr_text
