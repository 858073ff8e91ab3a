"""claimgraph's RDF and SPARQL checked by tools nobody on the project wrote.

- rapper (Raptor, raptor2-utils) parses the Turtle, TriG and N-Quads that `kg extract` writes;
  rdflib parses the JSON-LD.
- roqet (Rasqal, rasqal-utils) and rdflib's SPARQL engine answer the same questions as `kg query`
  (Oxigraph), and must give the same values.

rapper and roqet are Debian packages; CI installs them, elsewhere these tests skip saying so.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace

from conftest import ROOT, SEED, query_json, run_kg

RAPPER = shutil.which("rapper")
ROQET = shutil.which("roqet")
needs_rapper = pytest.mark.skipif(RAPPER is None, reason="rapper not installed (Debian package raptor2-utils)")
needs_roqet = pytest.mark.skipif(ROQET is None, reason="roqet not installed (Debian package rasqal-utils)")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib 7's own internals

QUERIES = ROOT / "kg" / "queries"
GRAPH_PREFIX = "https://w3id.org/claimkg/id/graph/"
CKG = Namespace("https://w3id.org/claimkg#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RAPPER_SYNTAX = {"ttl": "turtle", "trig": "trig", "nq": "nquads"}
KG_FORMAT = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "jsonld"}
# one N-Triples/N-Quads term: IRI, blank node, or literal with optional language tag or datatype
NQ_TERM = re.compile(r'<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?')


# ------------------------------------------------------------------ helpers

def rapper(path: Path, syntax: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([RAPPER, "-i", syntax, *args, str(path)], capture_output=True, timeout=300)
    result.stderr_text = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, f"rapper -i {syntax} {path.name}: {result.stderr_text}"
    problems = [line for line in result.stderr_text.splitlines() if "Error" in line or "Warning" in line]
    assert not problems, f"rapper -i {syntax} {path.name} complained:\n" + "\n".join(problems)
    return result


def rapper_count(path: Path, syntax: str) -> int:
    """rapper exits 0 even on an empty or truncated file, so read the count it reports."""
    stderr = rapper(path, syntax, "-c").stderr_text
    match = re.search(r"returned (\d+) triples", stderr)
    assert match, f"no triple count in rapper's output: {stderr}"
    return int(match.group(1))


def rapper_quads(path: Path, syntax: str) -> list[list[str]]:
    """The statements rapper read, re-serialised by rapper as N-Quads, each split into its terms."""
    text = rapper(path, syntax, "-q", "-o", "nquads").stdout.decode("utf-8")
    statements = []
    for line in text.splitlines():
        if line.strip():
            terms = NQ_TERM.findall(line)
            assert len(terms) in (3, 4) and line.rstrip().endswith("."), f"unexpected N-Quads line: {line}"
            statements.append(terms)
    return statements


def roqet_rows(query: Path, data: Path) -> list[dict[str, str]]:
    result = subprocess.run([ROQET, "-q", "-i", "sparql", "-D", str(data), "-r", "csv", str(query)],
                            capture_output=True, timeout=300)
    assert result.returncode == 0, f"roqet {query.name}: {result.stderr.decode('utf-8', 'replace')}"
    return list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))


def rdflib_rows(query_text: str, data: Path) -> list[dict[str, str | None]]:
    graph = Graph()
    graph.parse(data, format="turtle")
    result = graph.query(query_text)
    names = [str(v) for v in result.vars]
    return [{name: (None if row[name] is None else str(row[name])) for name in names} for row in result]


def values(rows, columns) -> Counter:
    """A multiset of tuples of plain values; unbound and empty are the same (CSV cannot tell them apart)."""
    return Counter(tuple(row.get(c) or "" for c in columns) for row in rows)


def kg_csv_rows(query: Path, data: Path) -> list[dict[str, str]]:
    text = run_kg("query", query, "--data", data, "--format", "csv", check=True).stdout_text
    return list(csv.DictReader(io.StringIO(text, newline="")))


# ------------------------------------------------------------------ 1. serialisations

@pytest.fixture(scope="module")
def seed_outputs(seed_turtle, tmp_path_factory) -> dict[str, Path]:
    """The seed extracted into each format, chosen by the -o suffix (Turtle comes from conftest)."""
    folder = tmp_path_factory.mktemp("formats")
    outputs = {"ttl": seed_turtle}
    for suffix in ("trig", "nq", "jsonld"):
        outputs[suffix] = folder / f"out.{suffix}"
        run_kg("extract", SEED, "-o", outputs[suffix], check=True)
    return outputs


@pytest.fixture(scope="module")
def explicit_outputs(tmp_path_factory) -> dict[str, Path]:
    """The seed extracted with --format given explicitly: to stdout, and to a file whose suffix says nothing."""
    folder = tmp_path_factory.mktemp("explicit")
    outputs = {}
    for suffix, name in KG_FORMAT.items():
        result = run_kg("extract", SEED, "--format", name, check=True)
        outputs[suffix] = folder / f"stdout.{suffix}"
        outputs[suffix].write_bytes(result.stdout)
    outputs["trig-o"] = folder / "out.data"
    run_kg("extract", SEED, "-o", outputs["trig-o"], "--format", "trig", check=True)
    return outputs


@needs_rapper
def test_rapper_reads_the_same_large_count_from_turtle_trig_and_nquads(seed_outputs):
    counts = {suffix: rapper_count(seed_outputs[suffix], syntax) for suffix, syntax in RAPPER_SYNTAX.items()}
    assert counts["ttl"] > 300, counts  # the seed's 22 claims give several hundred statements
    assert counts["ttl"] == counts["trig"] == counts["nq"], counts


@needs_rapper
def test_rapper_reads_the_same_statements_from_every_format(seed_outputs):
    triples = {suffix: Counter(tuple(q[:3]) for q in rapper_quads(seed_outputs[suffix], syntax))
               for suffix, syntax in RAPPER_SYNTAX.items()}
    assert not any(n > 1 for n in triples["ttl"].values()), "Turtle holds a duplicated triple"
    assert triples["ttl"] == triples["trig"] == triples["nq"]


@needs_rapper
@pytest.mark.parametrize("suffix", ["trig", "nq"])
def test_every_quad_is_in_the_documents_named_graph(seed_outputs, suffix):
    quads = rapper_quads(seed_outputs[suffix], RAPPER_SYNTAX[suffix])
    assert quads
    in_default = [q for q in quads if len(q) == 3]
    assert not in_default, f"{len(in_default)} statements in the default graph, e.g. {in_default[0]}"
    graphs = {q[3] for q in quads}
    assert len(graphs) == 1, graphs  # one article, one graph
    (graph,) = graphs
    assert re.fullmatch(rf"<{re.escape(GRAPH_PREFIX)}[^/>]+/[^>]+>", graph), graph
    # the graph is the document's: it says which document it came from, inside itself
    document = graph[len("<" + GRAPH_PREFIX):].split("/")[0]
    assert [graph, f"<{DCTERMS.source}>", f"<https://w3id.org/claimkg/id/doc/{document}>", graph] in quads


def test_jsonld_read_by_rdflib_gives_the_nquads_statements(seed_outputs):
    from_jsonld = Dataset()
    from_jsonld.parse(seed_outputs["jsonld"], format="json-ld")
    quads = set(from_jsonld.quads((None, None, None, None)))
    assert len(quads) > 300
    if RAPPER:  # (rapper has no JSON-LD parser, but counts the N-Quads file)
        assert len(quads) == rapper_count(seed_outputs["nq"], "nquads")
    graphs = {str(g) for *_, g in quads}
    assert len(graphs) == 1 and graphs.pop().startswith(GRAPH_PREFIX), "JSON-LD statements outside the document graph"
    # the same statements, term for term (rdflib parses both; there are no blank nodes to match up)
    from_nquads = Dataset()
    from_nquads.parse(seed_outputs["nq"], format="nquads")
    assert quads == set(from_nquads.quads((None, None, None, None)))


@needs_rapper
@pytest.mark.parametrize("suffix", ["ttl", "trig", "nq", "trig-o"])
def test_explicit_format_writes_that_format(seed_outputs, explicit_outputs, suffix):
    syntax = RAPPER_SYNTAX[suffix.split("-")[0]]
    reference = suffix.split("-")[0]
    expected = Counter(map(tuple, rapper_quads(seed_outputs[reference], syntax)))
    assert Counter(map(tuple, rapper_quads(explicit_outputs[suffix], syntax))) == expected


def test_explicit_jsonld_format_writes_jsonld(seed_outputs, explicit_outputs):
    quads = {}
    for name, path in (("-o", seed_outputs["jsonld"]), ("--format", explicit_outputs["jsonld"])):
        dataset = Dataset()
        dataset.parse(path, format="json-ld")
        quads[name] = set(dataset.quads((None, None, None, None)))
    assert len(quads["--format"]) > 300
    assert quads["--format"] == quads["-o"]


# ------------------------------------------------------------------ 2. a second SPARQL engine on the built-in queries
#
# roqet (rasqal 0.9.33) cannot parse any built-in query: all of them use SPARQL 1.1 property paths
# (`ckg:anchor/nif:beginIndex`, `ckg:relayedBy*`, `org:role/skos:prefLabel`, `org:memberOf?`), which
# rasqal rejects ("syntax error, unexpected '/'"), and who-said-what also uses FILTER NOT EXISTS
# ("unexpected NOT"). So each built-in .rq file is run unchanged by rdflib's SPARQL engine and compared
# with `kg query` (Oxigraph); roqet answers equivalent SPARQL 1.0-style questions (no paths, no
# aggregates), compared with the same `kg query` output. Aggregates are avoided with roqet because
# rasqal 0.9.33 gives wrong MIN() values over several OPTIONALs (every MIN column = the first one).

BUILTIN_COLUMNS = {
    "who-said-what": ["claim", "source", "cue", "via"],
    "memberships": ["member", "organization", "role"],
    "chains": ["claim", "depth", "link", "source", "cue", "cueType", "hedge", "statedIn"],
    "claims-by-organization": ["organization", "claims"],
}

DATA_FILES = {"seed": None, "two-articles": ROOT / "tests" / "data" / "two-articles.ttl"}


@pytest.fixture(params=list(DATA_FILES))
def turtle(request, seed_turtle) -> Path:
    return DATA_FILES[request.param] or seed_turtle


@pytest.mark.parametrize("name", list(BUILTIN_COLUMNS))
def test_builtin_query_same_values_on_rdflib_and_oxigraph(turtle, seed_turtle, name):
    columns = BUILTIN_COLUMNS[name]
    oxigraph = values(query_json(name, "--data", turtle), columns)
    rdflib = values(rdflib_rows((QUERIES / f"{name}.rq").read_text(encoding="utf-8"), turtle), columns)
    if turtle == seed_turtle:  # the seed has rows for every built-in query
        assert sum(oxigraph.values()) > 0
    assert rdflib == oxigraph, (f"only rdflib: {sorted(rdflib - oxigraph)[:5]}\n"
                                f"only Oxigraph: {sorted(oxigraph - rdflib)[:5]}")


WHO_SAID_WHAT_10 = """\
PREFIX ckg: <https://w3id.org/claimkg#>
SELECT ?claim ?document ?a ?source ?cue ?next ?nextSource ?nextStatedIn
WHERE {
  ?claim a ckg:Claim ; ckg:hasAttribution ?a ; ckg:reportedIn ?document .
  ?a ckg:source ?source .
  OPTIONAL { ?a ckg:cueText ?cue }
  OPTIONAL { ?a ckg:relayedBy ?next . ?next ckg:source ?nextSource .
             OPTIONAL { ?next ckg:statedIn ?nextStatedIn } }
}
"""


@needs_roqet
def test_who_said_what_same_values_on_roqet(seed_turtle, tmp_path):
    query = tmp_path / "who-said-what-1.0.rq"
    query.write_text(WHO_SAID_WHAT_10, encoding="utf-8")
    # via = the next link's source unless that link is the reporting document's own statement
    stated_in: dict[tuple, set] = {}
    for row in roqet_rows(query, seed_turtle):
        key = (row["claim"], row["source"], row["cue"], row["next"], row["nextSource"], row["document"])
        stated_in.setdefault(key, set()).add(row["nextStatedIn"])
    roqet = Counter((claim, source, cue, next_source if next_link and document not in stated else "")
                    for (claim, source, cue, next_link, next_source, document), stated in stated_in.items())
    oxigraph = values(query_json("who-said-what", "--data", seed_turtle), BUILTIN_COLUMNS["who-said-what"])
    assert sum(oxigraph.values()) >= 10
    assert any(via for *_, via in oxigraph), "the seed has a claim told to an outlet: via must be set once"
    assert roqet == oxigraph, f"only roqet: {sorted(roqet - oxigraph)}\nonly Oxigraph: {sorted(oxigraph - roqet)}"


MEMBERSHIPS_10 = """\
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?membership ?member ?organization ?role
WHERE {
  ?membership a org:Membership ; org:member ?member ; org:organization ?organization .
  OPTIONAL { ?membership org:role ?r . ?r skos:prefLabel ?label . BIND (STR(?label) AS ?role) }
}
"""


@needs_roqet
def test_memberships_same_values_on_roqet(seed_turtle, tmp_path):
    query = tmp_path / "memberships-1.0.rq"
    query.write_text(MEMBERSHIPS_10, encoding="utf-8")
    rows = roqet_rows(query, seed_turtle)
    assert len({row["membership"] for row in rows}) == len(rows), "a membership with two roles"
    columns = BUILTIN_COLUMNS["memberships"]
    roqet = values(rows, columns)
    oxigraph = values(query_json("memberships", "--data", seed_turtle), columns)
    assert ("https://w3id.org/claimkg/id/person/hussain-al-shami",
            "https://w3id.org/claimkg/id/org/hayat-tahrir-al-sham", "security commander") in oxigraph
    assert roqet == oxigraph


def test_chain_depths_match_walking_the_graph(turtle):
    """chains.rq computes depth with property paths; rdflib (no SPARQL) walks ckg:relayedBy link by link."""
    graph = Graph()
    graph.parse(turtle, format="turtle")
    expected = Counter()
    for claim in graph.subjects(predicate=None, object=CKG.Claim):
        links = list(graph.objects(claim, CKG.hasAttribution))
        assert len(links) == 1, f"{claim} has {len(links)} first links"
        link, depth, seen = links[0], 0, set()
        while link is not None:
            assert link not in seen, f"{claim}: relayedBy cycle"
            seen.add(link)
            expected[(str(claim), str(depth), str(link), str(graph.value(link, CKG.source)))] += 1
            link, depth = graph.value(link, CKG.relayedBy), depth + 1
    rows = query_json("chains", "--data", turtle)
    oxigraph = Counter({key: 1 for key in values(rows, ["claim", "depth", "link", "source"])})
    assert max(int(d) for _, d, _, _ in expected) >= 1, "no chain longer than one link"
    assert oxigraph == expected


# ------------------------------------------------------------------ 3. a hand-written query on three engines

# The first three attribution links of every claim (depth 0..2, written out without property paths)
# with the claim's anchor, and the anchor's text cut out of the document's nif:isString by the offsets.
# No property paths, subqueries or aggregates, so roqet can run it too.
HAND_WRITTEN = """\
PREFIX ckg:    <https://w3id.org/claimkg#>
PREFIX nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX schema: <http://schema.org/>
SELECT ?claim ?text ?begin ?end ?anchor ?slice ?depth ?link ?source ?sourceName ?cueType ?stance ?hedge
WHERE {
  ?claim a ckg:Claim ; schema:text ?text ; ckg:anchor ?span .
  ?span nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?anchor ; nif:referenceContext ?context .
  ?context nif:isString ?whole .
  BIND (SUBSTR(?whole, ?begin + 1, ?end - ?begin) AS ?slice)
  { ?claim ckg:hasAttribution ?link . BIND (0 AS ?depth) }
  UNION { ?claim ckg:hasAttribution ?a0 . ?a0 ckg:relayedBy ?link . BIND (1 AS ?depth) }
  UNION { ?claim ckg:hasAttribution ?a0 . ?a0 ckg:relayedBy ?a1 . ?a1 ckg:relayedBy ?link . BIND (2 AS ?depth) }
  ?link ckg:source ?source ; ckg:cueType ?cueType ; ckg:stance ?stance .
  OPTIONAL { ?source schema:name ?sourceName }
  OPTIONAL { ?link ckg:hedge ?hedge }
}
ORDER BY ?begin ?claim ?link
"""
HAND_COLUMNS = ["claim", "text", "begin", "end", "anchor", "slice", "depth", "link", "source", "sourceName", "cueType",
                "stance", "hedge"]


@pytest.fixture
def hand_written(tmp_path) -> Path:
    path = tmp_path / "links.rq"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


def test_hand_written_query_same_rows_on_kg_csv_and_rdflib(seed_turtle, hand_written):
    kg_rows = kg_csv_rows(hand_written, seed_turtle)
    assert kg_rows and list(kg_rows[0]) == HAND_COLUMNS
    rdflib = values(rdflib_rows(hand_written.read_text(encoding="utf-8"), seed_turtle), HAND_COLUMNS)
    kg = values(kg_rows, HAND_COLUMNS)
    assert sum(kg.values()) >= 20
    assert any("\n" in row["text"] for row in kg_rows)  # multi-line comments survive the CSV
    assert any(row["hedge"] for row in kg_rows)
    assert rdflib == kg, f"only rdflib: {sorted(rdflib - kg)[:3]}\nonly kg: {sorted(kg - rdflib)[:3]}"
    # the same links at the same depths as the built-in chains query
    chains = {(row["claim"], row["depth"], row["link"]) for row in query_json("chains", "--data", seed_turtle)}
    assert {(row["claim"], row["depth"], row["link"]) for row in kg_rows} == {c for c in chains if int(c[1]) <= 2}
    # the anchors' offsets point at their text in the document
    assert all(row["slice"] == row["anchor"] for row in kg_rows), \
        [(row["begin"], row["end"], row["anchor"], row["slice"]) for row in kg_rows if row["slice"] != row["anchor"]][:3]


@needs_roqet
def test_hand_written_query_same_rows_on_roqet(seed_turtle, hand_written):
    kg = values(kg_csv_rows(hand_written, seed_turtle), HAND_COLUMNS)
    roqet = values(roqet_rows(hand_written, seed_turtle), HAND_COLUMNS)
    assert sum(kg.values()) >= 20
    assert roqet == kg, f"only roqet: {sorted(roqet - kg)[:3]}\nonly kg: {sorted(kg - roqet)[:3]}"
