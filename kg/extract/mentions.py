"""Mentions of possible sources (names, pronouns, role nouns, unnamed groups) in article offsets."""
from __future__ import annotations

from dataclasses import dataclass

from kg.extract.lexicon import Lexicon
from kg.extract.names import (PRONOUNS_OTHER, PRONOUNS_PERSON, TITLES, given_name_gender, guess_kind, name_tokens,
                              strip_title)
from kg.extract.tokens import subtree
from kg.model import AgentKind

DEFINITE = {"the", "this", "that", "these", "those"}
# Nouns that make the name right before them an organisation's, whatever label the parser gives it ("the FNV
# union", "the Osprey party"); a team, a firm or a campaign may be a person's ("the Sanders team").
NAMING_ORG_NOUNS = {"party", "union", "militia", "movement"}


@dataclass(frozen=True)
class Mention:
    """A span that may refer to an agent; ``form`` says how it refers."""

    start: int
    end: int
    text: str  # the mention as written
    form: str  # "name" | "pronoun" | "role" | "unnamed" | "group"
    name: str = ""  # the proper name inside it (form "name"), else the head word
    kind: AgentKind | None = None  # best guess from the mention alone
    head: str = ""  # head lemma, lower case
    modifiers: tuple[str, ...] = ()  # names modifying a role noun ("the HTS commander")


def mention_of(span, offset: int, lexicon: Lexicon) -> Mention | None:
    """Classify a spaCy Span (a noun phrase) as a mention; ``offset`` maps it into article offsets."""
    if span is None or len(span) == 0:
        return None
    head = span.root
    start, end = span.start_char + offset, span.end_char + offset
    lower = head.lower_
    if head.pos_ == "PRON" or lower in PRONOUNS_PERSON | PRONOUNS_OTHER:
        return Mention(start, end, span.text, "pronoun", name=lower, head=lower)
    run = _holder_of_title(head, lexicon) or _holder_of_two_titles(head, lexicon) or name_tokens(head)
    described = run is None and head.pos_ == "NOUN"
    run = run or _role_holder_after(span, head, lexicon) or _named_by(span, head) or _organization_before(head)
    if run is not None:
        kind = guess_kind(run, lexicon)
        if described and head.lemma_.lower() not in lexicon.role_nouns:
            kind = AgentKind.ORGANIZATION  # "the militia Kataib Hezbollah": named by a non-person noun
        if kind != AgentKind.MEDIA_OUTLET and _described_as_media(head, lexicon):
            kind = AgentKind.MEDIA_OUTLET
        name = strip_title(run.text)
        return Mention(run.start_char + offset, run.end_char + offset, run.text, "name", name=name,
                       kind=kind, head=head.lemma_.lower())
    lemma = head.lemma_.lower()
    names = tuple(t.text for t in span if t.pos_ == "PROPN" and t.i < head.i)
    determiner = next((t.lower_ for t in span if t.dep_ == "det"), "")
    if lemma in lexicon.role_nouns and head.tag_ != "NNS" and (determiner in DEFINITE or names):
        return Mention(start, end, span.text, "role", name=head.text, head=lemma, modifiers=names)
    form = "group" if head.tag_ in ("NNS", "NNPS") or lower in lexicon.group_nouns else "unnamed"
    return Mention(start, end, span.text, form, name=head.text, head=lemma, modifiers=names)


def _holder_of_title(head, lexicon: Lexicon):
    """The person named in "Director of National Intelligence Owen Pryce", "Secretary of the Treasury Ana
    Ruiz" when the parser made the title the head and the name the object of its "of": the name (two words
    or more, a person entity or opening with a given name; the title's complement cut off by name_tokens),
    not the title."""
    if head.pos_ != "PROPN" or (head.lower_ not in TITLES and head.lemma_.lower() not in lexicon.role_nouns):
        return None
    for preposition in head.children:
        if preposition.dep_ == "prep" and preposition.lower_ in ("of", "for"):
            for name in preposition.children:
                run = name_tokens(name) if name.dep_ == "pobj" else None
                if run is not None and len(run) >= 2 and (run[-1].ent_type_ == "PERSON"
                                                          or given_name_gender(run[0].text)):
                    return run
    return None


