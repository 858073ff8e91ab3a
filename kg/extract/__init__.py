"""Extraction: an article and the parses of its parts -> the extraction model (claims, agents, organisations)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlparse

from kg import EXTRACTOR_VERSION
from kg.article import Article, trimmed
from kg.extract import (according, attitudes, coref, headline, memberships, nouncues, organizations, polls,
                        refusals, signoffs, sources, verbcues)
from kg.extract.candidates import Candidate
from kg.extract.faults import Faults
from kg.extract.lexicon import Lexicon, data_lines, load as load_lexicon
from kg.extract.mentions import Mention, appositive_holder, mention_of
from kg.extract.names import NAME_PARTICLES
from kg.extract.quotes import OPENING_MARKS, find_quotes, opens_sentence
from kg.extract.resolve import Resolver
from kg.extract.tokens import doc_text, known_text, positions
from kg.model import (Affiliation, Agent, AgentKind, Claim, CueType, Document, Extraction, Link, Membership,
                      QuoteType, Refusal, Span, Stance)
from kg.names import slug

# A news dateline opening a paragraph: "WASHINGTON (AP) — ", "CAMBRIDGE, Mass., Dec. 11 (UPI) -- ".
# "CAMBRIDGE, Mass., Dec. 11 (UPI) — ", "MACAU (Reuters) – ", "Washington (AFP) – ": where and who, not what
DATELINE = re.compile(r"^(?:[A-Z][A-Z .'’-]{2,}(?:,[^()\n—–]{0,40})?\s*(?:\([A-Za-z .]{1,30}\))?"
                      r"|[A-Z][A-Za-z .'’-]{2,30}(?:,[^()\n—–]{0,40})?\s*\((?:[A-Z]{2,6}|Reuters)\))\s*(?:—|–|--|-)\s+")
# A claim inside another claim's content needs at least the probability a listed cue has with its object
# ("said [critics described the plan as reckless]" stays a report of the critics; see _folds_into).
NESTED_MIN_CONFIDENCE = verbcues.HAND_OBJECT_P
MIN_CONTINUATION_CHARS = 15  # a shorter stray quotation is a scare quote, not a continued statement
STANCE_ORDER = [Stance.CERTAIN, Stance.PROBABLE, Stance.POSSIBLE, Stance.UNDERSPECIFIED]
# spaCy refuses a text over nlp.max_length (1,000,000 characters) and its parser needs about 1 GB per
# 100,000 characters at once, while an article may have 5 MB: a longer part is parsed in pieces of this size
# (no real paragraph comes near it: PolNeAR's longest is a few thousand characters).
MAX_PART_CHARS = 100_000
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s")


@dataclass(frozen=True)
class Part:
    """One separately parsed piece of the article."""

    kind: str  # "headline" | "caption" | "paragraph" | "comment"
    span: Span
    comment: int | None = None  # index into Article.comments


def parts_of(article: Article) -> list[Part]:
    """The pieces to parse, in text order; their texts are what the pipeline feeds to spaCy. A part longer
    than MAX_PART_CHARS is parsed as several pieces (see split_long)."""
    parts = []
    if article.title:
        parts.append(Part("headline", article.title))
    parts.extend(Part("caption", span) for span in article.captions)
    parts.extend(Part("paragraph", span) for span in article.paragraphs)
    for number, comment in enumerate(article.comments):
        parts.extend(Part("comment", span, number) for span in comment.paragraphs)
    if all(part.span.end - part.span.start <= MAX_PART_CHARS for part in parts):
        return parts
    return [Part(part.kind, piece, part.comment) for part in parts for piece in split_long(article.text, part.span)]


def split_long(text: str, span: Span, limit: int | None = None) -> list[Span]:
    """``span`` cut into pieces of at most ``limit`` characters, with offsets into ``text``: after the last
    line break in the second half of each window, else after its last sentence end, else at its last space
    (a hard cut only in a window with no space at all)."""
    limit = limit or MAX_PART_CHARS
    pieces, start = [], span.start
    while start < span.end:
        end = span.end if span.end - start <= limit else _cut(text, start, start + limit)
        piece = trimmed(text, start, end)
        if piece is not None:
            pieces.append(piece)
        start = end
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    low = start + (limit - start) // 2
    line = text.rfind("\n", low, limit)
    if line >= 0:
        return line + 1
    ends = [m.end() for m in SENTENCE_END.finditer(text, low, limit)]
    if ends:
        return ends[-1]
    space = max(text.rfind(" ", low, limit), text.rfind("\t", low, limit))
    return space + 1 if space >= 0 else limit



@dataclass
class _Found:
    """A candidate in article offsets with its mentions, before agents are final."""

    part: Part
    candidate: Candidate
    content: tuple[Span, ...]
    source: Mention | None
    recipient: Mention | None
    hedges: tuple[Span, ...] = ()
    hedge_stance: Stance = Stance.CERTAIN
    source_key: str | None = None
    recipient_key: str | None = None
    source_span: Span | None = None
    source_extent: tuple[int, int] | None = None

    @property
    def position(self) -> int:
        """Where the attribution is in the text: its content, or its cue while the content is pending."""
        return self.content[0].start if self.content else self.part.span.start + self.candidate.cue[0]


def extract(article: Article, docs, *, lexicon: Lexicon | None = None) -> Extraction:
    """The claims, agents, memberships and affiliations of one article, given spaCy Docs of parts_of()."""
    lexicon = lexicon or load_lexicon()
    parts = parts_of(article)
    docs = list(docs)
    if len(docs) != len(parts):
        raise ValueError(f"{len(parts)} parts but {len(docs)} parses")
    text = article.text
    faults = Faults(article.identifier)
    resolver = Resolver(article.doc_id, text, lexicon.role_nouns)
    with faults.isolate("the article's pronouns", 0, len(text)):  # speaker coreference reads the whole body
        resolver.discourse = coref.read([(p.span.start, d) for p, d in zip(parts, docs) if p.kind == "paragraph"],
                                        lexicon)
    memberships, affiliations = _organizations(parts, docs, resolver, lexicon, faults)

    found: list[_Found] = []
    for part, doc in zip(parts, docs):
        # doc_text(doc) is the part's own text, which spares spaCy re-joining it; the parser may have read a
        # title-cased line with its verbs in lower case (kg.extract.headline.for_parser: same length, so the
        # offsets agree), and token.text has that case
        known_text(doc, part.span.text)
        found.extend(_candidates(part, doc, text, lexicon, faults))
    found = _attach_signoffs(found, parts)
    found.sort(key=lambda f: (f.position, f.candidate.cue or (0, 0)))
    _documents_to_authors(found, lexicon)
    found = _resolve_sources(found, resolver, text, faults)

    publisher = _publisher(article, resolver)
    documents, commenters = _documents(article, resolver, publisher)
    mapping = resolver.final_keys()

    def final(key: str | None) -> str | None:
        return mapping.get(key, key) if key else key

    refusal_objs = []
    for item in (f for f in found if refusals.is_refusal(f.candidate)):
        with faults.isolate("a refusal", *_extent(item)):
            refusal_objs.append(_refusal(item, final, article, commenters))
    claims = []
    for item in (f for f in found if not refusals.is_refusal(f.candidate)):
        with faults.isolate("a claim", *_extent(item)):
            claims.append(_claim(item, final, resolver, article, publisher, commenters))
    claims = _nest(claims, asides={_claim_cue(item) for item in found if item.candidate.aside})
    claims += _comment_claims(article, commenters, claims, faults)
    membership_objs = [Membership(final(m), final(o), role, span) for m, o, role, span in memberships]
    with_role = {(m.member, m.organization) for m in membership_objs if m.role}
    # "X of Y" says no role; another mention that says one ("X, the director of Y") makes it redundant
    membership_objs = [m for m in membership_objs if m.role or (m.member, m.organization) not in with_role]
    affiliation_objs = [Affiliation(final(a), final(o), how, span) for a, o, how, span in affiliations]

    used = {link.source for c in claims for link in c.chain} | {link.recipient for c in claims for link in c.chain}
    used |= {m.member for m in membership_objs} | {m.organization for m in membership_objs}
    used |= {a.agent for a in affiliation_objs} | {a.organization for a in affiliation_objs}
    used |= {publisher} | {d.author for d in documents if d.author} | {r.source for r in refusal_objs}
    agents = resolver.agents({final(k) for k in used if k} | used)
    return Extraction(
        doc_id=article.doc_id, identifier=article.identifier, text=text,
        title=article.title.text if article.title else None, url=article.url, date=article.date,
        publisher=final(publisher), documents=tuple(documents), agents=tuple(sorted(agents, key=lambda a: a.key)),
        claims=tuple(_unique(claims)), memberships=tuple(dict.fromkeys(membership_objs)),
        affiliations=tuple(dict.fromkeys(affiliation_objs)), refusals=tuple(dict.fromkeys(refusal_objs)),
        extractor_version=EXTRACTOR_VERSION,
        warnings=article.warnings, author=article.author, source=article.source, captured=article.captured,
        date_source=article.date_source, faults=tuple(faults.warnings))


# ---------------------------------------------------------------- organisations

def _organizations(parts, docs, resolver: Resolver, lexicon: Lexicon, faults: Faults):
    """Register names from defining contexts first, so that later mentions resolve to them."""
    raw_aliases, raw_members, raw_affiliations = [], [], []
    named: list = []  # the organisations named so far, for a role whose organisation was named before
    subject = None  # the organisation the article's first sentence names ("Chief operating officer X" is its)
    first_part = True
    for part, doc in zip(parts, docs):
        if part.kind == "headline":
            continue  # headline capitalisation misleads the parser; its names are matched later
        offset = part.span.start
        earlier = tuple(named)
        organizations_here = None
        with faults.isolate("a part's organisation names", part.span.start, part.span.end):
            organizations_here = memberships.organization_names(doc, lexicon)
            names = memberships.name_spans(organizations_here, offset)
            if first_part and doc.has_annotation("SENT_START"):
                first = next(doc.sents, None)
                subject = next((n for n in names if first is not None and n.end <= first.end_char + offset), None)
            named.extend(names)
        first_part = False
        for found, finder, what in ((raw_aliases, lambda: organizations.acronyms(doc, offset), "its acronyms"),
                                    (raw_members, lambda: memberships.memberships(doc, offset, lexicon, earlier,
                                                                                  subject, organizations_here),
                                     "its memberships"),
                                    (raw_affiliations, lambda: organizations.affiliations(doc, offset, lexicon),
                                     "its affiliations")):
            with faults.isolate(f"a part's organisations ({what})", part.span.start, part.span.end):
                found += finder()
    for alias in raw_aliases:
        with faults.isolate("an acronym", alias.name.start, alias.name.end):
            entry = resolver.add_name(alias.name.text, AgentKind.ORGANIZATION, strong=True, weight=3,
                                      span=(alias.name.start, alias.name.end))
            resolver.add_alias(entry, alias.alias.text)
    members = []
    for m in raw_members:
        with faults.isolate("a membership", m.start, m.end):
            if _names_a_person(resolver, m.organization):
                continue  # "a spokeswoman for Trump", "Trump's attorney": a person's staff, not an organisation's members
            org = resolver.add_name(m.organization.text, AgentKind.ORGANIZATION, strong=True, weight=2,
                                    span=(m.organization.start, m.organization.end))
            member = resolver.add_name(m.member.text, AgentKind.PERSON, strong=True, weight=2,
                                       span=(m.member.start, m.member.end))
            resolver.add_membership(member, org, m.role)
            members.append((resolver.entry_key(member), resolver.entry_key(org), m.role or None,
                            Span(m.start, m.end, resolver.text[m.start:m.end])))
    affiliations = []
    for a in raw_affiliations:
        with faults.isolate("an affiliation", a.start, a.end):
            org = resolver.add_name(a.organization.text, AgentKind.ORGANIZATION, weight=2,
                                    span=(a.organization.start, a.organization.end))
            kind = AgentKind.MEDIA_OUTLET if a.media else AgentKind.ORGANIZATION
            agent = resolver.add_name(a.agent.text, kind, strong=True, weight=2, span=(a.agent.start, a.agent.end))
            affiliations.append((resolver.entry_key(agent), resolver.entry_key(org), a.how,
                                 Span(a.start, a.end, resolver.text[a.start:a.end])))
    return members, affiliations


def _names_a_person(resolver: Resolver, name: Span) -> bool:
    """Whether ``name`` is the surname of a person the article names in full ("Trump" of "Donald Trump", whom a
    given name, a title or a gendered noun makes a person: coref.read)."""
    entity = coref.entity_at(resolver.discourse, name.start, name.end) if resolver.discourse else None
    return entity is not None and entity.kind == "person" and bool(entity.gender) \
        and coref.is_surname_of(name.text, entity.name)


# ---------------------------------------------------------------- candidates

def _candidates(part: Part, doc, text: str, lexicon: Lexicon, faults: Faults) -> list[_Found]:
    """The part's candidates in article offsets; a rule or a candidate that fails is left out alone."""
    offset = part.span.start
    if part.kind == "caption":
        return []
    found: list[_Found] = []
    with faults.isolate("a part's quotations and candidates", part.span.start, part.span.end):
        if part.kind == "headline":
            quotes: list[tuple[int, int]] = []
            rules = [("headline", lambda: headline.headline_claims(doc, lexicon)
                      or headline.source_colon_claim(doc, lexicon))]
        else:
            quotes = find_quotes(doc_text(doc))
            rules = [("cue verbs", lambda: verbcues.cue_verbs(doc, lexicon, quotes)),
                     ("cue nouns", lambda: nouncues.cue_nouns(doc, lexicon, quotes)),
                     ("according to", lambda: according.according_to(doc, quotes)),
                     ("source colon", lambda: headline.source_colon_claim(doc, lexicon, quotes)),
                     ("sign-offs", lambda: signoffs.signed_quotations(doc, quotes)),
                     ("attitude adjectives", lambda: attitudes.attitude_adjectives(doc, lexicon, quotes)),
                     ("poll findings", lambda: polls.poll_findings(doc, lexicon, quotes)),
                     ("refusals", lambda: refusals.unreachable(doc, quotes))]
        raw = []
        for name, rule in rules:
            with faults.isolate(f"a part's candidates ({name} rule)", part.span.start, part.span.end):
                raw += rule()
        candidates = sources.without_other_statements(_deduplicate(raw))
        with faults.isolate("a part's refusals to comment", part.span.start, part.span.end):
            refusals.mark(doc, candidates)
        dateline = DATELINE.match(doc_text(doc))
        for candidate in candidates:
            with faults.isolate("a candidate", *_candidate_extent(candidate, part)):
                item = _placed(candidate, part, doc, text, lexicon, dateline)
                if item is not None:
                    found.append(item)
        covered = [c for f in found for c in f.candidate.content]
        for start, end in quotes:
            if end - start >= MIN_CONTINUATION_CHARS and opens_sentence(doc_text(doc), start) \
                    and not any(s < end and start < e for s, e in covered):
                span = Span(start + offset, end + offset, text[start + offset:end + offset])
                continuation = Candidate(cue_type=CueType.ASSERT, content=[(start, end)],
                                         quote_type=QuoteType.DIRECT, confidence=0.6, rule="continuation")
                found.append(_Found(part, continuation, (span,), None, None))
    return found


