"""scripts/eval_polnear.py's mapping of claims to the PolNeAR scorer's schema, on texts written for the tests."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "eval_polnear.py"


@pytest.fixture(scope="module")
def eval_polnear():
    spec = importlib.util.spec_from_file_location("eval_polnear", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def spans(text, attribution, role):
    return [text[s:e] for s, e in attribution[role] or []]


def test_a_relayed_claim_is_part_of_the_outer_attribution(extract_text, eval_polnear):
    text = "The Times reported that aides to the mayor claimed the audit was rigged."
    x = extract_text(text)
    assert len(x.claims) == 2  # the graph keeps the chain
    (outer,) = eval_polnear.scorer_attributions(x)
    assert spans(text, outer, "source") == ["The Times"] and spans(text, outer, "cue") == ["reported"]
    assert spans(text, outer, "content") == ["that aides to the mayor claimed the audit was rigged"]
    both = eval_polnear.scorer_attributions(x, nested=True)
    assert sorted(spans(text, a, "cue")[0] for a in both) == ["claimed", "reported"]


def test_a_quotation_continuing_a_statement_is_another_fragment(extract_text, eval_polnear):
    text = ("“The bridge will reopen in May,” Mayor Ana Ruiz said.\n\n"
            "“We have found the money for the repairs and the work starts next week.”")
    x = extract_text(text, structured=False)
    (statement,) = eval_polnear.scorer_attributions(x)
    assert spans(text, statement, "source") == ["Mayor Ana Ruiz"]
    assert len(statement["content"]) == 2 and "found the money" in spans(text, statement, "content")[1]


def test_a_quotation_after_a_reported_statement_is_another_fragment_of_it(extract_text, eval_polnear):
    text = ("Mayor Ana Ruiz said on Tuesday that the east pier would close for repairs next month.\n\n"
            "“The pier has stood for ninety years, and it needs a new deck before the winter storms.”")
    x = extract_text(text, structured=False)
    (statement,) = eval_polnear.scorer_attributions(x)
    assert spans(text, statement, "source") == ["Mayor Ana Ruiz"] and spans(text, statement, "cue") == ["said"]
    assert spans(text, statement, "content")[-1].startswith("“The pier has stood for ninety years")


def test_a_parse_cache_of_other_texts_is_not_reused(tmp_path, capsys):
    """The trainers' parse cache must never pair one split's annotations with another split's parses."""
    import sys

    sys.path.insert(0, str(SCRIPT.parent))
    try:
        from train_cue_lexicon import parse
    finally:
        sys.path.remove(str(SCRIPT.parent))
    cache = tmp_path / "split.spacy"
    assert [d.text for d in parse(["The mayor said the bridge is safe."], cache)] == ["The mayor said the bridge is safe."]
    again = parse(["Officials denied it.", "Nobody else spoke."], cache)
    assert [d.text for d in again] == ["Officials denied it.", "Nobody else spoke."]
    assert "parsing again" in capsys.readouterr().err
    cached = parse(["Officials denied it.", "Nobody else spoke."], cache)
    assert "parsing again" not in capsys.readouterr().err  # the same texts and pipeline: read back
    assert [d.text for d in cached] == [d.text for d in again]
    # the cue model trains on the parser's context vectors, which a DocBin does not keep by itself
    assert all(numpy.array_equal(a.tensor, b.tensor) and a.tensor.size for a, b in zip(cached, again))
