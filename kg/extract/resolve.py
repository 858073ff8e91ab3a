"""Resolve mentions to agents across an article: full names, surnames, aliases, variants, pronouns, roles."""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from kg.extract import coref
from kg.extract.lexicon import load as load_lexicon
from kg.extract.mentions import Mention
from kg.extract.names import TITLES
from kg.model import Agent, AgentKind, Span
from kg.names import normalize, slug

ORG_KINDS = (AgentKind.ORGANIZATION, AgentKind.MEDIA_OUTLET)
VARIANT_SIMILARITY = 0.88  # "Hay'at Tahir al-Sham" vs "Hay'at Tahrir al-Sham" = 0.97; distinct names < 0.8
PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}


@dataclass
class _Entry:
    names: dict[str, int] = field(default_factory=dict)  # surface name -> count
    strong_names: set[str] = field(default_factory=set)  # names seen in defining contexts
    kind_votes: dict[AgentKind, float] = field(default_factory=dict)
    mentions: list[Span] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    organizations: set[int] = field(default_factory=set)  # entry ids this one is a member of


def _ends_with(full_key: str, surname_key: str) -> bool:
    """Whether a normalised full name ends with a normalised surname ("donald trump", "trump")."""
    return full_key.endswith(" " + surname_key)


def _surname_of_the_person(entry: _Entry, name: str) -> bool:
    """A bare surname of a person named in full before ("Trump" after "Donald Trump"). The parser often labels
    such a surname an organisation (companies and brands bear their founders' names): that label is no vote
    against the person the full name made (PolNeAR train: "Donald Trump" was an organisation in 32 of 204
    articles, outvoted by his surname)."""
    votes = entry.kind_votes
    person = votes.get(AgentKind.PERSON, 0.0)
    if " " in name or not person or person < max(votes.values()):
        return False
    surname = normalize(name)
    return any(_ends_with(normalize(known), surname) for known in entry.names)


