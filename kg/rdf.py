"""Extraction model -> RDF quads (pyoxigraph terms) in one named graph per document, with stable IRIs."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import pyoxigraph as ox

from kg.model import AgentKind, Claim, CueType, Extraction, Link, Refusal, Span
from kg.names import slug


class Namespace:
    """``NS.term`` and ``NS["term"]`` give NamedNodes, as rdflib's Namespace does."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = ox.NamedNode(self.base + name)
        setattr(self, name, node)  # built once: the RDF step asks for the same terms ~100k times per 100 articles
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + name)


CKG = Namespace("https://w3id.org/claimkg#")
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")  # an xsd:dateTime
CKGV = Namespace("https://w3id.org/claimkg/vocab/")
ID = Namespace("https://w3id.org/claimkg/id/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("http://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

PREFIXES = {
    "ckg": CKG.base, "ckgv": CKGV.base, "prov": PROV.base, "schema": SCHEMA.base, "org": ORG.base,
    "nif": NIF.base, "skos": SKOS.base, "dcterms": DCTERMS.base, "foaf": FOAF.base, "xsd": XSD.base,
    "claim": ID.base + "claim/", "att": ID.base + "att/", "person": ID.base + "person/",
    "orgid": ID.base + "org/", "doc": ID.base + "doc/",
}

KIND_CLASS = {
    AgentKind.PERSON: CKG.Person, AgentKind.ORGANIZATION: CKG.Organization,
    AgentKind.MEDIA_OUTLET: CKG.MediaOutlet, AgentKind.UNNAMED_SOURCE: CKG.UnnamedSource,
    AgentKind.UNNAMED_GROUP: CKG.UnnamedGroup, AgentKind.COMMENTER: CKG.Commenter,
    AgentKind.DOCUMENT_SOURCE: CKG.DocumentSource,
    AgentKind.UNRESOLVED: CKG.UnresolvedSpeaker,
}
NEGATIVE_CUES = (CueType.DENY,)


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


@lru_cache(maxsize=4096)
def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.nonNegativeInteger)


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=XSD.decimal)


# ---------------------------------------------------------------- IRIs

def graph_iri(doc_id: str, extractor_version: str) -> ox.NamedNode:
    return ID[f"graph/{doc_id}/{extractor_version}"]


def document_iri(document_id: str) -> ox.NamedNode:
    return ID[f"doc/{document_id}"]


def agent_iri(key: str) -> ox.NamedNode:
    """Agent keys from the extractor -> IRIs: named agents are global, unnamed ones document-scoped."""
    family, _, rest = key.partition(":")
    if family == "person":
        return ID[f"person/{rest}"]
    if family == "org":
        return ID[f"org/{rest}"]
    if family == "publisher":
        return ID[f"org/publisher-of-{rest}"]
    if family == "unnamed":
        doc_id, _, name = rest.partition(":")
        return ID[f"group/{doc_id}/{name}"]
    if family == "unresolved":  # a pronoun nobody named fits: scoped to its document like unnamed sources
        doc_id, _, name = rest.partition(":")
        return ID[f"unresolved/{doc_id}/{name}"]
    if family == "commenter":
        site, _, name = rest.partition(":")
        return ID[f"commenter/{site}/{name}"]
    raise ValueError(f"unknown agent key {key!r}")


def claim_iri(claim: Claim) -> ox.NamedNode:
    return ID[f"claim/{_hash(claim.ref)}"]


def claim_iri_for_ref(ref: str) -> ox.NamedNode:
    return ID[f"claim/{_hash(ref)}"]


class _Builder:
    """Collects the quads of one extraction into its document graph."""

    def __init__(self, extraction: Extraction):
        self.x = extraction
        self.graph = graph_iri(extraction.doc_id, extraction.extractor_version)
        self.quads: list[ox.Quad] = []
        self.context = ID[f"text/{extraction.doc_id}#char=0,{len(extraction.text)}"]
        self.spans: set[tuple[int, int]] = set()

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(s, p, o, self.graph))

    def span(self, span: Span) -> ox.NamedNode:
        iri = ID[f"text/{self.x.doc_id}#char={span.start},{span.end}"]
        if (span.start, span.end) not in self.spans:
            self.spans.add((span.start, span.end))
            self.add(iri, RDF.type, CKG.TextSpan)
            self.add(iri, NIF.beginIndex, _integer(span.start))
            self.add(iri, NIF.endIndex, _integer(span.end))
            self.add(iri, NIF.anchorOf, _text(self.x.text[span.start:span.end]))
            self.add(iri, NIF.referenceContext, self.context)
        return iri


