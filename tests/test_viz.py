"""Tests of the HTML viewer and the graph/stats commands: offline, escaped, legend, chain highlight, hostile input."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import projection as P
from kg import viz
from kg.cli import app
from kg.store import load_files, open_store

sys.path.insert(0, str(Path(__file__).parent))
import browser  # noqa: E402

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
SEED = DATA / "example-seed.trig"
HOSTILE = DATA / "hostile.ttl"
HOSTILE_STRINGS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>",
                   "javascript:alert(3)"]

needs_chromium = pytest.mark.skipif(browser.chromium_missing() is not None,
                                    reason=browser.chromium_missing() or "")


def graph_of(*paths):
    store = open_store()
    load_files(store, list(paths))
    return P.project(store)


def kg(*args):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


# --- pure HTML checks --------------------------------------------------------------------------------------------


def test_script_json_cannot_close_the_script_or_open_a_tag():
    value = {"t": HOSTILE_STRINGS + ["a\u2028b\u2029c & d"]}
    text = viz.script_json(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_page_is_self_contained(tmp_path):
    html = viz.render_html(graph_of(SEED))
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, re.I)
    assert "cdn" not in html.lower().replace("vis-network", "")
    assert "sourceMappingURL" not in html
    assert html.replace(viz.vis_network_js(), "").count("<script") == 3  # data, vis-network, viewer


def test_hostile_text_never_reaches_the_markup():
    html = viz.render_html(graph_of(HOSTILE))
    data_block = html.split('id="cg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and ">" not in data_block
    outside_data = html.replace(data_block, "")
    for hostile in HOSTILE_STRINGS + ["onerror", "alert(4)", "svg onload"]:
        assert hostile not in outside_data.replace(viz.vis_network_js(), "")
    # The text is still all there, escaped.
    decoded = json.loads(data_block)
    texts = json.dumps(decoded, ensure_ascii=False)
    for hostile in HOSTILE_STRINGS:
        assert json.dumps(hostile, ensure_ascii=False)[1:-1] in texts


def test_page_data_positions_every_node_and_keeps_chains(tmp_path):
    graph = graph_of(SEED)
    data = viz.page_data(graph)
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])
    assert set(data["chains"]) == {n["id"] for n in data["nodes"] if n["k"] == P.CLAIM}
    assert viz.page_data(graph)["nodes"] == data["nodes"]  # deterministic layout


def test_notebook_iframe_escapes_the_whole_page():
    frame = viz.notebook_iframe(graph_of(HOSTILE), height=500)
    assert frame.startswith('<iframe srcdoc="') and frame.endswith("></iframe>")
    inner = frame[len('<iframe srcdoc="'):frame.index('" style=')]
    assert '"' not in inner and "<" not in inner
    import html as html_module
    assert html_module.unescape(inner) == viz.render_html(graph_of(HOSTILE))


def test_same_input_gives_the_same_page():
    assert viz.render_html(graph_of(SEED)) == viz.render_html(graph_of(SEED))


# --- CLI ---------------------------------------------------------------------------------------------------------


def test_cli_graph_writes_html(tmp_path):
    out = tmp_path / "g.html"
    result = kg("graph", "--data", SEED, "-o", out, "--max-nodes", "100")
    assert result.returncode == 0, result.stderr
    assert "17 nodes" in result.stderr and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_graph_from_a_store_directory(tmp_path):
    store = open_store(tmp_path / "store")
    load_files(store, [SEED])
    store.flush()
    del store
    result = CliRunner().invoke(app, ["graph", "--store", str(tmp_path / "store"), "-o", str(tmp_path / "s.html"),
                                      "--speaker", "al-Shami"])
    assert result.exit_code == 0, result.output
    data = json.loads(viz.render_html(graph_of(SEED)).split('id="cg-data">')[1].split("</script>")[0])
    written = (tmp_path / "s.html").read_text(encoding="utf-8")
    shown = json.loads(written.split('id="cg-data">')[1].split("</script>")[0])
    assert 0 < len(shown["nodes"]) < len(data["nodes"])
    assert "Showing" in shown["note"]


@pytest.mark.parametrize("args, message, code", [
    (["--data", "missing.ttl"], "no such data file", 1),
    (["--data", "tests/data/broken.ttl"], "not valid", 1),
    (["--store", "no-such-store-dir"], "no such store", 1),
    ([], "--data FILE... or --store DIR", 2),
    (["--data", str(SEED), "--store", "somewhere"], "not both", 2),
])
def test_cli_graph_bad_input_is_a_short_message_without_traceback(tmp_path, args, message, code):
    (DATA / "broken.ttl").write_text("this is <not turtle\n") if "broken" in str(args) else None
    try:
        result = kg("graph", *args, "-o", tmp_path / "g.html")
    finally:
        (DATA / "broken.ttl").unlink(missing_ok=True)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
    if code == 1:
        assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_graph_empty_result_says_so(tmp_path):
    result = kg("graph", "--data", SEED, "-o", tmp_path / "g.html", "--claim", "no such claim text")
    assert result.returncode == 0
    assert "no nodes match" in result.stderr
    assert (tmp_path / "g.html").exists()


def test_cli_stats(tmp_path):
    result = kg("stats", "--data", DATA / "two-articles.ttl")
    assert result.returncode == 0, result.stderr
    assert re.search(r"2\s+Ann Example \(person\)", result.stdout)
    assert "Ann Example -> Wire Agency -> The Herald" in result.stdout
    as_json = json.loads(kg("stats", "--data", DATA / "two-articles.ttl", "--format", "json").stdout)
    assert as_json["most_disputed_claims"] == [["The budget is balanced.", 1, ["Party insiders"]]]


def test_cli_module_does_not_import_pyvis_or_spacy():
    code = "import sys, kg.cli; print(any(m in sys.modules for m in ('pyvis', 'spacy', 'IPython')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- in the browser ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    with browser.launch() as b:
        yield b


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "seed.html"
    viz.write_html(graph_of(SEED), path)
    return path


def ids_by_label(page):
    return page.evaluate("Object.fromEntries(claimgraph.data.nodes.map(n => [n.t, n.id]))")


def pixel(page, node_id):
    """The canvas colour [r, g, b] at the centre of a node."""
    return page.evaluate(f"""(() => {{ const net = claimgraph.network;
        const p = net.canvasToDOM(net.getPositions([{node_id}])[{node_id}]);
        const canvas = document.querySelector('#cg-graph canvas'); const r = canvas.width / canvas.clientWidth;
        return Array.from(canvas.getContext('2d').getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data)
            .slice(0, 3); }})()""")


def click_node(page, node_id):
    """A real mouse click on the node's position on the canvas."""
    point = page.evaluate(f"""(() => {{ const net = claimgraph.network;
        const p = net.canvasToDOM(net.getPositions([{node_id}])[{node_id}]); return [p.x, p.y]; }})()""")
    box = page.locator("#cg-graph").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


