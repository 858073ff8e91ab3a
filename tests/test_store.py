"""The store on its own: per-document replace (also under kill -9), reading while writing, streamed export."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, run_kg
from kg.errors import UserError
from kg.export import export_store
from kg.store import (document_graphs, graphs_of_document, open_existing_store, open_store, replace_document,
                      replace_document_sparql)

EXAMPLE = Path(__file__).parent / "data" / "example-seed.trig"
ID = "https://w3id.org/claimkg/id/"
SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
NAME = ox.NamedNode("http://schema.org/name")
TEXT = ox.NamedNode("http://schema.org/text")


def document_quads(doc: str, version: str = "v1", claims: int = 3, speaker: str = "ana-lima"):
    """A small document graph shaped like the extractor's: it names its document and a shared speaker."""
    graph = ox.NamedNode(f"{ID}graph/{doc}/{version}")
    document = ox.NamedNode(f"{ID}doc/{doc}")
    person = ox.NamedNode(f"{ID}person/{speaker}")
    quads = [ox.Quad(graph, SOURCE, document, graph), ox.Quad(person, NAME, ox.Literal("Ana Lima"), graph)]
    for number in range(claims):
        claim = ox.NamedNode(f"{ID}claim/{doc}-{version}-{number}")
        quads.append(ox.Quad(claim, TEXT, ox.Literal(f"claim {number} of {doc}, \"quoted\"\nline two"), graph))
        quads.append(ox.Quad(claim, ox.NamedNode("http://www.w3.org/ns/prov#wasAttributedTo"), person, graph))
    return document, graph, quads


def graph_quads(store: ox.Store, graph: ox.NamedNode) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, graph))


def test_replace_keeps_exactly_the_new_extraction():
    store = open_store()
    document, graph, first = document_quads("d1", claims=5)
    _, other_graph, other = document_quads("d2")
    replace_document(store, document, graph, first)
    replace_document(store, ox.NamedNode(f"{ID}doc/d2"), other_graph, other)
    _, _, second = document_quads("d1", claims=2)
    replace_document(store, document, graph, second)
    assert graph_quads(store, graph) == set(second)
    assert graph_quads(store, other_graph) == set(other)
    assert len(store) == len(second) + len(other)


def test_a_new_extractor_version_replaces_the_old_graph():
    store = open_store()
    document, old_graph, old = document_quads("d1", version="rule-0.1")
    replace_document(store, document, old_graph, old)
    _, new_graph, new = document_quads("d1", version="rule-0.2")
    replace_document(store, document, new_graph, new)
    assert graphs_of_document(store, document) == [new_graph]
    assert not graph_quads(store, old_graph)
    assert document_graphs(store) == [new_graph]


def test_replace_sparql_escapes_literals():
    store = open_store()
    document, graph, quads = document_quads("d1")
    store.update(replace_document_sparql([], graph, quads))
    texts = {q.object.value for q in store.quads_for_pattern(None, TEXT, None, graph)}
    assert 'claim 0 of d1, "quoted"\nline two' in texts


def test_example_graph_replaces_cleanly():
    """The hand-made example of the extractor's output goes through replace unchanged."""
    source = open_store()
    source.load(path=str(EXAMPLE), format=ox.RdfFormat.TRIG)
    graph = ox.NamedNode(f"{ID}graph/06e6f271c7f4b0d7/rule-attrib-0.1")
    quads = list(source.quads_for_pattern(None, None, None, graph))
    store = open_store()
    for _ in range(2):
        replace_document(store, ox.NamedNode(f"{ID}doc/06e6f271c7f4b0d7"), graph, quads)
    assert graph_quads(store, graph) == set(quads)
    assert len(store) == len(quads)


WRITER = """
import sys
sys.path.insert(0, {root!r})
import pyoxigraph as ox
from test_store import document_quads
from kg.store import replace_document
store = ox.Store({path!r})
versions = [document_quads("d1", claims=400), document_quads("d1", claims=400, speaker="bo-chen")]
print("ready", flush=True)
number = 0
while True:
    document, graph, quads = versions[number % 2]
    replace_document(store, document, graph, quads)
    number += 1
"""


