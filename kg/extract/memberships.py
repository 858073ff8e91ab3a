"""Memberships in a parse: who holds which role in which organisation, in the forms news writes them."""
from __future__ import annotations

from dataclasses import dataclass

from kg.extract.lexicon import Lexicon
from kg.extract.names import TITLES, guess_kind, name_tokens
from kg.extract.organizations import NameSpan, RawMembership, name_span
from kg.model import AgentKind
from kg.names import normalize

# Prepositions after a role noun that name its organisation ("spokesman for Y", "analyst at Y", "head of Y");
# "in" only before an organisation's own name ("a commander in the Southern Brigades", not "in Geneva").
ROLE_PREPOSITIONS = ("of", "for", "at", "with", "to", "from")
# "X of Y" with no role noun: "Tom Becker of the Alpine Rescue Service".
NAME_PREPOSITIONS = ("of", "at", "from")
# Words that make part of a role phrase however they are capitalised ("Senior vice president X").
ROLE_MODIFIERS = frozenset({"senior", "junior", "vice", "deputy", "chief", "executive", "assistant", "acting",
                            "interim", "associate", "general", "managing", "lead", "principal", "former",
                            "co", "head", "press", "operating", "financial", "technology", "medical"})
# Entity labels of places: a place before a role says where, not for whom ("the Tel Aviv bureau chief").
PLACE_LABELS = ("GPE", "LOC", "FAC", "NORP")
ORG_KINDS = (AgentKind.ORGANIZATION, AgentKind.MEDIA_OUTLET)
NAME_RUNS_KEY = "kg.memberships.name_runs"


@dataclass(frozen=True)
class _Role:
    """A role phrase found beside a person's name, before its organisation is settled."""

    words: str  # the role as written, lower case, without the organisation's words
    tokens: tuple  # the phrase's tokens (for the membership's span)
    organization: object | None = None  # a spaCy Span naming the organisation, when the phrase names it
    reference: str | None = None  # "its", "the company's", "union spokesman": the noun (or "its") that refers
    # a bare title before a name in lower case or opening the sentence ("Chief operating officer X"), which may
    # take the organisation the article is about; not a formal title ("President X") nor an apposition
    # ("X, the ousted president"), which say nothing of an organisation named nearby
    bare_title: bool = False


def memberships(doc, offset: int, lexicon: Lexicon, earlier: tuple[NameSpan, ...] = (),
                subject: NameSpan | None = None, organizations: list | None = None) -> list[RawMembership]:
    """Every (person, role, organisation) the part states: "X, a spokesman for Y", "Y spokeswoman X", "Y's
    director, X", "the head of Y, X", "X, who heads Y", "X of Y", and a role whose organisation the article
    named before ("Its treasurer, X", "Chief operating officer X" after a sentence about the company).
    ``earlier`` are the organisations named in the article's earlier parts, ``subject`` the one its first
    sentence names, ``organizations`` this part's (organization_names, when the caller has them)."""
    if organizations is None:
        organizations = organization_names(doc, lexicon)
    found: dict[tuple, RawMembership] = {}
    for person in _people(doc, lexicon):
        for role in _roles_of(person, lexicon):
            organization = role.organization
            if organization is None:
                organization = _referred(person, role, organizations, earlier, subject, lexicon)
            if organization is None:
                continue
            normal = lexicon.membership_role(role.words) if role.words else ("", False)
            if normal is None:
                continue
            spans = [(t.idx, t.idx + len(t)) for t in role.tokens] + [(person.start_char, person.end_char)]
            if isinstance(organization, NameSpan):
                org_name = organization
            else:
                organization = _without_type_noun(organization, lexicon)
                org_name = name_span(organization, offset)
                spans.append((organization.start_char, organization.end_char))
            membership = RawMembership(name_span(person, offset), org_name, normal[0],
                                       min(s for s, _ in spans) + offset, max(e for _, e in spans) + offset)
            found.setdefault((membership.member.start, normalize(org_name.text), membership.role), membership)
    return list(found.values())


