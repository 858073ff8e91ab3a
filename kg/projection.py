"""The networkx projection of a claim graph (sources, claims, documents, chains) plus its filters and statistics."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlparse

import networkx as nx
import pyoxigraph as ox

from kg import query
from kg.errors import UserError

CKG = "https://w3id.org/claimkg#"

# Node kinds (the legend of the viewer).
PERSON, ORGANISATION, OUTLET, UNNAMED, COMMENTER, CLAIM, DOCUMENT, OTHER = (
    "person", "organisation", "media outlet", "unnamed source", "commenter", "claim", "document", "other source")
NODE_KINDS = (PERSON, ORGANISATION, OUTLET, UNNAMED, COMMENTER, CLAIM, DOCUMENT)
AGENT_KINDS = (PERSON, ORGANISATION, OUTLET, UNNAMED, COMMENTER, OTHER)

# Edge kinds.
STATES, RELAYED, MEMBER, AFFILIATED, REPORTED, COMMENT_ON, DISPUTES, WROTE, REFUSED = (
    "states", "relayed via", "member of", "affiliated with", "reported in", "comment on", "disputes", "wrote",
    "declined to comment in")
EDGE_KINDS = (STATES, RELAYED, MEMBER, AFFILIATED, REPORTED, COMMENT_ON, DISPUTES, WROTE, REFUSED)
# ckgv refusal concepts (kg/queries/refusals.rq gives their last part) as the viewer says them
REFUSAL_WORDS = {"declined": "declined to comment", "no-response": "did not respond",
                 "unreachable": "could not be reached"}

# Class -> kind; the first class in this order wins when a node has several (a MediaOutlet is also an Organization).
_KIND_BY_CLASS = [
    ("Claim", CLAIM), ("Comment", DOCUMENT), ("NewsArticle", DOCUMENT), ("Report", DOCUMENT), ("Document", DOCUMENT),
    ("MediaOutlet", OUTLET), ("Commenter", COMMENTER), ("Person", PERSON), ("UnresolvedSpeaker", UNNAMED), ("UnnamedGroup", UNNAMED),
    ("UnnamedSource", UNNAMED), ("Organization", ORGANISATION), ("Source", OTHER),
]
_DOC_TYPES = {"Comment": "comment", "NewsArticle": "article", "Report": "report", "Document": "document"}

# Name properties in order of preference for a node's label.
_LABEL_PRIORITY = ["name", "headline", "nick", "prefLabel", "label", "identifier"]


def load_query(name: str) -> str:
    """The SPARQL text of kg/queries/NAME.rq."""
    return query.named_queries()[name]


def _rows(store: ox.Store, name: str) -> list[dict[str, str | None]]:
    return query.rows(store.query(load_query(name), use_default_graph_as_union=True))[1]


def _local_name(iri: str) -> str:
    """Last path/fragment segment of an IRI: a readable fallback when a node has no name."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _add_edge(graph: nx.DiGraph, u: str, v: str, kind: str, label: str, claim: str | None = None) -> None:
    """Add or merge an edge; a DiGraph holds one edge per pair, so a second kind is kept in ``kinds``."""
    if graph.has_edge(u, v):
        data = graph.edges[u, v]
        if kind not in data["kinds"]:
            data["kinds"].append(kind)
            data["label"] = f"{data['label']} · {label}" if label else data["label"]
    else:
        graph.add_edge(u, v, kind=kind, label=label, kinds=[kind], claims=set())
    if claim:
        graph.edges[u, v]["claims"].add(claim)


# ---------------------------------------------------------------------------------------------------------------
# Sentence cutting for hover text

_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")