@needs_chromium
@pytest.mark.browser
def test_seed_page_is_clean_offline_and_has_a_legend(chromium, seed_html):
    page, log = browser.open_page(chromium, seed_html)
    page.wait_for_timeout(200)
    assert log.console_errors == [] and log.page_errors == [] and log.foreign_requests == [] and log.dialogs == []
    kinds = page.eval_on_selector_all("#cg-legend-nodes li", "els => els.map(e => e.textContent)")
    assert kinds == ["person", "organisation", "media outlet", "unnamed source", "commenter", "claim",
                     "document (article, comment, report)"]
    assert page.locator("#cg-legend").is_visible()
    edge_kinds = page.eval_on_selector_all("#cg-legend-edges li", "els => els.map(e => e.dataset.edgeKind)")
    assert set(edge_kinds) >= {P.STATES, P.RELAYED, P.MEMBER, P.AFFILIATED, P.REPORTED, P.COMMENT_ON, P.DISPUTES}
    assert page.evaluate("claimgraph.nodes.length") == 17
    page.close()


@needs_chromium
@pytest.mark.browser
def test_click_on_a_claim_highlights_exactly_its_chain(chromium, seed_html):
    page, log = browser.open_page(chromium, seed_html)
    ids = ids_by_label(page)
    labels = {v: k for k, v in ids.items()}
    claim = next(i for t, i in ids.items() if t.startswith("HTS had captured"))
    person, organisation = ids["Hussain al-Shami"], ids["Hay’at Tahrir al-Sham"]
    before = {person: pixel(page, person), organisation: pixel(page, organisation)}
    assert before[organisation][2] < 60  # orange: no blue
    click_node(page, claim)
    highlighted = page.evaluate("claimgraph.highlightedNodes()")
    assert {labels[i] for i in highlighted} == {
        labels[claim], "Hussain al-Shami", "Iba’a",
        next(t for t in ids if t.startswith("Publisher of seed article")),
        next(t for t in ids if t.startswith("Hay’at Tahir al-Sham Claims")),
        next(t for t in ids if t.startswith("Iba’a report")), "comment by HighLord Gaz"}
    # The rest is dimmed in the vis DataSet itself, not just in our bookkeeping.
    dimmed = page.evaluate("claimgraph.dimmedNodes()")
    assert set(dimmed) == set(ids.values()) - set(highlighted)
    # And on the canvas: the organisation (not in the chain) is washed out, the speaker keeps its colour.
    assert pixel(page, organisation)[2] > 180
    assert max(abs(a - b) for a, b in zip(pixel(page, person), before[person])) < 10
    edges = page.evaluate("claimgraph.highlightedEdges().map(i => claimgraph.data.edges[i].k).sort()")
    assert edges == sorted([P.STATES, P.RELAYED, P.RELAYED, P.REPORTED, P.REPORTED, P.COMMENT_ON])
    assert page.locator("#cg-details").is_visible()
    # Another claim: another chain (the comment's own chain does not include al-Shami).
    comment_claim = next(i for t, i in ids.items() if t.startswith("HTS is lying"))
    click_node(page, comment_claim)
    assert {labels[i] for i in page.evaluate("claimgraph.highlightedNodes()")} == {
        labels[comment_claim], "HighLord Gaz", "comment by HighLord Gaz",
        next(t for t in ids if t.startswith("Hay’at Tahir al-Sham Claims"))}
    # Clicking empty canvas resets.
    box = page.locator("#cg-graph").bounding_box()
    page.mouse.click(box["x"] + 3, box["y"] + 3)
    assert page.evaluate("claimgraph.highlightedNodes()") is None
    assert page.evaluate("claimgraph.dimmedNodes()") == []
    assert pixel(page, organisation) == before[organisation]
    assert log.console_errors == [] and log.page_errors == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_hover_on_a_claim_shows_sentence_cue_document_offsets(chromium, seed_html):
    page, log = browser.open_page(chromium, seed_html)
    ids = ids_by_label(page)
    claim = next(i for t, i in ids.items() if t.startswith("HTS had captured"))
    point = page.evaluate(f"(() => {{ const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions([{claim}])[{claim}]); return [p.x, p.y]; }})()")
    box = page.locator("#cg-graph").bounding_box()
    page.mouse.move(box["x"] + point[0] + 2, box["y"] + point[1] + 2)
    page.locator("#cg-tip").wait_for(state="visible", timeout=5000)
    assert page.locator("#cg-tip mark").text_content() == "told"
    text = page.locator("#cg-tip").text_content()
    assert "On May 10, Hussain al-Shami" in text and "259–396" in text
    assert "Hay’at Tahir al-Sham Claims It Captured Cells" in text
    assert page.locator("#cg-tip .cg-claim").text_content().startswith("HTS had captured three")
    page.close()


