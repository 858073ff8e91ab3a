"""Turns the networkx projection into one self-contained, offline HTML page (vis-network inlined, data as JSON)."""
from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import math
from collections import Counter, defaultdict
from functools import lru_cache
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
    P.CLAIM: {"shape": "box", "color": "#FFF3B0", "border": "#b59a00", "label": "claim"},
    P.DOCUMENT: {"shape": "square", "color": "#009E73", "border": "#00664a", "label": "document (article, comment, report)"},
    "reader comments": {"shape": "box", "color": "#FBE3D6", "border": "#D55E00", "label": "reader comments (click to expand)",
                        "optional": True},
    P.OTHER: {"shape": "star", "color": "#999999", "border": "#555555", "label": "other source", "optional": True},
}
EDGE_STYLES = {
    P.STATES: {"color": "#333333", "dashes": False, "width": 2, "label": "states (labelled with the cue)"},
    P.RELAYED: {"color": "#0072B2", "dashes": [8, 4], "width": 2, "label": "relayed via"},
    P.MEMBER: {"color": "#E69F00", "dashes": [2, 3], "label": "member of (role)"},
    P.AFFILIATED: {"color": "#b08d57", "dashes": [2, 3], "label": "affiliated with"},
    P.REPORTED: {"color": "#009E73", "dashes": False, "label": "reported / stated in", "opacity": 0.55},
    P.COMMENT_ON: {"color": "#56B4E9", "dashes": [4, 2], "label": "comment on"},
    P.DISPUTES: {"color": "#D55E00", "dashes": False, "width": 2, "label": "disputes"},
    P.WROTE: {"color": "#aaaaaa", "dashes": [1, 2], "label": "wrote (comment)"},
    P.REFUSED: {"color": "#7f7f7f", "dashes": [6, 3], "label": "declined to comment in (no claim)", "optional": True},
}
BIG = 1000          # from this many nodes: no edge labels, solid translucent edges, hidden while dragging/zooming
FONT = 14           # px, every node and edge label: the page opens at a zoom showing it at >= 11 px
MIN_SCALE = 0.82    # the initial zoom never goes below this (14 px * 0.82 = 11.5 px on screen)
CHAR_WIDTH = 7.4    # px per character at FONT (DejaVu Sans average 6.9, rounded up: boxes must not overlap)
LINE_HEIGHT = FONT  # vis-network draws one label line per font size
GAP_Y = 18          # vertical space between two nodes of a column
GAP_X = 100         # horizontal space between columns: room for an edge label such as "According to"
EDGE_LABEL_MAX = 14  # characters: a longer edge label runs over the boxes at its ends (the details show it whole)
COMMENT_GROUP_MIN = 2  # one comment is no bigger than the node that would stand for it
COMMENTS = "reader comments"  # the kind of the node standing for an article's collapsed comments
# Characters per line and lines per label, by kind (claims are boxes, the rest have their label underneath).
_WRAP = {P.CLAIM: (26, 3), P.DOCUMENT: (22, 3), COMMENTS: (22, 2), "comment": (16, 2)}
_WRAP_DEFAULT = (20, 2)
_LABEL_MAX = {P.CLAIM: 60}


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap_label(text: str, width: int, lines: int) -> str:
    """``text`` on at most ``lines`` lines of about ``width`` characters (broken at spaces, "…" when cut)."""
    words = " ".join(text.split()).split(" ")
    out: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a word longer than a line is cut
            head, word = word[:width], word[width:]
            if current:
                out.append(current)
            out.append(head)
            current = ""
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _truncate(out[-1], width - 1) if len(out[-1]) >= width - 1 else out[-1]
        out[-1] = out[-1].rstrip("…").rstrip() + "…"
    return "\n".join(out)


def node_size(graph: nx.DiGraph, node: str) -> float:
    """The radius of a non-box node: grows a little with its degree, capped so that hubs do not dominate."""
    return round(min(22.0, 11 + 2.5 * math.sqrt(graph.degree(node))), 1)