def _candidate_extent(candidate: Candidate, part: Part) -> tuple[int, int]:
    """Where a candidate is, in article offsets, for a warning: its cue, else its content, else its part."""
    offset = part.span.start
    where = [span for span in ([candidate.cue] if candidate.cue else []) + list(candidate.content or []) if span]
    if not where:
        return part.span.start, part.span.end
    return min(s for s, _ in where) + offset, max(e for _, e in where) + offset


def _extent(item: _Found) -> tuple[int, int]:
    return _candidate_extent(item.candidate, item.part)


def _placed(candidate: Candidate, part: Part, doc, text: str, lexicon: Lexicon, dateline) -> _Found | None:
    """One candidate in article offsets with its mentions (None when nothing is left of it)."""
    offset = part.span.start
    if dateline:  # "CAMBRIDGE, Mass., Dec. 11 (UPI) — ..." belongs to no statement
        candidate.content = [(max(s, dateline.end()), e) for s, e in candidate.content if e > dateline.end()]
        if not candidate.content:
            return None
    content = tuple(Span(s + offset, e + offset, text[s + offset:e + offset]) for s, e in candidate.content)
    if not content and candidate.rule not in ("colon-open", "signoff-previous"):
        return None
    if dateline and candidate.source is not None and candidate.source.start_char < dateline.end():
        candidate.source = _after(candidate.source, dateline.end())  # the parser took the dateline in
    author = sources.document_author(candidate.source, lexicon.document_nouns)
    if author is not None and part.kind != "headline":
        candidate.source = author  # "A statement e-mailed by X said": X speaks (the phrase stays the source's)
    source = _headline_mention(candidate.source, offset, lexicon) if part.kind == "headline" \
        else appositive_holder(candidate.source_extent, offset, lexicon) or mention_of(candidate.source, offset, lexicon)
    hedges, stance = _hedges(doc, candidate.content, offset, text, lexicon)
    extent = None
    if candidate.source_extent is not None and source is not None:
        start, end = candidate.source_extent.start_char, candidate.source_extent.end_char
        if dateline and start < dateline.end() < end:
            start = candidate.source.start_char
        extent = (start + offset, end + offset)
    return _Found(part, candidate, content, source, mention_of(candidate.recipient, offset, lexicon),
                  hedges, stance, source_extent=extent)