def organization_names(doc, lexicon: Lexicon) -> list:
    """The names of organisations in a parse, in text order: names that look like an organisation's (entity
    label, organisation words, acronyms) and names a common noun for an organisation follows ("the FNV union")."""
    found = {}
    for run in _name_runs(doc):
        run = _whole_name(run, lexicon)
        if run.start in found or any(run.start < start <= run.end for start in found):
            continue
        following = doc[run.end] if run.end < len(doc) else None
        typed = following is not None and following.lower_ in lexicon.org_nouns and following.pos_ == "NOUN"
        worded = bool({t.lower_ for t in run} & lexicon.org_words)
        labelled = guess_kind(run, lexicon) in ORG_KINDS and run[-1].ent_type_ not in PLACE_LABELS + ("PERSON",)
        if typed or worded or labelled or _called_it(run):
            found[run.start] = run
    return [found[start] for start in sorted(found)]


def _called_it(run) -> bool:
    """"Fenwick Mills closed its last factory", "Northwind said that it would ...": a name its own clause refers
    to as "it" names an organisation, whatever label the parser gave it (people are not "it")."""
    head = _run_head(run)
    if head.dep_ not in ("nsubj", "nsubjpass") or head.head.pos_ not in ("VERB", "AUX"):
        return False
    verb = head.head
    return any(t.lower_ in ("its", "itself") or t.lower_ == "it" and t.dep_ in ("nsubj", "nsubjpass")
               for t in verb.subtree if not run.start <= t.i < run.end)


def name_spans(runs, offset: int) -> list[NameSpan]:
    """Name runs in article offsets, for the parts that follow."""
    return [name_span(run, offset) for run in runs]


# ---------------------------------------------------------------- people and their role phrases

def _people(doc, lexicon: Lexicon) -> list:
    """Name runs that can be a person's: not an organisation's words, not an acronym, not a date. (Places are
    kept: the parser labels many invented names places, and a role beside a name says it is a person's.)"""
    runs = {}
    for run in _name_runs(doc):
        if run.start in runs or run.text.isupper():
            continue
        words = {t.lower_ for t in run}
        if words & lexicon.org_words or run[-1].ent_type_ in ("DATE", "TIME", "MONEY") \
                or len(run) == 1 and run[0].ent_type_ in PLACE_LABELS:
            continue
        runs[run.start] = run
    return [runs[start] for start in sorted(runs)]


def _name_runs(doc) -> list:
    """Every name run in a parse, once (name_tokens from each run's first proper noun), kept on the Doc: the
    organisations and the people of a part are read from the same runs."""
    cached = doc.user_data.get(NAME_RUNS_KEY)
    if cached is None:
        cached, covered = [], -1
        for token in doc:
            if token.pos_ != "PROPN" or token.i < covered:
                continue
            run = name_tokens(token)
            if run is not None:
                cached.append((run.start, run.end))
                covered = run.end
        doc.user_data[NAME_RUNS_KEY] = cached
    return [doc[start:end] for start, end in cached]


def _roles_of(person, lexicon: Lexicon) -> list[_Role]:
    """The role phrases beside a name: its title ("Y spokeswoman X", with "of Y" after the name), an
    apposition either side ("X, a spokesman for Y", "the head of Y, X") and "X, who heads Y"."""
    head = _run_head(person)
    roles = []
    title = _title_before(person, lexicon)
    named_after = _named_after(person, head, lexicon)
    if title is not None:
        if title.organization is None and title.reference is None and named_after is not None:
            title = _Role(title.words, title.tokens, named_after)  # "Industry analyst X of Y"
        roles.append(title)
    phrases = []
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            phrases.extend(_role_phrase(child, lexicon))
        elif child.dep_ == "relcl":
            roles.extend(_role_clause(child, lexicon))
    described = _described_noun(head)
    if described is not None:
        phrases.extend(_role_phrase(described, lexicon))
    for phrase in phrases:
        if phrase.organization is None and phrase.reference is None and named_after is not None:
            phrase = _Role(phrase.words, phrase.tokens, named_after)  # "Senior vice president X of Y"
        roles.append(phrase)
    if not roles and named_after is not None and any(t.ent_type_ == "PERSON" for t in person):
        roles.append(_Role("", (), named_after))  # "Tom Becker of the Alpine Rescue Service": no role said
    return roles