def sentence_segments(context: str, spans: dict[str, tuple[int, int]]) -> tuple[list[list[str]], int, int]:
    """Cut the sentence(s) around ``spans`` out of ``context``.

    Returns ``(segments, begin, end)``: segments are ``[text, role]`` pairs (role "" or a key of ``spans``) that
    concatenate to ``context[begin:end]``; overlapping spans keep only the first one given.
    """
    lo = min(b for b, _ in spans.values())
    hi = max(e for _, e in spans.values())
    begin = 0
    for match in _SENTENCE_END.finditer(context, 0, lo):
        begin = match.end()
    end_match = _SENTENCE_END.search(context, hi)
    end = end_match.end() if end_match else len(context)
    while begin < end and context[begin].isspace():
        begin += 1
    end = len(context[:end].rstrip()) if context[:end].rstrip() else end
    marks: list[tuple[int, int, str]] = []
    for role, (b, e) in spans.items():
        if all(e <= mb or b >= me for mb, me, _ in marks):
            marks.append((b, e, role))
    marks.sort()
    segments, position = [], begin
    for b, e, role in marks:
        if b > position:
            segments.append([context[position:b], ""])
        segments.append([context[b:e], role])
        position = e
    if position < end:
        segments.append([context[position:end], ""])
    return segments, begin, end


# ---------------------------------------------------------------------------------------------------------------
# The projection


@dataclass
class _Link:
    source: str | None = None
    cue: str | None = None
    cue_type: str | None = None
    hedge: str | None = None
    cue_span: tuple[int, int] | None = None
    cue_context: str | None = None
    stated_in: list[str] = field(default_factory=list)


def project(store: ox.Store) -> nx.DiGraph:
    """The claim graph in ``store`` as a DiGraph.

    Nodes are IRIs with ``kind`` (one of NODE_KINDS or "other source") and ``label``; claims also carry ``text``,
    ``cue``, ``cue_type``, ``hedge``, ``document``/``document_label``, ``begin``/``end`` (anchor offsets),
    ``segments`` (their sentence, cue and claim marked), ``chain`` (source IRIs, innermost first) and
    ``recipients``. Edges carry ``kind`` (one of EDGE_KINDS), ``label`` and ``claims`` (claims whose chain uses it).
    """
    graph = nx.DiGraph()
    classes: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "graph-types"):
        classes[row["node"]].add(row["type"].removeprefix(CKG))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in _rows(store, "graph-labels"):
        prop = _local_name(row["property"])
        if prop == "alternateName":
            aliases[row["node"]] = sorted({*aliases[row["node"]], row["label"]})
        elif prop not in labels[row["node"]] or row["label"] < labels[row["node"]][prop]:
            labels[row["node"]][prop] = row["label"]  # the smallest of several names: stable across runs

    def label_of(node: str) -> str:
        names = labels.get(node, {})
        return next((names[p] for p in _LABEL_PRIORITY if p in names), _local_name(node))

    def ensure_node(node: str, default_kind: str = OTHER) -> None:
        if node in graph:
            return
        kind = next((k for c, k in _KIND_BY_CLASS if c in classes.get(node, ())), default_kind)
        attrs = {"kind": kind, "label": label_of(node), "aliases": aliases.get(node, [])}
        if kind == DOCUMENT:
            attrs["doc_type"] = next((t for c, t in _DOC_TYPES.items() if c in classes.get(node, ())), "document")
        graph.add_node(node, **attrs)

    for node in sorted(classes):
        ensure_node(node)

    links: dict[str, _Link] = defaultdict(_Link)
    outer: dict[str, list[str]] = defaultdict(list)
    recipients: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "graph-attributions"):
        link = links[row["attribution"]]
        link.source = link.source or row["source"]
        link.cue = link.cue or row["cue"]
        link.hedge = link.hedge or row["hedge"]
        if row["cueType"] and not link.cue_type:
            link.cue_type = row["cueTypeLabel"] or _local_name(row["cueType"]).removeprefix("cue-")
        begin, end = _int(row["cueBegin"]), _int(row["cueEnd"])
        if begin is not None and end is not None and link.cue_span is None:
            link.cue_span, link.cue_context = (begin, end), row["cueContext"]
        if row["next"] and row["next"] not in outer[row["attribution"]]:
            outer[row["attribution"]].append(row["next"])
        if row["statedIn"] and row["statedIn"] not in link.stated_in:
            link.stated_in.append(row["statedIn"])
        if row["recipient"]:
            recipients[row["attribution"]].add(row["recipient"])

    contexts = {row["context"]: row["string"] for row in _rows(store, "graph-contexts")}
    documents = _project_documents(store, graph, ensure_node)

    claim_rows: dict[str, dict] = {}
    for row in _rows(store, "graph-claims"):
        claim = claim_rows.setdefault(row["claim"], {"documents": [], **row})
        if row["document"] and row["document"] not in claim["documents"]:
            claim["documents"].append(row["document"])
    for claim_id, row in claim_rows.items():
        _add_claim(graph, claim_id, row, links, outer, recipients, contexts, documents, ensure_node, label_of)

    for row in _rows(store, "graph-memberships"):
        ensure_node(row["member"])
        ensure_node(row["organization"], ORGANISATION)
        role = row["roleLabel"] or (label_of(row["role"]) if row["role"] else "")
        member, organisation = row["member"], row["organization"]
        if graph.has_edge(member, organisation) and graph.edges[member, organisation]["kind"] == MEMBER:
            if role and not graph.edges[member, organisation]["label"].endswith(role):
                graph.edges[member, organisation]["label"] = f"{MEMBER} ({role})"
            continue
        _add_edge(graph, member, organisation, MEMBER, f"{MEMBER} ({role})" if role else MEMBER)
    _add_refusals(store, graph, ensure_node)
    for row in _rows(store, "graph-relations"):
        kind = DISPUTES if row["relation"] == CKG + "disputes" else AFFILIATED
        ensure_node(row["subject"], CLAIM if kind == DISPUTES else OTHER)
        ensure_node(row["object"], CLAIM if kind == DISPUTES else OTHER)
        _add_edge(graph, row["subject"], row["object"], kind, kind)
    _date_claims(graph, documents)
    graph.graph["threads"] = _project_threads(store, graph)
    return graph


