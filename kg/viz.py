"""Turns the networkx projection into one self-contained, offline HTML page (vis-network inlined, data as JSON)."""
from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import math
from importlib import resources
from pathlib import Path

import networkx as nx

from kg import projection as P

# Node kinds: vis-network shape, fill, border (Okabe-Ito colours: distinct also for colour-blind readers).
NODE_STYLES = {
    P.PERSON: {"shape": "dot", "color": "#56B4E9", "border": "#0072B2", "label": "person"},
    P.ORGANISATION: {"shape": "hexagon", "color": "#E69F00", "border": "#9a6a00", "label": "organisation"},
    P.OUTLET: {"shape": "diamond", "color": "#CC79A7", "border": "#8a3f6c", "label": "media outlet"},
    P.UNNAMED: {"shape": "triangleDown", "color": "#BBBBBB", "border": "#666666", "label": "unnamed source"},
    P.COMMENTER: {"shape": "triangle", "color": "#D55E00", "border": "#8a3d00", "label": "commenter"},
    P.CLAIM: {"shape": "box", "color": "#FFF3B0", "border": "#b59a00", "label": "claim", "fontSize": 12},
    P.DOCUMENT: {"shape": "square", "color": "#009E73", "border": "#00664a", "label": "document (article, comment, report)"},
    P.OTHER: {"shape": "star", "color": "#999999", "border": "#555555", "label": "other source", "optional": True},
}
EDGE_STYLES = {
    P.STATES: {"color": "#333333", "dashes": False, "width": 2, "label": "states (labelled with the cue)"},
    P.RELAYED: {"color": "#0072B2", "dashes": [8, 4], "width": 2, "label": "relayed via"},
    P.MEMBER: {"color": "#E69F00", "dashes": [2, 3], "label": "member of (role)"},
    P.AFFILIATED: {"color": "#b08d57", "dashes": [2, 3], "label": "affiliated with"},
    P.REPORTED: {"color": "#009E73", "dashes": False, "label": "reported / stated in"},
    P.COMMENT_ON: {"color": "#56B4E9", "dashes": [4, 2], "label": "comment on"},
    P.DISPUTES: {"color": "#D55E00", "dashes": False, "width": 2, "label": "disputes"},
    P.WROTE: {"color": "#aaaaaa", "dashes": [1, 2], "label": "wrote (comment)"},
}
BIG = 1000          # from this many nodes: straight edges, edges hidden while dragging/zooming
KK_GRAPH = 60       # graphs up to this size get Kamada-Kawai (nicer, but up to 0.5 s per cluster)
SMALL_CLUSTER = 400  # clusters up to this size get a force layout; bigger ones get cheap rings
_LABEL_MAX = {P.CLAIM: 60}


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------------------------
# Layout: one cluster per top-level document, laid out separately and packed on shelves (cheap for big graphs).


def _root_document(graph: nx.DiGraph, node: str) -> str | None:
    docs = P.claim_documents(graph, node) if graph.nodes[node]["kind"] == P.CLAIM else [node]
    root, seen = (docs[0] if docs else None), set()
    while root and graph.nodes[root].get("parent") in graph and root not in seen:
        seen.add(root)
        root = graph.nodes[root]["parent"]
    return root


def _homes(graph: nx.DiGraph) -> dict[str, str]:
    """Node -> key of its cluster: the article a claim or comment belongs to; sources join their first claim's."""
    home: dict[str, str] = {}
    for claim in P.claims(graph):
        root = _root_document(graph, claim)
        if root:
            home[claim] = root
    articles = set(home.values())
    for node, kind in graph.nodes(data="kind"):
        if kind == P.DOCUMENT and _root_document(graph, node) in articles:
            home[node] = _root_document(graph, node)
    for claim in sorted(P.claims(graph)):
        for source in graph.nodes[claim].get("chain", []):
            if claim in home:
                home.setdefault(source, home[claim])
    for node in sorted(graph.nodes):  # the rest (organisations, authors) follow a neighbour
        if node not in home:
            near = [home[m] for m in (*graph.successors(node), *graph.predecessors(node)) if m in home]
            home[node] = near[0] if near else node
    return home


def hubs(graph: nx.DiGraph, home: dict[str, str]) -> set[str]:
    """Agents tied to claims of several articles (an outlet relaying everywhere): placed between their articles
    rather than inside one, so their edges stay short."""
    found = set()
    for node, kind in graph.nodes(data="kind"):
        if kind in P.AGENT_KINDS:
            keys = {home[m] for m in (*graph.successors(node), *graph.predecessors(node))
                    if graph.nodes[m]["kind"] == P.CLAIM}
            if len(keys) > 1:
                found.add(node)
    return found