# ---------------------------------------------------------------------------------------------------------------
# Layout: one block per top-level document, read left to right as chains: sources | claims | relays | documents.
# Computed in Python (a few linear passes per block), so the browser runs no physics and no layout of its own.


def _root_document(graph: nx.DiGraph, node: str) -> str | None:
    docs = P.claim_documents(graph, node) if graph.nodes[node]["kind"] == P.CLAIM else [node]
    root, seen = (docs[0] if docs else None), set()
    while root and graph.nodes[root].get("parent") in graph and root not in seen:
        seen.add(root)
        root = graph.nodes[root]["parent"]
    return root


def _homes(graph: nx.DiGraph) -> dict[str, str]:
    """Node -> key of its block: the article a claim or comment belongs to; sources join the block holding most
    of their claims (the first such block on a tie)."""
    home: dict[str, str] = {}
    for claim in P.claims(graph):
        root = _root_document(graph, claim)
        if root:
            home[claim] = root
    articles = set(home.values())
    for node, kind in graph.nodes(data="kind"):
        if kind == P.DOCUMENT and _root_document(graph, node) in articles:
            home[node] = _root_document(graph, node)
    votes: dict[str, Counter] = defaultdict(Counter)
    for claim in sorted(P.claims(graph)):
        for source in graph.nodes[claim].get("chain", []):
            if claim in home:
                votes[source][home[claim]] += 1
    for source, counter in votes.items():
        if source not in home:
            home[source] = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    for node in sorted(graph.nodes):  # the rest (organisations, authors) follow a neighbour
        if node not in home:
            near = sorted(home[m] for m in (*graph.successors(node), *graph.predecessors(node)) if m in home)
            home[node] = near[0] if near else node
    return home


def comment_groups(graph: nx.DiGraph, chains_of: dict[str, list[str]]) -> dict[str, list[str]]:
    """Article -> the nodes that stand only for its reader comments (comments and replies, their claims, cited
    reports only they cite, commenters and the sources only comments quote), for articles with at least
    COMMENT_GROUP_MIN comments: drawn as one node until the reader expands them."""
    groups: dict[str, list[str]] = {}
    for article, data in sorted(graph.nodes(data=True)):
        if data["kind"] != P.DOCUMENT or data.get("doc_type") == "comment":
            continue
        comments = [u for u in P._edges_of_kind(graph, article, P.COMMENT_ON, incoming=True)
                    if graph.nodes[u].get("doc_type") == "comment"]
        if len(comments) < COMMENT_GROUP_MIN:
            continue
        members: set[str] = set()
        stack = list(comments)
        while stack:  # comments and replies to them
            node = stack.pop()
            if node not in members:
                members.add(node)
                stack.extend(P._edges_of_kind(graph, node, P.COMMENT_ON, incoming=True))
        claims = [c for doc in sorted(members) for c in P._edges_of_kind(graph, doc, P.REPORTED, incoming=True)
                  if graph.nodes[c].get("document") in members]
        members.update(claims)
        for claim in claims:  # reports only the comments cite
            for doc in P._edges_of_kind(graph, claim, P.REPORTED, incoming=False):
                if doc not in members and all(c in members for c in P._edges_of_kind(graph, doc, P.REPORTED,
                                                                                      incoming=True)) \
                        and not P._edges_of_kind(graph, doc, P.COMMENT_ON, incoming=True):
                    members.add(doc)
        candidates = sorted({n for m in members for n in (*graph.successors(m), *graph.predecessors(m))
                             if n not in members and graph.nodes[n]["kind"] in P.AGENT_KINDS})
        for agent in candidates:
            neighbours = (*graph.successors(agent), *graph.predecessors(agent))
            if all(c in members for c in chains_of.get(agent, ())) and \
                    all(n in members or graph.nodes[n]["kind"] in P.AGENT_KINDS for n in neighbours):
                members.add(agent)
        groups[article] = sorted(members)
    return groups


