"""News pages written for the tests (invented text): a CMS page with comments, an AMP page, a JSON-LD-only date,
a page with no article, pages in Windows-1251 and ISO-8859-1, and a WARC archive built from them with warcio."""
from __future__ import annotations

import io
from pathlib import Path

NAV = """<header><nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>"""

FOOTER = """<footer class="site-footer"><p>Copyright © 2024 Harbour Gazette. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>"""

CMS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Mayor rejects bridge toll plan | Harbour Gazette</title>
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:title" content="Mayor rejects bridge toll plan">
<meta name="author" content="Nadia Okafor">
<meta property="article:published_time" content="2024-03-05T08:15:00+00:00">
<link rel="canonical" href="https://gazette.example/2024/03/05/bridge-toll">
</head><body class="single-post">
{NAV}
<main><article class="post">
<h1 class="entry-title">Mayor rejects bridge toll plan</h1>
<p class="byline">By <span class="author">Nadia Okafor</span> · <time datetime="2024-03-05">March 5, 2024</time></p>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a> <a href="#">Email</a></div>
<figure><img src="https://gazette.example/img/bridge.jpg" alt="bridge">
<figcaption>The old harbour bridge carries twelve thousand cars a day.</figcaption></figure>
<div class="entry-content">
<p>Mayor Elena Brandt said on Tuesday that the city would not charge a toll on the harbour bridge, rejecting a
proposal from the transport board.</p>
<p>"Families who cross the bridge to work should not pay twice for the same road," Brandt told reporters at
city hall.</p>
<p>The transport board had argued that a toll would raise four million euros a year for repairs. Board chairman
Piet de Vries said the decision left the repairs without a budget.</p>
<p>According to the city's engineers, the bridge needs new cables within five years.</p>
</div>
<ul class="related"><li><a href="/a">Council approves new ferry timetable</a></li>
<li><a href="/b">Harbour festival returns in June</a></li></ul>
</article>
<section id="comments" class="comments-area">
<h2 class="comments-title">3 comments</h2>
<ol class="comment-list">
<li id="comment-11" class="comment even thread-even depth-1">
 <article id="div-comment-11" class="comment-body">
  <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Harbourwatcher</b>
   <span class="says">says:</span></div>
   <div class="comment-metadata"><time datetime="2024-03-05T10:00:00+00:00">March 5, 2024 at 10:00</time></div></footer>
  <div class="comment-content"><p>The mayor is lying, the toll was her own idea last year.</p></div>
  <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>
 </article>
 <ol class="children">
 <li id="comment-12" class="comment odd alt depth-2">
  <article id="div-comment-12" class="comment-body">
   <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Tom Reyes</b>
    <span class="says">says:</span></div></footer>
   <div class="comment-content"><p>She said in 2022 that tolls were unfair.</p><p>Check the minutes.</p></div>
  </article>
 </li></ol>
</li>
<li id="comment-13" class="comment even thread-odd depth-1">
 <article id="div-comment-13" class="comment-body">
  <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Greta L.</b></div></footer>
  <div class="comment-content"><p>Good decision, the ferry is full enough already.</p></div>
 </article>
</li>
</ol>
<div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea><button>Post Comment</button></form></div>
</section>
</main>
{FOOTER}
</body></html>
"""

AMP_PAGE = """<!doctype html>
<html ⚡ lang="en">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<title>Port strike ends after two weeks - Coast Courier</title>
<link rel="canonical" href="https://courier.example/news/port-strike-ends">
<meta name="viewport" content="width=device-width">
<meta property="og:site_name" content="Coast Courier">
<meta property="article:published_time" content="2023-11-20T17:40:00Z">
<style amp-boilerplate>body{-webkit-animation:none;animation:none}</style>
<style amp-custom>.story{margin:0}</style>
</head>
<body>
<amp-sidebar id="menu" layout="nodisplay"><ul><li><a href="/">Home</a></li><li><a href="/ports">Ports</a></li></ul></amp-sidebar>
<article class="story">
<h1>Port strike ends after two weeks</h1>
<figure><amp-img src="https://courier.example/img/cranes.jpg" width="800" height="450" layout="responsive" alt="cranes"></amp-img>
<figcaption>Cranes stood still at the container terminal during the strike.</figcaption></figure>
<p>Dock workers voted on Monday to end a two-week strike at the container port, the union said.</p>
<p>Union leader Marta Silva said the workers had won a pay rise of six percent and shorter night shifts.</p>
<p>"This agreement shows that the port cannot run without us," Silva said after the vote.</p>
<p>The port authority said ships would be unloaded again from Tuesday morning.</p>
</article>
<amp-social-share type="twitter"></amp-social-share><amp-social-share type="facebook"></amp-social-share>
</body></html>
"""

JSON_LD_DATE_PAGE = """<html><head>
<title>Library to open on Sundays</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Library to open on Sundays",
 "datePublished": "2022-09-14T07:00:00+02:00", "author": {"@type": "Person", "name": "Ida Berg"},
 "publisher": {"@type": "Organization", "name": "Valley Post"}}
