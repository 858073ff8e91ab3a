"""Bad input: one clear line on stderr, exit code 1 (2 for usage), never a traceback, never lost data."""
from __future__ import annotations

import pytest

from conftest import SEED, query_json, run_kg


def assert_one_line_error(result, code=1, mentions=""):
    assert result.returncode == code, (result.returncode, result.stderr_text)
    assert "Traceback" not in result.stderr_text
    lines = [line for line in result.stderr_text.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr_text
    assert mentions.lower() in lines[0].lower(), lines[0]


def test_missing_article(tmp_path):
    assert_one_line_error(run_kg("extract", tmp_path / "nope.txt"), mentions="no such file")


def test_empty_article(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n ")
    assert_one_line_error(run_kg("extract", path), mentions="empty")


def test_binary_article(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 40)
    assert_one_line_error(run_kg("extract", path), mentions="binary")


def test_huge_article(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Word after word said nothing. " * 200_000)
    assert_one_line_error(run_kg("extract", path), mentions="larger than")


def test_windows_1252_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Jos\xe9 P\xe9rez said that the caf\xe9 \x93will reopen\x94 soon.".encode("latin-1"))
    result = run_kg("extract", path, "-o", tmp_path / "out.ttl")
    assert result.returncode == 0, result.stderr_text
    assert "Windows-1252" in result.stderr_text
    assert "José Pérez" in (tmp_path / "out.ttl").read_text(encoding="utf-8")


def test_stdin_article(tmp_path):
    result = run_kg("extract", "-", "-o", tmp_path / "out.ttl", input="Ana Lima said that the bridge is open.".encode())
    assert result.returncode == 0, result.stderr_text
    assert "the bridge is open" in (tmp_path / "out.ttl").read_text(encoding="utf-8")


def test_failed_extract_keeps_existing_output(tmp_path):
    out = tmp_path / "out.ttl"
    out.write_text("precious")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert_one_line_error(run_kg("extract", SEED, empty, "-o", out), mentions="empty")
    assert out.read_text() == "precious"


def test_malformed_sparql(seed_turtle):
    assert_one_line_error(run_kg("query", "SELECT ?x WHERE { ?x ", "--data", seed_turtle), mentions="malformed SPARQL")


def test_missing_data_file(tmp_path):
    assert_one_line_error(run_kg("query", "who-said-what", "--data", tmp_path / "nope.ttl"), mentions="no such data file")


def test_unparsable_data_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<")
    assert_one_line_error(run_kg("query", "who-said-what", "--data", bad), mentions="not valid")


def test_missing_store(tmp_path):
    assert_one_line_error(run_kg("query", "who-said-what", "--store", tmp_path / "nostore"), mentions="no such store")


def test_unknown_query_name(seed_turtle):
    assert_one_line_error(run_kg("query", "who-said-waht", "--data", seed_turtle), mentions="unknown query")


def test_usage_error_exits_2():
    result = run_kg("query", "who-said-what", "--format", "xml", "--data", SEED)
    assert result.returncode == 2 and "Traceback" not in result.stderr_text


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_formats(seed_turtle, fmt):
    result = run_kg("query", "memberships", "--data", seed_turtle, "--format", fmt)
    assert result.returncode == 0 and "security commander" in result.stdout_text


def test_query_from_file_and_bind(seed_turtle, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("PREFIX schema: <http://schema.org/> SELECT ?name WHERE { ?who schema:name ?name }")
    result = run_kg("query", query, "--data", seed_turtle, "--format", "csv",
                    "--bind", "who=https://w3id.org/claimkg/id/person/hussain-al-shami")
    assert result.returncode == 0 and result.stdout_text.splitlines() == ["name", "Hussain al-Shami"]


def test_validate_reports_violations(seed_turtle, tmp_path):
    text = seed_turtle.read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    # every claim loses its text: a shape violation, but still valid Turtle
    broken.write_text(text.replace("schema:text", "schema:description"), encoding="utf-8")
    result = run_kg("validate", broken)
    assert result.returncode == 1 and "schema:text" in result.stdout_text


def test_validate_reports_a_chain_depth_that_disagrees_with_the_links(seed_turtle, tmp_path):
    text = seed_turtle.read_text(encoding="utf-8")
    one = 'ckg:chainDepth "1"^^xsd:nonNegativeInteger'
    assert one in text, "the seed has relayed links"
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace(one, 'ckg:chainDepth "2"^^xsd:nonNegativeInteger', 1), encoding="utf-8")
    result = run_kg("validate", broken)
    assert result.returncode == 1 and "ckg:chainDepth / ckg:attributionOf disagree" in result.stdout_text
    assert run_kg("validate", seed_turtle).returncode == 0


def test_extract_with_publisher_url_and_date(tmp_path):
    out = tmp_path / "out.ttl"
    result = run_kg("extract", SEED, "-o", out, "--publisher", "South Front", "--url", "https://example.org/a",
                    "--date", "2018-05-12")
    assert result.returncode == 0, result.stderr_text
    rows = query_json("""PREFIX schema: <http://schema.org/> PREFIX ckg: <https://w3id.org/claimkg#>
        SELECT DISTINCT ?name WHERE { ?link ckg:statedIn ?doc . ?doc a ckg:NewsArticle . ?link ckg:source/schema:name ?name }""",
                      "--data", out)
    assert rows == [{"name": "South Front"}]
    assert run_kg("validate", out).returncode == 0


def test_validate_reports_exactly_what_pyshacl_reports_on_its_own(seed_turtle, tmp_path):
    """Preparing each constraint query once changes nothing: same conformance and report as pyshacl's own path
    (the ontology handed to pyshacl, a plain rdflib Graph, every query parsed per focus node)."""
    import pyshacl
    from rdflib import Graph

    from kg.validate import read_union, shipped, validate_graph

    broken = tmp_path / "broken.ttl"
    broken.write_text(seed_turtle.read_text(encoding="utf-8").replace("schema:text", "schema:description", 3),
                      encoding="utf-8")
    for path in (seed_turtle, broken):
        plain = Graph()
        for triple in read_union([str(path)]):
            plain.add(triple)
        conforms, _, report = pyshacl.validate(plain, shacl_graph=Graph().parse(data=shipped("shapes.ttl")),
                                               ont_graph=Graph().parse(data=shipped("claimgraph.ttl")),
                                               inference="none", advanced=True)
        assert validate_graph(read_union([str(path)])) == (conforms, report)
    assert not conforms  # the broken file was checked, and it fails


def test_validate_an_unreadable_file_is_one_line(tmp_path):
    (tmp_path / "folder.ttl").mkdir()
    assert_one_line_error(run_kg("validate", tmp_path / "folder.ttl"), mentions="no such data file")
    proc_file = tmp_path / "memory.ttl"
    proc_file.symlink_to("/proc/self/mem")  # a regular file that even root cannot read from the start
    assert_one_line_error(run_kg("validate", proc_file), mentions="memory.ttl")
