"""Measures the viewer on synthetic claim graphs (RDF -> projection -> HTML -> headless chromium): load-to-interactive time and HTML size; with --baseline DIR also another checkout's viewer in the same run, and the ratios."""
from __future__ import annotations

import argparse
import os
import subprocess
import random
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg import projection, viz  # noqa: E402

import browser  # noqa: E402

CKG = "https://w3id.org/claimkg#"
SCHEMA = "http://schema.org/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_NNI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
BASE = "https://example.org/bench/"
CUES = ["said", "told", "according to", "claimed", "believes", "reported"]
WORDS = ("budget council border strike talks army ministry election water prices court port rebels convoy "
         "ceasefire protest report deal sanctions police hospital school").split()


def _n(path: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + path)


def _p(ns: str, name: str) -> ox.NamedNode:
    return ox.NamedNode(ns + name)


class _Builder:
    """Collects triples and counts the nodes the projection will draw."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.nodes: set[str] = set()

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(s, p, o))

    def node(self, iri: ox.NamedNode, cls: str, name: str | None = None, name_prop: str = "name") -> ox.NamedNode:
        if iri.value not in self.nodes:
            self.nodes.add(iri.value)
            self.add(iri, RDF_TYPE, _p(CKG, cls))
            if name:
                self.add(iri, _p(SCHEMA, name_prop), ox.Literal(name))
        return iri


def synthetic_quads(target_nodes: int, seed: int = 1) -> list[ox.Quad]:
    """A claim graph of about ``target_nodes`` drawn nodes: articles with quoted people, unnamed sources, relaying
    outlets, organisations and memberships, reader comments that dispute claims; people recur across articles."""
    rng = random.Random(seed)
    b = _Builder()
    people: list[ox.NamedNode] = []
    outlets = [b.node(_n(f"outlet/{i}"), "MediaOutlet", f"Outlet {i}") for i in range(max(3, target_nodes // 150))]
    orgs = [b.node(_n(f"org/{i}"), "Organization", f"Organisation {i}") for i in range(max(3, target_nodes // 100))]
    article = 0
    while len(b.nodes) < target_nodes:
        article += 1
        doc = b.node(_n(f"doc/{article}"), "NewsArticle", f"Article {article}: {' '.join(rng.sample(WORDS, 4))}",
                     "headline")
        publisher = rng.choice(outlets)
        context = _n(f"text/{article}")
        sentences, claims = [], []
        for c in range(rng.randint(4, 12)):
            roll = rng.random()
            if roll < 0.6:
                if not people or rng.random() < 0.45:
                    person = b.node(_n(f"person/{len(people)}"), "Person", f"Person {len(people)}")
                    membership = _n(f"membership/{len(people)}")
                    b.add(membership, RDF_TYPE, _p(ORG, "Membership"))
                    b.add(membership, _p(ORG, "member"), person)
                    b.add(membership, _p(ORG, "organization"), rng.choice(orgs))
                    people.append(person)
                speaker = rng.choice(people)
            elif roll < 0.8:
                speaker = b.node(_n(f"group/{article}/{c}"), "UnnamedGroup", f"Sources {article}.{c}")
            else:
                speaker = rng.choice(outlets)
            claim = b.node(_n(f"claim/{article}/{c}"), "Claim")
            text = " ".join(rng.choices(WORDS, k=rng.randint(6, 14))).capitalize()
            cue = rng.choice(CUES)
            prefix = " ".join(sentences)
            lead = f"Speaker {c} {cue} that "
            begin = len(prefix) + (1 if prefix else 0) + len(lead)
            sentences.append(f"{lead}{text}.")
            b.add(claim, _p(SCHEMA, "text"), ox.Literal(text + "."))
            b.add(claim, _p(CKG, "reportedIn"), doc)
            anchor, cue_anchor = _n(f"span/{article}/{c}"), _n(f"cue/{article}/{c}")
            b.add(claim, _p(CKG, "anchor"), anchor)
            b.add(anchor, _p(NIF, "beginIndex"), ox.Literal(str(begin), datatype=XSD_NNI))
            b.add(anchor, _p(NIF, "endIndex"), ox.Literal(str(begin + len(text)), datatype=XSD_NNI))
            b.add(anchor, _p(NIF, "referenceContext"), context)
            cue_begin = begin - len(lead) + len(f"Speaker {c} ")
            b.add(cue_anchor, _p(NIF, "beginIndex"), ox.Literal(str(cue_begin), datatype=XSD_NNI))
            b.add(cue_anchor, _p(NIF, "endIndex"), ox.Literal(str(cue_begin + len(cue)), datatype=XSD_NNI))
            chain = [speaker] + ([rng.choice(outlets)] if rng.random() < 0.3 else []) + [publisher]
            links = [_n(f"att/{article}/{c}/{i}") for i in range(len(chain))]
            b.add(claim, _p(CKG, "hasAttribution"), links[0])
            for i, (link, source) in enumerate(zip(links, chain)):
                b.add(link, RDF_TYPE, _p(CKG, "Attribution"))
                b.add(link, _p(CKG, "source"), source)
                if i == 0:
                    b.add(link, _p(CKG, "cueText"), ox.Literal(cue))
                    b.add(link, _p(CKG, "cueAnchor"), cue_anchor)
                if i + 1 < len(links):
                    b.add(link, _p(CKG, "relayedBy"), links[i + 1])
                else:
                    b.add(link, _p(CKG, "statedIn"), doc)
            claims.append(claim)
        b.add(context, _p(NIF, "isString"), ox.Literal(" ".join(sentences)))
        for k in range(rng.randint(0, 3)):
            comment = b.node(_n(f"comment/{article}/{k}"), "Comment")
            author = b.node(_n(f"commenter/{article}/{k}"), "Commenter", f"reader{article}_{k}")
            b.add(comment, _p(SCHEMA, "parentItem"), doc)
            b.add(comment, _p(SCHEMA, "author"), author)
            if rng.random() < 0.5:
                reply = b.node(_n(f"claim/{article}/c{k}"), "Claim")
                b.add(reply, _p(SCHEMA, "text"), ox.Literal("That is not true."))
                b.add(reply, _p(CKG, "reportedIn"), comment)
                b.add(reply, _p(CKG, "disputes"), rng.choice(claims))
                link = _n(f"att/{article}/c{k}")
                b.add(reply, _p(CKG, "hasAttribution"), link)
                b.add(link, RDF_TYPE, _p(CKG, "Attribution"))
                b.add(link, _p(CKG, "source"), author)
    return b.quads


def measure(browser_, n_nodes: int, workdir: Path) -> dict:
    store = ox.Store()
    store.extend(synthetic_quads(n_nodes))
    t0 = time.perf_counter()
    graph = projection.project(store)
    t1 = time.perf_counter()
    path = workdir / f"bench-{n_nodes}.html"
    size = viz.write_html(projection.filter_graph(graph), path)
    t2 = time.perf_counter()
    page = browser_.new_page(viewport={"width": 1400, "height": 900})
    log = browser.watch(page)
    start = time.perf_counter()
    page.goto(path.as_uri())
    browser.wait_ready(page, 120_000)
    wall = time.perf_counter() - start
    ready_ms = page.evaluate("window.claimgraphReadyAt")
    # One interaction: highlight a claim's chain and wait for the next frame to be drawn.
    claim = next(n["id"] for n in page.evaluate("claimgraph.data.nodes") if n["k"] == "claim")
    click_ms = page.evaluate(f"""new Promise(done => {{
        const t = performance.now(); claimgraph.select({claim});
        claimgraph.network.once('afterDrawing', () => done(performance.now() - t)); claimgraph.network.redraw(); }})""")
    page.close()
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "project_s": t1 - t0,
            "html_s": t2 - t1, "size": size, "ready_ms": ready_ms, "wall_s": wall, "click_ms": click_ms,
            "errors": len(log.console_errors) + len(log.page_errors), "foreign": len(log.foreign_requests)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3, help="page loads per size (the median is reported)")
    parser.add_argument("--baseline", help="another checkout (e.g. /work/main): its viewer is measured in the same "
                                           "run, alternating with this one, and the ratios printed")
    args = parser.parse_args()
    reason = browser.chromium_missing()
    if reason:
        sys.exit(f"bench_graph: {reason}")
    header = (f"{'nodes':>6} {'edges':>6} {'project s':>9} {'html s':>7} {'HTML KB':>8} {'ready ms':>9} "
              f"{'goto→ready s':>12} {'highlight ms':>12} {'errors':>6} {'foreign':>7}")
    print(header)
    ours: dict[int, list[str]] = {}
    theirs: dict[int, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp, browser.launch() as chromium:
        for size in args.sizes:
            if args.baseline:
                theirs[size] = _baseline_row(args.baseline, size, args.runs)
            runs = sorted((measure(chromium, size, Path(tmp)) for _ in range(args.runs)), key=lambda r: r["ready_ms"])
            r = runs[len(runs) // 2]
            row = (f"{r['nodes']:6d} {r['edges']:6d} {r['project_s']:9.2f} {r['html_s']:7.2f} {r['size'] / 1024:8.0f} "
                   f"{r['ready_ms']:9.0f} {r['wall_s']:12.2f} {r['click_ms']:12.0f} {r['errors']:6d} {r['foreign']:7d}")
            ours[size] = row.split()
            print(row)
    if args.baseline:
        print(f"\nbaseline {args.baseline}:\n{header}")
        for size in args.sizes:
            print(" ".join(f"{v:>6}" for v in theirs[size]))
        print(f"\nratio this / baseline: {'nodes':>6} {'html s':>7} {'HTML KB':>8} {'ready ms':>9} {'highlight ms':>12}")
        for size in args.sizes:
            a, b = ours[size], theirs[size]
            ratios = [float(a[i]) / max(float(b[i]), 1e-9) for i in (3, 4, 5, 7)]
            print(f"{'':22}{a[0]:>6} " + " ".join(f"{x:{w}.2f}" for x, w in zip(ratios, (7, 8, 9, 12))))


def _baseline_row(checkout: str, size: int, runs: int) -> list[str]:
    """One size measured by the other checkout's own bench script (its code, its viewer)."""
    env = {**os.environ, "PYTHONPATH": checkout}
    result = subprocess.run([sys.executable, str(Path(checkout) / "scripts" / "bench_graph.py"), str(size),
                             "--runs", str(runs)], cwd=checkout, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1].split()


if __name__ == "__main__":
    main()