@pytest.mark.parametrize("delay", [0.3, 0.7, 1.1])
def test_replace_is_atomic_under_kill_9(tmp_path, delay):
    """A writer killed with SIGKILL while replacing a graph over and over leaves one whole version."""
    path = tmp_path / "store"
    script = WRITER.format(root=str(ROOT), path=str(path))
    writer = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parent, stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline().strip() == b"ready"
        time.sleep(delay)  # lands somewhere inside a replace; no timing is asserted
    finally:
        writer.kill()
        writer.wait()
    store = ox.Store(str(path))
    versions = [set(document_quads("d1", claims=400)[2]), set(document_quads("d1", claims=400, speaker="bo-chen")[2])]
    assert set(store) in versions


def test_a_store_being_written_is_read_and_a_second_writer_refused(tmp_path):
    """A reader sees the committed state of a store another process holds open for writing (was: "in use");
    a second writer is still refused clearly."""
    path = tmp_path / "store"
    writer = open_store(path)
    replace_document(writer, *document_quads("d1"))
    result = run_kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", path, "--format", "csv")
    assert result.returncode == 0, result.stderr_text
    assert result.stdout_text.split() == ["n", str(len(document_quads("d1")[2]))]
    with pytest.raises(UserError, match="in use by another kg process"):
        open_store(path)
    del writer


