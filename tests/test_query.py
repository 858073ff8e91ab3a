"""`kg query` on files: every query form (SELECT, ASK, CONSTRUCT, DESCRIBE), the dataset a query names
(FROM / FROM NAMED), --bind as whole terms, and one-line errors for bad bindings, SERVICE and data files."""
from __future__ import annotations

import json
import os
import socket

import pyoxigraph as ox
import pytest

from conftest import SEED, query_json, run_kg
from kg.sparql import bind_values, names_a_dataset, query_form
from test_cli_errors import assert_one_line_error

ID = "https://w3id.org/claimkg/id/"
SHAMI = f"{ID}person/hussain-al-shami"


@pytest.fixture(scope="module")
def seed_trig(tmp_path_factory):
    """The seed article as TriG (its statements in its document graph) plus one N-Quads file with a
    statement in another graph: two graphs to tell apart."""
    folder = tmp_path_factory.mktemp("trig")
    run_kg("extract", SEED, "-o", folder / "seed.trig", check=True)
    extra = folder / "extra.nq"
    extra.write_text('<http://example.org/s> <http://example.org/p> "elsewhere" <http://example.org/g> .\n')
    graph = next(ox.parse(path=str(folder / "seed.trig"), format=ox.RdfFormat.TRIG)).graph_name
    return folder / "seed.trig", extra, graph.value


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_ask_answers_true_or_false_in_every_format(seed_turtle, fmt):
    """Was a traceback: QueryBoolean has no `variables`."""
    answers = []
    for query in (f"ASK {{ <{SHAMI}> ?p ?o }}", f"ASK {{ <{SHAMI}> <http://example.org/never> ?o }}"):
        result = run_kg("query", query, "--data", seed_turtle, "--format", fmt)
        assert result.returncode == 0 and "Traceback" not in result.stderr_text, result.stderr_text
        answers.append(result.stdout_text.split()[-1])
    assert answers == ["true", "false"]
    if fmt == "json":
        assert json.loads(run_kg("query", "ASK { ?s ?p ?o }", "--data", seed_turtle, "-f", "json").stdout_text) is True


def test_construct_gives_turtle_and_json_ld(seed_turtle):
    construct = ("PREFIX schema: <http://schema.org/> CONSTRUCT { ?who <http://example.org/called> ?name } "
                 "WHERE { ?who schema:name ?name }")
    turtle = run_kg("query", construct, "--data", seed_turtle, "--bind", f"who={SHAMI}", check=True).stdout_text
    triples = {(q.subject.value, q.object.value) for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)}
    assert triples == {(SHAMI, "Hussain al-Shami")}
    json_ld = run_kg("query", construct, "--data", seed_turtle, "--bind", f"who={SHAMI}", "-f", "json", check=True)
    parsed = {(q.subject.value, q.object.value) for q in ox.parse(json_ld.stdout, format=ox.RdfFormat.JSON_LD)}
    assert parsed == triples
    assert_one_line_error(run_kg("query", construct, "--data", seed_turtle, "-f", "csv"), mentions="graph, not rows")


def test_describe_gives_the_resource_in_turtle(seed_turtle):
    turtle = run_kg("query", f"DESCRIBE <{SHAMI}>", "--data", seed_turtle, check=True).stdout_text
    names = {q.object.value for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)
             if q.predicate.value == "http://schema.org/name"}
    assert names == {"Hussain al-Shami"}


def test_from_makes_a_graph_the_default_graph(seed_trig):
    """Was ignored: the query ran over the union of all graphs and counted every quad."""
    trig, extra, graph = seed_trig
    count = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
    everything = int(query_json(count.format(**{"from": ""}), "--data", trig, "--data", extra)[0]["n"])
    seed_only = int(query_json(count.format(**{"from": f"FROM <{graph}>"}), "--data", trig, "--data", extra)[0]["n"])
    other_only = query_json(count.format(**{"from": "FROM <http://example.org/g>"}), "--data", trig, "--data", extra)
    assert everything == seed_only + 1
    assert other_only == [{"n": "1"}]


def test_from_named_limits_the_named_graphs(seed_trig):
    trig, extra, _ = seed_trig
    rows = query_json("SELECT DISTINCT ?g FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
                      "--data", trig, "--data", extra)
    assert rows == [{"g": "http://example.org/g"}]
    # FROM NAMED alone leaves the default graph empty (SPARQL 1.1, 13.2)
    assert query_json("SELECT (COUNT(*) AS ?n) FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }",
                      "--data", trig, "--data", extra) == [{"n": "0"}]


def test_without_from_the_default_graph_is_the_union(seed_trig):
    trig, extra, _ = seed_trig
    rows = query_json('SELECT ?s WHERE { ?s ?p "elsewhere" }', "--data", trig, "--data", extra)
    assert rows == [{"s": "http://example.org/s"}]