def chain_index(graph: nx.DiGraph) -> dict[str, list[str]]:
    """Agent -> the claims whose attribution chain it is part of."""
    index: dict[str, list[str]] = defaultdict(list)
    for claim in P.claims(graph):
        for source in dict.fromkeys(graph.nodes[claim].get("chain", [])):
            index[source].append(claim)
    return index


def _columns(graph: nx.DiGraph, nodes: list[str]) -> dict[str, int]:
    """Column of each node: 0 sources, 1 claims, 2.. relays by their deepest place in the chains, then documents.
    An agent that relays at least as many claims as it originates stands with the relays (its own statements then
    point back left); a commenter always stands with the sources."""
    depth_as_relay: dict[str, int] = {}
    originated: Counter = Counter()
    for node in nodes:
        if graph.nodes[node]["kind"] == P.CLAIM:
            chain = graph.nodes[node].get("chain", [])
            if chain:
                originated[chain[0]] += 1
            for depth, source in enumerate(chain[1:], start=1):
                depth_as_relay[source] = max(depth_as_relay.get(source, 0), depth)
    relayed = Counter(s for n in nodes if graph.nodes[n]["kind"] == P.CLAIM for s in graph.nodes[n].get("chain", [])[1:])
    columns: dict[str, int] = {}
    for node in nodes:
        kind = graph.nodes[node]["kind"]
        if kind == P.CLAIM:
            columns[node] = 1
        elif kind == P.DOCUMENT:
            columns[node] = -1  # set below, after the relays
        elif node in depth_as_relay and kind != P.COMMENTER and relayed[node] >= originated[node]:
            columns[node] = 1 + depth_as_relay[node]
        else:
            columns[node] = 0
    last = max([c for c in columns.values()] + [2])
    has_comments = any(graph.nodes[n].get("doc_type") == "comment" for n in nodes)
    documents = max(last + 1, 3 if has_comments else 2)
    for node in nodes:
        if columns[node] == -1:
            # A comment sits next to its claims; the article, cited reports and the rest at the right end.
            columns[node] = 2 if graph.nodes[node].get("doc_type") == "comment" else documents
    return columns


def _extent(record: dict) -> tuple[float, float, float]:
    """(half width, height above the centre, height below it) of a drawn node, its label included."""
    return _label_extent(record["label"], record["shape"], record["s"])


@lru_cache(maxsize=65536)  # the layout asks several times per node
def _label_extent(label: str, shape: str, size: float) -> tuple[float, float, float]:
    lines = label.split("\n")
    text_width = max(len(line) for line in lines) * CHAR_WIDTH
    if shape == "box":
        half_height = (len(lines) * LINE_HEIGHT + 10) / 2
        return text_width / 2 + 6, half_height, half_height
    return max(size, text_width / 2), size, size + 4 + len(lines) * LINE_HEIGHT


def _place_column(items: list[tuple[float, str]], extents: dict[str, tuple], positions_y: dict[str, float]) -> None:
    """Nodes as close to their wished heights as the column allows, in the order of those heights, none
    overlapping; then the column is shifted so that, on average, nodes sit at their wished heights."""
    items = sorted(items)
    placed: list[tuple[str, float, float]] = []
    bottom = -math.inf
    for wish, node in items:
        _, above, below = extents[node]
        y = max(wish, bottom + GAP_Y + above)
        placed.append((node, y, wish))
        bottom = y + below
    if placed:
        shift = sum(y - wish for _, y, wish in placed) / len(placed)
        for node, y, _ in placed:
            positions_y[node] = y - shift