def extraction_quads(extraction: Extraction) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The document's named graph IRI and every quad of the extraction (all inside that graph)."""
    b = _Builder(extraction)
    x = extraction
    run = ID[f"run/{x.extractor_version}/{x.doc_id}/{_hash(x.text)}"]
    extractor = ID[f"extractor/{x.extractor_version}"]
    b.add(b.graph, RDF.type, PROV.Bundle)
    b.add(b.graph, DCTERMS.source, document_iri(x.doc_id))
    b.add(b.graph, PROV.wasGeneratedBy, run)
    b.add(run, RDF.type, CKG.ExtractionRun)
    b.add(run, PROV.wasAssociatedWith, extractor)
    b.add(extractor, RDF.type, CKG.Extractor)
    b.add(extractor, SCHEMA.name, _text("claimgraph rule-based attribution extractor"))
    b.add(extractor, SCHEMA.softwareVersion, _text(x.extractor_version))
    b.add(b.context, RDF.type, NIF.Context)
    b.add(b.context, NIF.beginIndex, _integer(0))
    b.add(b.context, NIF.endIndex, _integer(len(x.text)))
    b.add(b.context, NIF.isString, _text(x.text))
    _documents(b)
    for agent in x.agents:
        iri = agent_iri(agent.key)
        b.add(iri, RDF.type, KIND_CLASS[agent.kind])
        b.add(iri, SCHEMA.name, _text(agent.name))
        for alias in agent.aliases:
            b.add(iri, SCHEMA.alternateName, _text(alias))
        if agent.kind == AgentKind.COMMENTER:
            b.add(iri, FOAF.nick, _text(agent.name))
        if agent.kind == AgentKind.DOCUMENT_SOURCE:
            b.add(iri, RDF.type, CKG.UnnamedSource)  # (queries over sources list the classes they take)
    for claim in x.claims:
        _claim(b, claim, run)
    for membership in x.memberships:
        member, organization = agent_iri(membership.member), agent_iri(membership.organization)
        iri = ID[f"membership/{_hash(membership.member, membership.organization, membership.role)}"]
        b.add(iri, RDF.type, ORG.Membership)
        b.add(iri, ORG.member, member)
        b.add(iri, ORG.organization, organization)
        b.add(iri, PROV.wasDerivedFrom, document_iri(x.doc_id))
        b.add(iri, CKG.anchor, b.span(membership.span))
        b.add(iri, CKG.confidence, _decimal(membership.confidence))
        b.add(member, ORG.memberOf, organization)
        if membership.role:
            role = ID[f"role/{slug(membership.role)}"]
            b.add(iri, ORG.role, role)
            b.add(role, RDF.type, ORG.Role)
            b.add(role, SKOS.prefLabel, ox.Literal(membership.role, language="en"))
    for affiliation in x.affiliations:
        b.add(agent_iri(affiliation.agent), CKG.affiliatedWith, agent_iri(affiliation.organization))
    for refusal in x.refusals:
        _refusal(b, refusal, run)
    return b.graph, _unique(b.quads)


def _documents(b: _Builder) -> None:
    x = b.x
    for document in x.documents:
        iri = document_iri(document.id)
        if document.kind == "article":
            b.add(iri, RDF.type, CKG.NewsArticle)
            b.add(iri, DCTERMS.identifier, _text(x.identifier))
            b.add(iri, SCHEMA.publisher, agent_iri(x.publisher))
            if x.title:
                b.add(iri, SCHEMA.headline, _text(x.title))
            if x.url:
                b.add(iri, SCHEMA.url, ox.Literal(x.url, datatype=XSD.anyURI))
            published = publication_date(x.date)
            if published is not None:
                b.add(iri, SCHEMA.datePublished, published)
            else:  # said to be undated, never guessed; a date we cannot read is kept as it was written
                b.add(iri, CKG.undated, ox.Literal("true", datatype=XSD.boolean))
                if x.date:
                    b.add(iri, DCTERMS.date, _text(x.date))
            if x.date_source:
                b.add(iri, CKG.dateSource, _text(x.date_source))
            if x.author:
                b.add(iri, CKG.byline, _text(x.author))
            if x.source:
                b.add(iri, CKG.retrievedFrom, _text(x.source))
            if x.captured:
                b.add(iri, CKG.capturedAt, ox.Literal(x.captured, datatype=XSD.dateTime)
                      if DATE_TIME.match(x.captured) else _text(x.captured))
        else:
            b.add(iri, RDF.type, CKG.Comment)
            b.add(iri, SCHEMA.author, agent_iri(document.author))
            b.add(iri, SCHEMA.parentItem, document_iri(document.parent))
        b.add(iri, CKG.anchor, b.span(document.span))