def test_bind_never_lands_inside_a_string_literal(seed_turtle):
    """Was: `VALUES ?who { <...> }` written into the string "SELECT ?who {", changing the query's constant."""
    query = 'PREFIX schema: <http://schema.org/> SELECT ?name ?label WHERE { ?who schema:name ?name BIND ("SELECT ?who {" AS ?label) }'
    assert query_json(query, "--data", seed_turtle, "--bind", f"who={SHAMI}") == [
        {"name": "Hussain al-Shami", "label": "SELECT ?who {"}]


@pytest.mark.parametrize("text", [
    '# a comment: SELECT ?who {\nPREFIX schema: <http://schema.org/> SELECT ?name WHERE { ?who schema:name ?name }',
    "PREFIX schema: <http://schema.org/> SELECT ?name WHERE { ?who schema:name ?name } # then { SELECT ?who {",
    "PREFIX schema: <http://schema.org/> SELECT ?name WHERE { ?who schema:name ?name FILTER (?name != '''x { SELECT ?who { y''') }",
])
def test_bind_ignores_comments_and_long_strings(seed_turtle, text):
    assert query_json(text, "--data", seed_turtle, "--bind", f"who={SHAMI}") == [{"name": "Hussain al-Shami"}]


def test_bind_narrows_sub_selects_and_skips_aggregate_aliases():
    """A sub-select that projects ?who gets the VALUES block; one that only computes ?who as an alias does not."""
    who = {ox.Variable("who"): ox.NamedNode(SHAMI)}
    text = ("SELECT ?x (EXISTS { ?who ?p ?x } AS ?e) WHERE { { SELECT ?who (COUNT(*) AS ?n) WHERE { ?who ?p ?o } "
            "GROUP BY ?who } { SELECT (MIN(?y) AS ?who) WHERE { ?y ?q ?z } } }")
    bound = bind_values(text, who)
    assert bound.count("VALUES ?who") == 2
    assert "WHERE { VALUES ?who" in bound and "GROUP BY" in bound
    assert "(MIN(?y) AS ?who) WHERE { ?y" in bound  # the alias sub-select is left alone
    ox.Store().query(bound)  # and the result parses


@pytest.mark.parametrize("text", [
    "CONSTRUCT { ?who <http://e/p> ?o } WHERE { ?who ?p ?o }",
    "CONSTRUCT WHERE { ?who ?p ?o }",  # its group may hold only triples: a final VALUES clause
    "DESCRIBE ?who WHERE { ?who ?p ?o }",
])
def test_bind_narrows_every_graph_form(text):
    store = ox.Store()
    for subject in (SHAMI, f"{ID}person/someone-else"):
        store.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode("http://e/p"), ox.Literal("x")))
    triples = list(store.query(bind_values(text, {ox.Variable("who"): ox.NamedNode(SHAMI)})))
    assert triples and {t.subject.value for t in triples} == {SHAMI}


def test_bind_narrows_ask():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(SHAMI), ox.NamedNode("http://e/p"), ox.Literal("x")))
    ask = "ASK { ?who <http://e/p> ?o }"
    assert bool(store.query(bind_values(ask, {ox.Variable("who"): ox.NamedNode(SHAMI)})))
    assert not bool(store.query(bind_values(ask, {ox.Variable("who"): ox.NamedNode(f"{ID}person/nobody")})))


def test_query_form_and_dataset_are_read_from_tokens():
    assert query_form('PREFIX x: <http://e/> # ASK\nSELECT ("CONSTRUCT" AS ?c) WHERE {}') == "SELECT"
    assert names_a_dataset("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }")
    assert not names_a_dataset('PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:from "FROM <x>" } # FROM <y>')


@pytest.mark.parametrize("value, mentions", [
    ("1-x=foo", "not a SPARQL variable name"),
    ("x=<not an iri>", "not a valid IRI"),
    ("x=http://bad iri", "not a valid IRI"),
    ("x=<>", "not a valid IRI"),
    ("=x", "expected VAR=VALUE"),
])
def test_bad_bind_values_are_one_line(seed_turtle, value, mentions):
    """Were tracebacks (ValueError from pyoxigraph)."""
    result = run_kg("query", "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1", "--data", seed_turtle, "--bind", value)
    assert_one_line_error(result, mentions=mentions)


def test_a_bound_text_value_is_one_literal(seed_turtle):
    rows = query_json('PREFIX schema: <http://schema.org/> SELECT ?who WHERE { ?who schema:name ?name }',
                      "--data", seed_turtle, "--bind", 'name=Hussain al-Shami" } ?who ?p "')
    assert rows == []  # a value with quotes and braces stays inside its literal
    rows = query_json('PREFIX schema: <http://schema.org/> SELECT ?who WHERE { ?who schema:name ?name }',
                      "--data", seed_turtle, "--bind", "name=Hussain al-Shami")
    assert rows == [{"who": SHAMI}]


