"""No lost article, no traceback: each failure the fault-finding pass reproduced, through the real CLI.

Where a failure can be made with real input it is (unreadable files, lone surrogates, paragraphs over
spaCy's limit, a source phrase the parser leaves empty). Only the "unexpected internal error" paths that no
input can reach once the bugs behind them are fixed are driven by a patch applied inside the `kg` process
(``run_patched``); each such test says so.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, run_kg

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
PEOPLE = ["Ana Lima", "Bo Chen", "Carla Diaz", "Dmitri Orlov", "Eva Novak", "Farid Haddad", "Grace Obi"]
TOWNS = ["Dover", "Leeds", "Bergen", "Porto", "Graz", "Tampere", "Brno", "Split", "Ghent"]


def article(number: int) -> str:
    person, town = PEOPLE[number % len(PEOPLE)], TOWNS[number % len(TOWNS)]
    return (f"{person} said that the bridge in {town} will reopen after {number + 2} weeks. "
            f"Local officials said the repairs cost {number + 1} million euros.\n")


def record(number: int, **fields) -> str:
    return json.dumps({"id": f"a{number}", "text": article(number), **fields}) + "\n"


def stored_graphs(store: Path) -> dict[str, set[ox.Quad]]:
    db = ox.Store(str(store))
    try:
        graphs: dict[str, set[ox.Quad]] = {}
        for quad in db:
            graphs.setdefault(quad.graph_name.value, set()).add(quad)
        return graphs
    finally:
        del db


def stored_texts(store: Path) -> list[str]:
    db = ox.Store(str(store))
    try:
        return [q.object.value for q in db.quads_for_pattern(None, ox.NamedNode(NIF + "isString"), None)]
    finally:
        del db


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("kg: skipped")]


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr_text, result.stderr_text


def when_extracting(condition: str, action: str) -> str:
    """A patch for run_patched: ``action`` (one statement) runs when the extractor reaches an article for which
    ``condition`` holds (with ``article`` in scope, and ``in_worker``, true in a worker process)."""
    return f"""
import multiprocessing, os, time
import kg.extract
original = kg.extract._documents
def patched(article, *args):
    in_worker = multiprocessing.parent_process() is not None
    if {condition}:
        {action}
    return original(article, *args)
kg.extract._documents = patched
"""


def patched_script(patch: str, folder: Path) -> Path:
    """A script that runs ``patch`` (Python), then `kg` with its own arguments. A script file, not -c: worker
    processes (kg ingest --workers) import it too, so the patch runs there."""
    script = Path(folder) / "patched_kg.py"
    main = "\nif __name__ == '__main__':\n    import sys\n    from kg.cli import main\n" \
           "    sys.argv = ['kg', *sys.argv[1:]]\n    main()\n"
    script.write_text(textwrap.dedent(patch) + main, encoding="utf-8")
    return script


def run_patched(patch: str, *args, env: dict | None = None, timeout: float = 600):
    """`kg ARGS` in a real process, after ``patch`` (Python) has run in it: only for internal errors that
    no input can cause."""
    with tempfile.TemporaryDirectory() as folder:
        script = patched_script(patch, Path(folder))
        result = subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, cwd=ROOT,
                                timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    result.stdout_text = result.stdout.decode("utf-8", "replace")
    result.stderr_text = result.stderr.decode("utf-8", "replace")
    return result


# ---------------------------------------------------------------- unreadable inputs

def make_unreadable_file(path: Path) -> None:
    """A file that open() refuses. As root, chmod 000 does not stop reading, so it is a link to a write-only
    kernel file (reading it is refused to root too)."""
    if os.geteuid() != 0:
        path.write_text(article(99), encoding="utf-8")
        path.chmod(0)
        return
    target = Path("/proc/sys/vm/drop_caches")
    try:
        target.open("rb").close()
    except PermissionError:
        path.symlink_to(target)
        return
    pytest.skip("no file here that root cannot read")


def make_unreadable_folder(path: Path) -> None:
    """A folder that cannot be listed. As root, a link to a kernel folder that root may not list."""
    if os.geteuid() != 0:
        path.mkdir()
        (path / "hidden.txt").write_text(article(98), encoding="utf-8")
        path.chmod(0)
        return
    for candidate in ("/proc/1/fdinfo", "/proc/1/map_files", "/proc/1/task/1/fdinfo"):
        try:
            with os.scandir(candidate):
                pass
        except PermissionError:
            path.symlink_to(candidate)
            return
        except OSError:
            continue
    pytest.skip("no folder here that root cannot list")


def test_an_unreadable_file_in_a_folder_is_reported_under_its_own_name_and_the_rest_is_stored(tmp_path):
    """Before: the good article before it was blamed with its error, the three after it never mentioned,
    0 stored, exit 0."""
    folder = tmp_path / "five"
    folder.mkdir()
    for number, name in enumerate(["a.txt", "b.txt", "d.txt", "e.txt"]):
        (folder / name).write_text(article(number), encoding="utf-8")
    make_unreadable_file(folder / "c.txt")
    result = run_kg("ingest", folder, "--store", tmp_path / "store")
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    skipped = skipped_lines(result.stderr_text)
    assert len(skipped) == 1 and "c.txt" in skipped[0] and "cannot read" in skipped[0], result.stderr_text
    assert "4 article(s) ingested" in result.stderr_text
    assert "1 unreadable" in result.stderr_text
    assert len(stored_graphs(tmp_path / "store")) == 4


def test_an_unreadable_folder_is_reported_not_skipped_in_silence(tmp_path):
    """Before: the folder was passed over without a word and the exit code was 0."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "a.txt").write_text(article(0), encoding="utf-8")
    make_unreadable_folder(folder / "locked")
    (folder / "z.txt").write_text(article(1), encoding="utf-8")
    result = run_kg("ingest", folder, "--store", tmp_path / "store")
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    skipped = skipped_lines(result.stderr_text)
    assert len(skipped) == 1 and "locked" in skipped[0] and "cannot read this folder" in skipped[0]
    assert "2 article(s) ingested" in result.stderr_text


