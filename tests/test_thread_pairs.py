"""The labelled cross-article claim pairs (benchmarks/threads/): schema and counts, and the scripts that make and check them."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "benchmarks" / "threads" / "polnear_pairs.jsonl"
CANDIDATES = ROOT / "benchmarks" / "threads" / "candidates.jsonl"
DISPUTE_CANDIDATES = ROOT / "benchmarks" / "threads" / "dispute_candidates.jsonl"
LOOSER_CANDIDATES = ROOT / "benchmarks" / "threads" / "looser_candidates.jsonl"
SCRIPTS = ROOT / "scripts"
# The corpus is not in the repository: beside the main checkout (../shared) or beside a helper's worktree.
CORPUS = next((d for d in (ROOT.parent / "shared" / "benchmarks" / "polnear",
                           ROOT.parent.parent / "shared" / "benchmarks" / "polnear") if d.is_dir()), None)


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def check():
    return load_script("check_thread_pairs")


@pytest.fixture(scope="module")
def pairs(check):
    return check.load_pairs(PAIRS)  # raises on any schema, order or duplicate problem


def test_the_set_is_large_enough_and_has_both_labels_in_both_splits(pairs):
    assert len(pairs) >= 360
    by_split = Counter(p["split"] for p in pairs)
    assert by_split["dev"] >= 120 and by_split["train"] >= 120
    labels = Counter((p["split"], p["label"]) for p in pairs)
    for split in ("train", "dev"):
        assert labels[split, "same"] > 0 and labels[split, "different"] > 0
    # Most negatives are hard ones, and the harder kinds are all there.
    categories = Counter(p["category"] for p in pairs)
    for kind in ("hard-neg-parallel", "hard-neg-same-speaker", "hard-neg-numbers", "hard-neg-negation"):
        assert categories[kind] >= 5


def test_disputes_across_documents_are_there_in_both_splits(pairs):
    disputes = [p for p in pairs if p["label"] == "disputes"]
    assert len(disputes) >= 30
    by_split = Counter(p["split"] for p in disputes)
    assert by_split["train"] >= 20 and by_split["dev"] >= 5
    assert all(p["category"] == "dispute" for p in disputes)
    # The dispute search also met hard negatives: denials of something else, or by the same speaker.
    searched = Counter((p["label"], p["category"]) for p in pairs if p["stratum"] == "dispute-search")
    assert searched["different", "hard-neg-topic"] >= 20 and searched["different", "hard-neg-same-speaker"] >= 3


def test_the_set_holds_offsets_only_never_text(pairs):
    for pair in pairs:
        for key in ("a", "b"):
            assert set(pair[key]) == {"doc_id", "content", "source"}
            assert all(isinstance(x, int) for span in pair[key]["content"] for x in span)
    # No field anywhere carries more than an id's worth of characters.
    longest = max(len(s) for p in pairs for s in (p["a"]["doc_id"], p["b"]["doc_id"], p["category"], p["stratum"]))
    assert longest < 80


def test_the_files_are_in_their_canonical_order(check, pairs):
    assert pairs == sorted(pairs, key=check.sort_key)
    lines = PAIRS.read_text(encoding="utf-8").splitlines()
    assert lines == [json.dumps(p, sort_keys=True) for p in pairs]
    candidates = [json.loads(line) for line in CANDIDATES.read_text(encoding="utf-8").splitlines()]
    assert len({c["id"] for c in candidates}) == len(candidates)
    assert all(c["a"]["doc_id"] != c["b"]["doc_id"] for c in candidates)
    disputes = [json.loads(line) for line in DISPUTE_CANDIDATES.read_text(encoding="utf-8").splitlines()]
    assert len({c["id"] for c in disputes}) == len(disputes) > 0
    assert all(c["a"]["doc_id"] != c["b"]["doc_id"] and set(c["a"]) == {"doc_id", "content", "source"}
               for c in disputes)


def test_a_pair_within_one_document_or_with_a_wrong_category_is_refused(check, tmp_path):
    side = {"doc_id": "d1", "content": [[0, 5]], "source": None}
    pair = {"a": side, "b": dict(side, doc_id="d2"), "label": "same", "category": "excerpt",
            "confidence": "sure", "split": "dev", "stratum": "high"}
    check.check_pair(pair, "ok")
    with pytest.raises(check.PairError, match="both sides"):
        check.check_pair(dict(pair, b=side), "p")
    with pytest.raises(check.PairError, match="does not go with"):
        check.check_pair(dict(pair, category="hard-neg-topic"), "p")
    with pytest.raises(check.PairError, match="bad span"):
        check.check_pair(dict(pair, a=dict(side, content=[[5, 5]])), "p")
    check.check_pair(dict(pair, label="disputes", category="dispute", stratum="dispute-search"), "ok")
    check.check_pair(dict(pair, label="different", category="hard-neg-topic", stratum="looser"), "ok")
    with pytest.raises(check.PairError, match="unknown stratum"):
        check.check_pair(dict(pair, stratum="disputes"), "p")


def test_the_checker_reports_an_offset_beyond_the_text_in_one_line(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"doc_id": d, "split": "dev", "text": "The mayor said the bridge is safe."})
                                for d in ("d1", "d2")) + "\n", encoding="utf-8")
    pair = {"a": {"doc_id": "d1", "content": [[15, 33]], "source": [[0, 9]]},
            "b": {"doc_id": "d2", "content": [[15, 90]], "source": None},
            "label": "same", "category": "excerpt", "confidence": "sure", "split": "dev", "stratum": "high"}
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps(pair, sort_keys=True) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPTS / "check_thread_pairs.py"), "--pairs", str(pairs),
                             "--polnear", str(corpus)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "beyond the text of d2" in result.stderr
    assert "Traceback" not in result.stderr


def output_under_two_hash_seeds(script: str, corpus: Path, tmp_path: Path, *options: str) -> str:
    """What a generator script writes for ``corpus``, checked to be the same file under two hash seeds."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{script}.{seed}.jsonl"
        subprocess.run([sys.executable, str(SCRIPTS / script), "--polnear", str(corpus), "--out", str(out), *options],
                       check=True, capture_output=True, timeout=120, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    return outputs[0].decode()


def test_the_generator_pairs_the_same_quote_across_outlets_and_writes_no_text(tmp_path):
    quote = "“The new levee will protect twelve thousand homes from the river floods,”"
    texts = {
        "alpha_1": (f"{quote} the governor said on Monday.", "alpha", "2020-05-01"),
        "beta_1": (f"Officials cheered. {quote} the governor told reporters.", "beta", "2020-05-02"),
        "gamma_1": ("The senator said the harbor tunnel will cost nine billion dollars in total.", "gamma", "2020-05-02"),
    }
    lines = []
    for doc_id, (text, publisher, date) in sorted(texts.items()):
        start = text.index(quote) if quote in text else text.index("the harbor")
        end = start + len(quote) if quote in text else len(text) - 1
        lines.append(json.dumps({"doc_id": doc_id, "split": "dev", "publisher": publisher, "publication_date": date,
                                 "text": text, "attributions": [{"id": "E1", "source": None, "cue": [[0, 1]],
                                                                 "content": [[start, end]]}]}))
    corpus = tmp_path / "mini.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = output_under_two_hash_seeds("make_thread_pairs.py", corpus, tmp_path, "--max-df", "5")
    candidates = [json.loads(line) for line in written.splitlines()]
    assert [(c["a"]["doc_id"], c["b"]["doc_id"], c["stratum"]) for c in candidates] == [("alpha_1", "beta_1", "high")]
    assert "levee" not in written


def test_the_dispute_generator_pairs_a_denial_with_the_claim_it_denies_and_writes_no_text(tmp_path):
    claim = "the new dam flooded the valley villages last spring"
    articles = [  # (doc_id, publisher, date, text, cue word, content)
        ("alpha_1", "alpha", "2020-05-01", f"Activists said {claim}.", "said", claim),
        ("beta_1", "beta", "2020-05-03", "The ministry denied that the new dam flooded the valley villages.",
         "denied", "that the new dam flooded the valley villages"),
        ("gamma_1", "gamma", "2020-05-02", "The mayor said the harbor tunnel will cost nine billion dollars.",
         "said", "the harbor tunnel will cost nine billion dollars"),
    ]
    lines = []
    for doc_id, publisher, date, text, cue, content in articles:
        start, cue_start = text.index(content), text.index(cue)
        lines.append(json.dumps({"doc_id": doc_id, "split": "dev", "publisher": publisher, "publication_date": date,
                                 "text": text, "attributions": [{"id": "E1", "source": [[0, cue_start - 1]],
                                                                 "cue": [[cue_start, cue_start + len(cue)]],
                                                                 "content": [[start, start + len(content)]]}]}))
    corpus = tmp_path / "mini.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = output_under_two_hash_seeds("make_dispute_candidates.py", corpus, tmp_path)
    candidates = [json.loads(line) for line in written.splitlines()]
    assert [(c["a"]["doc_id"], c["b"]["doc_id"], c["stratum"], c["direction"]) for c in candidates] == [
        ("alpha_1", "beta_1", "cue", "denial-later")]
    assert "dam" not in written


def test_the_dispute_generator_reports_articles_without_text_in_one_line(tmp_path):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(json.dumps({"doc_id": "d1", "split": "dev"}) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPTS / "make_dispute_candidates.py"), "--polnear", str(corpus),
                             "--out", str(tmp_path / "out.jsonl")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "not PolNeAR articles" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_the_looser_stratum_labels_every_link_containment_0_4_adds_and_holds_offsets_only(pairs):
    """The `looser` stratum (make_looser_candidates.py): each candidate labelled once, nothing else in the stratum."""
    candidates = [json.loads(line) for line in LOOSER_CANDIDATES.read_text(encoding="utf-8").splitlines()]
    assert all(set(c) == {"a", "b", "id", "pool", "split", "stratum"} and c["stratum"] == "looser" for c in candidates)
    assert all(set(c[k]) == {"doc_id", "content", "source"} for c in candidates for k in "ab")
    key = lambda p: (p["split"], json.dumps([p["a"], p["b"]], sort_keys=True))  # noqa: E731
    looser = [p for p in pairs if p["stratum"] == "looser"]
    assert sorted(map(key, looser)) == sorted(map(key, candidates))
    labels = Counter((p["split"], p["label"]) for p in looser)
    # counts as labelled (README): mostly topical look-alikes in train, the few dev links mostly one statement
    assert labels == {("train", "different"): 32, ("train", "same"): 7, ("dev", "same"): 2, ("dev", "different"): 1}
    assert Counter(p["category"] for p in looser if p["label"] == "different")["hard-neg-topic"] == 21


def looser_claim(iri: str, article: str, text: str, start: int):
    from kg.threads.claims import ThreadClaim
    return ThreadClaim(iri=iri, text=text, document=article, article=article, source="urn:person:smith",
                       source_kind="Person", source_name="Jane Smith", chain=("urn:person:smith",), denies=False,
                       published="2020-05-01", outlet=article, start=start, end=start + len(text))


def test_the_looser_candidates_are_the_links_only_the_looser_linker_makes_mapped_to_gold_attributions():
    import dataclasses

    from kg.threads.match import DEFAULT
    make = load_script("make_looser_candidates")
    # 4 of the 9 content words of the shorter claim in common: containment 0.44, under the default 0.5
    a = looser_claim("urn:claim:1", "urn:article:alpha",
                     "the harbor tunnel will flood the lower streets each spring, close the ferry and empty the market", 10)
    b = looser_claim("urn:claim:2", "urn:article:beta",
                     "the harbor tunnel will flood the lower town, angry fishermen warned the crowded council yesterday", 20)
    assert make.added_links([a, b], dataclasses.replace(DEFAULT, containment=0.4)) == [("urn:claim:1", "urn:claim:2")]
    assert make.added_links([a, b], dataclasses.replace(DEFAULT, containment=0.45)) == []
    gold = {"alpha_1": [{"content": [[0, 12]], "source": None}, {"content": [[8, 60]], "source": [[0, 4]]}]}
    assert make.gold_side(a, ["alpha_1"], gold) == {"doc_id": "alpha_1", "content": [[8, 60]], "source": [[0, 4]]}
    assert make.gold_side(a, ["beta_1"], gold) is None


def test_the_looser_generator_refuses_a_missing_extraction_in_one_line(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"doc_id": "d1", "split": "dev", "text": "x", "attributions": []}) + "\n",
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, str(SCRIPTS / "make_looser_candidates.py"), "--polnear", str(corpus),
                             "--cache", str(tmp_path / "missing.nq"), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no extraction cache" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_the_held_out_part_is_a_third_of_the_pairs_by_whole_gold_threads(pairs):
    evaluate = load_script("eval_threads")
    train = [p for p in pairs if p["split"] == "train"]
    held = evaluate.held_out(train)
    assert held == evaluate.held_out(train)
    positives = [i for i, p in enumerate(train) if p["label"] == "same"]
    assert 0.25 < len(held) / len(train) < 0.42 and 0.25 < len(held & set(positives)) / len(positives) < 0.42
    # no claim of a gold thread is tuned on while another claim of it is held out
    side = evaluate.side_key
    tuned_sides = {side(train[i][s]) for i in positives if i not in held for s in "ab"}
    held_sides = {side(train[i][s]) for i in positives if i in held for s in "ab"}
    assert not tuned_sides & held_sides