def _layer(graph: nx.DiGraph, nodes: list[str], records: dict[str, dict], claim_order: list[str],
           columns: dict[str, int], top: float, chains_of: dict[str, list[str]]) -> dict[str, float]:
    """Positions of one band of a block: claims stacked in ``claim_order``, every other node at the mean height
    of the claims it is tied to (sources, relays, documents), context nodes next to their neighbours."""
    extents = {n: _extent(records[n]) for n in nodes}
    ys: dict[str, float] = {}
    y = top
    for claim in claim_order:
        _, above, below = extents[claim]
        ys[claim] = y + above
        y += above + below + GAP_Y
    wishes: dict[str, float] = {}
    for node in nodes:
        if node in ys:
            continue
        tied = [c for c in chains_of.get(node, ()) if c in ys]
        tied += [u for u, _, k in graph.in_edges(node, data="kinds") if P.REPORTED in k and u in ys]
        if tied:
            wishes[node] = sum(ys[c] for c in tied) / len(tied)
    for node in nodes:  # comments by their claims' position, context by its neighbours'
        if node in ys or node in wishes:
            continue
        near = [m for m in (*graph.successors(node), *graph.predecessors(node)) if m in ys or m in wishes]
        wishes[node] = (sum(ys.get(m, wishes.get(m, top)) for m in near) / len(near)) if near else y
    by_column: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for node, wish in wishes.items():
        by_column[columns[node]].append((wish, node))
    for column in sorted(by_column):
        _place_column(by_column[column], extents, ys)
    return {n: ys[n] for n in nodes}