def test_a_pipe_and_a_broken_link_named_like_articles_are_reported_not_read(tmp_path):
    """A FIFO would block a reader forever; a broken link reads nothing. Before: both passed over in silence,
    exit 0. Now each is named, the article beside them is stored, exit 1."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    (folder / "loop").symlink_to(folder)  # a link back to the folder: walked once
    (folder / "a.txt").write_text(article(0), encoding="utf-8")
    result = run_kg("ingest", folder, "--store", tmp_path / "store")
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    skipped = skipped_lines(result.stderr_text)
    assert len(skipped) == 2, result.stderr_text
    assert any("pipe.txt" in line and "not a regular file" in line for line in skipped)
    assert any("gone.jsonl" in line and "a link to nothing" in line for line in skipped)
    assert "1 article(s) ingested" in result.stderr_text and "1 missing, 1 not a regular file" in result.stderr_text


def test_extract_of_an_unreadable_file_is_one_line(tmp_path):
    """Before: a PermissionError traceback."""
    path = tmp_path / "locked.txt"
    make_unreadable_file(path)
    result = run_kg("extract", path)
    no_traceback(result)
    assert result.returncode == 1
    lines = result.stderr_text.strip().splitlines()
    assert len(lines) == 1 and "locked.txt" in lines[0] and "cannot read" in lines[0], result.stderr_text


@pytest.mark.parametrize("inputs", [["missing.txt"], ["empty-folder"]])
def test_ingest_of_nothing_exits_1(tmp_path, inputs):
    """Before: "0 article(s) ingested" and exit code 0."""
    (tmp_path / "empty-folder").mkdir()
    result = run_kg("ingest", *[tmp_path / name for name in inputs], "--store", tmp_path / "store")
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    assert "0 article(s) ingested" in result.stderr_text


# ---------------------------------------------------------------- one bad article in a spaCy batch

def test_a_lone_surrogate_keeps_its_article_and_its_batch(tmp_path):
    """6 good + 1 with a lone surrogate + 2 good in one batch. Before: 2 stored (the batch was lost with
    the surrogate's UnicodeEncodeError). Now all 9 are stored, the bad one with U+FFFD and a warning."""
    bad = json.dumps({"id": "bad", "text": "Hana Ito said that the \ud800 plan works."}, ensure_ascii=True) + "\n"
    assert "\\ud800" in bad
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(record(n) for n in range(6)) + bad + "".join(record(n) for n in (6, 7)))
    store = tmp_path / "store"
    result = run_kg("ingest", corpus, "--store", store)
    no_traceback(result)
    assert result.returncode == 0, result.stderr_text
    assert "corpus.jsonl:7" in result.stderr_text and "U+FFFD" in result.stderr_text
    assert len(stored_graphs(store)) == 9
    texts = stored_texts(store)
    assert any("Hana Ito said that the \ufffd plan works." in text for text in texts)
    for text in texts:
        text.encode("utf-8")  # valid UTF-8: no surrogate left anywhere