def test_a_failing_service_is_one_line(seed_turtle):
    """Was a traceback: the engine reports the failure while the rows are read."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    for fmt in ("table", "csv", "json"):
        assert_one_line_error(run_kg("query", query, "--data", seed_turtle, "-f", fmt), mentions="query failed")


def test_unreadable_data_files_are_one_line(tmp_path):
    """A folder, a FIFO (which would block the reader) and a file whose reading fails: one line each, no
    traceback (the read error was a traceback)."""
    (tmp_path / "folder.ttl").mkdir()
    assert_one_line_error(run_kg("query", "who-said-what", "--data", tmp_path / "folder.ttl"), mentions="folder")
    os.mkfifo(tmp_path / "pipe.ttl")
    assert_one_line_error(run_kg("query", "who-said-what", "--data", tmp_path / "pipe.ttl"), mentions="regular file")
    (tmp_path / "memory.ttl").symlink_to("/proc/self/mem")  # a regular file that even root cannot read
    assert_one_line_error(run_kg("query", "who-said-what", "--data", tmp_path / "memory.ttl"), mentions="cannot read")


# ---------------------------------------------------------------- the table

WHO_SAID_WHAT_COLUMNS = ["claim", "claimText", "source", "sourceName", "sourceKind", "cue", "cueType", "via",
                         "viaName", "document"]


def run_in_terminal(*args, columns: int = 80) -> str:
    """`kg ARGS` with its stdout on a real pseudo-terminal ``columns`` characters wide; returns what it showed."""
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from conftest import ROOT

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    process = subprocess.Popen([sys.executable, "-m", "kg", *map(str, args)], stdout=follower,
                               stderr=subprocess.PIPE, cwd=ROOT, env=environment)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(timeout=600) == 0, process.stderr.read().decode()
    return shown.decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [80, 120])
def test_the_table_fits_the_terminal(seed_turtle, columns):
    """Was 200 characters wide whatever the terminal."""
    shown = run_in_terminal("query", "who-said-what", "--data", seed_turtle, columns=columns)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "sourceName" in shown and "Hussain" in shown and "row(s)" in lines[-1]


def test_the_default_table_shows_names_and_text_not_iris(seed_turtle):
    """Was: claim, source, via and document IRIs in the default table."""
    table = run_kg("query", "who-said-what", "--data", seed_turtle, check=True).stdout_text
    header = table.splitlines()[1]
    assert [cell.strip() for cell in header.strip("┃ ").split("┃")] == [
        "claimText", "sourceName", "sourceKind", "cue", "viaName", "document"]
    assert "https://" not in table and "claim/" not in table
    assert "Hay’at Tahir al-Sham Claims It Captured" in table  # the document's title
    for name in ("memberships", "chains", "claims-by-organization"):
        assert "https://" not in run_kg("query", name, "--data", seed_turtle, check=True).stdout_text, name


def test_a_piped_table_is_whole(seed_turtle):
    """Was: values cut at 90 characters and the table at 200 columns."""
    rows = query_json("who-said-what", "--data", seed_turtle)
    longest = max((row["claimText"] for row in rows), key=len)
    assert len(longest) > 200
    table = run_kg("query", "who-said-what", "--data", seed_turtle, check=True).stdout_text
    assert any(longest in line for line in table.splitlines())


def test_columns_chooses_the_columns_in_every_format(seed_turtle):
    table = run_kg("query", "who-said-what", "--data", seed_turtle, "--columns", "sourceName,claim",
                   check=True).stdout_text
    assert [cell.strip() for cell in table.splitlines()[1].strip("┃ ").split("┃")] == ["sourceName", "claim"]
    csv_text = run_kg("query", "who-said-what", "--data", seed_turtle, "--columns", "?sourceName, cue", "-f", "csv",
                      check=True).stdout_text
    assert csv_text.splitlines()[0] == "sourceName,cue"
    rows = query_json("who-said-what", "--data", seed_turtle, "--columns", "claim")
    assert rows and all(list(row) == ["claim"] and row["claim"].startswith(ID + "claim/") for row in rows)
    assert_one_line_error(run_kg("query", "who-said-what", "--data", seed_turtle, "--columns", "speaker"),
                          mentions="no column 'speaker'")


def test_csv_and_json_keep_every_column_and_iri(seed_turtle):
    csv_text = run_kg("query", "who-said-what", "--data", seed_turtle, "-f", "csv", check=True).stdout_text
    assert csv_text.splitlines()[0].split(",") == WHO_SAID_WHAT_COLUMNS
    rows = query_json("who-said-what", "--data", seed_turtle)
    assert all(list(row) == WHO_SAID_WHAT_COLUMNS for row in rows)
    assert all(row["document"].startswith(ID + "doc/") and row["source"].startswith(ID) for row in rows)