def test_open_existing_store_refuses_what_is_not_a_store(tmp_path):
    with pytest.raises(UserError, match="no such store"):
        open_existing_store(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no such store"):
        open_existing_store(tmp_path / "empty")
    assert not (tmp_path / "missing").exists()  # querying never creates a store


@pytest.fixture()
def two_documents(tmp_path) -> Path:
    path = tmp_path / "store"
    store = open_store(path)
    for doc in ("d1", "d2"):
        replace_document(store, *document_quads(doc))
    store.flush()
    del store
    return path


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dataset_export_round_trips(two_documents, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    export_store(open_existing_store(two_documents), out, {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt])
    again = open_store()
    again.load(path=str(out), format={"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt])
    assert set(again) == set(open_existing_store(two_documents))


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS])
def test_dataset_export_keeps_the_default_graph_and_odd_literals(tmp_path, fmt):
    """Graphs are written one by one and joined: the default graph, literals with line breaks, quotes
    and ' .' inside, and prefixed names must survive."""
    store = open_store()
    for doc in ("d1", "d2"):
        store.extend(document_quads(doc)[2])
    odd = ox.Literal('ends like a statement .\n<x> <y> "z" .\n\ttab')
    store.add(ox.Quad(ox.NamedNode(f"{ID}claim/in-default"), TEXT, odd, ox.DefaultGraph()))
    out = tmp_path / "out"
    export_store(store, out, fmt)
    again = open_store()
    again.load(path=str(out), format=fmt)
    assert set(again) == set(store)
    assert any(q.graph_name == ox.DefaultGraph() and q.object == odd for q in again)


def test_trig_export_checked_by_rapper(two_documents, tmp_path):
    rapper = pytest.importorskip("shutil").which("rapper")
    if not rapper:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    out = tmp_path / "out.trig"
    run_kg("export", "--store", two_documents, "-o", out, "--format", "trig", check=True)
    checked = subprocess.run([rapper, "-i", "trig", "-c", str(out)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert f"returned {len(open_existing_store(two_documents))} triples" in checked.stderr


def test_turtle_export_is_the_deduplicated_union(two_documents, tmp_path):
    out = tmp_path / "out.ttl"
    export_store(open_existing_store(two_documents), out, ox.RdfFormat.TURTLE)
    triples = [q.triple for q in ox.parse(path=str(out), format=ox.RdfFormat.TURTLE)]
    expected = {q.triple for q in open_existing_store(two_documents)}
    assert len(triples) == len(expected)  # Ana Lima's name is described by both documents, written once
    assert set(triples) == expected
    assert len(expected) < len(open_existing_store(two_documents))


def test_turtle_export_of_overlapping_graphs_is_their_union_once(tmp_path):
    """Turtle is written graph by graph with repeats removed: subjects described by several graphs
    (with some triples in common and some not, also in the default graph), blank nodes, literals that
    look like statements and names that need escapes in prefixed form. rapper (not Oxigraph) reads the
    result back; rdflib compares it with the union (its own Turtle parser rejects the escaped names)."""
    from rdflib import Graph
    from rdflib.compare import to_isomorphic

    rapper = pytest.importorskip("shutil").which("rapper")
    if not rapper:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    store = open_store()
    for doc in ("d1", "d2", "d3"):
        store.extend(document_quads(doc)[2])
    person, shared = ox.NamedNode(f"{ID}person/ana-lima"), ox.NamedNode(f"{ID}person/j.r.r.(jr).")
    alias, node = ox.NamedNode("http://schema.org/alternateName"), ox.BlankNode("shared")
    odd = ox.Literal('ends like a statement .\n<x> <y> "z" .\n\ttab\nperson:ana-lima x', language="en")
    graphs = [ox.NamedNode(f"{ID}graph/{doc}/v1") for doc in ("d1", "d2", "d3")] + [ox.DefaultGraph()]
    for number, graph in enumerate(graphs):
        store.add(ox.Quad(person, alias, ox.Literal(f"alias {number % 2}"), graph))  # half new, half repeated
        store.add(ox.Quad(shared, NAME, ox.Literal("J. R. R."), graph))
        store.add(ox.Quad(shared, TEXT, odd, graph))
        store.add(ox.Quad(shared, alias, node, graph))
        store.add(ox.Quad(node, NAME, ox.Literal(f"blank {number}"), graph))
    out = tmp_path / "out.ttl"
    export_store(store, out, ox.RdfFormat.TURTLE)
    union = {quad.triple for quad in store}
    assert len(union) < len(store)

    checked = subprocess.run([rapper, "-i", "turtle", "-o", "ntriples", str(out)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert f"returned {len(union)} triples" in checked.stderr  # every triple of the union, none twice
    expected = Graph().parse(data=ox.serialize(union, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    exported = Graph().parse(data=checked.stdout, format="nt")
    assert to_isomorphic(exported) == to_isomorphic(expected)


def test_export_cli_checked_by_rapper(two_documents, tmp_path):
    rapper = pytest.importorskip("shutil").which("rapper")
    if not rapper:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    out = tmp_path / "out.ttl"
    run_kg("export", "--store", two_documents, "-o", out, check=True)
    checked = subprocess.run([rapper, "-i", "turtle", "-c", str(out)], capture_output=True, text=True)
    assert checked.returncode == 0
    expected = len({q.triple for q in open_existing_store(two_documents)})
    assert f"returned {expected} triples" in checked.stderr


def test_failed_export_keeps_the_old_file(two_documents, tmp_path):
    out = tmp_path / "out.nq"
    out.write_text("precious")
    result = run_kg("export", "--store", two_documents, "-o", out, "--format", "yaml")
    assert result.returncode == 1 and "unknown export format" in result.stderr_text
    assert out.read_text() == "precious"
    result = run_kg("export", "--store", tmp_path / "nothing", "-o", out)
    assert result.returncode == 1 and "no such store" in result.stderr_text
    assert len(result.stderr_text.strip().splitlines()) == 1


NAMES = "Ana Bruno Carla Dario Elena Farid Greta Hugo Irene Jonas Kira Luca Mira Nils Olga Pavel".split()
SURNAMES = "Lima Chen Okafor Silva Novak Haddad Berg Costa Duarte Evans Ferreira Gomez".split()
BODIES = ["the Harbor Council", "the River Authority", "the Teachers Union", "the Transit Board"]
PLACES = ["the bridge", "the new school", "the water plant", "the night market", "the bus line"]
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def invented_corpus(path: Path, articles: int) -> None:
    """Short invented news items, each with a few attributed claims, as JSON Lines."""
    import json
    import random

    rng = random.Random(14)
    with path.open("w", encoding="utf-8") as out:
        for number in range(articles):
            lines = []
            for _ in range(3):
                who, place = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}", rng.choice(PLACES)
                lines.append(f"{who}, a spokesperson for {rng.choice(BODIES)}, said that {place} would open in May.")
                lines.append(f"\u201cWe are ready for {place},\u201d {who.split()[1]} told reporters.")
            out.write(json.dumps({"text": "\n\n".join(lines), "title": f"Town news {number}",
                                  "url": f"https://example.org/news/{number}"}) + "\n")


def per_graph_counts(store: ox.Store) -> dict[str, int]:
    """Quads per document graph (thread graphs grow as later documents join them: not compared here)."""
    return {row["g"].value: int(row["n"].value) for row in store.query(PER_GRAPH)
            if "/graph/thread/" not in row["g"].value}


def test_readers_see_the_last_committed_state_during_a_real_ingest(tmp_path):
    """`kg ingest` writes a store in another process while this one reads it over and over, in process and
    through `kg query` / `kg stats` / `kg export` / `kg graph`: every read succeeds, every document read is whole (its
    graph has exactly the quads it has at the end) and the number of documents never goes down."""
    from kg.store import read_store

    corpus, path = tmp_path / "news.jsonl", tmp_path / "store"
    invented_corpus(corpus, 160)  # about 350 quads each: more than one flush (every 50k quads)
    # one worker: the reads, not the ingest, are under test, and a slower ingest gives them more to catch
    ingest = subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(path),
                               "--workers", "1"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: list[dict[str, int]] = []
    cli_queries, cli_reads = [], []
    try:
        while ingest.poll() is None:
            if not (path / "CURRENT").is_file():
                time.sleep(0.1)
                continue
            seen.append(read_store(path, per_graph_counts))
            if len(seen) % 10 == 5:
                cli_queries.append(run_kg("query", PER_GRAPH, "--store", path, "--format", "json"))
                cli_reads.append(run_kg("stats", "--store", path, "--format", "json"))
                cli_reads.append(run_kg("export", "--store", path, "-o", tmp_path / f"copy{len(seen)}.nq"))
            if len(seen) == 15:
                cli_reads.append(run_kg("graph", "--store", path, "-o", tmp_path / "during.html"))
    finally:
        ingest.wait(timeout=600)
    assert ingest.returncode == 0, ingest.stderr.read().decode()
    final = read_store(path, per_graph_counts)
    assert len(final) == 160
    during = [counts for counts in seen if 0 < len(counts) < len(final)]
    assert len(during) >= 3, f"only {len(during)} reads caught the ingest half-way; make the corpus bigger"
    for before, after in zip(seen, seen[1:]):
        assert set(before) <= set(after), "a document disappeared between two reads"
    for counts in seen:
        assert {graph: final[graph] for graph in counts} == counts, "a document was read half-written"
    assert cli_queries and cli_reads
    for result in cli_queries + cli_reads:
        assert result.returncode == 0 and "error" not in result.stderr_text, result.stderr_text
    for result in cli_queries:
        counts = {row["g"]: int(row["n"]) for row in json.loads(result.stdout_text) if "/graph/thread/" not in row["g"]}
        assert {graph: final[graph] for graph in counts} == counts
    for export in tmp_path.glob("copy*.nq"):
        exported = {}
        for quad in ox.parse(path=str(export), format=ox.RdfFormat.N_QUADS):
            if "/graph/thread/" not in quad.graph_name.value:
                exported[quad.graph_name.value] = exported.get(quad.graph_name.value, 0) + 1
        assert {graph: final[graph] for graph in exported} == exported