def _described_noun(head):
    """The role noun a name stands beside as its apposition: "the head of Y, X" (the parser may hang the name
    on the organisation: "a spokesperson for Glacier Airways, Nina Holm")."""
    if head.dep_ != "appos":
        return None
    noun = head.head
    if noun.pos_ == "PROPN" and noun.dep_ == "pobj" and noun.head.dep_ == "prep" \
            and noun.head.head.pos_ == "NOUN" and head.ent_type_ == "PERSON":
        return noun.head.head
    return noun if noun.pos_ == "NOUN" else None


def _run_head(run):
    """The token of a name run whose head lies outside it."""
    return next((t for t in run if not (run.start <= t.head.i < run.end) or t.head.i == t.i), run[-1])


def _title_before(person, lexicon: Lexicon) -> _Role | None:
    """"Kestrel Bank spokeswoman Amy Lin", "Chief operating officer Daniel Meyer", "Union spokesman X": the
    words right before a name that modify it, split into the organisation's name and the role."""
    doc = person.doc
    head = _run_head(person)
    i = person.start - 1
    while i >= person.sent.start and doc[i].pos_ in ("NOUN", "PROPN", "ADJ") and head in doc[i].ancestors \
            and doc[i].dep_ in ("compound", "amod", "nmod"):
        i -= 1
    words = list(doc[i + 1:person.start])
    if not words:
        return None
    # [modifiers] [organisation] role words: "Kestrel Bank spokeswoman", "Former NAACP president"
    opening = 0
    while opening < len(words) and words[opening].lower_ in ROLE_MODIFIERS:
        opening += 1
    split = opening
    while split < len(words) and _capitalised(words[split]) and not _role_word(words[split], lexicon):
        split += 1
    organization = doc[words[opening].i:words[split - 1].i + 1] if split > opening else None
    if organization is not None and not _names_organization(organization, words[0].i == person.sent.start,
                                                            lexicon):
        if opening:
            return None
        organization = None
        split = 0
    role_words, reference = words[:opening] + words[split:], None
    if any(_capitalised(w) and not _role_word(w, lexicon) and w.i != person.sent.start for w in role_words):
        return None  # "Civil Rights icon Georgia Rep. X": words that are neither a name nor a role
    if organization is None:
        reference, role_words = _split_reference(role_words, lexicon)
    if not role_words or lexicon.membership_role(_words(role_words)) is None:
        return None
    formal = any(_capitalised(w) for w in role_words if w.i != person.sent.start)
    return _Role(_words(role_words), tuple(words), organization, reference, bare_title=not formal)


def _split_reference(role_words: list, lexicon: Lexicon) -> tuple[str | None, list]:
    """"union spokesman", "fire department spokeswoman": an organisation noun among a role's words refers to an
    organisation; the role is the words after it. (The noun, the role's words.)"""
    nouns = [k for k, token in enumerate(role_words[:-1]) if token.lower_ in lexicon.org_nouns]
    if not nouns:
        return None, role_words
    return role_words[nouns[-1]].lower_, role_words[nouns[-1] + 1:]