def test_a_paragraph_over_a_million_characters_is_parsed_in_pieces(tmp_path):
    """spaCy refuses a text over 1,000,000 characters (E088); an article may have 5 MB. Before: the long
    article and its batch neighbours were skipped with E088 (2 of 9 stored). Now all are stored, and the
    claims inside the long paragraph, before and after the cuts, keep their offsets into the original text.
    (Long tokens keep spaCy's work small: the limit is in characters.)"""
    blob = ("x" * 999 + " ") * 520  # 520,000 characters of one paragraph on each side of the middle claim
    long_text = ("Hana Ito said that the dam is safe. " + blob + "Ivo Kral said that the canal is open. "
                 + blob + "Jana Lenz said that the lock is closed.\n")
    assert len(long_text) > 1_000_000 and "\n" not in long_text[:-1]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(record(n) for n in range(6)) + json.dumps({"id": "long", "text": long_text}) + "\n"
                      + "".join(record(n) for n in (6, 7)))
    store = tmp_path / "store"
    result = run_kg("ingest", corpus, "--store", store)
    no_traceback(result)
    assert result.returncode == 0, result.stderr_text
    assert "9 article(s) ingested" in result.stderr_text
    out = tmp_path / "all.nq"
    run_kg("export", "--store", store, "-o", out, check=True)
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    claims = {q.object.value for q in quads if q.predicate.value == "http://schema.org/text"}
    assert {"the dam is safe", "the canal is open", "the lock is closed"} <= claims, claims
    _assert_anchors_match_text(quads, long_text)


def _assert_anchors_match_text(quads, text: str) -> None:
    """Every character anchor of the long document quotes the text at its offsets."""
    values: dict[tuple, str] = {}
    for q in quads:
        if q.predicate.value in (NIF + "beginIndex", NIF + "endIndex", NIF + "anchorOf", NIF + "isString"):
            values[(q.subject, q.predicate.value[len(NIF):])] = q.object.value
    contexts = {s for (s, name), v in values.items() if name == "isString" and v == text}
    assert len(contexts) == 1
    anchors = [s for (s, name) in values if name == "anchorOf" and s.value.startswith(next(iter(contexts)).value.split("#")[0])]
    assert len(anchors) >= 7  # the document, three sources, three contents, cues...
    for anchor in anchors:
        begin, end = int(values[(anchor, "beginIndex")]), int(values[(anchor, "endIndex")])
        assert text[begin:end] == values[(anchor, "anchorOf")], (begin, end)


def test_a_batch_whose_parse_fails_loses_only_the_bad_article(tmp_path):
    """An error inside spaCy on one part stops the whole batch without saying whose part it was (as E088
    did). No real input is known to do that once E088 and surrogates are handled, so a batch-wise spaCy
    component that fails on a batch holding one marked text is added inside the kg process (an internal-error
    path). Before: the batch's good articles were blamed one after the other (2 of 9 stored, exit 0). Now the
    8 good ones are parsed again alone and stored, and the bad one is named."""
    patch = """
        from spacy.language import Language
        from spacy.util import minibatch
        import kg.nlp
        class FailsOnMarker:
            def __call__(self, doc):
                return next(self.pipe([doc]))
            def pipe(self, docs, batch_size=128):
                for batch in minibatch(docs, size=batch_size):
                    if any("MARKER-FAILS" in doc.text for doc in batch):
                        raise RuntimeError("component failed")
                    yield from batch
        @Language.factory("fails_on_marker")
        def make_fails_on_marker(nlp, name):
            return FailsOnMarker()
        load = kg.nlp.load
        def patched(exclude=()):
            nlp = load(exclude)
            if "fails_on_marker" not in nlp.pipe_names:
                nlp.add_pipe("fails_on_marker", last=True)
            return nlp
        kg.nlp.load = patched
    """
    bad = json.dumps({"id": "bad", "text": "Hana Ito said that MARKER-FAILS happens."}) + "\n"
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(record(n) for n in range(6)) + bad + "".join(record(n) for n in (6, 7)))
    store = tmp_path / "store"
    result = run_patched(patch, "ingest", corpus, "--store", store)
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    skipped = skipped_lines(result.stderr_text)
    assert len(skipped) == 1 and "bad" in skipped[0] and "internal error while parsing" in skipped[0], skipped
    assert "RuntimeError: component failed" in skipped[0]
    assert "8 article(s) ingested" in result.stderr_text
    assert len(stored_graphs(store)) == 8