def clusters(graph: nx.DiGraph, exclude: set[str] = frozenset()) -> list[list[str]]:
    """Nodes grouped by the article they belong to, biggest first; singletons are packed together."""
    home = _homes(graph)
    groups: dict[str, list[str]] = {}
    for node in graph.nodes:
        if node not in exclude:
            groups.setdefault(home.get(node, node), []).append(node)
    merged: dict[str, list[str]] = {}
    for key, members in groups.items():
        merged.setdefault("__singletons__" if len(members) == 1 else key, []).extend(members)
    return sorted(merged.values(), key=len, reverse=True)


def _cluster_positions(graph: nx.DiGraph, members: list[str], *, fine: bool) -> dict[str, tuple[float, float]]:
    """Positions in roughly [-1, 1]²: a seeded force layout, or kind rings when the cluster is big."""
    if len(members) == 1:
        return {members[0]: (0.0, 0.0)}
    if fine:
        # Kamada-Kawai spreads small graphs evenly (few crossings); it is quadratic, so only for small clusters.
        sub = nx.Graph(graph.subgraph(members).to_undirected())
        return {n: (float(x), float(y)) for n, (x, y) in nx.kamada_kawai_layout(sub).items()}
    if len(members) <= SMALL_CLUSTER:
        sub = graph.subgraph(members).to_undirected(as_view=True)
        k = 1.6 / math.sqrt(len(members))
        return {n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(sub, k=k, seed=7, iterations=80).items()}
    rings = [P.DOCUMENT, P.CLAIM, P.PERSON, P.OUTLET, P.ORGANISATION, P.UNNAMED, P.COMMENTER, P.OTHER]
    by_kind = {kind: sorted(n for n in members if graph.nodes[n]["kind"] == kind) for kind in rings}
    shells = [by_kind[k] for k in rings if by_kind[k]]
    return {n: (float(x), float(y)) for n, (x, y) in nx.shell_layout(graph.subgraph(members), shells).items()}


def layout(graph: nx.DiGraph, spacing: float = 110.0) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node, deterministic, computed in Python so the browser needs no physics."""
    positions: dict[str, tuple[float, float]] = {}
    hub_nodes = hubs(graph, _homes(graph))
    groups = clusters(graph, exclude=hub_nodes)
    radii = [spacing * math.sqrt(len(g)) * 0.9 + spacing for g in groups]
    total_area = sum((2 * r + spacing / 2) ** 2 for r in radii)
    shelf_width = max(math.sqrt(total_area) * 1.5, spacing * 4)  # a landscape picture, like the screen
    fine = graph.number_of_nodes() <= KK_GRAPH
    x = y = row_height = 0.0
    for members, radius in zip(groups, radii):
        if x > 0 and x + 2 * radius > shelf_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in _cluster_positions(graph, members, fine=fine).items():
            positions[node] = (round(x + radius + px * radius, 1), round(y + radius + py * radius, 1))
        x += 2 * radius + spacing / 2
        row_height = max(row_height, 2 * radius + spacing / 2)
    for i, node in enumerate(sorted(hub_nodes)):
        near = [positions[m] for m in (*graph.successors(node), *graph.predecessors(node)) if m in positions]
        cx = sum(p[0] for p in near) / len(near) if near else 0.0
        cy = sum(p[1] for p in near) / len(near) if near else -spacing
        # A golden-angle offset keeps hubs with the same neighbourhood from landing on one spot.
        angle, dist = i * 2.39996, spacing * (0.5 + (i % 5) * 0.3)
        positions[node] = (round(cx + dist * math.cos(angle), 1), round(cy + dist * math.sin(angle), 1))
    return positions


# ---------------------------------------------------------------------------------------------------------------
# Page data


def _node_record(graph: nx.DiGraph, node: str, index: int, position: tuple[float, float]) -> dict:
    data = graph.nodes[node]
    kind = data["kind"] if data["kind"] in NODE_STYLES else P.OTHER
    label = data.get("label") or node
    record = {"id": index, "k": kind, "label": _truncate(label, _LABEL_MAX.get(kind, 40)), "t": label, "iri": node,
              "x": position[0], "y": position[1], "s": round(12 + 4 * math.sqrt(graph.degree(node)), 1)}
    if data.get("aliases"):
        record["aka"] = list(data["aliases"])
    if kind == P.CLAIM:
        record.update(text=data.get("text"), seg=data.get("segments"), cue=data.get("cue"),
                      cueType=data.get("cue_type"), hedge=data.get("hedge"), doc=data.get("document_label"),
                      b=data.get("begin"), e=data.get("end"),
                      chain=[graph.nodes[s]["label"] for s in data.get("chain", []) if s in graph],
                      rec=data.get("recipients") or [])
    return record


def page_data(graph: nx.DiGraph, *, note: str = "") -> dict:
    """Everything the page draws, as plain JSON-able data (node ids are small integers)."""
    nodes = sorted(graph.nodes)
    ids = {node: i for i, node in enumerate(nodes)}
    positions = layout(graph)
    chains = {ids[c]: sorted(ids[n] for n in P.chain_nodes(graph, c) if n in ids) for c in P.claims(graph)}
    return {
        "kinds": NODE_STYLES,
        "edgeKinds": EDGE_STYLES,
        "nodes": [_node_record(graph, n, ids[n], positions[n]) for n in nodes],
        "edges": [{"f": ids[u], "t": ids[v], "k": d["kind"], "l": d.get("label", d["kind"])}
                  for u, v, d in sorted(graph.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]]))],
        "chains": chains,
        "big": graph.number_of_nodes() >= BIG,
        "note": note,
        "emptyMessage": "No nodes match the filters.",
    }


def script_json(value) -> str:
    """JSON safe inside <script>: no '<', '>', '&' or line separators can end the script or open a tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


