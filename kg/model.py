"""The extraction model: plain frozen dataclasses between spaCy and RDF (no spaCy or rdflib types here)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class AgentKind(str, Enum):
    PERSON = "Person"
    ORGANIZATION = "Organization"
    MEDIA_OUTLET = "MediaOutlet"
    UNNAMED_SOURCE = "UnnamedSource"
    UNNAMED_GROUP = "UnnamedGroup"
    DOCUMENT_SOURCE = "DocumentSource"  # "the memo said": an unnamed source that is a document
    COMMENTER = "Commenter"
    UNRESOLVED = "UnresolvedSpeaker"  # a pronoun whose referent the text does not settle


class CueType(str, Enum):
    ASSERT = "assert"
    REPORT = "report"
    BELIEVE = "believe"
    ALLEGE = "allege"
    DENY = "deny"


class QuoteType(str, Enum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"
    NONE = "none"  # the source speaks in its own voice (narration, a reader's comment)


class Stance(str, Enum):
    CERTAIN = "certain"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    UNDERSPECIFIED = "underspecified"


@dataclass(frozen=True, order=True)
class Span:
    """Characters [start, end) of the article's original text (Python code points)."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")


@dataclass(frozen=True)
class Agent:
    """Anything a claim can be attributed to.

    ``key`` identifies the agent inside one extraction; ``scope`` is None for agents that are the
    same across documents (named people, organisations), the document id for unnamed sources and
    the site for commenters.
    """

    key: str
    name: str
    kind: AgentKind
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    scope: str | None = None


@dataclass(frozen=True)
class Link:
    """One link of an attribution chain: a source presenting content with a cue."""

    source: str  # Agent.key
    cue_type: CueType
    quote_type: QuoteType
    cue: Span | None = None
    source_span: Span | None = None
    recipient: str | None = None  # Agent.key of the addressee ("told the network Z")
    stance: Stance = Stance.CERTAIN
    hedges: tuple[Span, ...] = ()
    stated_in: str | None = None  # id of the Document the source stated it in; None = unseen report
    confidence: float = 0.8


@dataclass(frozen=True)
class Claim:
    """Attributed content at one place of one document; ``chain`` runs innermost source first."""

    content: tuple[Span, ...]  # fragments (a quote interrupted by "he said" has two)
    chain: tuple[Link, ...]
    document: str  # id of the Document (article or comment) whose text holds the content
    confidence: float = 0.8
    disputes: tuple[str, ...] = ()  # refs of claims this one disputes (a reader comment on the article)

    @property
    def ref(self) -> str:
        """Identity of the claim within its article: document and anchor offsets."""
        return f"{self.document}#{self.anchor.start},{self.anchor.end}"

    @property
    def anchor(self) -> Span:
        first, last = self.content[0], self.content[-1]
        return Span(first.start, last.end, "")  # text filled in from the article by the RDF layer

    @property
    def text(self) -> str:
        """The content as readable text: fragments joined, without a leading complementizer."""
        text = " … ".join(fragment.text for fragment in self.content)
        return re.sub(r"^(?:that|whether)\s+", "", text, flags=re.IGNORECASE) or text


@dataclass(frozen=True)
class Membership:
    member: str  # Agent.key
    organization: str  # Agent.key
    role: str | None
    span: Span
    confidence: float = 0.85


@dataclass(frozen=True)
class Refusal:
    """A source that said nothing ("declined to comment", "did not respond to requests for comment", "could not
    be reached"): a fact about the source, not a claim."""

    source: str  # Agent.key
    kind: str  # "declined" | "no-response" | "unreachable"
    content: tuple[Span, ...]  # what the source did not do: "to comment on the fine", "requests for comment"
    document: str  # id of the Document whose text says so
    cue: Span | None = None
    source_span: Span | None = None


@dataclass(frozen=True)
class Affiliation:
    agent: str  # Agent.key
    organization: str  # Agent.key
    how: str  # the wording, e.g. "HTS-linked"
    span: Span
    confidence: float = 0.8


@dataclass(frozen=True)
class Document:
    """An article or a reader comment; comments point at their parent article."""

    id: str
    kind: str  # "article" | "comment"
    span: Span
    author: str | None = None  # Agent.key (commenter) for comments
    parent: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article file."""

    doc_id: str
    identifier: str
    text: str
    title: str | None
    url: str | None
    date: str | None
    publisher: str  # Agent.key
    documents: tuple[Document, ...]
    agents: tuple[Agent, ...]
    claims: tuple[Claim, ...]
    memberships: tuple[Membership, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    extractor_version: str = ""
    warnings: tuple[str, ...] = field(default=())  # the article's, from reading it
    faults: tuple[str, ...] = field(default=())  # pieces the extractor left out after an internal error
    author: str | None = None  # the page's byline, as it states it
    source: str | None = None  # where the text was read from: URL fetched, WARC record URI, file given
    captured: str | None = None  # when a web archive captured the page (WARC-Date)
    date_source: str | None = None  # where ``date`` comes from: page, WARC-Date, given

    def agent(self, key: str) -> Agent:
        for agent in self.agents:
            if agent.key == key:
                return agent
        raise KeyError(key)