def _named_after(person, head, lexicon: Lexicon):
    """"X of the Kiel Institute", "X of Crestview Research": the organisation a preposition after a name
    names, or None."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in NAME_PREPOSITIONS and child.i >= person.end:
            organization = _organization_in(child, lexicon, strict=True)
            if organization is not None:
                return organization
    return None


def _role_phrase(noun, lexicon: Lexicon) -> list[_Role]:
    """A role noun phrase ("a spokesman for the Interior Ministry", "Orbital Dynamics' director", "its lead
    author", "the FNV union's spokesman", "a WHO official in Geneva", "the team's manager")."""
    doc = noun.doc
    role_tokens, compound_names = [], []
    for token in doc[noun.left_edge.i:noun.i]:
        if token.dep_ in ("det", "poss", "case", "punct", "nummod") or _inside_possessor(token, noun):
            continue
        if token.pos_ == "PROPN" and not _role_word(token, lexicon):
            compound_names.append(token)
        elif token.pos_ in ("NOUN", "ADJ", "VERB", "PROPN") and noun in token.ancestors:
            role_tokens.append(token)
    role_tokens.append(noun)
    organization, reference = None, None
    for prep in _prepositions(noun):
        organization = _organization_in(prep, lexicon, strict=prep.lower_ not in ROLE_PREPOSITIONS)
        if organization is None and prep.lower_ in ROLE_PREPOSITIONS:
            reference = reference or _referring_noun(prep, lexicon)
        if organization is not None:
            break
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if organization is None and possessor is not None:
        if possessor.lower_ in ("its", "their"):
            reference = "its"
        else:
            run = _whole_name(name_tokens(possessor), lexicon)
            if run is not None and not _person_name(run, lexicon):  # "Santilli's attorney" is no membership
                organization = run
            elif possessor.lower_ in lexicon.org_nouns:
                reference = possessor.lower_
    if organization is None and compound_names:
        run = name_tokens(compound_names[-1])
        if run is not None and run[-1].ent_type_ not in PLACE_LABELS and not _person_name(run, lexicon):
            organization = run
    if organization is None and reference is None:
        reference, role_tokens = _split_reference(role_tokens, lexicon)  # "the union spokesman, X"
    words = _words(role_tokens)
    if lexicon.membership_role(words) is None:
        return []
    tokens = tuple(doc[noun.left_edge.i:noun.i + 1])
    return [_Role(words, tokens, organization, reference)]


def _role_clause(clause, lexicon: Lexicon) -> list[_Role]:
    """"X, who heads the Riverside Tenants Association": a relative clause whose verb says the role."""
    role = lexicon.role_verbs.get(clause.lemma_.lower())
    if role is None or not any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in clause.children):
        return []
    for child in clause.children:
        if child.dep_ == "dobj":
            organization = _name_in(child)
            if organization is not None:
                return [_Role(role, (clause,), organization)]
    return []


def _prepositions(noun) -> list:
    """The prepositions after a role noun, and those after their objects ("vice president [for] research [at]
    Hartwell University"), in text order."""
    found = []
    for child in noun.children:
        if child.dep_ == "prep" and child.i > noun.i:
            found.append(child)
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found.extend(c for c in obj.children if c.dep_ == "prep")
    return sorted(found, key=lambda t: t.i)


def _organization_in(prep, lexicon: Lexicon, strict: bool):
    """The organisation a preposition's object names ("of the Kiel Institute", "at the Plaza supermarket"),
    or None. ``strict`` ("in", or after a bare name) wants an organisation's name, not a place's."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    run = _whole_name(_name_in(obj), lexicon)
    if run is None:
        return None
    if strict and (guess_kind(run, lexicon) not in ORG_KINDS or run[-1].ent_type_ in PLACE_LABELS):
        return None
    if _person_name(run, lexicon):
        return None  # "a lawyer for Ana Costa" is her lawyer, not a member of anything
    return run


def _person_name(run, lexicon: Lexicon) -> bool:
    """A name the parser labels a person's (every word it labels; "Hay’at Tahrir al-Sham" is half an ORG) and
    no organisation word makes an organisation's."""
    labels = {t.ent_type_ for t in run if t.ent_type_}
    return labels == {"PERSON"} and not {t.lower_ for t in run} & lexicon.org_words


def _name_in(obj):
    """The name an object is, or that names it ("the Plaza supermarket", "the Green Youth movement")."""
    run = name_tokens(obj)
    if run is not None:
        return run
    names = [c for c in obj.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < obj.i]
    for child in obj.children:  # "the Senate finance committee": the name hangs on the compound noun
        if child.dep_ == "compound" and child.pos_ == "NOUN":
            names += [g for g in child.children if g.dep_ == "compound" and g.pos_ == "PROPN"]
    return name_tokens(names[0]) if names else None


def _referring_noun(prep, lexicon: Lexicon) -> str | None:
    """"the manager of the team": an organisation noun standing for a named one."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return obj.lower_ if obj is not None and obj.lower_ in lexicon.org_nouns else None


def _inside_possessor(token, noun) -> bool:
    """Whether a token belongs to the noun's possessor ("[the FNV union]'s spokesman")."""
    return any(a.dep_ == "poss" and a.head.i == noun.i for a in (token, *token.ancestors) if a.i != noun.i)


# ---------------------------------------------------------------- the organisation a phrase refers to

