"""Tests of the networkx projection: node kinds, chains, hover text, filters and statistics."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import projection as P
from kg.store import load_files, open_store

DATA = Path(__file__).parent / "data"
SEED = DATA / "example-seed.trig"
TWO = DATA / "two-articles.ttl"


def graph_of(*paths):
    store = open_store()
    load_files(store, list(paths))
    return P.project(store)


@pytest.fixture(scope="module")
def seed():
    return graph_of(SEED)


@pytest.fixture(scope="module")
def two():
    return graph_of(TWO)


def node(graph, label_start):
    found = [n for n, label in graph.nodes(data="label") if label == label_start]
    found = found or [n for n, label in graph.nodes(data="label") if label.startswith(label_start)]
    assert len(found) == 1, (label_start, found)
    return found[0]


def labels(graph, nodes):
    return {graph.nodes[n]["label"] for n in nodes}


def test_node_kinds_of_the_seed(seed):
    expected = {
        "Hussain al-Shami": P.PERSON, "Hay’at Tahrir al-Sham": P.ORGANISATION, "Iba’a": P.OUTLET,
        "Publisher of seed article": P.OUTLET, "Local observers": P.UNNAMED, "Syrian opposition sources": P.UNNAMED,
        "HighLord Gaz": P.COMMENTER, "Hay’at Tahir al-Sham Claims": P.DOCUMENT, "comment by HighLord Gaz": P.DOCUMENT,
        "HTS had captured": P.CLAIM,
    }
    for label, kind in expected.items():
        assert seed.nodes[node(seed, label)]["kind"] == kind, label
    assert len(P.claims(seed)) == 7
    # Nodes of the unasserted content graph (entities of the quoted statement) are not drawn.
    assert not any("three-intelligence-cells" in n for n in seed.nodes)


def test_chain_states_and_relays(seed):
    claim = node(seed, "HTS had captured")
    assert labels(seed, seed.nodes[claim]["chain"]) == {"Hussain al-Shami", "Iba’a", node_label(seed, "Publisher")}
    assert [seed.nodes[s]["label"] for s in seed.nodes[claim]["chain"]][:2] == ["Hussain al-Shami", "Iba’a"]
    speaker, ibaa, publisher = seed.nodes[claim]["chain"]
    assert seed.edges[speaker, claim]["kind"] == P.STATES and seed.edges[speaker, claim]["label"] == "told"
    assert seed.edges[claim, ibaa]["kind"] == P.RELAYED
    assert seed.edges[ibaa, publisher]["kind"] == P.RELAYED
    assert claim in seed.edges[ibaa, publisher]["claims"]
    assert seed.nodes[claim]["recipients"] == ["Iba’a"]
    hedged = node(seed, "The Syrian and Russian")
    assert seed.edges[hedged, publisher]["label"] == "relayed via (allegedly)"
    assert seed.nodes[hedged]["hedge"] == "allegedly"


def node_label(graph, start):
    return graph.nodes[node(graph, start)]["label"]


def test_memberships_affiliations_disputes_comments(seed):
    person, hts = node(seed, "Hussain al-Shami"), node(seed, "Hay’at Tahrir al-Sham")
    assert seed.edges[person, hts]["kind"] == P.MEMBER
    assert seed.edges[person, hts]["label"] == "member of (security commander)"
    assert seed.edges[node(seed, "Iba’a"), hts]["kind"] == P.AFFILIATED
    assert seed.edges[node(seed, "HTS is lying"), node(seed, "HTS had captured")]["kind"] == P.DISPUTES
    comment, article = node(seed, "comment by HighLord Gaz"), node(seed, "Hay’at Tahir al-Sham Claims")
    assert seed.edges[comment, article]["kind"] == P.COMMENT_ON
    assert seed.edges[node(seed, "HighLord Gaz"), comment]["kind"] == P.WROTE


def test_hover_text_marks_cue_and_claim_in_the_sentence(seed):
    data = seed.nodes[node(seed, "HTS had captured")]
    assert (data["begin"], data["end"]) == (259, 396)
    roles = {role: text for text, role in data["segments"] if role}
    assert roles["cue"] == "told"
    assert roles["claim"].startswith("HTS had captured three") and roles["claim"].endswith("for months")
    sentence = "".join(text for text, _ in data["segments"])
    assert sentence.startswith("On May 10, Hussain al-Shami") and sentence.endswith("for months.")
    assert data["document_label"].startswith("Hay’at Tahir al-Sham Claims")


def test_sentence_segments_cut_at_sentence_ends():
    text = "First one. Then Bob said that it rains. Last."
    segments, begin, end = P.sentence_segments(text, {"cue": (20, 24), "claim": (30, 38)})
    assert "".join(t for t, _ in segments) == "Then Bob said that it rains." == text[begin:end]
    assert [t for t, r in segments if r] == ["said", "it rains"]


def test_chain_nodes_are_exactly_the_provenance(seed):
    chain = P.chain_nodes(seed, node(seed, "HTS had captured"))
    assert labels(seed, chain) == {
        node_label(seed, "HTS had captured"), "Hussain al-Shami", "Iba’a", node_label(seed, "Publisher"),
        node_label(seed, "Hay’at Tahir al-Sham Claims"), node_label(seed, "Iba’a report"), "comment by HighLord Gaz"}
    comment_chain = P.chain_nodes(seed, node(seed, "HTS is lying"))
    assert labels(seed, comment_chain) == {node_label(seed, "HTS is lying"), "HighLord Gaz", "comment by HighLord Gaz",
                                           node_label(seed, "Hay’at Tahir al-Sham Claims")}


def test_turtle_default_graph_and_trig_named_graphs_give_the_same_projection(seed, tmp_path):
    store = open_store()
    load_files(store, [SEED])
    flat = tmp_path / "seed.nt"
    # Drop the graph names: every quad into the default graph, written as N-Triples.
    flat.write_bytes(ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), format=ox.RdfFormat.N_TRIPLES))
    other = graph_of(flat)
    assert set(other.nodes) == set(seed.nodes)
    assert {(u, v, d["kind"]) for u, v, d in other.edges(data=True)} == {(u, v, d["kind"]) for u, v, d in seed.edges(data=True)}


def test_same_person_in_two_articles_is_one_node(two):
    minister = node(two, "Ann Example")
    assert sorted(two.nodes[c]["label"] for c in two.successors(minister) if two.nodes[c]["kind"] == P.CLAIM) == [
        "Taxes will not rise.", "The budget is balanced."]
    assert [two.nodes[s]["label"] for s in two.nodes[node(two, "Taxes")]["chain"]] == [
        "Ann Example", "Wire Agency", "The Herald"]


def test_filters(two):
    def shown(**kw):
        return labels(two, P.filter_graph(two, **kw).nodes)

    by_speaker = shown(speaker="insiders")
    assert "The minister hid a deficit." in by_speaker
    assert "The budget is balanced." in by_speaker  # the claim it disputes comes along
    assert "Taxes will not rise." not in by_speaker
    by_org = shown(organization="MoF")  # alias of the Ministry; the minister is a member
    assert {"The budget is balanced.", "Taxes will not rise.", "Ministry of Finance"} <= by_org
    by_doc = shown(document="a1")
    assert "The budget is balanced." in by_doc and "Minister defends budget" in by_doc
    assert "Taxes will not rise." not in by_doc
    assert shown(claim="TAXES") >= {"Taxes will not rise.", "Ann Example", "Wire Agency", "The Herald"}
    assert "The budget is balanced." not in shown(claim="taxes")
    assert shown(speaker="nobody-at-all") == set()
    assert shown(speaker="ann", claim="deficit") == set()


def test_max_nodes_keeps_whole_chains_within_the_budget(two):
    full = P.filter_graph(two)
    assert full.number_of_nodes() == two.number_of_nodes()
    for budget in (3, 6, 9, 12):
        small = P.filter_graph(two, max_nodes=budget)
        assert small.number_of_nodes() <= budget
        for claim in P.claims(small):
            assert P.chain_nodes(two, claim) <= set(small.nodes)
    assert P.claims(P.filter_graph(two, max_nodes=9))


def test_stats_of_two_articles(two):
    assert P.most_quoted_sources(two)[0] == ("Ann Example", P.PERSON, 2)
    assert P.top_relayers(two)[0] == ("The Herald", P.OUTLET, 2)
    longest = P.longest_chains(two, top=1)
    assert longest == [(3, ["Ann Example", "Wire Agency", "The Herald"], "Taxes will not rise.")]
    assert P.most_disputed_claims(two) == [("The budget is balanced.", 1, ["Party insiders"])]
    assert P.stats(two, top=1)["most_quoted_sources"] == [("Ann Example", P.PERSON, 2)]


def test_projection_does_not_need_pyvis_or_spacy():
    import subprocess
    import sys

    code = ("import sys, kg.projection; "
            "print(any(m in sys.modules for m in ('pyvis', 'spacy', 'IPython')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent, check=True)
    assert out.stdout.strip() == "False"


# --- threads (tests/data/threads.trig: three invented articles extracted by `kg extract`, thread triples by hand) ---

THREADS = DATA / "threads.trig"
BRIDGE = "https://w3id.org/claimkg/id/thread/0a1b2c3d4e5f6071"
CABLES = "https://w3id.org/claimkg/id/thread/9f8e7d6c5b4a3921"


@pytest.fixture(scope="module")
def threads():
    return graph_of(THREADS)


def test_thread_members_in_time_order_undated_last(threads):
    thread = threads.graph["threads"][BRIDGE]
    documents = [threads.nodes[c]["document_label"] for c in thread["members"]]
    # In the data the member IRIs sort otherwise (24a0... < 5fd2... < a922...): the order is the dates'.
    assert documents == ["Bridge to close for repairs", "Harbour bridge shutdown announced",
                         "Port authority rejects closure plan"]
    assert [threads.nodes[c]["published"] for c in thread["members"]] == ["2016-05-04", "2016-05-05T09:30:00Z", None]
    assert thread["first"] == thread["members"][0]
    assert (thread["label"], thread["outlets"], thread["documents"], thread["first_date"]) == (
        "bridge closes June 1", 3, 3, "2016-05-04")
    evening_post = node(threads, "Port authority rejects")
    assert threads.nodes[evening_post]["undated"] is True and threads.nodes[evening_post]["published"] is None
    assert threads.nodes[thread["members"][0]]["threads"] == [BRIDGE]


def test_a_claim_disputing_a_thread_disputes_its_first_claim(threads):
    thread = threads.graph["threads"][BRIDGE]
    [disputer] = thread["disputed_by"]
    assert threads.nodes[disputer]["label"] == "the bridge would close in June"
    assert threads.nodes[disputer]["disputes_threads"] == [BRIDGE]
    edge = threads.edges[disputer, thread["first"]]
    assert edge["kind"] == P.DISPUTES and edge["label"] == "disputes (thread)"
    assert BRIDGE not in threads and CABLES not in threads  # threads are data of the graph, not nodes
    assert P.most_disputed_claims(threads)[0][1:] == (1, ["Port authority"])


def test_thread_filter_draws_members_disputers_and_their_chains_only(threads):
    shown = P.filter_graph(threads, thread=BRIDGE)
    texts = sorted(shown.nodes[c]["label"] for c in P.claims(shown))
    assert texts == sorted(["the harbour bridge will close for six weeks from June 1",
                            "The harbour bridge will close for six weeks from June 1",
                            "the harbour bridge will close for six weeks from June 1, the Harbour Gazette reported",
                            "the bridge would close in June"])
    assert {"Lena Park", "Port authority", "Harbour Gazette", "coastwire.example"} <= labels(shown, shown.nodes)
    assert "Tom Reyes" not in labels(shown, shown.nodes)
    # A relay of a claim left out (Lena Park -> the Evening Post's publisher, for the Gazette-first chain) is not drawn.
    kept = set(P.claims(shown))
    for u, v, data in shown.edges(data=True):
        if data["kind"] in (P.STATES, P.RELAYED):
            assert data["claims"] & kept, (u, v)
    assert P.find_thread(threads, "9f8e7d6c5b4a3921") == CABLES
    assert P.find_thread(threads, f"<{BRIDGE}>") == BRIDGE


def test_unknown_thread_is_a_user_error(threads, two):
    from kg.errors import UserError

    with pytest.raises(UserError, match="no thread 'ffff'"):
        P.find_thread(threads, "ffff")
    with pytest.raises(UserError, match="holds no claim threads"):
        P.find_thread(two, BRIDGE)


def test_threads_carried_by_the_most_outlets(threads, two):
    assert P.threads_by_outlets(threads) == [
        {"thread": BRIDGE, "label": "bridge closes June 1", "outlets": 3, "documents": 3, "first_date": "2016-05-04"},
        {"thread": CABLES, "label": "cables are worn", "outlets": 1, "documents": 1, "first_date": "2016-05-04"}]
    assert P.threads_by_outlets(threads, top=1)[0]["thread"] == BRIDGE
    assert P.stats(two)["threads_by_outlets"] == [] and two.graph["threads"] == {}


def test_publisher_shown_by_name_else_web_domain_else_short_unknown(threads):
    outlets = sorted(threads.nodes[n]["label"] for n in threads.nodes if threads.nodes[n]["kind"] == P.OUTLET)
    assert outlets == ["Harbour Gazette", "coastwire.example", "publisher unknown (doc evening-post)"]
    assert P.url_domain("https://www.harbourgazette.example/bridge") == "harbourgazette.example"
    assert P.url_domain("not a url") is None and P.url_domain(None) is None


def test_seed_publisher_is_a_short_unknown(seed_turtle):
    graph = graph_of(seed_turtle)
    outlets = {graph.nodes[n]["label"] for n in graph.nodes if graph.nodes[n]["kind"] == P.OUTLET}
    assert outlets == {"Iba’a", "publisher unknown (doc 000_06e6)"}
    assert not any(label.startswith("Unknown publisher") for _, label in graph.nodes(data="label"))


def test_the_linkers_thread_order_wins_over_dates(tmp_path):
    ordered = tmp_path / "ordered.trig"
    members = ["24a04986717650fd", "5fd28503cbf2a36d", "a9228a7a32a53186"]  # undated first, as a linker might say
    ordered.write_text(THREADS.read_text(encoding="utf-8") + "".join(
        f"<https://w3id.org/claimkg/id/graph/threads> {{ <https://w3id.org/claimkg/id/claim/{c}> "
        f"<https://w3id.org/claimkg#threadOrder> {i} . }}\n" for i, c in enumerate(members)), encoding="utf-8")
    graph = graph_of(ordered)
    assert [c.rsplit("/", 1)[1] for c in graph.graph["threads"][BRIDGE]["members"]] == members
