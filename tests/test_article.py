"""The article reader: layout parts with offsets, metadata from options or a sidecar file."""
from __future__ import annotations

import json

import pytest

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


# ---------------------------------------------------------------- the comment layout

from hypothesis import given, settings, strategies as st  # noqa: E402

from kg.article import article_from_text, comment_block  # noqa: E402

STORY = "Bridge Reopens After Repairs\n\nThe mayor said the bridge is safe again.\n\nTraffic resumes Monday.\n"


def _authors(article):
    return [comment.author.text for comment in article.comments]


def _comment_texts(article):
    return [[article.text[p.start:p.end] for p in comment.paragraphs] for comment in article.comments]


def test_comment_section_layout():
    text = STORY + "\n\n  • Rosa M\n\n    Finally!\n\n  • dan_b\n\n\n    Took them long enough.\n\n    Two years.\n"
    article = article_from_text(text, identifier="t")
    assert _authors(article) == ["Rosa M", "dan_b"]
    assert _comment_texts(article) == [["Finally!"], ["Took them long enough.", "Two years."]]
    assert [p.text for p in article.paragraphs] == ["The mayor said the bridge is safe again.", "Traffic resumes Monday."]
    assert text[article.comments[0].author.start:article.comments[0].author.end] == "Rosa M"


def test_a_bullet_line_inside_a_comment_stays_that_comment():
    # the commenter typed a line that looks like the next comment's header; it is indented like her text
    text = STORY + "\n  • Rosa M\n\n    I agree.\n      • Mayor Lee\n\n      I admit the bridge is unsafe.\n"
    article = article_from_text(text, identifier="t")
    assert _authors(article) == ["Rosa M"]
    assert "Mayor Lee" in _comment_texts(article)[0][0] and "unsafe" in _comment_texts(article)[0][1]


@pytest.mark.parametrize("spoof", ["I agree.\n  • Mayor Lee\n\n    I admit the bridge is unsafe.",
                                   "• Mayor Lee\n\nI admit the bridge is unsafe.",
                                   "  • Mayor Lee\n      I admit the bridge is unsafe.\n• Mayor Lee"])
def test_a_composed_comment_cannot_impersonate(spoof):
    text = STORY + "\n" + comment_block("Rosa M", spoof) + "\n\n" + comment_block("dan_b", "Nice.") + "\n"
    article = article_from_text(text, identifier="t")
    assert _authors(article) == ["Rosa M", "dan_b"]
    assert "Mayor Lee" in " ".join(_comment_texts(article)[0])


def test_a_list_inside_the_article_stays_article_text():
    text = ("Budget Passes\n\nThe council said the budget funds three things:\n\n  • Roads and bridges\n"
            "  • Two new schools\n\n• A park\n\nThe mayor said the vote was close.\n")
    article = article_from_text(text, identifier="t")
    assert article.comments == ()
    assert article.paragraphs[-1].text == "The mayor said the vote was close."
    assert any("Two new schools" in p.text for p in article.paragraphs)


@pytest.mark.parametrize("items", ["• Roads\n• Schools", "  • Roads\n  • Schools", "  • Roads\n\n  • Schools"])
def test_a_list_ending_the_article_is_neither_comments_nor_their_author(items):
    article = article_from_text(f"Budget Passes\n\nThe budget funds:\n\n{items}\n", identifier="t")
    assert article.comments == () and "Schools" in article.paragraphs[-1].text
    text = f"Budget Passes\n\nThe budget funds:\n\n{items}\n\n" + comment_block("Rosa M", "Good.") + "\n"
    article = article_from_text(text, identifier="t")
    assert _authors(article) == ["Rosa M"] and _comment_texts(article) == [["Good."]]
    assert "Schools" in article.paragraphs[-1].text


def test_windows_line_endings_keep_the_layout():
    text = (STORY + "\n  • Rosa M\n\n    Finally!\n").replace("\n", "\r\n")
    article = article_from_text(text, identifier="t")
    assert article.title.text == "Bridge Reopens After Repairs"
    assert len(article.paragraphs) == 2 and _authors(article) == ["Rosa M"]
    assert _comment_texts(article) == [["Finally!"]]


NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(lambda s: s.strip())
BODIES = st.lists(st.sampled_from(["I agree.", "• Mayor Lee", "  • Mayor Lee", "", "“Quote,” she said:",
                                   "\u00a0• x", "\t• tab", "    indented", "• ", "A: yes"])
                  | st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
                  min_size=1, max_size=6).map("\n".join).filter(lambda s: s.strip())


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(NAMES, BODIES), min_size=1, max_size=4), st.sampled_from(["", "• item\n\n", "  • item\n"]))
def test_composed_comments_read_back_as_written(comments, before):
    text = STORY + "\n" + before + "\n\n".join(comment_block(a, b) for a, b in comments) + "\n"
    article = article_from_text(text, identifier="t")
    assert _authors(article) == [" ".join(a.split()) for a, _ in comments]
    for comment, (_, body) in zip(article.comments, comments):
        assert " ".join(" ".join(_comment_texts_of(article, comment)).split()) == " ".join(body.split())


def _comment_texts_of(article, comment):
    return [article.text[p.start:p.end] for p in comment.paragraphs]


def test_corpus_comments_keep_their_paragraphs_and_cannot_impersonate():
    from kg.ingest import article_from_record

    record = {"text": "The mayor said the bridge is safe.", "comments": [
        {"author": "Rosa M", "text": "First point.\n\nSecond point.\n  • Mayor Lee\n\n    I admit it is unsafe."},
        {"author": "dan_b", "text": "Nice."}]}
    article = article_from_record(record, "corpus.jsonl:1")
    assert _authors(article) == ["Rosa M", "dan_b"]
    assert _comment_texts(article)[0][:2] == ["First point.", "Second point.\n      • Mayor Lee"]
    assert [p.text for p in article.paragraphs] == ["The mayor said the bridge is safe."]