# ---------------------------------------------------------------------------------------------------------------
# Page assembly


def vis_network_js() -> str:
    """The vis-network build shipped inside pyvis, found without importing pyvis (which pulls IPython)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: it provides the vis-network library the viewer inlines")
    path = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    text = path.read_text(encoding="utf-8")
    # The source-map comment would make developer tools try to fetch a file that does not exist.
    # split("\n"), not splitlines(): the library holds raw U+2028 and form feeds inside string literals.
    text = "\n".join(line for line in text.split("\n") if not line.startswith("//# sourceMappingURL"))
    if "</script" in text.lower():
        raise RuntimeError(f"{path} contains '</script' and cannot be inlined")
    return text


def _asset(name: str) -> str:
    return resources.files("kg.viewer").joinpath(name).read_text(encoding="utf-8")


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render_html(graph: nx.DiGraph, *, note: str = "", csp: bool = True) -> str:
    """The whole page. With ``csp`` a Content-Security-Policy allows only the page's own two scripts and no
    network at all: a second line of defence behind the escaping (tests check the escaping alone too)."""
    vis_js, app_js = vis_network_js(), _asset("viewer.js")
    policy = ("default-src 'none'; script-src " + _sha256(vis_js) + " " + _sha256(app_js)
              + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'") if csp else ""
    page = _asset("page.html")
    if not csp:
        page = page.replace('<meta http-equiv="Content-Security-Policy" content="@CSP@">\n', "")
    parts = {"@CSP@": policy, "@CSS@": _asset("viewer.css"), "@DATA@": script_json(page_data(graph, note=note)),
             "@VIS@": vis_js, "@JS@": app_js}
    # Substitute in one pass so data can never be re-scanned for a later placeholder.
    out, position = [], 0
    while True:
        hits = [(page.find(k, position), k) for k in parts if page.find(k, position) >= 0]
        if not hits:
            out.append(page[position:])
            return "".join(out)
        index, key = min(hits)
        out.append(page[position:index])
        out.append(parts[key])
        position = index + len(key)


def write_html(graph: nx.DiGraph, path: str | Path, *, note: str = "") -> int:
    """Write the page to ``path``; returns its size in bytes."""
    data = render_html(graph, note=note).encode("utf-8")
    Path(path).write_bytes(data)
    return len(data)


def notebook_iframe(graph: nx.DiGraph, *, height: int = 700, note: str = "") -> str:
    """An <iframe srcdoc> showing the page, for ``IPython.display.HTML(...)`` in notebooks (pyvis' show() is
    broken outside them); the whole page is attribute-escaped."""
    page = html.escape(render_html(graph, note=note), quote=True)
    return f'<iframe srcdoc="{page}" style="width:100%;height:{int(height)}px;border:0"></iframe>'
