"""`kg ingest` end to end through the real CLI and spaCy: inputs, bad items, re-ingest, kills, identity."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, query_json, run_kg

PEOPLE = ["Ana Lima", "Bo Chen", "Carla Diaz", "Dmitri Orlov", "Eva Novak", "Farid Haddad", "Grace Obi"]
TOWNS = ["Dover", "Leeds", "Bergen", "Porto", "Graz", "Tampere", "Brno", "Split"]
THINGS = ["bridge", "library", "harbour", "school", "station", "hospital"]
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g <http://purl.org/dc/terms/source> ?d } }"


def article(number: int) -> str:
    """A short news text with a named speaker and an unnamed group, different for every number."""
    person, town = PEOPLE[number % len(PEOPLE)], TOWNS[number % len(TOWNS)]
    thing = THINGS[number % len(THINGS)]
    return (f"Work on the {thing} in {town} resumes\n\n"
            f"{person} said that the {thing} in {town} will reopen after {number + 2} weeks of repairs. "
            f"Local officials said the repairs cost {number + 1} million euros.\n")


def write_corpus(path: Path, numbers) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for number in numbers:
            stream.write(json.dumps({"id": f"a{number}", "text": article(number)}) + "\n")
    return path


def store_quads(path: Path) -> set[ox.Quad]:
    store = ox.Store(str(path))
    try:
        return set(store)
    finally:
        del store


def graphs(quads: set[ox.Quad]) -> dict[str, set[ox.Quad]]:
    by_graph: dict[str, set[ox.Quad]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name.value, set()).add(quad)
    return by_graph


def graph_count(store: Path) -> int:
    return int(query_json(COUNT_GRAPHS, "--store", store)[0]["n"])


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory) -> Path:
    """A folder as users have them: text files with a sidecar, a nested JSON Lines corpus with one
    broken line, a binary file with a .txt name, and files that are not articles at all."""
    root = tmp_path_factory.mktemp("inputs")
    (root / "one.txt").write_text(article(0), encoding="utf-8")
    (root / "two.txt").write_text(article(1), encoding="utf-8")
    (root / "two.meta.json").write_text(json.dumps({"url": "https://example.org/two", "date": "2024-05-01"}))
    (root / "photo.txt").write_bytes(bytes(range(256)) * 20)
    (root / "notes.csv").write_text("not,an,article\n")
    nested = root / "feeds" / "daily"
    nested.mkdir(parents=True)
    lines = [json.dumps({"id": "j2", "title": "Harbour plans", "text": article(2).split("\n\n", 1)[1]}),
             '{"id": "broken", "text": "this line was cut',
             json.dumps({"id": "j3", "text": article(3), "url": "https://example.org/j3"}),
             json.dumps({"id": "nothing", "text": "   "}),
             json.dumps({"id": "j4", "text": article(4), "publication_date": "2024-06-02"})]
    (nested / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ingested(mixed_inputs, tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "kg"
    result = run_kg("ingest", mixed_inputs, "--store", store)
    return store, result


def test_ingest_reports_and_skips_bad_items(ingested):
    store, result = ingested
    assert result.returncode == 1, result.stderr_text  # something was skipped: said in the exit code too
    assert "Traceback" not in result.stderr_text
    skipped = [line for line in result.stderr_text.splitlines() if line.startswith("kg: skipped")]
    assert len(skipped) == 3, result.stderr_text
    assert any("photo.txt" in line and "binary" in line for line in skipped)
    assert any("corpus.jsonl:2" in line and "not valid JSON" in line for line in skipped)
    assert any("corpus.jsonl:4" in line and "text" in line for line in skipped)
    assert "5 article(s) ingested" in result.stderr_text
    assert ("3 input(s) skipped, each named above: 1 bad JSON Lines record, 1 no text, 1 not text (binary)"
            in result.stderr_text), result.stderr_text
    assert "notes.csv" not in result.stderr_text  # not an article type, not read at all


def test_every_good_article_is_its_own_document_graph(ingested):
    store, _ = ingested
    assert graph_count(store) == 5
    rows = query_json("who-said-what", "--store", store)
    speakers = {row["sourceName"] for row in rows}
    assert {"Ana Lima", "Bo Chen", "Carla Diaz", "Dmitri Orlov", "Eva Novak"} <= speakers


def test_corpus_metadata_reaches_the_graph(ingested):
    store, _ = ingested
    rows = query_json("PREFIX schema: <http://schema.org/> SELECT ?h ?u ?d WHERE { ?doc a "
                      "<https://w3id.org/claimkg#NewsArticle> OPTIONAL { ?doc schema:headline ?h } "
                      "OPTIONAL { ?doc schema:url ?u } OPTIONAL { ?doc schema:datePublished ?d } }", "--store", store)
    assert {row["h"] for row in rows} >= {"Harbour plans"}
    assert {row["u"] for row in rows} >= {"https://example.org/two", "https://example.org/j3"}
    assert {row["d"] for row in rows} >= {"2024-05-01", "2024-06-02"}


def test_reingest_replaces_without_duplicates(ingested, mixed_inputs, tmp_path):
    store, _ = ingested
    before = store_quads(store)
    again = run_kg("ingest", mixed_inputs, "--store", store)
    assert again.returncode == 1 and "5 article(s) ingested" in again.stderr_text, again.stderr_text
    after = store_quads(store)
    assert after == before
    assert f"the store now holds {len(before)} statements" in again.stderr_text


def test_the_same_person_is_one_node_across_documents(tmp_path):
    """Ana Lima speaks in articles 0 and 7 (and 14): one node, claims from three documents."""
    corpus = write_corpus(tmp_path / "c.jsonl", [0, 7, 14, 1])
    store = tmp_path / "store"
    run_kg("ingest", corpus, "--store", store, check=True)
    rows = query_json("who-said-what", "--store", store)
    ana = {row["source"] for row in rows if row["sourceName"] == "Ana Lima"}
    assert len(ana) == 1
    assert len({row["document"] for row in rows if row["sourceName"] == "Ana Lima"}) == 3
    officials = {row["source"] for row in rows if row["sourceName"].lower().endswith("officials")}
    assert len(officials) == 4  # unnamed sources stay scoped to their document


def test_commenters_are_scoped_to_their_site(tmp_path):
    comment = [{"author": "Sam Reed", "text": "The mayor is lying about the repairs."}]
    records = [{"id": "g1", "text": article(0), "publisher": "Dover Gazette", "comments": comment},
               {"id": "g2", "text": article(1), "publisher": "Dover Gazette", "comments": comment},
               {"id": "h1", "text": article(2), "publisher": "Leeds Herald", "comments": comment}]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    store = tmp_path / "store"
    run_kg("ingest", corpus, "--store", store, check=True)
    rows = query_json("who-said-what", "--store", store)
    sams = {row["source"] for row in rows if row["sourceName"] == "Sam Reed"}
    assert len(sams) == 2  # one per site, shared by the two Gazette articles


def test_stdin_corpus_and_stdin_article(tmp_path):
    store = tmp_path / "store"
    lines = "".join(json.dumps({"text": article(n)}) + "\n" for n in (5, 6))
    first = run_kg("ingest", "-", "--store", store, input=lines.encode())
    assert first.returncode == 0 and "2 article(s) ingested" in first.stderr_text, first.stderr_text
    second = run_kg("ingest", "-", "--store", store, input=article(8).encode())
    assert second.returncode == 0 and "1 article(s) ingested" in second.stderr_text, second.stderr_text
    assert graph_count(store) == 3


def test_ingest_errors_are_one_line(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    result = run_kg("ingest", tmp_path / "missing.txt", "--store", not_a_dir)
    assert result.returncode == 1, result.stderr_text
    assert len(result.stderr_text.strip().splitlines()) == 1 and "cannot open store" in result.stderr_text


def test_export_and_query_after_ingest(ingested, tmp_path):
    store, _ = ingested
    out = tmp_path / "all.nq"
    run_kg("export", "--store", store, "-o", out, check=True)
    exported = {q for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    assert exported == store_quads(store)


# ---------------------------------------------------------------- interrupted runs

PROGRESS = re.compile(r"(\d+) stored")


def start_ingest(corpus: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store),
                             "--report-every", "0.2"], cwd=ROOT, stderr=subprocess.PIPE, text=True)


def wait_until_stored(process: subprocess.Popen, at_least: int) -> str:
    """Read progress lines until the run reports ``at_least`` documents written to the store."""
    seen = []
    for line in process.stderr:
        seen.append(line)
        match = PROGRESS.search(line)
        if match and int(match.group(1)) >= at_least:
            return "".join(seen)
    raise AssertionError("ingest ended before it was interrupted:\n" + "".join(seen))


@pytest.fixture(scope="module")
def kill_corpus(tmp_path_factory) -> tuple[Path, int]:
    count = 400
    return write_corpus(tmp_path_factory.mktemp("kill") / "corpus.jsonl", range(count)), count


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_interrupted_ingest_leaves_whole_documents_and_a_rerun_completes(kill_corpus, tmp_path, how):
    corpus, count = kill_corpus
    store = tmp_path / "store"
    process = start_ingest(corpus, store)
    try:
        wait_until_stored(process, at_least=20)
        process.send_signal(getattr(signal, how))
        rest = process.communicate(timeout=120)[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if how == "SIGINT":
        assert process.returncode == 130, rest
        assert "interrupted" in rest and "run the same command again" in rest and "Traceback" not in rest
    else:
        assert process.returncode == -signal.SIGKILL
    partial = graphs(store_quads(store))
    assert 20 <= len(partial) < count  # killed mid-run

    rerun = run_kg("ingest", corpus, "--store", store)
    assert rerun.returncode == 0, rerun.stderr_text
    complete = graphs(store_quads(store))
    assert len(complete) == count
    for graph, quads in partial.items():  # every document that survived the kill was whole
        assert quads == complete[graph], graph


def test_an_alias_met_in_another_document_is_the_same_organisation(tmp_path):
    """"SOHR" alone in a later article is the "Syrian Observatory for Human Rights (SOHR)" stored before."""
    texts = ["Cells captured\n\nThe Syrian Observatory for Human Rights (SOHR) said that three cells were "
             "captured in Idlib.\n",
             "More arrests\n\nSOHR said that two more cells were captured near the border on Sunday.\n",
             "Arrests go on\n\nThe Syrian Observatory for Human Rights said that the arrests went on on Monday.\n"]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"s{n}", "text": t}) + "\n" for n, t in enumerate(texts)))
    store = tmp_path / "store"
    run_kg("ingest", corpus, "--store", store, check=True)
    rows = [row for row in query_json("who-said-what", "--store", store) if "cells" in row["claimText"]
            or "arrests" in row["claimText"]]
    assert len({row["document"] for row in rows}) == 3
    assert {row["source"] for row in rows} == {"https://w3id.org/claimkg/id/org/syrian-observatory-for-human-rights"}
    before = store_quads(store)
    run_kg("ingest", corpus, "--store", store, check=True)  # re-ingest keeps the merge, adds nothing
    assert store_quads(store) == before


def test_label_keys_ignore_case_accents_and_apostrophes():
    from kg.ingest import label_key

    assert label_key("Hay’at Tahrir al-Sham") == label_key("HAYAT TAHRIR AL SHAM") == "hayat tahrir al sham"
    assert label_key("José Pérez") == label_key("Jose Perez")
    assert label_key("SOHR") != label_key("SOHO")


def test_an_exported_store_ingested_again_is_the_same_store(tmp_path):
    """N-Quads of document graphs (an export, or kg ingest --shards) go into a store through the same names and
    writer as extracted articles: the thread graphs of the export are left out and linked again, and the new
    store is the old one, byte for byte."""
    from kg.store import sorted_nquads

    first = tmp_path / "first"
    run_kg("ingest", write_corpus(tmp_path / "corpus.jsonl", range(6)), "--store", first, "--workers", "1", check=True)
    exported = tmp_path / "export.nq"
    run_kg("export", "--store", first, "-o", exported, check=True)
    again = tmp_path / "again"
    result = run_kg("ingest", exported, "--store", again)
    assert result.returncode == 0, result.stderr_text
    assert "6 article(s) ingested" in result.stderr_text
    assert sorted_nquads(again) == sorted_nquads(first)


def test_gzipped_nquads_in_a_folder_load_like_plain_ones_and_a_cut_one_is_named(tmp_path):
    """kg ingest --shards --compress writes part-NNNNNN.nq.gz: a folder of them loads to the store the plain
    file makes; a gzip file cut short (a copy that stopped) is one skipped input, the others are stored."""
    import gzip

    from kg.store import sorted_nquads

    first = tmp_path / "first"
    run_kg("ingest", write_corpus(tmp_path / "corpus.jsonl", range(4)), "--store", first, "--workers", "1", check=True)
    exported = tmp_path / "export.nq"
    run_kg("export", "--store", first, "-o", exported, check=True)
    lines = exported.read_bytes().splitlines(keepends=True)
    half = len(lines) // 2
    while lines[half - 1].split()[-2:] == lines[half].split()[-2:]:
        half += 1  # split between two graphs, as shards are
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "part-000000.nq.gz").write_bytes(gzip.compress(b"".join(lines[:half]), mtime=0))
    (shards / "part-000001.nq.gz").write_bytes(gzip.compress(b"".join(lines[half:]), mtime=0))
    store = tmp_path / "store"
    result = run_kg("ingest", shards, "--store", store)
    assert result.returncode == 0, result.stderr_text
    assert "4 article(s) ingested" in result.stderr_text
    assert sorted_nquads(store) == sorted_nquads(first)

    whole = (shards / "part-000001.nq.gz").read_bytes()
    (shards / "part-000001.nq.gz").write_bytes(whole[: len(whole) // 2])
    store = tmp_path / "cut"
    result = run_kg("ingest", shards, "--store", store)
    assert result.returncode == 1
    assert re.search(r"kg: skipped \S*part-000001\.nq\.gz: not a whole gzip file \(", result.stderr_text), result.stderr_text
    assert "Traceback" not in result.stderr_text
    assert graph_count(store) > 0  # the first shard's documents are stored


def test_a_broken_nquads_file_stores_nothing_of_it(tmp_path):
    """The whole file is parsed before any graph is stored: a bad line at its end leaves the store without
    the graphs before it, and the run names the file."""
    first = tmp_path / "first"
    run_kg("ingest", write_corpus(tmp_path / "corpus.jsonl", range(2)), "--store", first, "--workers", "1", check=True)
    exported = tmp_path / "export.nq"
    run_kg("export", "--store", first, "-o", exported, check=True)
    exported.write_bytes(exported.read_bytes() + b"<http://example.org/a> not a quad .\n")
    store = tmp_path / "store"
    result = run_kg("ingest", exported, "--store", store)
    assert result.returncode == 1
    assert re.search(rf"kg: skipped {re.escape(str(exported))}: not valid N-Quads \(", result.stderr_text), result.stderr_text
    assert "0 article(s) ingested" in result.stderr_text
    assert graph_count(store) == 0