def _add_refusals(store: ox.Store, graph: nx.DiGraph, ensure_node) -> None:
    """"X declined to comment": an edge from X to the document that says so, and the refusal in X's details
    (``refusals``: what X did and the words, per document). A source that only refused is still drawn."""
    for row in _rows(store, "refusals"):
        source, document = row["source"], row["document"]
        ensure_node(source)
        ensure_node(document, DOCUMENT)
        what = REFUSAL_WORDS.get(row["kind"] or "", "declined to comment")
        words = " ".join(filter(None, (row["cue"], row["text"])))
        found = {"what": what, "text": words, "document": graph.nodes[document]["label"]}
        refusals = graph.nodes[source].setdefault("refusals", [])
        if found not in refusals:
            refusals.append(found)
        _add_edge(graph, source, document, REFUSED, what)


def _date_claims(graph: nx.DiGraph, documents: dict[str, dict]) -> None:
    """Each claim's ``published`` date: its document's, or for a comment without one, the article's."""
    for claim in claims(graph):
        node, date, doc, seen = graph.nodes[claim], None, graph.nodes[claim].get("document"), set()
        while doc and doc not in seen and date is None:
            seen.add(doc)
            date = (documents.get(doc) or {}).get("published")
            doc = (documents.get(doc) or {}).get("parent")
        node["published"] = date