def layout_records(graph: nx.DiGraph, records: dict[str, dict], *, thread: str | None = None,
                   groups: dict[str, list[str]] | None = None,
                   chains_of: dict[str, list[str]] | None = None) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node (and comment-group node, keyed ``group:ARTICLE``), deterministic.

    Each article is a block read left to right (sources, claims, relays, documents); claims are stacked in the
    order of the text, or for ``thread`` in time order with the disputing claims after. Collapsed comments of an
    article get a band of their own under it, so expanding them moves nothing. Blocks are packed on shelves."""
    groups = groups or {}
    chains_of = chain_index(graph) if chains_of is None else chains_of
    hidden = {m: article for article, members in groups.items() for m in members}
    home = {n: "thread" for n in graph.nodes} if thread else _homes(graph)
    blocks: dict[str, list[str]] = defaultdict(list)
    for node in sorted(graph.nodes):
        blocks[home.get(node, node)].append(node)
    placed_blocks = []
    for key in sorted(blocks, key=lambda k: (-len(blocks[k]), k)):
        nodes = blocks[key]
        positions = _block_positions(graph, nodes, records, hidden, thread, groups, chains_of)
        placed_blocks.append(positions)
    return _pack(placed_blocks, records)


def _block_positions(graph, nodes, records, hidden, thread, groups, chains_of) -> dict[str, tuple[float, float]]:
    columns = _columns(graph, nodes)
    main = [n for n in nodes if n not in hidden]
    claims = [n for n in main if graph.nodes[n]["kind"] == P.CLAIM]
    if thread:
        order = {c: i for i, c in enumerate(P.thread_claims(graph, thread))}
        claims.sort(key=lambda c: (order.get(c, len(order)), P.claim_time_key(graph, c)))
        # Claims disputing the thread get a column of their own right of the members (everything further right
        # moves one column on): their "disputes" edge then runs up to the first claim beside the members' boxes,
        # not over them.
        data = graph.graph["threads"][thread]
        disputers = [c for c in data["disputed_by"] if c in columns and c not in data["members"]]
        if disputers:
            for node, column in columns.items():
                if column >= 2:
                    columns[node] = column + 1
            for claim in disputers:
                columns[claim] = 2
    else:
        claims.sort(key=lambda c: (graph.nodes[c].get("begin") or 0, c))
    ys = _layer(graph, main, records, claims, columns, 0.0, chains_of)
    for article in sorted({hidden[n] for n in nodes if n in hidden}):
        group_key = f"group:{article}"
        disputed = [ys[v] for m in groups[article] for v in graph.successors(m)
                    if v in ys and P.DISPUTES in graph.edges[m, v]["kinds"]]
        columns[group_key] = 0
        column_nodes = [(ys[n], n) for n in main if columns[n] == 0]
        wish = sum(disputed) / len(disputed) if disputed else max([y for y, _ in column_nodes] + [0.0]) + 60
        extents = {n: _extent(records[n]) for _, n in column_nodes}
        extents[group_key] = _extent(records[group_key])
        _place_column(column_nodes + [(wish, group_key)], extents, ys)
        members = [n for n in groups[article] if n in columns]
        bottom = max(ys[n] + _extent(records[n])[2] for n in ys) + 3 * GAP_Y
        member_claims = sorted((m for m in members if graph.nodes[m]["kind"] == P.CLAIM),
                               key=lambda c: (graph.nodes[c].get("begin") or 0, c))
        ys.update(_layer(graph, members, records, member_claims, columns, bottom, chains_of))
    xs = _column_xs(columns, records)
    return {n: (xs[columns[n]], ys[n]) for n in ys}


def _column_xs(columns: dict[str, int], records: dict[str, dict]) -> dict[int, float]:
    widths: dict[int, float] = defaultdict(float)
    for node, column in columns.items():
        widths[column] = max(widths[column], 2 * _extent(records[node])[0])
    xs, x = {}, 0.0
    for column in range(min(widths), max(widths) + 1):
        width = widths.get(column, 0.0)
        xs[column] = x + width / 2
        x += width + (GAP_X if width else 0.0)
    return xs


def _pack(blocks: list[dict[str, tuple[float, float]]], records: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """Blocks on shelves, biggest first, in a landscape picture like the screen's."""
    boxes = []
    for positions in blocks:
        lefts = [x - _extent(records[n])[0] for n, (x, _) in positions.items()]
        rights = [x + _extent(records[n])[0] for n, (x, _) in positions.items()]
        tops = [y - _extent(records[n])[1] for n, (_, y) in positions.items()]
        bottoms = [y + _extent(records[n])[2] for n, (_, y) in positions.items()]
        boxes.append((min(lefts), min(tops), max(rights), max(bottoms)))
    total_area = sum((r - l + GAP_X) * (b - t + 3 * GAP_Y) for l, t, r, b in boxes)
    shelf_width = max(math.sqrt(total_area) * 1.6, max((r - l for l, _, r, _ in boxes), default=0.0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for positions, (left, top, right, bottom) in zip(blocks, boxes):
        width, height = right - left, bottom - top
        if x > 0 and x + width > shelf_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in positions.items():
            out[node] = (round(x + px - left, 1), round(y + py - top, 1))
        x += width + 2 * GAP_X
        row_height = max(row_height, height + 5 * GAP_Y)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Page data

# Edge labels drawn on the canvas: the cue of a statement, the hedge of a relay, a member's role; the others say
# what the legend already says and only cover the picture.
def _drawn_label(kind: str, label: str) -> str:
    if kind in (P.RELAYED, P.MEMBER):
        label = label[label.index("(") + 1:-1] if label.endswith(")") and "(" in label else ""
    elif kind == P.DISPUTES:
        return P.DISPUTES
    elif kind == P.REFUSED:
        return "no comment"  # which refusal it was is in the source's details
    elif kind != P.STATES:
        return ""
    return _truncate(label, EDGE_LABEL_MAX)


def _node_record(graph: nx.DiGraph, node: str, index: int, *, thread: str | None = None) -> dict:
    data = graph.nodes[node]
    kind = data["kind"] if data["kind"] in NODE_STYLES else P.OTHER
    label = data.get("label") or node
    width, lines = _WRAP.get(data.get("doc_type") if data.get("doc_type") == "comment" else kind, _WRAP_DEFAULT)
    shown = _truncate(label, _LABEL_MAX.get(kind, 60))
    if thread and kind == P.CLAIM:
        date = data.get("published") or "undated"
        shown = wrap_label(shown, width, lines)
        record_label = f"{date}\n{shown}"
    else:
        record_label = wrap_label(shown, width, lines)
    record = {"id": index, "k": kind, "label": record_label, "t": label, "iri": node,
              "shape": NODE_STYLES[kind]["shape"], "s": node_size(graph, node)}
    if data.get("aliases"):
        record["aka"] = list(data["aliases"])
    if data.get("refusals"):
        record["ref"] = [f"{r['what']} in {r['document']}" + (f": {r['text']}" if r["text"] else "")
                         for r in data["refusals"]]
    if kind == P.CLAIM:
        record.update(text=data.get("text"), seg=data.get("segments"), cue=data.get("cue"),
                      cueType=data.get("cue_type"), hedge=data.get("hedge"), doc=data.get("document_label"),
                      b=data.get("begin"), e=data.get("end"), date=data.get("published"),
                      chain=[graph.nodes[s]["label"] for s in data.get("chain", []) if s in graph],
                      rec=data.get("recipients") or [])
    if kind == P.DOCUMENT:
        record.update(date=data.get("published"), url=data.get("url"))
    return record


def _group_record(graph: nx.DiGraph, article: str, members: list[str], index: int) -> dict:
    comments = [m for m in members if graph.nodes[m].get("doc_type") == "comment"]
    label = f"{len(comments)} {COMMENTS} (click to expand)"
    return {"id": index, "k": COMMENTS, "label": wrap_label(label, *_WRAP[COMMENTS]), "t": label,
            "iri": article, "shape": NODE_STYLES[COMMENTS]["shape"], "s": 16.0,
            "doc": graph.nodes[article]["label"]}


def page_data(graph: nx.DiGraph, *, note: str = "", thread: str | None = None) -> dict:
    """Everything the page draws, as plain JSON-able data (node ids are small integers).

    Reader comments of an article are collapsed into one node per article: its members carry ``g`` (the group
    node's id) and start hidden; edges between a member and the rest are repeated from the group node (``via``)."""
    nodes = sorted(graph.nodes)
    ids = {node: i for i, node in enumerate(nodes)}
    records = {n: _node_record(graph, n, ids[n], thread=thread) for n in nodes}
    chains_of = chain_index(graph)
    groups = comment_groups(graph, chains_of)
    group_ids: dict[str, int] = {}
    for article in sorted(groups):
        key = f"group:{article}"
        group_ids[article] = len(ids) + len(group_ids)
        records[key] = _group_record(graph, article, groups[article], group_ids[article])
    positions = layout_records(graph, records, thread=thread, groups=groups, chains_of=chains_of)
    member_of = {m: group_ids[a] for a, members in groups.items() for m in members}
    for node, record in records.items():
        record["x"], record["y"] = positions[node]
        if node in member_of:
            record["g"] = member_of[node]
    edges = []
    for u, v, d in sorted(graph.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]])):
        edge = {"f": ids[u], "t": ids[v], "k": d["kind"], "l": d.get("label", d["kind"]),
                "dl": _drawn_label(d["kind"], d.get("label", d["kind"]))}
        if edge["k"] == P.WROTE and any(graph.nodes[c].get("chain", [None])[0] == u
                                        for c, _, k in graph.in_edges(v, data="kinds") if P.REPORTED in k):
            edge["dl"], edge["quiet"] = "", True  # the commenter's own claim already ties them
        edges.append(edge)
    via: dict[tuple, dict] = {}
    for edge in edges:
        gf, gt = member_of.get(nodes[edge["f"]]), member_of.get(nodes[edge["t"]])
        if (gf is None) == (gt is None) or edge["k"] in (P.COMMENT_ON, P.WROTE):
            continue
        key = (gf if gf is not None else edge["f"], gt if gt is not None else edge["t"], edge["k"])
        via.setdefault(key, {"f": key[0], "t": key[1], "k": edge["k"], "l": edge["k"],
                             "dl": _drawn_label(edge["k"], edge["k"]), "via": gf if gf is not None else gt})
    edges.extend(via[k] for k in sorted(via))
    for edge in edges:
        if abs(_x_of(records, nodes, group_ids, edge["f"]) - _x_of(records, nodes, group_ids, edge["t"])) < 1:
            # Both ends in one column: an arc (vis-network's roundness 0.35 bulges most), so that it does not run
            # straight over the nodes between.
            edge["cv"] = 0.35
    ordered = [records[n] for n in nodes] + [records[f"group:{a}"] for a in sorted(groups)]
    shown = [r for key, r in records.items() if key not in member_of]
    chains = {ids[c]: sorted(ids[n] for n in P.chain_nodes(graph, c) if n in ids) for c in P.claims(graph)}
    return {
        "kinds": NODE_STYLES,
        "edgeKinds": EDGE_STYLES,
        "nodes": ordered,
        "edges": edges,
        "chains": chains,
        "threads": _thread_data(graph, ids),
        "thread": _thread_index(graph, thread),
        "big": graph.number_of_nodes() >= BIG,
        "font": FONT,
        "view": _bounds(shown),
        "minScale": MIN_SCALE,
        "note": note,
        "emptyMessage": "No nodes match the filters.",
    }