def _holder_of_two_titles(head, lexicon: Lexicon):
    """The person in "Former governor and current senator Ana Ruiz" when the parser made the first role noun
    the head and the name its conjunct: a role noun without a determiner, joined to a name that has a role
    noun of its own before it, is one person with two roles ("The governor and Ana Ruiz" stay two)."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in lexicon.role_nouns \
            or any(child.dep_ in ("det", "poss") for child in head.children):
        return None
    for name in head.children:
        if name.dep_ == "conj" and name.pos_ == "PROPN" and any(
                child.dep_ == "compound" and child.i < name.i and child.lemma_.lower() in lexicon.role_nouns
                for child in name.children):
            return name_tokens(name)
    return None


def appositive_holder(span, offset: int, lexicon: Lexicon) -> Mention | None:
    """The named holder of the role a source phrase opens with ("A spokeswoman for Velda Foods, Ana Ruiz,"),
    as a name mention; None when the phrase names no such person."""
    if span is None or len(span) == 0:
        return None
    run = _role_holder_after(span, span.root, lexicon)
    if run is None:
        return None
    return Mention(run.start_char + offset, run.end_char + offset, run.text, "name", name=strip_title(run.text),
                   kind=guess_kind(run, lexicon), head=span.root.lemma_.lower())


def _role_holder_after(span, head, lexicon: Lexicon):
    """The person in "a spokeswoman for Velda Foods, Ana Ruiz," / "the head of the union, Ana Ruiz,": a role noun
    with its organisation after a preposition, then, right after a comma, the holder's name (the parser hangs it on
    the role noun or on the organisation as an apposition). The name must look like a person's (a given name or the
    parser's PERSON); the organisation must not be a role itself ("a spokesman for the governor, Andrew Cuomo":
    Cuomo is the governor, not the spokesman), and nothing may come between the organisation and the comma ("the
    head of the union, who replaced John Smith," names someone else)."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in lexicon.role_nouns:
        return None
    organization = next((child for preposition in head.children if preposition.dep_ == "prep"
                         for child in preposition.children if child.dep_ == "pobj"), None)
    if organization is None or organization.lemma_.lower() in lexicon.role_nouns \
            or organization.ent_type_ == "PERSON":
        return None
    comma = organization.i + 1  # the organisation's head word closes its name ("the Fenwick Workers Union")
    doc = head.doc
    if comma >= len(doc) or doc[comma].text != "," or comma + 1 >= span.end:
        return None
    for token in doc[comma + 1:span.end]:
        if token.dep_ == "appos" and token.head in (head, organization) and token.pos_ == "PROPN":
            run = name_tokens(token)
            if run is not None and len(run) >= 2 and _after_titles(doc, comma + 1, run.start) \
                    and (given_name_gender(run[0].text) or run[-1].ent_type_ == "PERSON"):
                return run
    return None


def _after_titles(doc, start: int, end: int) -> bool:
    """Whether the tokens from ``start`` to ``end`` are only titles ("Colonel", "Dr."), if any."""
    return all(token.lower_.rstrip(".") in TITLES for token in doc[start:end])


def _named_by(span, head):
    """The name in "the militia Kataib Hezbollah" / "the network, Iba'a": a common noun with a name."""
    if head.pos_ != "NOUN":
        return None
    for token in span:
        if token.i > head.i and token.pos_ == "PROPN":
            return name_tokens(token)
    after = head.doc[span.end] if span.end < len(head.doc) else None
    if after is not None and after.i == head.i + 1 and after.pos_ == "PROPN":
        return name_tokens(after)  # the parser often cuts "the channel Sawt al-Shamal" after the noun
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return name_tokens(child)
    return None


def _organization_before(head):
    """The name in "the FNV union", "the Likud party": a name right before a noun that makes it an
    organisation's name. (Not "the Trump campaign", "the Obama administration", nor "the Halden company",
    which stays the unnamed company of that name.)"""
    if head.pos_ != "NOUN" or head.lower_ not in NAMING_ORG_NOUNS:
        return None
    names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == head.i - 1]
    run = name_tokens(names[0]) if names else None
    if run is None:
        return None
    if run.start == head.sent.start and not (run.text.isupper() or run[-1].ent_type_ == "ORG"):
        return None  # "Harbour board: ...": a capital that only opens the sentence
    return run


def _described_as_media(head, lexicon: Lexicon) -> bool:
    """"the news network Iba'a", "Iba'a, a news agency": a media noun describes the name."""
    for token in head.children:
        if token.dep_ in ("compound", "amod", "nmod", "appos") and token.lemma_.lower() in lexicon.media_nouns:
            return True
        if token.dep_ == "appos" and any(t.lemma_.lower() in lexicon.media_nouns for t in subtree(token)):
            return True
    if head.dep_ == "appos" and head.head.lemma_.lower() in lexicon.media_nouns:
        return True  # "the network, Iba'a"
    left = [t for t in head.lefts if t.pos_ in ("NOUN", "PROPN")]
    return any(t.lemma_.lower() in lexicon.media_nouns for t in left)