@needs_chromium
@pytest.mark.browser
def test_search_box_finds_and_selects_a_node(chromium, seed_html):
    page, log = browser.open_page(chromium, seed_html)
    page.fill("#cg-search-input", "local obs")
    page.press("#cg-search-input", "Enter")
    assert page.locator("#cg-status").text_content() == "Found: Local observers"
    selected = page.evaluate("claimgraph.network.getSelectedNodes()")
    assert selected == [ids_by_label(page)["Local observers"]]
    page.fill("#cg-search-input", "zzz not there")
    page.press("#cg-search-input", "Enter")
    assert "No node matches" in page.locator("#cg-status").text_content()
    page.close()


@needs_chromium
@pytest.mark.browser
@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_hostile_comments_run_nothing(chromium, tmp_path, csp):
    path = tmp_path / "hostile.html"
    path.write_text(viz.render_html(graph_of(HOSTILE), csp=csp), encoding="utf-8")
    page, log = browser.open_page(chromium, path)
    ids = ids_by_label(page)
    # Hover and click every node, search for the hostile strings: every code path that shows data.
    box = page.locator("#cg-graph").bounding_box()
    for node_id in ids.values():
        point = page.evaluate(f"(() => {{ const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions([{node_id}])[{node_id}]); return [p.x, p.y]; }})()")
        page.mouse.move(box["x"] + point[0], box["y"] + point[1])
        page.wait_for_timeout(150)
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    shown = {}
    for hostile in HOSTILE_STRINGS:
        page.fill("#cg-search-input", hostile)
        page.press("#cg-search-input", "Enter")
        shown[hostile] = page.locator("#cg-details .cg-title").text_content()
    # Hover text of the hostile claim: the payload appears as text, the cue is still marked.
    page.evaluate("claimgraph.network.fit({animation: false})")  # the searches zoomed in on other nodes
    claim = next(i for t, i in ids.items() if t.startswith("</script>"))
    point = page.evaluate(f"(() => {{ const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions([{claim}])[{claim}]); return [p.x, p.y]; }})()")
    page.mouse.move(box["x"] + point[0] + 1, box["y"] + point[1] + 1)
    page.locator("#cg-tip").wait_for(state="visible", timeout=5000)
    tip_text = page.locator("#cg-tip .cg-sentence").text_content()
    tip_cue = page.locator("#cg-tip mark").text_content()
    page.wait_for_timeout(300)
    assert log.dialogs == [] and log.page_errors == [] and log.foreign_requests == []
    assert log.console_errors == []
    dom = page.evaluate("""({
        scripts: document.scripts.length,
        imgs: document.querySelectorAll('img').length,
        svgs: Array.from(document.querySelectorAll('svg')).filter(s => !s.closest('#cg-legend')).length,
        handlers: Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
        jsLinks: document.querySelectorAll('a[href^="javascript"]').length,
        pwned: window.pwned === true })""")
    assert dom == {"scripts": 3, "imgs": 0, "svgs": 0, "handlers": 0, "jsLinks": 0, "pwned": False}
    # The hostile text is shown, literally, as text, wherever it is displayed.
    assert "<script>alert(1)</script>" in ids
    for hostile, title in shown.items():
        assert hostile in title
    assert "</script><script>alert(2)</script>" in tip_text and tip_cue == "said"
    page.close()