def _bounds(records: list[dict]) -> dict | None:
    """The box around the nodes drawn at first (labels included, as estimated for the layout)."""
    if not records:
        return None
    extents = [(_extent(r), r["x"], r["y"]) for r in records]
    return {"left": min(x - e[0] for e, x, _ in extents), "top": min(y - e[1] for e, _, y in extents),
            "right": max(x + e[0] for e, x, _ in extents), "bottom": max(y + e[2] for e, _, y in extents)}


def _record_of(records, nodes, group_ids, index) -> dict:
    if index < len(nodes):
        return records[nodes[index]]
    article = next(a for a, i in group_ids.items() if i == index)
    return records[f"group:{article}"]


def _x_of(records, nodes, group_ids, index) -> float:
    return _record_of(records, nodes, group_ids, index)["x"]



def _thread_data(graph: nx.DiGraph, ids: dict[str, int]) -> list[dict]:
    """The threads with at least one member drawn: label, counts, first date, members in time order, disputers."""
    out = []
    for iri, thread in graph.graph.get("threads", {}).items():
        members = [ids[c] for c in thread["members"] if c in ids]
        if not members:
            continue
        out.append({"iri": iri, "label": thread["label"], "outlets": thread["outlets"],
                    "documents": thread["documents"], "firstDate": thread["first_date"],
                    "first": ids.get(thread["first"]), "members": members,
                    "disputers": [ids[c] for c in thread["disputed_by"] if c in ids]})
    out.sort(key=lambda t: (-t["outlets"], -t["documents"], t["label"], t["iri"]))
    return out