def _referred(person, role: _Role, organizations: list, earlier: tuple[NameSpan, ...], subject, lexicon: Lexicon):
    """The organisation a role refers to without naming it: "its", "the company's", "union spokesman X", or
    a bare role that takes its organisation from the article ("Chief operating officer X"). A noun picks an
    organisation whose name holds it, else (for nouns any organisation may be meant by) the nearest
    organisation named before in the sentence or the one before it, else the article's subject, else the only
    one named later in the sentence."""
    reference = role.reference
    if reference is None:
        normal = lexicon.membership_role(role.words) if role.words else None
        if not role.bare_title or normal is None or not normal[1]:
            return None
    own = {t.i for t in role.tokens}
    organizations = [o for o in organizations if not own & set(range(o.start, o.end))]
    if reference not in (None, "its"):
        holding = [o for o in organizations if reference in normalize(o.text).split()]
        before = [o for o in holding if o.start < person.start]
        if before:
            return before[-1]
        if holding:
            return holding[0]
        holding_earlier = [o for o in earlier if reference in normalize(o.text).split()]
        if holding_earlier:
            return holding_earlier[-1]
        if not lexicon.org_nouns.get(reference, False):
            return None
    sentence = person.sent
    anchor = min([person.start] + [t.i for t in role.tokens])
    same_before = [o for o in organizations if sentence.start <= o.start and o.end <= anchor]
    if same_before:
        return same_before[-1]
    previous = _previous_sentence(sentence)
    if previous is not None:
        in_previous = [o for o in organizations if previous.start <= o.start < previous.end]
        if in_previous:
            return in_previous[-1]
    elif earlier:
        return earlier[-1]  # the part's first sentence: the previous part's last organisation
    if subject is not None:
        return subject
    if reference is None:
        return None
    after = [o for o in organizations if person.end <= o.start and o.end <= sentence.end]
    return after[0] if len(after) == 1 else None  # "The union's president, X, said the Steelworkers ..."


def _previous_sentence(sentence):
    if sentence.start == 0:
        return None
    return sentence.doc[sentence.start - 1].sent


# ---------------------------------------------------------------- words

def _role_word(token, lexicon: Lexicon) -> bool:
    lower = token.lower_.rstrip(".")
    return lower in lexicon.role_nouns or lower in lexicon.roles or lower in ROLE_MODIFIERS or lower in TITLES


def _capitalised(token) -> bool:
    return token.text[:1].isupper()


def _names_organization(span, opens_sentence: bool, lexicon: Lexicon) -> bool:
    """Whether capitalised words before a role name its organisation: an acronym, two words or more, an
    organisation's entity label, or a capital that does not just open the sentence ("Environment minister";
    "Union spokesman X" refers to a union named elsewhere). Never a person's name ("Sanders campaign manager")."""
    if span[-1].ent_type_ in PLACE_LABELS or _person_name(span, lexicon):
        return False
    if len(span) == 1 and opens_sentence and span[0].lower_ in lexicon.org_nouns:
        return False
    if len(span) > 1 or (span.text.isupper() and len(span.text) > 1) or span[0].lower_ in lexicon.org_words:
        return True
    return not opens_sentence  # (a capitalised word opening the sentence is just capitalised, whatever its label)


def _whole_name(run, lexicon: Lexicon):
    """An organisation's name across the words that split it: "St. Anne's Hospital", "Diocese of Galway"."""
    if run is None or not {t.lower_ for t in run} & lexicon.org_words:
        return run
    doc = run.doc
    start, end = run.start, run.end
    if start >= 2 and doc[start - 1].lower_ in ("'s", "’s") and doc[start - 2].whitespace_ == "":
        before = name_tokens(doc[start - 2])
        if before is not None and before.end == start - 1:
            start = before.start
    if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].pos_ == "PROPN":
        after = name_tokens(doc[end + 1])
        if after is not None and after.start == end + 1:
            end = after.end
    return doc[start:end]


def _without_type_noun(run, lexicon: Lexicon):
    """"the FNV union": the name without the lower-case noun the parser took into it."""
    if len(run) > 1 and run[-1].text.islower() and run[-1].lower_ in lexicon.org_nouns:
        return run[:-1]
    return run


def _words(tokens) -> str:
    return " ".join(t.lower_ for t in tokens)