def _project_threads(store: ox.Store, graph: nx.DiGraph) -> dict[str, dict]:
    """Claim threads (the same claim across documents, from the thread linker) as plain data keyed by IRI:
    ``label``, ``first`` (first claim), ``documents``/``outlets`` counts, ``members`` in time order (undated last)
    and ``disputed_by``. A claim disputing a thread gets a "disputes" edge to the thread's first claim."""
    threads: dict[str, dict] = {}
    for row in _rows(store, "graph-threads"):
        thread = threads.setdefault(row["thread"], {"label": None, "first": None, "documents": None,
                                                    "outlets": None, "members": [], "disputed_by": []})
        for key, column in (("label", "name"), ("first", "firstClaim")):
            if row[column] and (thread[key] is None or row[column] < thread[key]):
                thread[key] = row[column]
        for key, column in (("documents", "documentCount"), ("outlets", "outletCount")):
            if _int(row[column]) is not None:
                thread[key] = max(thread[key] or 0, _int(row[column]))
    order: dict[str, int] = {}
    for row in _rows(store, "graph-thread-links"):
        thread = threads.get(row["thread"])
        if thread is None or row["claim"] not in graph or graph.nodes[row["claim"]]["kind"] != CLAIM:
            continue
        key = "members" if row["relation"] == CKG + "inThread" else "disputed_by"
        if row["claim"] not in thread[key]:
            thread[key].append(row["claim"])
        if key == "members" and _int(row["order"]) is not None:
            order[row["claim"]] = _int(row["order"])
    for iri, thread in threads.items():
        # The linker's order when it wrote one (a claim is in one thread), else publication order.
        thread["members"].sort(key=lambda c: (order.get(c) is None, order.get(c, 0), claim_time_key(graph, c)))
        thread["disputed_by"].sort(key=lambda c: claim_time_key(graph, c))
        if thread["first"] not in graph:
            thread["first"] = thread["members"][0] if thread["members"] else None
        for claim in thread["members"]:
            graph.nodes[claim].setdefault("threads", []).append(iri)
        if thread["label"] is None:
            first = graph.nodes[thread["first"]]["label"] if thread["first"] else _local_name(iri)
            thread["label"] = first
        docs = {claim_documents(graph, c)[-1] for c in thread["members"] if claim_documents(graph, c)}
        if thread["documents"] is None:
            thread["documents"] = len(docs)
        if thread["outlets"] is None:
            thread["outlets"] = len({graph.nodes[d].get("publisher") or d for d in docs})
        thread["first_date"] = _first_date(graph, thread)
        for disputer in thread["disputed_by"]:
            if thread["first"]:
                _add_edge(graph, disputer, thread["first"], DISPUTES, f"{DISPUTES} (thread)")
            graph.nodes[disputer].setdefault("disputes_threads", []).append(iri)
    return dict(sorted(threads.items()))


def claim_time_key(graph: nx.DiGraph, claim: str) -> tuple:
    """Sort key putting claims in publication order: dated first (by date), undated last; ties by document and
    position in it."""
    node = graph.nodes[claim]
    date = node.get("published")
    return (date is None, date or "", node.get("document_label") or "", node.get("begin") or 0, claim)


def _first_date(graph: nx.DiGraph, thread: dict) -> str | None:
    """The date of the thread's first claim, else of its earliest dated member (None: all undated)."""
    if thread["first"] and graph.nodes[thread["first"]].get("published"):
        return graph.nodes[thread["first"]]["published"]
    dates = [graph.nodes[c]["published"] for c in thread["members"] if graph.nodes[c].get("published")]
    return min(dates) if dates else None