@needs_chromium
@pytest.mark.browser
def test_empty_graph_page_says_so(chromium, tmp_path):
    graph = P.filter_graph(graph_of(SEED), claim="no such text")
    path = tmp_path / "empty.html"
    viz.write_html(graph, path)
    page, log = browser.open_page(chromium, path)
    assert page.locator(".cg-empty").text_content() == "No nodes match the filters."
    assert log.console_errors == [] and log.page_errors == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_graph_of_the_real_seed_extraction(chromium, seed_turtle, tmp_path):
    """`kg extract` then `kg graph` on the seed: a clean offline page with speakers, claims, organisations and
    outlets, and statement edges labelled by their cue."""
    from conftest import run_kg

    out = tmp_path / "seed.html"
    run_kg("graph", "--data", seed_turtle, "-o", out, check=True)
    page, log = browser.open_page(chromium, out)
    page.wait_for_timeout(200)
    assert log.console_errors == [] and log.page_errors == [] and log.foreign_requests == []
    kinds = page.evaluate("[...new Set(claimgraph.data.nodes.map(n => n.k))]")
    assert {"person", "organisation", "media outlet", "claim", "commenter", "unnamed source"} <= set(kinds), kinds
    labels = page.evaluate("claimgraph.data.nodes.map(n => n.t)")
    assert {"Hussain al-Shami", "Hay’at Tahrir al-Sham", "Iba’a"} <= set(labels)
    cues = page.evaluate(f"claimgraph.data.edges.filter(e => e.k === '{P.STATES}').map(e => e.l)")
    assert {"told", "said", "added", "According to", "believe"} <= set(cues), cues
    page.close()


# --- first view, comment groups, threads -------------------------------------------------------------------------