def _thread_index(graph: nx.DiGraph, thread: str | None) -> str | None:
    return thread if thread and thread in graph.graph.get("threads", {}) else None


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


def render_html(graph: nx.DiGraph, *, note: str = "", csp: bool = True, thread: str | None = None) -> str:
    """The whole page. With ``csp`` a Content-Security-Policy allows only the page's own two scripts and no
    network at all: a second line of defence behind the escaping (tests check the escaping alone too)."""
    vis_js, app_js = vis_network_js(), _asset("viewer.js")
    policy = ("default-src 'none'; script-src " + _sha256(vis_js) + " " + _sha256(app_js)
              + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'") if csp else ""
    page = _asset("page.html")
    if not csp:
        page = page.replace('<meta http-equiv="Content-Security-Policy" content="@CSP@">\n', "")
    parts = {"@CSP@": policy, "@CSS@": _asset("viewer.css"), "@DATA@": script_json(page_data(graph, note=note, thread=thread)),
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


def write_html(graph: nx.DiGraph, path: str | Path, *, note: str = "", thread: str | None = None) -> int:
    """Write the page to ``path``; returns its size in bytes."""
    from kg.output import write_atomically

    data = render_html(graph, note=note, thread=thread).encode("utf-8")
    write_atomically(path, data)
    return len(data)


def notebook_iframe(graph: nx.DiGraph, *, height: int = 700, note: str = "") -> str:
    """An <iframe srcdoc> showing the page, for ``IPython.display.HTML(...)`` in notebooks (pyvis' show() is
    broken outside them); the whole page is attribute-escaped."""
    page = html.escape(render_html(graph, note=note), quote=True)
    return f'<iframe srcdoc="{page}" style="width:100%;height:{int(height)}px;border:0"></iframe>'