def _project_documents(store, graph, ensure_node) -> dict[str, dict]:
    """Document nodes with their comment-on (comment -> parent) and wrote (author -> comment) edges, and each
    document's identifier, publisher, URL and date (``published``; ``undated`` when the data says it is unknown)."""
    documents: dict[str, dict] = {}
    for row in _rows(store, "graph-documents"):
        doc = row["document"]
        ensure_node(doc, DOCUMENT)
        info = documents.setdefault(doc, {"parent": None, "identifier": None, "publisher": None, "url": None,
                                          "published": None, "undated": False})
        for key in ("identifier", "publisher", "url", "published"):
            if row[key] and (info[key] is None or row[key] < info[key]):  # the smallest of several: stable
                info[key] = row[key]
        info["undated"] = info["undated"] or (row["undated"] or "").lower() in ("true", "1")
        if row["parent"]:
            ensure_node(row["parent"], DOCUMENT)
            info["parent"] = row["parent"]
            graph.nodes[doc]["parent"] = row["parent"]
            _add_edge(graph, doc, row["parent"], COMMENT_ON, COMMENT_ON)
        if row["author"]:
            ensure_node(row["author"], COMMENTER)
            _add_edge(graph, row["author"], doc, WROTE, WROTE)
    for doc, info in documents.items():
        node = graph.nodes[doc]
        node.update(published=info["published"], undated=info["undated"] or not info["published"],
                    url=info["url"], publisher=info["publisher"])
        if info["parent"] and node["doc_type"] == "comment" and node["label"] == _local_name(doc):
            # Comments rarely have a name: call them after their author.
            authors = [u for u, _, k in graph.in_edges(doc, data="kind") if k == WROTE]
            if authors:
                node["label"] = f"comment by {graph.nodes[authors[0]]['label']}"
    _name_unknown_publishers(graph, documents)
    return documents


_UNKNOWN_PUBLISHER = "Unknown publisher of "  # the extractor's placeholder name (kg/extract/__init__.py)


def _name_unknown_publishers(graph: nx.DiGraph, documents: dict[str, dict]) -> None:
    """A publisher the input did not name is shown by its article's web domain, else as a short "publisher unknown
    (doc 000_06e6)": the extractor's placeholder repeats the whole document id and reads like a name."""
    published: dict[str, list[dict]] = defaultdict(list)
    for doc in sorted(documents):
        if documents[doc]["publisher"]:
            published[documents[doc]["publisher"]].append(documents[doc])
    for publisher, infos in published.items():
        if publisher not in graph:
            continue
        node = graph.nodes[publisher]
        if not (node["label"].startswith(_UNKNOWN_PUBLISHER) or node["label"] == _local_name(publisher)):
            continue
        domains = sorted({d for d in (url_domain(i["url"]) for i in infos) if d})
        if domains:
            node["label"] = domains[0]
        else:
            ids = sorted(i["identifier"] or "" for i in infos)
            doc_id = ids[0] or node["label"].removeprefix(_UNKNOWN_PUBLISHER)
            node["label"] = f"publisher unknown (doc {doc_id if len(doc_id) <= 14 else doc_id[:8]})"


