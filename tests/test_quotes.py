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
