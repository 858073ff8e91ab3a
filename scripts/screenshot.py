"""Renders the graph of an RDF file with the real viewer in headless chromium and saves a PNG (default docs/graph.png)."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg import projection, viz  # noqa: E402
from kg.errors import UserError  # noqa: E402
from kg.store import load_files, open_store  # noqa: E402

import browser  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="+", help="RDF file(s): .ttl, .trig, .nq ...")
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "graph.png"))
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    parser.add_argument("--select", help="claim text (substring) whose chain to highlight in the picture")
    parser.add_argument("--max-nodes", type=int, default=None)
    parser.add_argument("--thread", help="draw only this claim thread (IRI or its last 16 hex digits)")
    parser.add_argument("--expand", action="store_true", help="expand every group of reader comments")
    parser.add_argument("--pick-thread", type=int, help="select the Nth thread in the side panel (0 = first)")
    args = parser.parse_args()
    reason = browser.chromium_missing()
    if reason:
        sys.exit(f"screenshot: {reason}")
    store = open_store()
    try:
        load_files(store, args.data)
    except UserError as error:
        sys.exit(f"screenshot: {error}")
    full = projection.project(store)
    try:
        thread = projection.find_thread(full, args.thread) if args.thread else None
    except UserError as error:
        sys.exit(f"screenshot: {error}")
    graph = projection.filter_graph(full, max_nodes=args.max_nodes, thread=thread)
    with tempfile.TemporaryDirectory() as tmp, browser.launch() as chromium:
        html = Path(tmp) / "graph.html"
        viz.write_html(graph, html, thread=thread)
        page, log = browser.open_page(chromium, html, width=args.width, height=args.height)
        if args.select:
            found = page.evaluate("q => claimgraph.search(q)", args.select)
            if found is None:
                sys.exit(f"screenshot: no node matches {args.select!r}")
            page.evaluate("claimgraph.network.fit({animation: false})")
        if args.expand:
            page.evaluate("claimgraph.setAllGroups(true)")
            page.evaluate("claimgraph.network.fit({animation: false})")
        if args.pick_thread is not None:
            page.evaluate("i => claimgraph.selectThread(i)", args.pick_thread)
        page.wait_for_timeout(300)
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=args.output)
        problems = log.console_errors + log.page_errors + log.foreign_requests
        if problems:
            sys.exit(f"screenshot: the page reported problems: {problems}")
    print(f"wrote {args.output} ({graph.number_of_nodes()} nodes)")


if __name__ == "__main__":
    main()