def url_domain(url: str | None) -> str | None:
    """The host of a web address without "www." ("https://www.example.org/a" -> "example.org")."""
    if not url:
        return None
    try:
        host = urlparse(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _walk_chain(first: str | None, outer: dict[str, list[str]]) -> list[str]:
    """Attribution links from the innermost outward (first branch wins; cycles are cut)."""
    chain, seen, current = [], set(), first
    while current and current not in seen:
        chain.append(current)
        seen.add(current)
        nexts = outer.get(current, [])
        current = nexts[0] if nexts else None
    return chain


def _add_claim(graph, claim_id, row, links, outer, recipients, contexts, documents, ensure_node, label_of) -> None:
    ensure_node(claim_id, CLAIM)
    chain_links = _walk_chain(row["attribution"], outer)
    inner = links.get(chain_links[0]) if chain_links else None
    text = row["text"] or row["anchorText"] or ""
    docs = row["documents"]
    node = graph.nodes[claim_id]
    node.update(
        kind=CLAIM, text=text, label=text or label_of(claim_id),
        cue=inner.cue if inner else None, cue_type=inner.cue_type if inner else None,
        hedge=next((links[a].hedge for a in chain_links if links[a].hedge), None),
        document=docs[0] if docs else None,
        document_label=graph.nodes[docs[0]]["label"] if docs and docs[0] in graph else (label_of(docs[0]) if docs else None),
        begin=_int(row["begin"]), end=_int(row["end"]),
        recipients=sorted({label_of(r) for a in chain_links for r in recipients.get(a, ())}),
    )
    node["segments"] = _claim_segments(row, inner, contexts, node)
    sources = []
    for attribution in chain_links:
        source = links[attribution].source
        if source and (not sources or sources[-1] != source):
            sources.append(source)
    node["chain"] = sources
    for source in sources:
        ensure_node(source)
    if sources:
        cue = (inner.cue if inner else None) or (inner.cue_type if inner else None) or STATES
        _add_edge(graph, sources[0], claim_id, STATES, cue, claim_id)
    previous = claim_id
    for attribution, source in zip(chain_links[1:], sources[1:]):
        link = links[attribution]
        label = f"{RELAYED} ({link.cue or link.hedge})" if (link.cue or link.hedge) else RELAYED
        _add_edge(graph, previous, source, RELAYED, label, claim_id)
        previous = source
    for doc in docs:
        ensure_node(doc, DOCUMENT)
        _add_edge(graph, claim_id, doc, REPORTED, REPORTED, claim_id)
    # Documents a link of the chain was stated in (a cited report) are where the claim was reported too.
    for doc in dict.fromkeys(d for a in chain_links for d in links[a].stated_in):
        if doc not in docs:
            ensure_node(doc, DOCUMENT)
            _add_edge(graph, claim_id, doc, REPORTED, "stated in", claim_id)


def _claim_segments(row, inner: _Link | None, contexts: dict[str, str], node: dict) -> list[list[str]]:
    """The claim's sentence as ``[text, role]`` segments (roles "cue", "claim"), or just the claim text."""
    context = contexts.get(row["context"] or "")
    begin, end = node["begin"], node["end"]
    if context is None or begin is None or end is None or not (0 <= begin < end <= len(context)):
        return [[row["anchorText"] or node["text"], "claim"]]
    spans = {}
    if inner and inner.cue_span and inner.cue_context in (None, row["context"]) and inner.cue_span[1] <= len(context):
        spans["cue"] = inner.cue_span
    spans["claim"] = (begin, end)
    segments, _, _ = sentence_segments(context, spans)
    return segments


# ---------------------------------------------------------------------------------------------------------------
# Chains and filters


def claims(graph: nx.DiGraph) -> list[str]:
    return [n for n, k in graph.nodes(data="kind") if k == CLAIM]


def _edges_of_kind(graph: nx.DiGraph, node: str, kind: str, *, incoming: bool) -> list[str]:
    edges = graph.in_edges(node, data="kinds") if incoming else graph.out_edges(node, data="kinds")
    return [(u if incoming else v) for u, v, kinds in edges if kind in kinds]


def claim_documents(graph: nx.DiGraph, claim: str) -> list[str]:
    """The documents reporting the claim, followed by the items they reply to (a comment's article)."""
    found: list[str] = []
    for doc in _edges_of_kind(graph, claim, REPORTED, incoming=False):
        while doc and doc in graph and doc not in found:
            found.append(doc)
            doc = graph.nodes[doc].get("parent")
    return found


def chain_nodes(graph: nx.DiGraph, claim: str) -> set[str]:
    """The claim's chain: the claim, every source of its attribution chain, the documents reporting it (and the
    items those reply to), and the comments on the documents reporting it."""
    nodes = {claim, *graph.nodes[claim].get("chain", []), *claim_documents(graph, claim)}
    for doc in _edges_of_kind(graph, claim, REPORTED, incoming=False):
        nodes.update(_edges_of_kind(graph, doc, COMMENT_ON, incoming=True))
    return nodes


def _context_nodes(graph: nx.DiGraph, nodes: set[str]) -> set[str]:
    """Nodes that explain the ones kept: organisations of members and affiliates, authors of kept comments."""
    extra = set()
    for node in nodes:
        for _, target, kinds in graph.out_edges(node, data="kinds"):
            if MEMBER in kinds or AFFILIATED in kinds:
                extra.add(target)
        extra.update(_edges_of_kind(graph, node, WROTE, incoming=True))
    return extra


def _matches(graph: nx.DiGraph, node: str, needle: str) -> bool:
    data = graph.nodes[node]
    haystack = [data.get("label", ""), node, *data.get("aliases", [])]
    return any(needle in (text or "").casefold() for text in haystack)


def _claims_matching(graph, *, speaker, organization, document, claim_text) -> list[str]:
    selected = []
    for claim in claims(graph):
        data = graph.nodes[claim]
        chain = data.get("chain", [])
        if speaker and not (chain and _matches(graph, chain[0], speaker.casefold())):
            continue
        if organization:
            needle = organization.casefold()
            orgs = {o for a in chain for _, o, kinds in graph.out_edges(a, data="kinds")
                    if MEMBER in kinds or AFFILIATED in kinds}
            if not any(_matches(graph, n, needle) for n in {*chain, *orgs}):
                continue
        if document and not any(_matches(graph, d, document.casefold()) for d in claim_documents(graph, claim)):
            continue
        if claim_text and claim_text.casefold() not in (data.get("text") or data.get("label", "")).casefold():
            continue
        selected.append(claim)
    return selected


def _importance(graph: nx.DiGraph, claim: str) -> tuple:
    """Sort key for --max-nodes: disputed and long-chained claims first, then by id for a stable result."""
    disputes = len(_edges_of_kind(graph, claim, DISPUTES, incoming=True))
    return (-disputes, -len(graph.nodes[claim].get("chain", [])), claim)


def find_thread(graph: nx.DiGraph, reference: str) -> str:
    """The IRI of the thread named by its IRI (or <IRI>) or by the last segment of it (the 16 hex digits)."""
    threads = graph.graph.get("threads", {})
    wanted = reference.strip().removeprefix("<").removesuffix(">")
    if wanted in threads:
        return wanted
    matches = [iri for iri in threads if _local_name(iri) == wanted]
    if len(matches) == 1:
        return matches[0]
    if not threads:
        raise UserError(f"no thread {reference!r}: the data holds no claim threads")
    raise UserError(f"no thread {reference!r} in the data ({len(threads)} threads; `kg stats` lists them)")


def thread_claims(graph: nx.DiGraph, thread: str) -> list[str]:
    """The thread's members in time order, then the claims disputing it."""
    data = graph.graph.get("threads", {}).get(thread, {})
    return list(dict.fromkeys([*data.get("members", []), *data.get("disputed_by", [])]))


def filter_graph(graph: nx.DiGraph, *, speaker: str | None = None, organization: str | None = None,
                 document: str | None = None, claim: str | None = None, max_nodes: int | None = None,
                 thread: str | None = None) -> nx.DiGraph:
    """The subgraph of the claims matching all given filters (case-insensitive substrings; ``thread`` an IRI as
    ``find_thread`` takes it), their chains, the claims disputing or disputed by them, and context; at most
    ``max_nodes`` nodes (whole chains only)."""
    filtered = any((speaker, organization, document, claim, thread))
    if filtered:
        selected = _claims_matching(graph, speaker=speaker, organization=organization, document=document,
                                    claim_text=claim)
        if thread:
            members = set(thread_claims(graph, find_thread(graph, thread)))
            selected = [c for c in selected if c in members]
        partners = {p for c in selected for p in (_edges_of_kind(graph, c, DISPUTES, incoming=True)
                                                   + _edges_of_kind(graph, c, DISPUTES, incoming=False))}
        selected = list(dict.fromkeys(selected + sorted(partners)))
    else:
        selected = claims(graph)
    if max_nodes is None:
        keep = set() if filtered else set(graph.nodes)
        for c in selected:
            group = chain_nodes(graph, c)
            keep |= group | _context_nodes(graph, group)
        return _without_foreign_chain_edges(graph.subgraph(keep).copy())
    keep: set[str] = set()
    for c in sorted(selected, key=lambda c: _importance(graph, c)):
        group = chain_nodes(graph, c)
        group |= _context_nodes(graph, group)
        if len(keep | group) <= max_nodes:
            keep |= group
    return _without_foreign_chain_edges(graph.subgraph(keep).copy())


def _without_foreign_chain_edges(graph: nx.DiGraph) -> nx.DiGraph:
    """Drop statement and relay edges that belong only to chains of claims left out: between two kept agents
    they would show a relay that no drawn claim took."""
    kept = set(claims(graph))
    foreign = [(u, v) for u, v, d in graph.edges(data=True)
               if d["kind"] in (STATES, RELAYED) and d.get("claims") and not (d["claims"] & kept)]
    graph.remove_edges_from(foreign)
    return graph


# ---------------------------------------------------------------------------------------------------------------
# Statistics


def most_quoted_sources(graph: nx.DiGraph, top: int = 10) -> list[tuple[str, str, int]]:
    """(label, kind, number of claims) of the sources that originate most claims."""
    counts = Counter(graph.nodes[c]["chain"][0] for c in claims(graph) if graph.nodes[c].get("chain"))
    return [(graph.nodes[s]["label"], graph.nodes[s]["kind"], n) for s, n in _top(counts, top)]


def top_relayers(graph: nx.DiGraph, top: int = 10) -> list[tuple[str, str, int]]:
    """(label, kind, number of claims relayed) of the agents that relay others' claims most."""
    counts = Counter(s for c in claims(graph) for s in set(graph.nodes[c].get("chain", [])[1:]))
    return [(graph.nodes[s]["label"], graph.nodes[s]["kind"], n) for s, n in _top(counts, top)]


def longest_chains(graph: nx.DiGraph, top: int = 10) -> list[tuple[int, list[str], str]]:
    """(number of links, source labels innermost first, claim text) of the longest attribution chains."""
    rows = [(len(graph.nodes[c].get("chain", [])), c) for c in claims(graph)]
    rows.sort(key=lambda r: (-r[0], graph.nodes[r[1]]["label"]))
    return [(n, [graph.nodes[s]["label"] for s in graph.nodes[c]["chain"]], graph.nodes[c]["label"])
            for n, c in rows[:top] if n]


def most_disputed_claims(graph: nx.DiGraph, top: int = 10) -> list[tuple[str, int, list[str]]]:
    """(claim text, number of disputing claims, labels of their sources) of the most disputed claims."""
    counts = Counter({c: len(_edges_of_kind(graph, c, DISPUTES, incoming=True)) for c in claims(graph)})
    rows = []
    for claim, n in _top(counts, top):
        if n:
            disputers = _edges_of_kind(graph, claim, DISPUTES, incoming=True)
            sources = [graph.nodes[graph.nodes[d]["chain"][0]]["label"] for d in disputers if graph.nodes[d].get("chain")]
            rows.append((graph.nodes[claim]["label"], n, sources))
    return rows


def _top(counts: Counter, top: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def threads_by_outlets(graph: nx.DiGraph, top: int = 10) -> list[dict]:
    """The threads carried by the most outlets (then documents): thread IRI, label, outlets, documents and the
    first date (None when every member is undated)."""
    rows = [{"thread": iri, "label": t["label"], "outlets": t["outlets"], "documents": t["documents"],
             "first_date": t["first_date"]} for iri, t in graph.graph.get("threads", {}).items()]
    rows.sort(key=lambda r: (-r["outlets"], -r["documents"], r["label"], r["thread"]))
    return rows[:top]


def stats(graph: nx.DiGraph, top: int = 10) -> dict[str, list]:
    """All statistics of ``kg stats`` as plain lists."""
    return {
        "most_quoted_sources": most_quoted_sources(graph, top),
        "top_relayers": top_relayers(graph, top),
        "longest_chains": longest_chains(graph, top),
        "most_disputed_claims": most_disputed_claims(graph, top),
        "threads_by_outlets": threads_by_outlets(graph, top),
    }