THREADS = DATA / "threads.trig"
BRIDGE = "https://w3id.org/claimkg/id/thread/0a1b2c3d4e5f6071"


def test_wrap_label_breaks_at_spaces_and_marks_a_cut():
    assert viz.wrap_label("The budget is balanced this year", 12, 3) == "The budget\nis balanced\nthis year"
    assert viz.wrap_label("one two three four five six", 7, 2) == "one two\nthree…"
    assert viz.wrap_label("Supercalifragilistic", 8, 3) == "Supercal\nifragili\nstic"


def test_layout_reads_left_to_right_sources_claims_relays_documents():
    graph = graph_of(DATA / "two-articles.ttl")
    data = viz.page_data(graph)
    x = {n["t"]: n["x"] for n in data["nodes"]}
    # Ann Example -> "Taxes will not rise." -> Wire Agency -> The Herald, then the article
    assert x["Ann Example"] < x["Taxes will not rise."] < x["Wire Agency"] < x["The Herald"] < x["Budget row deepens"]


def test_comments_of_an_article_are_one_group_whose_members_start_hidden(seed_turtle):
    graph = graph_of(seed_turtle)
    data = viz.page_data(graph)
    [group] = [n for n in data["nodes"] if n["k"] == viz.COMMENTS]
    assert group["t"] == "11 reader comments (click to expand)"
    members = [n for n in data["nodes"] if n.get("g") == group["id"]]
    kinds = {n["k"] for n in members}
    assert kinds == {P.DOCUMENT, P.CLAIM, P.COMMENTER, P.UNNAMED, P.ORGANISATION}  # Takfiri gangs, Rebels
    assert sum(n["k"] == P.COMMENTER for n in members) == 11
    # The article's own claims, sources and outlets stay out of the group.
    outside = {n["t"] for n in data["nodes"] if "g" not in n}
    assert {"Hussain al-Shami", "Iba’a", "Hay’at Tahrir al-Sham", "publisher unknown (doc 000_06e6)"} <= outside
    # The comments' disputes of article claims are drawn from the group while it is collapsed.
    via = [e for e in data["edges"] if e.get("via") == group["id"]]
    assert via and {e["k"] for e in via} == {P.DISPUTES} and all(e["f"] == group["id"] for e in via)
    assert len(data["edges"]) == graph.number_of_edges() + len(via)