# ---------------------------------------------------------------- internal errors: one line, --debug

FAIL_ON_ARTICLE_B = when_extracting('article.identifier == "b"', 'raise ValueError("boom in b")')


def test_extract_with_one_failing_article_writes_the_others(tmp_path):
    """`kg extract A B C` where B hits a bug (patched in: an internal-error path). Before: a traceback and
    nothing written for any of them. Now A and C are written, B is one line, exit 1."""
    for number, name in enumerate("abc"):
        (tmp_path / f"{name}.txt").write_text(article(number), encoding="utf-8")
    out = tmp_path / "out.nq"
    result = run_patched(FAIL_ON_ARTICLE_B, "extract", *(tmp_path / f"{n}.txt" for n in "abc"), "-o", out)
    no_traceback(result)
    assert result.returncode == 1
    errors = [line for line in result.stderr_text.splitlines() if "internal error" in line]
    assert errors == ["kg: internal error while extracting b: ValueError: boom in b; "
                      "run with --debug for the traceback"], result.stderr_text
    written = out.read_text(encoding="utf-8")
    assert "Ana Lima" in written and "Carla Diaz" in written and "Bo Chen" not in written


@pytest.mark.parametrize("how", [["--debug"], ["KG_DEBUG=1"]])
def test_debug_shows_the_traceback(tmp_path, how):
    (tmp_path / "b.txt").write_text(article(1), encoding="utf-8")
    env = dict(item.split("=") for item in how if "=" in item)
    options = [item for item in how if item.startswith("--")]
    result = run_patched(FAIL_ON_ARTICLE_B, *options, "extract", tmp_path / "b.txt", env=env)
    assert result.returncode == 1
    assert "Traceback" in result.stderr_text and "boom in b" in result.stderr_text
    assert "run with --debug" not in result.stderr_text


def test_an_error_in_one_candidate_loses_only_that_candidate(extract_text, monkeypatch):
    """A bug in resolving one source (patched in: an internal-error path) drops that claim alone, with a
    warning naming the document and the candidate's offsets. Before: the whole article failed."""
    from kg.extract import resolve

    original = resolve.Resolver.resolve

    def failing(self, mention, position):
        if mention.text == "Bo Chen":
            raise ValueError("no resolving Bo")
        return original(self, mention, position)

    monkeypatch.setattr(resolve.Resolver, "resolve", failing)
    text = "Ana Lima said that the bridge is safe. Bo Chen said that the tunnel is wet. Eva Novak said the road is dry."
    extraction = extract_text(text)
    said = {claim.text: extraction.agent(claim.chain[0].source).name for claim in extraction.claims}
    assert said.get("the bridge is safe") == "Ana Lima" and said.get("the road is dry") == "Eva Novak", said
    assert "the tunnel is wet" not in said
    cue = text.index("said that the tunnel")
    assert len(extraction.faults) == 1, extraction.faults
    fault = extraction.faults[0]
    assert fault.startswith("test [") and "no resolving Bo" in fault
    start, end = map(int, fault[len("test ["):fault.index(")")].split(", "))
    assert start <= cue < end <= len(text)


def test_a_relative_pronoun_source_is_never_cut_to_nothing(extract_text):
    """`ValueError: bad span [37, 37)` from _resolve_sources: the source phrase of "who said" is the pronoun
    "who"; another statement's cue ("according to the report") between the voters and "who" made the
    phrase be cut at the clause starting before it, leaving it empty, and the whole article was lost.
    Now every claim is kept and "who" is the source phrase."""
    text = ("Many voters according to the report, who said that the bridge is unsafe, left the town. "
            "Ana Lima said that the road is open.")
    extraction = extract_text(text)
    assert extraction.faults == ()
    by_content = {claim.text: claim for claim in extraction.claims}
    assert {"the bridge is unsafe", "the road is open"} <= set(by_content), set(by_content)
    who = by_content["the bridge is unsafe"].chain[0].source_span
    assert (who.start, who.end, who.text) == (text.index("who"), text.index("who") + 3, "who")
    assert extraction.agent(by_content["the bridge is unsafe"].chain[0].source).name.startswith("Many voters")


