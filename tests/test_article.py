"""The article reader: layout parts with offsets, metadata from options or a sidecar file."""
from __future__ import annotations

import json

from kg.article import read_article
from conftest import SEED


def test_seed_layout():
    article = read_article(SEED)
    text = article.text
    assert text[article.title.start:article.title.end].startswith("Hay’at Tahir al-Sham Claims")
    assert [c.text for c in article.captions] == ["A vehicle of Jaysh al-Ahrar after an IED attack"]
    assert len(article.paragraphs) == 4 and len(article.comments) == 11
    alpha = next(c for c in article.comments if c.author.text == "Alpha&Omega")
    assert len(alpha.paragraphs) == 2
    for comment in article.comments:
        assert text[comment.author.start:comment.author.end] == comment.author.text
        for paragraph in comment.paragraphs:
            assert text[paragraph.start:paragraph.end] == paragraph.text


def test_plain_text_without_comments(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("First paragraph says a thing.\n\nSecond paragraph, longer, says another thing.")
    article = read_article(path)
    assert article.comments == () and len(article.paragraphs) == 2


def test_sidecar_metadata_and_options(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Ana Lima said that the bridge is open.")
    (tmp_path / "story.meta.json").write_text(json.dumps({"publisher": "Valley News", "url": "https://valley.example/a",
                                                          "date": "2024-05-01"}))
    article = read_article(path)
    assert (article.publisher, article.url, article.date) == ("Valley News", "https://valley.example/a", "2024-05-01")
    assert read_article(path, publisher="Other Daily").publisher == "Other Daily"


def test_doc_id_follows_the_url_when_known(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Version one of the story.")
    second.write_text("Version two, edited.")
    assert read_article(first).doc_id != read_article(second).doc_id
    url = "https://news.example/story"
    assert read_article(first, url=url).doc_id == read_article(second, url=url).doc_id