class Resolver:
    """Builds the article's agents while mentions are resolved in text order."""

    def __init__(self, doc_id: str, text: str, role_nouns: frozenset[str] = frozenset()):
        self.role_words = TITLES | role_nouns  # "Commander X", "Senator X": the title is a role X holds
        self.doc_id = doc_id
        self.text = text
        self.entries: list[_Entry] = []
        self.index: dict[str, int] = {}  # normalised name or alias -> entry id
        self.history: list[tuple[int, int]] = []  # (entry id, position) of resolved sources
        self.scoped: dict[str, Agent] = {}  # unnamed sources and commenters, by key
        self.discourse: coref.Discourse | None = None  # names and pronouns of the parsed parts (coref.read)

    # ------------------------------------------------------------ named agents

    def add_name(self, name: str, kind: AgentKind | None, *, span: tuple[int, int] | None = None,
                 strong: bool = False, weight: float = 1.0) -> int:
        """Register a proper name (or find the agent it names) and return the entry id."""
        entry_id = self.find_name(name, kind)
        if entry_id is None:
            entry_id = len(self.entries)
            self.entries.append(_Entry())
        entry = self.entries[entry_id]
        clean = _clean(name)
        entry.names[clean] = entry.names.get(clean, 0) + 1
        if strong:
            entry.strong_names.add(clean)
        if kind is not None and not _surname_of_the_person(entry, clean):
            entry.kind_votes[kind] = entry.kind_votes.get(kind, 0.0) + weight
        if span is not None:
            entry.mentions.append(Span(span[0], span[1], self.text[span[0]:span[1]]))
        self.index.setdefault(normalize(clean), entry_id)
        words = clean.split()
        if words and words[0].lower().rstrip(".") in self.role_words:
            entry.roles.add(words[0].lower().rstrip("."))
        return entry_id

    def add_alias(self, entry_id: int, alias: str) -> None:
        self.index.setdefault(normalize(alias), entry_id)
        self.entries[entry_id].names.setdefault(_clean(alias), 0)

    def find_name(self, name: str, kind: AgentKind | None) -> int | None:
        """The known agent a name refers to: same name, alias, surname, acronym or spelling variant."""
        key = normalize(_clean(name))
        if not key:
            return None
        if key in self.index:
            return self.index[key]
        family_is_org = kind in ORG_KINDS
        if kind != AgentKind.MEDIA_OUTLET and " " not in key and not name.isupper():
            # a surname ("al-Shami", "Clinton") refers to the last full name ending with it
            for known, entry_id in reversed(list(self.index.items())):
                if _ends_with(known, key) and self._kind(entry_id) == AgentKind.PERSON:
                    return entry_id
        if name.isupper() and 2 <= len(name) <= 10:
            for known, entry_id in self.index.items():
                if _initials(known) == key and self._kind(entry_id) in ORG_KINDS:
                    return entry_id
        if len(key) >= 8:
            for known, entry_id in self.index.items():
                if len(known) >= 8 and (kind is None or (self._kind(entry_id) in ORG_KINDS) == family_is_org) and \
                        SequenceMatcher(None, key, known).ratio() >= VARIANT_SIMILARITY:
                    return entry_id
        return None

    def _kind(self, entry_id: int) -> AgentKind:
        votes = self.entries[entry_id].kind_votes
        if not votes:
            return AgentKind.PERSON
        if AgentKind.MEDIA_OUTLET in votes and votes.get(AgentKind.PERSON, 0) <= votes[AgentKind.MEDIA_OUTLET]:
            return AgentKind.MEDIA_OUTLET  # an outlet is also an organisation: outlet evidence wins
        if AgentKind.MEDIA_OUTLET in votes:
            votes = {**votes, AgentKind.ORGANIZATION: votes.get(AgentKind.ORGANIZATION, 0) + votes[AgentKind.MEDIA_OUTLET]}
        return max(votes, key=lambda k: (votes[k], k != AgentKind.PERSON))

    def add_membership(self, member: int, organization: int, role: str) -> None:
        self.entries[member].roles.update(role.split())
        self.entries[member].organizations.add(organization)

    # ------------------------------------------------------------ sources

    def resolve(self, mention: Mention, position: int) -> str:
        """The agent key a source or recipient mention refers to (and remember it for pronouns)."""
        entry_id = None
        if mention.form == "name":
            entry_id = self._named(mention)
        elif mention.form == "pronoun":
            entry_id = self._antecedent(mention)
            if entry_id is None and mention.head in coref.PRONOUNS:
                return self.unresolved(mention)
        elif mention.form == "role":
            entry_id = self._role_holder(mention)
            if entry_id is None:
                entry_id = self._role_in_discourse(mention)
        elif mention.form == "unnamed" and mention.head in coref.ORG_NOUNS and mention.text.lower().startswith("the "):
            entry_id = self._organization(mention)
        elif mention.form in ("unnamed", "group") and mention.text.istitle() and " " not in mention.text:
            entry_id = self._surname_read_as_a_word(mention)
        if entry_id is None:
            return self.unnamed(mention)
        self.entries[entry_id].mentions.append(Span(mention.start, mention.end, mention.text))
        self.history.append((entry_id, position))
        return self.entry_key(entry_id)

    def _named(self, mention: Mention) -> int:
        """A name; a person's surname or a name the parser ran into a neighbour ("On Tuesday Marsh") goes to the
        full name met before it in the text even when that name was never a source, and so does a surname the
        full name follows ("Trump said ..." in the lead, "Donald Trump" below: coref joined them)."""
        entity = coref.entity_at(self.discourse, mention.start, mention.end) if self.discourse else None
        if entity is not None and entity.kind == "person" and mention.kind != AgentKind.MEDIA_OUTLET \
                and (entity.sites[0].start < mention.start or coref.is_surname_of(mention.name, entity.name)) \
                and normalize(entity.name) != normalize(mention.name) \
                and self.find_name(mention.name, mention.kind) is None:
            entry_id = self._entry_of(entity)
            self.entries[entry_id].mentions.append(Span(mention.start, mention.end, mention.text))
            return entry_id
        return self.add_name(mention.name, mention.kind, span=(mention.start, mention.end))

    def _role_in_discourse(self, mention: Mention) -> int | None:
        if self.discourse is None:
            return None
        sentence = coref.sentence_at(self.discourse, mention.start)
        entity = coref.role_holder(self.discourse, mention.start, sentence, mention.head) if sentence is not None \
            else None
        return self._entry_of(entity) if entity is not None else None

    def _antecedent(self, mention: Mention) -> int | None:
        """The named agent a pronoun refers to (kg.extract.coref), else None."""
        site = self.discourse.pronoun_at(mention.start) if self.discourse else None
        if site is None or mention.head not in coref.PRONOUNS:
            return self._last_source(mention.head)  # "I", "we", or a pronoun outside the parsed body
        speakers = self._speaker_ranks(coref.candidates(self.discourse, site, mention.head))
        entity = coref.antecedent(self.discourse, site, mention.head, speakers)
        if entity is None:
            return None
        known = self.find_name(entity.name, self._agent_kind(entity))
        if known is not None and not entity.gender \
                and (self._kind(known) == AgentKind.PERSON) != (mention.head in coref.PERSONAL):
            return None  # the name is an agent of the other kind (unless a first name or title says otherwise)
        entry_id = self._entry_of(entity, AgentKind.PERSON if mention.head in coref.PERSONAL else None)
        if (self._kind(entry_id) == AgentKind.PERSON) != (mention.head in coref.PERSONAL):
            return None  # the name stayed an organisation (or a person for "it"): no agreeing agent after all
        return entry_id

    def _speaker_ranks(self, entities: list[coref.Entity]) -> dict[int, int]:
        """Entity number -> how many other sources spoke since it last did (0: the last source)."""
        order = list(dict.fromkeys(entry_id for entry_id, _ in reversed(self.history)))
        ranks = {}
        for entity in entities:
            entry_id = self.find_name(entity.name, self._agent_kind(entity))
            if entry_id is not None and entry_id in order:
                ranks[entity.number] = order.index(entry_id)
        return ranks

    def _entry_of(self, entity: coref.Entity, kind: AgentKind | None = None) -> int:
        """The resolver's entry for a discourse entity (``kind``: what the pronoun that chose it says it is)."""
        first = entity.sites[0]
        return self.add_name(entity.name, kind or self._agent_kind(entity), span=(first.start, first.end))

    @staticmethod
    def _agent_kind(entity: coref.Entity) -> AgentKind:
        return AgentKind.PERSON if entity.kind == "person" else AgentKind.ORGANIZATION

    def _organization(self, mention: Mention) -> int | None:
        """"the ministry said": the organisation named before with that word (coref.organization_for)."""
        if self.discourse is None:
            return None
        site = next((s for start, s in self.discourse.nouns.items() if mention.start <= start < mention.end), None)
        bare = mention.text.lower().split() == ["the", mention.head]
        entity = coref.organization_for(self.discourse, site, mention.head, bare) if site is not None else None
        return self._entry_of(entity) if entity is not None else None

    def _last_source(self, pronoun: str) -> int | None:
        """"I", "we": the most recent source of a compatible kind (a quotation's speaker)."""
        want_person = pronoun in PERSON_PRONOUNS or pronoun in ("i", "we")
        for entry_id, _ in reversed(self.history):
            if (self._kind(entry_id) == AgentKind.PERSON) == want_person:
                return entry_id
        if want_person and pronoun in PERSON_PRONOUNS:  # no earlier source: the last person named anywhere before
            people = [i for i in range(len(self.entries)) if self._kind(i) == AgentKind.PERSON]
            return people[-1] if people else None
        return None

    def _possessor(self, mention: Mention) -> int | None:
        """The agent a possessive pronoun opening a mention refers to ("his spokesman": his = X)."""
        words = mention.text.split(None, 1)
        if self.discourse is None or len(words) < 2 or words[0].lower() not in ("his", "her", "its", "their"):
            return None
        site = self.discourse.pronoun_at(mention.start)
        word = words[0].lower()
        entity = coref.antecedent(self.discourse, site, word, self._speaker_ranks(
            coref.candidates(self.discourse, site, word))) if site else None
        return self._entry_of(entity) if entity is not None else None

    def _surname_read_as_a_word(self, mention: Mention) -> int | None:
        """"Pike added ...", "Sterling said ...": a surname the tagger read as a common word (an interjection, a
        noun, a plural: "Sanders") is the person named in full with it before, when there is one; otherwise it
        stays unnamed (a person named after it may share the word with a common noun: "Banks said they would
        raise rates. Tyler Banks, a broker, said ...")."""
        entry_id = self.find_name(mention.text, AgentKind.PERSON)
        if entry_id is not None:
            named_in_full = any(" " in known for known in self.entries[entry_id].names)
            return entry_id if self._kind(entry_id) == AgentKind.PERSON and named_in_full else None
        # a person the article named in full before without quoting ("Councillor Eva Price spoke on Monday.")
        surname = normalize(mention.text)
        named = [e for e in (self.discourse.entities if self.discourse else ()) if e.kind == "person"
                 and _ends_with(normalize(e.name), surname)
                 and any(coref.is_full_name(s.text) and s.start < mention.start for s in e.sites)]
        return self._entry_of(named[-1], AgentKind.PERSON) if len({normalize(e.name) for e in named}) == 1 else None

    def unresolved(self, mention: Mention) -> str:
        """A pronoun whose referent the text does not let us pick: an explicit unresolved speaker of the document."""
        word = mention.head
        key = f"unresolved:{self.doc_id}:{slug(word)}"
        old = self.scoped.get(key)
        mentions = (old.mentions if old else ()) + (Span(mention.start, mention.end, mention.text),)
        self.scoped[key] = Agent(key, f"Unresolved “{word}”", AgentKind.UNRESOLVED, mentions=mentions,
                                 scope=self.doc_id)
        return key

    def _role_holder(self, mention: Mention) -> int | None:
        """"The HTS commander": the person known to hold that role (in that organisation)."""
        orgs = {self.find_name(name, AgentKind.ORGANIZATION) for name in mention.modifiers} - {None}
        holders = [i for i, e in enumerate(self.entries)
                   if mention.head in e.roles and (not orgs or e.organizations & orgs)]
        if not holders:
            return None
        recent = [i for i, _ in reversed(self.history) if i in holders]
        return recent[0] if recent else holders[-1]

    def unnamed(self, mention: Mention) -> str:
        """An unnamed source ("Local observers", "a spokesman"), scoped to this document; "her spokesman" is
        named after whom "her" refers to ("Spokesman of Ruth Ames")."""
        name = mention.text.strip()
        if name.lower().startswith("the "):
            name = name[4:]
        owner = self._possessor(mention)
        if owner is not None:
            name = f"{name.split(None, 1)[1]} of {self.canonical_name(owner)}"
        kind = AgentKind.UNNAMED_GROUP if mention.form == "group" else AgentKind.UNNAMED_SOURCE
        if mention.form == "unnamed" and mention.head in load_lexicon().document_nouns:
            kind = AgentKind.DOCUMENT_SOURCE  # "the memo said": a document, whose author the text does not name
        key = f"unnamed:{self.doc_id}:{slug(name)}"
        old = self.scoped.get(key)
        mentions = (old.mentions if old else ()) + (Span(mention.start, mention.end, mention.text),)
        self.scoped[key] = Agent(key, name[:1].upper() + name[1:], kind, mentions=mentions, scope=self.doc_id)
        return key

    def scoped_agent(self, agent: Agent) -> str:
        """Register an agent built elsewhere (a commenter, the unknown publisher)."""
        old = self.scoped.get(agent.key)
        if old is not None:
            agent = Agent(agent.key, agent.name, agent.kind, agent.aliases, old.mentions + agent.mentions, agent.scope)
        self.scoped[agent.key] = agent
        return agent.key

    # ------------------------------------------------------------ results

    def canonical_name(self, entry_id: int) -> str:
        entry = self.entries[entry_id]
        pool = entry.strong_names or set(entry.names)
        # in the order the names were met, so that a tie goes to the first (a set's order depends on the hash seed)
        ordered = [n for n in entry.names if n in pool]
        full = [n for n in ordered if not n.isupper()] or ordered
        return max(full, key=lambda n: (entry.names.get(n, 0) > 0, len(n.split()) > 1, entry.names.get(n, 0), len(n)))

    def entry_key(self, entry_id: int) -> str:
        return f"entry:{entry_id}"

    def final_keys(self) -> dict[str, str]:
        """Internal entry keys -> stable agent keys (kind family + slug of the canonical name)."""
        mapping = {}
        for entry_id in range(len(self.entries)):
            family = "person" if self._kind(entry_id) == AgentKind.PERSON else "org"
            mapping[self.entry_key(entry_id)] = f"{family}:{slug(self.canonical_name(entry_id))}"
        return mapping

    def agents(self, used: set[str]) -> list[Agent]:
        """The agents that some claim, membership or affiliation refers to (keys from final_keys)."""
        mapping = self.final_keys()
        found = []
        for entry_id, entry in enumerate(self.entries):
            key = mapping[self.entry_key(entry_id)]
            if key not in used:
                continue
            name = self.canonical_name(entry_id)
            aliases = tuple(sorted(n for n in entry.names if n != name))
            found.append(Agent(key, name, self._kind(entry_id), aliases, tuple(sorted(set(entry.mentions)))))
        found.extend(a for a in self.scoped.values() if a.key in used)
        return _merge_same_key(found)


def _merge_same_key(agents: list[Agent]) -> list[Agent]:
    merged: dict[str, Agent] = {}
    for agent in agents:
        old = merged.get(agent.key)
        if old is None:
            merged[agent.key] = agent
        else:
            aliases = tuple(sorted(set(old.aliases) | set(agent.aliases) | ({agent.name} - {old.name})))
            merged[agent.key] = Agent(old.key, old.name, old.kind, aliases,
                                      tuple(sorted(set(old.mentions) | set(agent.mentions))), old.scope)
    return list(merged.values())


def _clean(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


def _initials(normalised: str) -> str:
    """Initials of a normalised name, counting hyphenated parts: "hay'at tahrir al-sham" -> "hts"."""
    letters = []
    for word in normalised.replace("'", "").split():
        parts = [p for p in word.split("-") if p]
        if parts and parts[0] in ("al", "el") and len(parts) > 1:
            parts = parts[1:]
        letters.extend(p[0] for p in parts if p not in ("of", "for", "and", "the", "at", "a"))
    return "".join(letters)