def test_part_all_scores_both_parts_and_the_whole_split(pairs):
    evaluate = load_script("eval_threads")
    train = [p for p in pairs if p["split"] == "train"]
    scored = dict(evaluate.parts(train, "all"))
    assert list(scored) == ["tune", "held-out", "split"] and scored["split"] == train
    assert sorted(map(json.dumps, scored["tune"] + scored["held-out"])) == sorted(map(json.dumps, train))
    assert evaluate.parts(train, "tune") == [("tune", scored["tune"])]
    assert evaluate.parts(train, None) == [("split", train)]


@pytest.mark.skipif(CORPUS is None, reason="the PolNeAR corpus is not on this machine")
def test_every_pair_fits_the_corpus():
    result = subprocess.run([sys.executable, str(SCRIPTS / "check_thread_pairs.py"), "--polnear",
                             str(CORPUS / "polnear_train.jsonl"), str(CORPUS / "polnear_dev.jsonl")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{len(PAIRS.read_text().splitlines())} pairs")


def _claim(iri: str, doc: str, text: str, start: int, name: str = "Ana Ruiz", source: str = "person/ana"):
    from kg.threads.claims import ThreadClaim

    return ThreadClaim(iri=iri, text=text, document=doc, article=doc, source=source, source_kind="Person",
                       source_name=name, chain=(source,), denies=False, published="2025-01-01", outlet=None,
                       start=start, end=start + len(text))


def _side(doc: str, *spans) -> dict:
    return {"doc_id": doc, "content": [list(span) for span in spans], "source": None}


def test_a_missed_pair_is_told_by_its_first_cause():
    evaluate = load_script("eval_threads")
    bridge = "the new bridge over the Tamsin river will open to traffic in the spring"
    toll = "the council agreed to charge a toll of two dollars on the bridge"
    claims = [
        _claim("a1", "d1", bridge, 0), _claim("a2", "d1", toll, 100),
        _claim("b1", "d2", "the bridge over the river Tamsin would open to traffic in spring", 0),
        _claim("b2", "d2", "the bridge over the Tamsin river will open to traffic in the spring", 200,
               name="Ben Cole", source="person/ben"),
        _claim("b3", "d2", "at least 12 people were killed in the flooding", 300),
        _claim("c1", "d3", "the flooding killed at least 31 people", 0),
        _claim("c2", "d3", "the mayor urged residents of the town to stay indoors tonight", 100),
        _claim("c3", "d3", "the council agreed to charge a toll of two dollars on the bridge", 200),
    ]
    by_iri = {c.iri: c for c in claims}
    by_doc = {doc: [c for c in claims if c.document == doc] for doc in ("d1", "d2", "d3")}

    def cause(a: dict, b: dict, thread_of: dict) -> str | None:
        return evaluate.miss_cause({"a": a, "b": b, "label": "same"}, by_iri, by_doc, thread_of)

    d1_bridge, d2_bridge = _side("d1", (0, len(bridge))), _side("d2", (0, 60))
    assert cause(d1_bridge, d2_bridge, {"a1": "t", "b1": "t"}) is None  # found
    assert cause(_side("d1", (80, 95)), d2_bridge, {}) == "unmapped"  # between the claims: the extractor missed it
    # one gold content the extractor cut in two claims: the bridge part is the longer, the toll part is threaded
    assert cause(_side("d1", (0, len(bridge)), (100, 100 + len(toll))), _side("d3", (200, 260)),
                 {"a2": "t", "c3": "t"}) == "fragment"
    assert cause(d1_bridge, d2_bridge, {"a1": "t1", "b1": "t2"}) == "split"  # linked, but in two threads
    assert cause(d1_bridge, _side("d2", (200, 260)), {}) == "speaker"  # Ruiz and Cole: parallel claims
    assert cause(_side("d2", (300, 340)), _side("d3", (0, 30)), {}) == "disagree-numbers"
    assert cause(d1_bridge, _side("d3", (100, 150)), {}) == "overlap"