def test_cli_graph_thread_and_stats_threads(tmp_path):
    out = tmp_path / "t.html"
    result = kg("graph", "--data", THREADS, "--thread", "0a1b2c3d4e5f6071", "-o", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8").split('id="cg-data">')[1].split("</script>")[0])
    assert data["thread"] == BRIDGE and data["note"] == "Thread: bridge closes June 1"
    claims = [n for n in data["nodes"] if n["k"] == P.CLAIM]
    assert len(claims) == 4 and not any(n["t"].startswith("extra boats") for n in data["nodes"])
    # Claims are stacked in time order, each box opening with its date; the undated one says so.
    by_height = [n["label"].split("\n")[0] for n in sorted(claims, key=lambda n: n["y"])]
    assert by_height == ["2016-05-04", "2016-05-05T09:30:00Z", "undated", "undated"]
    [thread] = data["threads"]
    assert [data["nodes"][i]["date"] for i in thread["members"]] == ["2016-05-04", "2016-05-05T09:30:00Z", None]
    assert [data["nodes"][i]["t"] for i in thread["disputers"]] == ["the bridge would close in June"]
    bad = kg("graph", "--data", THREADS, "--thread", "ffff", "-o", out)
    assert bad.returncode == 1 and bad.stderr.startswith("kg: error: no thread 'ffff'")
    assert len(bad.stderr.strip().splitlines()) == 1
    # Same data, another hash seed: the same bytes.
    again = tmp_path / "t2.html"
    subprocess.run([sys.executable, "-m", "kg", "graph", "--data", str(THREADS), "--thread", BRIDGE, "-o", str(again)],
                   cwd=ROOT, capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert again.read_bytes() == out.read_bytes()
    none = kg("graph", "--data", DATA / "two-articles.ttl", "--thread", BRIDGE, "-o", out)
    assert none.returncode == 1 and "holds no claim threads" in none.stderr


def test_cli_stats_lists_threads_by_outlets():
    table = kg("stats", "--data", THREADS)
    assert table.returncode == 0, table.stderr
    assert re.search(r"Threads carried by the most outlets.*\n\s+3\s+3\s+2016-05-04\s+bridge closes June 1\n\s+"
                     + re.escape(BRIDGE), table.stdout)
    as_json = json.loads(kg("stats", "--data", THREADS, "--format", "json").stdout)
    assert as_json["threads_by_outlets"][0] == {"thread": BRIDGE, "label": "bridge closes June 1", "outlets": 3,
                                                "documents": 3, "first_date": "2016-05-04"}
    plain = kg("stats", "--data", DATA / "two-articles.ttl")
    assert "Threads" not in plain.stdout  # no threads in the data: the tables of before


VISIBLE_BOXES = """(() => { const net = claimgraph.network;
    return claimgraph.data.nodes.filter(n => claimgraph.nodeVisible(n.id))
        .map(n => [n.id, n.t, net.getBoundingBox(n.id)]); })()"""


def next_frame(page):
    """Wait until vis-network has drawn a frame: bounding boxes of nodes never drawn leave their labels out."""
    page.evaluate("new Promise(done => { claimgraph.network.once('afterDrawing', () => done(true)); "
                  "claimgraph.network.redraw(); })")


def overlaps(boxes):
    """Pairs of nodes whose drawn boxes (shape and label) overlap."""
    found = []
    ordered = sorted(boxes, key=lambda b: b[2]["left"])
    for i, (a_id, a_label, a) in enumerate(ordered):
        for b_id, b_label, b in ordered[i + 1:]:
            if b["left"] >= a["right"]:
                break
            if a["top"] < b["bottom"] and b["top"] < a["bottom"]:
                found.append((a_label, b_label))
    return found


@needs_chromium
@pytest.mark.browser
def test_first_view_of_the_seed_reads_without_zooming(chromium, seed_turtle, tmp_path):
    """`kg extract` + `kg graph` on the seed at 1400x900: every label >= 11 px, nothing overlaps, everything drawn
    is inside the canvas, the comments are one node, the publisher has a short name."""
    from conftest import run_kg

    out = tmp_path / "seed.html"
    run_kg("graph", "--data", seed_turtle, "-o", out, check=True)
    page, log = browser.open_page(chromium, out, width=1400, height=900)
    scale = page.evaluate("claimgraph.network.getScale()")
    fonts = page.evaluate("""(() => { const b = claimgraph.network.body;
        const n = Object.values(b.nodes).filter(x => !x.options.hidden).map(x => x.options.font.size);
        const e = Object.values(b.edges).filter(x => !x.options.hidden && x.options.label).map(x => x.options.font.size);
        return n.concat(e); })()""")
    assert min(fonts) * scale >= 11, (min(fonts), scale)
    boxes = page.evaluate(VISIBLE_BOXES)
    assert len(boxes) < 25  # article, its claims and sources, one node for the comments
    assert overlaps(boxes) == []
    width, height = page.evaluate("[document.getElementById('cg-graph').clientWidth, document.getElementById('cg-graph').clientHeight]")
    corners = page.evaluate("""(() => { const net = claimgraph.network; return claimgraph.data.nodes
        .filter(n => claimgraph.nodeVisible(n.id)).map(n => { const b = net.getBoundingBox(n.id);
          const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
          return [a.x, a.y, z.x, z.y]; }); })()""")
    assert all(0 <= l and 0 <= t and r <= width and b <= height for l, t, r, b in corners)
    labels = [b[1] for b in boxes]
    assert "publisher unknown (doc 000_06e6)" in labels and not any("Unknown publisher" in t for t in labels)
    assert "11 reader comments (click to expand)" in labels and not any(t.startswith("comment by") for t in labels)
    # Sources left of their claims, claims left of the relaying outlet and the article.
    x = {b[1]: (b[2]["left"] + b[2]["right"]) / 2 for b in boxes}
    claim = next(t for t in x if t.startswith("HTS had captured"))
    assert x["Hussain al-Shami"] < x[claim] < x["Iba’a"] < x["publisher unknown (doc 000_06e6)"]
    assert x["publisher unknown (doc 000_06e6)"] < x[next(t for t in x if t.startswith("Hay’at Tahir al-Sham Claims"))]
    assert log.console_errors == [] and log.page_errors == [] and log.foreign_requests == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_clicking_the_comments_node_expands_them_without_overlap(chromium, seed_turtle, tmp_path):
    out = tmp_path / "seed.html"
    viz.write_html(graph_of(seed_turtle), out)
    page, log = browser.open_page(chromium, out)
    group = page.evaluate(f"claimgraph.data.nodes.find(n => n.k === '{viz.COMMENTS}').id")
    before = len(page.evaluate(VISIBLE_BOXES))
    click_node(page, group)
    assert page.evaluate("claimgraph.expandedGroups()") == [group]
    page.evaluate("claimgraph.network.fit({animation: false})")  # every shown node on screen, so drawn
    next_frame(page)
    boxes = page.evaluate(VISIBLE_BOXES)
    labels = [b[1] for b in boxes]
    assert "comment by HighLord Gaz" in labels and "HighLord Gaz" in labels and "Takfiri gangs" in labels
    assert not any(t.startswith("11 reader comments") for t in labels)
    assert len(boxes) == before - 1 + page.evaluate(f"claimgraph.data.nodes.filter(n => n.g === {group}).length")
    assert overlaps(boxes) == []
    # The comment claims' own disputes replace the group's; the highlight covers the shown comments.
    hidden_edges = page.evaluate(f"claimgraph.data.edges.map((e, i) => [e, i]).filter(([e]) => e.via === {group})"
                                 ".map(([e, i]) => claimgraph.edges.get(i).hidden)")
    assert hidden_edges and all(hidden_edges)
    assert page.locator("#cg-group-comments").is_checked() is False
    # Collapsing again through the side panel.
    page.locator("#cg-group-comments").check()
    assert page.evaluate("claimgraph.expandedGroups()") == []
    assert page.evaluate(f"claimgraph.nodeVisible({group})") is True
    # Search finds a node inside collapsed comments and opens them.
    page.fill("#cg-search-input", "HighLord")
    page.press("#cg-search-input", "Enter")
    assert page.evaluate("claimgraph.expandedGroups()") == [group]
    assert log.console_errors == [] and log.page_errors == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_hostile_text_inside_a_comment_group_runs_nothing(chromium, tmp_path):
    extra = tmp_path / "hostile2.ttl"
    extra.write_text(HOSTILE.read_text(encoding="utf-8") + """
ex:comment2 a ckg:Comment ; schema:parentItem ex:doc ; schema:author ex:troll2 .
ex:troll2 a ckg:Commenter ; schema:name "<img src=x onerror=alert(5)>" .
""", encoding="utf-8")
    path = tmp_path / "hostile.html"
    viz.write_html(graph_of(extra), path)
    page, log = browser.open_page(chromium, path)
    group = page.evaluate(f"claimgraph.data.nodes.find(n => n.k === '{viz.COMMENTS}').id")
    click_node(page, group)
    for hostile in ("<img src=x onerror=alert(5)>", "<script>alert(1)</script>"):
        page.fill("#cg-search-input", hostile)
        page.press("#cg-search-input", "Enter")
        assert hostile in page.locator("#cg-details .cg-title").text_content()
    page.wait_for_timeout(200)
    assert log.dialogs == [] and log.page_errors == [] and log.console_errors == []
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    page.close()


@needs_chromium
@pytest.mark.browser
def test_thread_page_and_thread_selector(chromium, tmp_path):
    out = tmp_path / "thread.html"
    assert kg("graph", "--data", THREADS, "--thread", BRIDGE, "-o", out).returncode == 0
    page, log = browser.open_page(chromium, out)
    assert page.evaluate("claimgraph.selectedThread()") == 0
    steps = page.eval_on_selector_all("#cg-details .cg-timeline li .cg-date", "els => els.map(e => e.textContent)")
    assert steps == ["2016-05-04", "2016-05-05T09:30:00Z", "undated", "undated"]  # three members, one disputer
    assert "bridge closes June 1" in page.locator("#cg-details .cg-title").text_content()
    next_frame(page)
    assert overlaps(page.evaluate(VISIBLE_BOXES)) == []
    assert page.evaluate("claimgraph.network.getScale()") * 14 >= 11
    page.close()
    # The full page: a list of threads in the side panel; choosing one highlights its claims and their chains.
    full = tmp_path / "full.html"
    viz.write_html(graph_of(THREADS), full)
    page, log = browser.open_page(chromium, full)
    buttons = page.eval_on_selector_all("#cg-thread-list .cg-thread", "els => els.map(e => e.textContent)")
    assert buttons == ["bridge closes June 1", "cables are worn"]
    page.locator("#cg-thread-list .cg-thread").first.click()
    ids = ids_by_label(page)
    highlighted = set(page.evaluate("claimgraph.highlightedNodes()"))
    assert {ids["Lena Park"], ids["Port authority"], ids["coastwire.example"], ids["Harbour Gazette"],
            ids["the bridge would close in June"]} <= highlighted
    assert ids["Tom Reyes"] not in highlighted and ids["extra boats would run during the closure"] not in highlighted
    assert "3 outlets · 3 documents · first 2016-05-04" in page.locator("#cg-details").text_content()
    # "show" on the second step selects that claim (the Coast Wire's).
    page.locator("#cg-details .cg-timeline .cg-show").nth(1).click()
    assert page.evaluate("claimgraph.network.getSelectedNodes()") == [ids["The harbour bridge will close for six weeks from June 1"]]
    assert log.console_errors == [] and log.page_errors == []
    page.close()


@needs_chromium
@pytest.mark.browser
def test_page_without_threads_has_no_thread_panel(chromium, seed_html):
    page, log = browser.open_page(chromium, seed_html)
    assert page.locator("#cg-threads").is_hidden() and page.locator("#cg-comments").is_hidden()
    page.close()


@pytest.fixture(scope="module")
def refusal_html(tmp_path_factory):
    folder = tmp_path_factory.mktemp("refusal")
    article = folder / "ferry.txt"
    article.write_text("Ferry strike enters its second week\n\nThe dockers' union said on Monday that the strike "
                       "would go on until wages rose.\n\nHarbor Lines declined to comment on the talks.\n",
                       encoding="utf-8")
    from conftest import run_kg

    run_kg("extract", article, "-o", folder / "ferry.ttl", check=True)
    graph = graph_of(folder / "ferry.ttl")
    path = folder / "ferry.html"
    viz.write_html(graph, path)
    return graph, path


def test_a_source_that_declined_to_comment_is_drawn_with_its_refusal(refusal_html):
    graph, _ = refusal_html
    (company,) = [n for n, label in graph.nodes(data="label") if label == "Harbor Lines"]
    assert graph.nodes[company]["refusals"] == [
        {"what": "declined to comment", "text": "declined to comment on the talks", "document": "Ferry strike enters its second week"}]
    (edge,) = graph.out_edges(company, data="kind")
    assert edge[2] == P.REFUSED and graph.nodes[edge[1]]["kind"] == P.DOCUMENT
    record = next(r for r in viz.page_data(graph)["nodes"] if r["t"] == "Harbor Lines")
    assert record["ref"] == ["declined to comment in Ferry strike enters its second week: declined to comment on the talks"]


@needs_chromium
@pytest.mark.browser
def test_hovering_a_source_shows_its_refusal_and_the_legend_names_the_edge(chromium, refusal_html):
    _, path = refusal_html
    page, log = browser.open_page(chromium, path)
    company = ids_by_label(page)["Harbor Lines"]
    point = page.evaluate(f"(() => {{ const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions([{company}])[{company}]); return [p.x, p.y]; }})()")
    box = page.locator("#cg-graph").bounding_box()
    page.mouse.move(box["x"] + point[0] + 2, box["y"] + point[1] + 2)
    page.locator("#cg-tip").wait_for(state="visible", timeout=5000)
    assert page.locator("#cg-tip .cg-refusal").text_content().startswith("declined to comment in Ferry strike")
    assert "declined to comment in (no claim)" in page.locator("#cg-legend-edges").text_content()
    assert log.console_errors == [] and log.page_errors == []
    page.close()
