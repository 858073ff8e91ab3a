"""The quotation finder: every mark convention newspapers use, and stray marks that must not swallow text."""
from __future__ import annotations

import pytest

from kg.extract.quotes import find_quotes


def quoted(text):
    return [text[s:e] for s, e in find_quotes(text)]


@pytest.mark.parametrize("text,expected", [
    ("“We will rebuild,” she said. “It takes time.”", ["“We will rebuild,”", "“It takes time.”"]),
    ('"We will rebuild," she said.', ['"We will rebuild,"']),
    # the typewriter convention of newspaper archives: two apostrophes open and close
    ("''We will rebuild,'' she said. ''It takes time.''", ["''We will rebuild,''", "''It takes time.''"]),
    ("He said, ''They told me 'no.' ''", ["''They told me 'no.' ''"]),
    ("He said, ''They told me 'no.''' and left.", ["''They told me 'no.'''"]),
    # mixed marks: a curly quotation closed by a straight mark, and the reverse
    ('“The economy is strong," he said.', ['“The economy is strong,"']),
    ('"The economy is strong.” he said.', ['"The economy is strong.”']),
])
def test_quotation_marks(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The board is 5'' thick and 3\" wide.", []),  # inch marks glued to numbers open nothing
    ("“An unclosed quotation runs to the end of its paragraph\nand no further.", ["“An unclosed quotation runs to the end of its paragraph"]),
    ("“First” and then “second” and \"third\".", ["“First”", "“second”", '"third"']),
])
def test_stray_marks_do_not_swallow_the_text(text, expected):
    assert quoted(text) == expected


# ---------------------------------------------------------------- nested statements

def test_statements_nested_in_statements_keep_their_chains(extract_text):
    x = extract_text("Ana Lima said that Ben Ortiz told her that Carla Diaz claimed “the bridge was unsafe.”")
    chains = {c.text: [x.agent(link.source).name for link in c.chain[:-1]] for c in x.claims}
    assert chains["“the bridge was unsafe.”"] == ["Carla Diaz", "Ben Ortiz", "Ana Lima"]
    assert chains["Carla Diaz claimed “the bridge was unsafe.”"] == ["Ben Ortiz", "Ana Lima"]


def test_deep_nesting_reads_the_outer_statement_whole(extract_text):
    # far deeper than any real sentence: the outer statement holds everything nested in it, down to the end
    levels = 120
    text = "".join(f"“Officer {i} said " for i in range(levels)) + "the bridge is safe" + "”" * levels + " she said."
    x = extract_text(text)
    outer = max(x.claims, key=lambda c: c.anchor.end - c.anchor.start)
    assert "the bridge is safe" in outer.text and "Officer 1 said" in outer.text
    for claim in x.claims:
        for span in claim.content:
            assert text[span.start:span.end] == span.text


def test_linear_subtrees_are_spacys_subtrees(nlp):
    from kg.extract.tokens import depth, subtree, subtree_indices

    text = ("Ana Lima, who chairs the board, said that Ben Ortiz told her, while they walked, that the bridge, "
            "which opened in May, was unsafe. " + " ".join(f"Officer {i} said that" for i in range(40)) + " it rains.")
    doc = nlp(text)
    for token in doc:
        assert subtree_indices(token) == [t.i for t in token.subtree]
        assert [t.i for t in subtree(token)] == [t.i for t in token.subtree]
        assert depth(token) == len(list(token.ancestors))