</script>
</head><body>
<div class="content"><h1>Library to open on Sundays</h1>
<p>The town library will open on Sundays from October, librarian Ida Holm said on Wednesday.</p>
<p>Holm said the council had agreed to pay for two more staff members after a petition signed by nine hundred
residents.</p>
<p>"Sunday is the only day many families have time to read together," she said.</p>
</div>
<p class="copyright">© 2024 Valley Post</p>
</body></html>
"""

UNDATED_PAGE = """<html><head><title>Ferry timetable changes</title></head><body>
<article><h1>Ferry timetable changes</h1>
<p>The ferry company said the first crossing would leave at six instead of seven from next month.</p>
<p>A spokesman said the change followed complaints from commuters who missed their trains.</p>
<p>Passengers' association chair Lena Vos said the company should also add a late crossing on Fridays.</p>
</article><footer>© 2024 Island News</footer></body></html>
"""

NO_ARTICLE_PAGE = """<!DOCTYPE html><html><head><title>Sign in - Harbour Gazette</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<form action="/login"><label>Email <input name="email"></label><label>Password <input type="password"></label>
<button>Sign in</button></form>
<footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>
"""

CYRILLIC_PAGE = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Мэр отказался от платы за мост</title></head><body>
<article><h1>Мэр отказался от платы за мост</h1>
<p>Мэр Елена Брандт заявила во вторник, что город не будет брать плату за проезд по мосту через гавань.</p>
<p>«Семьи не должны платить дважды за одну и ту же дорогу», — сказала Брандт журналистам в мэрии.</p>
<p>По словам инженеров города, мосту нужны новые тросы в течение пяти лет.</p>
</article></body></html>
"""

LATIN1_PAGE = """<html><head><meta charset="iso-8859-1"><title>Café owners protest terrace fee</title></head><body>
<article><h1>Café owners protest terrace fee</h1>
<p>Owners of cafés on the Plaça Major said on Friday that the new terrace fee of 400 euros was too high.</p>
<p>"We pay more for the terrace than for the kitchen," said José Núñez, who runs the Café Ñandú.</p>
<p>The council said the fee would pay for cleaning the square after the summer markets.</p>
</article></body></html>
"""


def write_pages(folder: Path) -> dict[str, Path]:
    """The pages as files, each in the encoding its markup declares."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"cms": ("cms.html", CMS_PAGE, "utf-8"), "amp": ("amp.html", AMP_PAGE, "utf-8"),
             "jsonld": ("jsonld.html", JSON_LD_DATE_PAGE, "utf-8"), "undated": ("undated.htm", UNDATED_PAGE, "utf-8"),
             "empty": ("login.html", NO_ARTICLE_PAGE, "utf-8"), "cyrillic": ("cyrillic.html", CYRILLIC_PAGE, "cp1251"),
             "latin1": ("latin1.html", LATIN1_PAGE, "latin-1")}
    written = {}
    for key, (name, page, encoding) in files.items():
        path = folder / name
        path.write_bytes(page.encode(encoding))
        written[key] = path
    return written


def build_warc(path: Path) -> Path:
    """A gzipped WARC as a crawler writes it: a request and a response per page, plus an image, a 404 page,
    a page with no article and a page with no date of its own."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    captures = [
        ("https://gazette.example/2024/03/05/bridge-toll", "200 OK", "text/html; charset=utf-8", CMS_PAGE.encode()),
        ("https://courier.example/amp/port-strike-ends", "200 OK", "text/html", AMP_PAGE.encode()),
        ("https://gazette.example/img/bridge.jpg", "200 OK", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
        ("https://gazette.example/missing", "404 Not Found", "text/html", b"<html><body><h1>Not found</h1></body></html>"),
        ("https://gazette.example/login", "200 OK", "text/html", NO_ARTICLE_PAGE.encode()),
        ("https://islandnews.example/ferry", "200 OK", "text/html", UNDATED_PAGE.encode()),
        ("https://news.example.ru/most", "200 OK", "text/html; charset=windows-1251", CYRILLIC_PAGE.encode("cp1251")),
    ]
    with path.open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        for number, (uri, status, content_type, body) in enumerate(captures):
            date = f"2024-04-0{number + 1}T12:00:00Z"
            request = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""),
                                                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")],
                                                                              is_http_request=True),
                                                warc_headers_dict={"WARC-Date": date})
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            response = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                                 warc_headers_dict={"WARC-Date": date})
            writer.write_record(response)
    return path