def _claim(b: _Builder, claim: Claim, run: ox.NamedNode) -> None:
    iri = claim_iri(claim)
    anchor = Span(claim.anchor.start, claim.anchor.end, "")
    b.add(iri, RDF.type, CKG.Claim)
    b.add(iri, SCHEMA.text, _text(claim.text))
    b.add(iri, CKG.anchor, b.span(anchor))
    b.add(iri, CKG.reportedIn, document_iri(claim.document))
    b.add(iri, PROV.wasGeneratedBy, run)
    b.add(iri, CKG.confidence, _decimal(claim.confidence))
    b.add(iri, PROV.wasAttributedTo, agent_iri(claim.chain[0].source))
    for ref in claim.disputes:
        b.add(iri, CKG.disputes, claim_iri_for_ref(ref))
    links = [ID[f"att/{_hash(claim.ref, depth)}"] for depth in range(len(claim.chain))]
    b.add(iri, CKG.hasAttribution, links[0])
    for depth, (link, node) in enumerate(zip(claim.chain, links)):
        _link(b, link, node, depth)
        # Materialised so that the chains query is a plain join: walking relayedBy+ and counting the
        # links before each one cost seconds at 1M quads. Links are never shared between claims
        # (their IRIs hash the claim's ref), so both values are fixed at generation time.
        b.add(node, CKG.attributionOf, iri)
        b.add(node, CKG.chainDepth, _integer(depth))
        if depth + 1 < len(links):
            b.add(node, CKG.relayedBy, links[depth + 1])


def _refusal(b: _Builder, refusal: Refusal, run: ox.NamedNode) -> None:
    """"X declined to comment": a ckg:Refusal by the source, anchored on what was refused."""
    first, last = refusal.content[0], refusal.content[-1]
    iri = ID[f"refusal/{_hash(refusal.document, first.start, last.end)}"]
    b.add(iri, RDF.type, CKG.Refusal)
    b.add(iri, CKG.refusedBy, agent_iri(refusal.source))
    b.add(iri, CKG.refusalKind, CKGV[f"refusal-{refusal.kind}"])
    b.add(iri, CKG.anchor, b.span(Span(first.start, last.end, "")))
    b.add(iri, SCHEMA.text, _text(" … ".join(span.text for span in refusal.content)))
    b.add(iri, CKG.reportedIn, document_iri(refusal.document))
    b.add(iri, PROV.wasGeneratedBy, run)
    if refusal.cue is not None:
        b.add(iri, CKG.cueText, _text(refusal.cue.text))
        b.add(iri, CKG.cueAnchor, b.span(refusal.cue))
    if refusal.source_span is not None:
        b.add(iri, CKG.sourceAnchor, b.span(refusal.source_span))


def _link(b: _Builder, link: Link, node: ox.NamedNode, depth: int) -> None:
    b.add(node, RDF.type, CKG.Attribution)
    b.add(node, CKG.source, agent_iri(link.source))
    b.add(node, CKG.cueType, CKGV[f"cue-{link.cue_type.value}"])
    b.add(node, CKG.quoteType, CKGV[f"quote-{link.quote_type.value}"])
    b.add(node, CKG.stance, CKGV[f"stance-{link.stance.value}"])
    b.add(node, CKG.polarity, CKGV["polarity-negative" if link.cue_type in NEGATIVE_CUES else "polarity-positive"])
    b.add(node, CKG.confidence, _decimal(link.confidence))
    if link.cue is not None:
        b.add(node, CKG.cueText, _text(link.cue.text))
        b.add(node, CKG.cueAnchor, b.span(link.cue))
    if link.source_span is not None:
        b.add(node, CKG.sourceAnchor, b.span(link.source_span))
    for hedge in link.hedges:
        b.add(node, CKG.hedge, _text(hedge.text))
    if link.recipient:
        b.add(node, CKG.recipient, agent_iri(link.recipient))
    if link.stated_in:
        b.add(node, CKG.statedIn, document_iri(link.stated_in))
    elif depth > 0:
        # an outlet's report that the article cites but that is not itself in the input
        report = ID[f"report/{b.x.doc_id}/{agent_iri(link.source).value.rsplit('/', 1)[-1]}"]
        b.add(node, CKG.statedIn, report)
        b.add(report, RDF.type, CKG.Report)
        b.add(report, SCHEMA.publisher, agent_iri(link.source))
        b.add(report, PROV.wasAttributedTo, agent_iri(link.source))
        b.add(document_iri(b.x.doc_id), PROV.wasDerivedFrom, report)


ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$")
WRITTEN_DATES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


def publication_date(text: str | None) -> ox.Literal | None:
    """A publication date as xsd:date (ISO dates and datetimes, "May 4, 2016", "4 May 2016"), or None."""
    from datetime import date, datetime

    if not text:
        return None
    text = " ".join(text.split())
    match = ISO_DATE.match(text)
    if match:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
        return ox.Literal(day.isoformat(), datatype=XSD.date)
    for pattern in WRITTEN_DATES:
        try:
            return ox.Literal(datetime.strptime(text, pattern).date().isoformat(), datatype=XSD.date)
        except ValueError:
            continue
    return None


def _unique(quads: list[ox.Quad]) -> list[ox.Quad]:
    return list(dict.fromkeys(quads))


def serialize(quads, rdf_format: ox.RdfFormat, output=None) -> bytes | None:
    """Quads in a dataset format; for Turtle and other triple formats the graph names are dropped."""
    if rdf_format.supports_datasets:
        return ox.serialize(quads, output, rdf_format, prefixes=PREFIXES if rdf_format != ox.RdfFormat.N_QUADS else None)
    triples = dict.fromkeys(q.triple for q in quads)
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, output, rdf_format, prefixes=prefixes)