# ---------------------------------------------------------------- the store writer

FAIL_ON_THIRD_WRITE = """
    import kg.ingest
    original, calls = kg.ingest.replace_document, []
    def failing(store, document, graph, quads):
        calls.append(document)
        if len(calls) == 3:
            raise RuntimeError("writer bug")
        return original(store, document, graph, quads)
    kg.ingest.replace_document = failing
"""


@pytest.mark.parametrize("count", [10, 60])
def test_an_error_in_the_store_writer_stops_the_run_cleanly(tmp_path, count):
    """An unexpected exception while writing the 3rd document (patched in: no input reaches it). Before:
    "10 article(s) ingested" with 1 stored and exit 0; with 60 articles (more than the writer's queue holds)
    the run hung. Now it stops, says so in one line, exits 1, and the two documents written are whole."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(record(n) for n in range(count)))
    store = tmp_path / "store"
    result = run_patched(FAIL_ON_THIRD_WRITE, "ingest", corpus, "--store", store, "--batch-size", "4",
                         timeout=300)
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    assert "2 article(s) ingested" in result.stderr_text
    assert result.stderr_text.strip().splitlines()[-1].startswith(
        "kg: internal error while storing a2: RuntimeError: writer bug"), result.stderr_text
    assert "stopped early" in result.stderr_text
    graphs = stored_graphs(store)
    assert len(graphs) == 2
    rerun = run_kg("ingest", corpus, "--store", store)  # the same documents, complete: nothing changes for them
    assert rerun.returncode == 0, rerun.stderr_text
    complete = stored_graphs(store)
    assert len(complete) == count
    for graph, quads in graphs.items():
        assert complete[graph] == quads


# ---------------------------------------------------------------- determinism

def seed_corpus(folder: Path) -> list[Path]:
    """Articles whose names tie between kinds ("Kestrel Bank Chairman Bo Chen": two ORG, two PERSON words)."""
    folder.mkdir()
    texts = [
        "Kestrel Bank Chairman Bo Chen said that rates will fall. Chen added that the bank is hiring.",
        "Dunmore Capital Chairman Ana Lima said that the fund will grow. Lima told reporters it was a good year.",
        "Northwind Partners Chairman Carla Diaz said that the merger is off, according to two staff members.",
        article(3) + "\nHalvard Group Chairman Dmitri Orlov said that profits rose.\n",
        "Brightwater Motors Chairman Eva Novak said that sales doubled. Critics said the figures were wrong.",
    ]
    paths = []
    for number, text in enumerate(texts):
        path = folder / f"{number}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def run_with_seed(seed: int, *args):
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    result = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, cwd=ROOT,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result


def sorted_lines(path: Path) -> list[bytes]:
    return sorted(path.read_bytes().splitlines())


def test_extraction_is_byte_identical_under_any_hash_seed(tmp_path):
    """Before: a speaker whose name has as many ORG as PERSON words was person/X under one seed and org/X
    under another (a tie broken by a set's order)."""
    paths = seed_corpus(tmp_path / "articles")
    outputs, raw = [], []
    for seed in (1, 2):
        out = tmp_path / f"seed{seed}.nq"
        run_with_seed(seed, "extract", *paths, "-o", out)
        outputs.append(sorted_lines(out))
        raw.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert raw[0] == raw[1]  # in the same order, too
    # the chairman is the person named, the words before her name her role in an organisation
    assert any(b"/person/carla-diaz>" in line for line in outputs[0])
    assert any(b"/org/northwind-partners>" in line for line in outputs[0])


def test_reingest_under_another_hash_seed_changes_nothing(tmp_path):
    """Before: a plain re-ingest (another random hash seed) changed lines of the store."""
    paths = seed_corpus(tmp_path / "articles")
    store = tmp_path / "store"
    exports = []
    for seed in (1, 2):
        run_with_seed(seed, "ingest", *paths, "--store", store)
        out = tmp_path / f"export{seed}.nq"
        run_with_seed(seed, "export", "--store", store, "-o", out)
        exports.append(sorted_lines(out))
    assert exports[0] == exports[1]