def _documents_to_authors(found: list[_Found], lexicon: Lexicon) -> None:
    """"A report by the budget office said ... The report warned ...": a document named again without its author
    points to the author the text gave it before (the last document with that noun), in text order."""
    authors: dict[str, Mention] = {}
    for item in found:
        phrase = item.candidate.source_extent
        if phrase is None or item.source is None or len(phrase) == 0:
            continue
        noun = phrase.root.lemma_.lower()
        if noun not in lexicon.document_nouns or phrase.root.pos_ != "NOUN":
            continue
        if item.source.form == "name" or item.source.head != noun:
            authors[noun] = item.source  # the document's author is the source ("A statement by X")
        elif noun in authors and any(t.dep_ == "det" and t.lower_ in ("the", "this", "that") for t in phrase):
            item.source = authors[noun]


def _after(span, start_char: int):
    """The part of a spaCy Span from the first token at or after ``start_char`` (None if nothing is left)."""
    first = next((t.i for t in span if t.idx >= start_char), None)
    return span.doc[first:span.end] if first is not None else None


def _deduplicate(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per cue and per content: the most confident rule wins."""
    taken: set = set()
    kept = []
    for candidate in sorted(candidates, key=lambda c: -c.confidence):
        keys = [key for key in (("cue", candidate.cue), ("content", tuple(candidate.content))) if key[1]]
        if any(key in taken for key in keys):
            continue
        taken.update(keys)
        kept.append(candidate)
    return kept


def _headline_mention(span, offset: int, lexicon: Lexicon) -> Mention | None:
    """A title-cased headline source is taken as a name if every word is capitalised."""
    if span is None:
        return None
    words = [t for t in span if t.is_alpha and t.lower_ not in NAME_PARTICLES]
    if words and all(t.text[:1].isupper() for t in words) and span.root.lower_ not in ("it", "they"):
        return Mention(span.start_char + offset, span.end_char + offset, span.text, "name", name=span.text)
    return mention_of(span, offset, lexicon)


def _hedges(doc, spans, offset: int, text: str, lexicon: Lexicon):
    hedges, stance = [], Stance.CERTAIN
    for i in positions(doc, lowers=lexicon.hedge_words):
        token = doc[i]
        cue = lexicon.hedges[token.lower_]
        if any(s <= token.idx < e for s, e in spans):
            start = token.idx + offset
            hedges.append(Span(start, start + len(token), text[start:start + len(token)]))
            stance = max(stance, cue.stance, key=STANCE_ORDER.index)
    return tuple(hedges), stance


def _attach_signoffs(found: list[_Found], parts: list[Part]) -> list[_Found]:
    """A line that is only a signature ("- Ana Ruiz.") signs the quoted paragraph right before it: that
    paragraph becomes its content, instead of continuing the last quoted speaker's statement."""
    index = {part: number for number, part in enumerate(parts)}
    signed = {}
    for item in found:
        if item.candidate.rule != "signoff-previous":
            continue
        number = index[item.part]
        previous = parts[number - 1] if number > 0 else None
        if previous is not None and previous.kind in ("paragraph", "comment") \
                and previous.comment == item.part.comment and previous.span.text.startswith(OPENING_MARKS):
            item.content = (previous.span,)
            signed[previous] = item
    # the signed paragraph's quotation is the signature's claim, not a continuation of someone else's
    return [item for item in found if not (item.candidate.rule == "continuation" and item.part in signed)]


def _resolve_sources(found: list[_Found], resolver: Resolver, text: str, faults: Faults) -> list[_Found]:
    """Resolve sources and recipients in text order, so pronouns see what came before them; a quotation
    that continues the previous quoted statement in the same paragraph joins it as another fragment. A
    quotation opening a paragraph with no cue of its own continues the statement before it (see _continued)."""
    last_quoted: _Found | None = None
    last_statement: _Found | None = None  # the last statement with a cue, quoted or not
    open_colon: _Found | None = None  # "X said:" waiting for the quotation that follows
    kept = []
    for item in found:
        position = item.position
        if item.candidate.rule == "continuation":
            if open_colon is not None and open_colon.part.comment == item.part.comment:
                open_colon.content, open_colon.candidate.quote_type = item.content, QuoteType.DIRECT
                last_quoted, open_colon = open_colon, None
                continue
            # a quotation with no cue of its own continues the statement before it
            speaker = _continued(last_quoted, last_statement)
            if speaker is None or speaker.part.comment != item.part.comment:
                item.source_key = None
            elif speaker.part == item.part and item.content[0].start > speaker.content[-1].end:
                speaker.content = speaker.content + item.content  # “A,” he said. “B.”
                continue
            else:
                item.source_key, item.source_span = speaker.source_key, speaker.source_span
            kept.append(item)
            continue
        open_colon = None
        with faults.isolate("a candidate's source", *_extent(item)):
            if item.source is not None:
                item.source_key = resolver.resolve(item.source, position)
                start, end = item.source_extent or (item.source.start, item.source.end)
                item.source_span = Span(start, end, text[start:end])
            if item.recipient is not None:
                item.recipient_key = resolver.resolve(item.recipient, position)
            open_colon = item if item.candidate.rule == "colon-open" else None
            kept.append(item)
            if item.candidate.quote_type in (QuoteType.DIRECT, QuoteType.MIXED) and item.source_key and item.content:
                last_quoted = item
            if _states(item) and not _inside_content(item, last_statement):
                last_statement = item
    return [item for item in kept if item.content]  # a colon that no quotation followed says nothing


def _continued(last_quoted: _Found | None, last_statement: _Found | None) -> _Found | None:
    """The statement a quotation without a cue continues: the last quoted one, unless a later paragraph made
    a statement without quotation marks ("The mayor said that the pier would close. ¶ “It needs a new
    deck.”": the mayor goes on). Within one paragraph the quoted statement keeps it: "“...,” said Ana Ruiz,
    who said she would march. ¶ “...”" is Ana Ruiz again, not what her relative clause reports."""
    if last_statement is None or last_quoted is not None and (last_quoted.part == last_statement.part
                                                              or last_quoted.position > last_statement.position):
        return last_quoted
    return last_statement


def _states(item: _Found) -> bool:
    """Whether a resolved candidate is a statement a following quotation can continue: one with a speaker and
    a cue in the body (a headline is the article's title, a refusal to comment says nothing to go on with)."""
    return bool(item.source_key and item.content and item.candidate.cue is not None
                and item.part.kind != "headline" and not refusals.is_refusal(item.candidate))


def _inside_content(item: _Found, statement: _Found | None) -> bool:
    """Whether ``item``'s cue lies inside ``statement``'s content ("X said [Y claimed Z]"): a report inside a
    report, which a quotation after them does not continue."""
    if statement is None or statement.part.comment != item.part.comment:
        return False
    start = item.part.span.start + item.candidate.cue[0]
    return any(span.start <= start < span.end for span in statement.content)


# ---------------------------------------------------------------- documents and chains

def _publisher(article: Article, resolver: Resolver) -> str:
    """The article's publisher: named when known, else an explicit unknown publisher of this document."""
    if article.publisher:
        entry = resolver.add_name(article.publisher, AgentKind.MEDIA_OUTLET, strong=True, weight=5)
        return resolver.entry_key(entry)
    return resolver.scoped_agent(Agent(
        f"publisher:{article.doc_id}", f"Unknown publisher of {article.identifier}", AgentKind.MEDIA_OUTLET,
        scope=article.doc_id))


def _site(article: Article) -> str:
    """Commenter names are unique only per site: the publisher, else the URL's host, else this document."""
    if article.publisher:
        return slug(article.publisher)
    if article.url:
        host = urlparse(article.url).hostname
        if host:
            return slug(host.removeprefix("www."))
    return f"publisher-of-{article.doc_id}"


def _documents(article: Article, resolver: Resolver, publisher: str):
    body = article.body or Span(0, len(article.text), "")
    documents = [Document(article.doc_id, "article", Span(body.start, body.end, article.text[body.start:body.end]))]
    commenters = {}
    site = _site(article)
    for number, comment in enumerate(article.comments):
        doc_id = f"{article.doc_id}/comment/{number + 1}"
        name = comment.author.text
        key = resolver.scoped_agent(Agent(f"commenter:{site}:{slug(name)}-{_short_hash(name)}", name,
                                          AgentKind.COMMENTER, mentions=(comment.author,), scope=site))
        body = comment.body
        documents.append(Document(doc_id, "comment", Span(body.start, body.end, article.text[body.start:body.end]),
                                  author=key, parent=article.doc_id))
        commenters[number] = (doc_id, key)
    return documents, commenters


def _short_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def _claim(item: _Found, final, resolver: Resolver, article: Article, publisher: str, commenters) -> Claim:
    candidate = item.candidate
    source = final(item.source_key) or resolver.scoped_agent(Agent(
        f"unnamed:{article.doc_id}:unspecified", "Unspecified source", AgentKind.UNNAMED_SOURCE,
        scope=article.doc_id))
    writer_hedged = candidate.rule == "according"
    cue = Span(candidate.cue[0] + item.part.span.start, candidate.cue[1] + item.part.span.start,
               article.text[candidate.cue[0] + item.part.span.start:candidate.cue[1] + item.part.span.start]) \
        if candidate.cue else None
    recipient = final(item.recipient_key)
    chain = [Link(source=source, cue_type=candidate.cue_type, quote_type=candidate.quote_type, cue=cue,
                  source_span=item.source_span, recipient=recipient,
                  stance=candidate.stance if writer_hedged else max(candidate.stance, item.hedge_stance,
                                                                     key=STANCE_ORDER.index),
                  hedges=() if writer_hedged else item.hedges, confidence=candidate.confidence)]
    if recipient and _is_outlet(resolver, item.recipient_key):
        # "told the network Z that ...": Z's (unseen) report is the next link of the chain
        chain.append(Link(source=recipient, cue_type=CueType.REPORT, quote_type=QuoteType.INDIRECT,
                          stance=Stance.UNDERSPECIFIED, confidence=0.7))
    if item.part.comment is not None:
        document, commenter = commenters[item.part.comment]
        chain.append(Link(source=commenter, cue_type=CueType.ASSERT, quote_type=QuoteType.INDIRECT,
                          stated_in=document, confidence=0.9))
    else:
        document = article.doc_id
        chain.append(Link(source=final(publisher), cue_type=CueType.REPORT, quote_type=candidate.quote_type,
                          stated_in=document, hedges=item.hedges if writer_hedged else (),
                          stance=item.hedge_stance if writer_hedged else Stance.CERTAIN, confidence=0.95))
    return Claim(content=item.content, chain=tuple(chain), document=document, confidence=candidate.confidence)


def _claim_cue(item: _Found) -> tuple[int, int] | None:
    """A found candidate's cue in article offsets, as its claim's cue Span has it."""
    cue = item.candidate.cue
    return (cue[0] + item.part.span.start, cue[1] + item.part.span.start) if cue else None


def _refusal(item: _Found, final, article: Article, commenters) -> Refusal:
    """"X declined to comment": who said nothing, where the text says so."""
    start, end = (c + item.part.span.start for c in item.candidate.cue)
    source = final(item.source_key)
    if source is None:
        raise ValueError("a refusal without a source")
    document = commenters[item.part.comment][0] if item.part.comment is not None else article.doc_id
    return Refusal(source=source, kind=refusals.kind_of(item.candidate), content=item.content, document=document,
                   cue=Span(start, end, article.text[start:end]), source_span=item.source_span)


def _nest(claims: list[Claim], asides: set[tuple[int, int]] = frozenset()) -> list[Claim]:
    """Hearsay of hearsay: "X said that Y claimed Z" is Z from Y, relayed by X, then by the article.

    A claim whose cue lies inside another claim's content is relayed by that claim's chain instead of
    directly by the document; outer claims are settled first, so chains nest to any depth. A claim whose cue
    is in ``asides`` (article offsets: the writer's relative clause, "the plan, which the mayor called
    reckless") is the document's own even inside another claim's content, where like any claim there it
    needs a cue likely enough to stand alone.
    """
    order = sorted(range(len(claims)), key=lambda i: -(claims[i].anchor.end - claims[i].anchor.start))
    settled: dict[int, Claim] = {}
    for i in order:
        claim = claims[i]
        cue = claim.chain[0].cue
        outer = None
        if cue is not None:
            containing = [settled[j] for j in settled if settled[j].document == claim.document
                          and any(f.start <= cue.start and cue.end <= f.end for f in settled[j].content)
                          and settled[j].anchor.start <= claim.anchor.start
                          and claim.anchor.end <= settled[j].anchor.end]
            outer = min(containing, key=lambda c: c.anchor.end - c.anchor.start, default=None)
        if outer is not None and (cue.start, cue.end) in asides:
            if claim.chain[0].confidence < NESTED_MIN_CONFIDENCE:
                continue
        elif outer is not None:
            if _folds_into(claim, outer):
                continue
            claim = replace(claim, chain=claim.chain[:-1] + outer.chain)
        settled[i] = claim
    return [settled[i] for i in range(len(claims)) if i in settled]


def _folds_into(inner: Claim, outer: Claim) -> bool:
    """Whether a claim found inside another claim's content is part of that claim rather than a report of
    its own: the same speaker's stance ("X said [he believes Y]": X does not relay X), or a cue less
    likely than a listed cue with its object (inside reported words, "want", "show", "expect" are far
    more often what was said than who said it: on held-out PolNeAR train articles, 18 % of such nested
    candidates were annotated attributions against 79 % of top-level ones)."""
    source = inner.chain[0].source
    return (source is not None and source == outer.chain[0].source) or \
        inner.chain[0].confidence < NESTED_MIN_CONFIDENCE


def _is_outlet(resolver: Resolver, key: str | None) -> bool:
    if not key or not key.startswith("entry:"):
        return False
    return resolver._kind(int(key.split(":")[1])) == AgentKind.MEDIA_OUTLET


def _comment_claims(article: Article, commenters, article_claims: list[Claim], faults: Faults) -> list[Claim]:
    """Every reader comment is a claim by its commenter; disputing ones point at what they dispute."""
    claims = []
    disputable = [c for c in article_claims if c.document == article.doc_id]
    for number, comment in enumerate(article.comments):
        with faults.isolate("a reader comment's claim", comment.body.start, comment.body.end):
            claims.append(_comment_claim(article, commenters, number, comment, disputable))
    return claims


def _comment_claim(article: Article, commenters, number: int, comment, disputable: list[Claim]) -> Claim:
    document, commenter = commenters[number]
    body = comment.body
    span = Span(body.start, body.end, article.text[body.start:body.end])
    disputes = _disputed(span.text, disputable)
    return Claim(content=(span,), chain=(Link(source=commenter, cue_type=CueType.ASSERT, quote_type=QuoteType.NONE,
                                              stated_in=document, confidence=0.95),),
                 document=document, confidence=0.95, disputes=disputes)


@lru_cache(maxsize=1)
def _dispute_pattern() -> re.Pattern:
    words = sorted(data_lines("dispute_words.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def _disputed(comment: str, claims: list[Claim]) -> tuple[str, ...]:
    """The article claim a disputing comment most likely targets (most shared content words)."""
    if not claims or not _dispute_pattern().search(comment):
        return ()
    words = set(re.findall(r"\w{4,}", comment.lower()))
    best = max(claims, key=lambda c: (len(words & set(re.findall(r"\w{4,}", c.text.lower()))), -c.anchor.start))
    return (best.ref,)


def _unique(claims: list[Claim]) -> list[Claim]:
    seen, unique = set(), []
    for claim in claims:
        key = (claim.document, claim.anchor.start, claim.anchor.end, claim.chain[0].source)
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique
