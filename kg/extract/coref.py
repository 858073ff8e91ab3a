"""Speaker coreference: which named agent a pronoun or an organisation noun refers to (agreement, syntax,
recency, turn-taking), scored by a small logistic model (kg/data/coref_model.json, scripts/train_coref.py)."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from kg.extract.quotes import find_quotes, quotation_inside
from kg.extract.tokens import SUBJECTS
from kg.extract.names import (KIN_NOUNS, TITLES, coref_word_class, given_name_gender, guess_kind, name_tokens,
                              strip_title, treated_as_person)
from kg.model import AgentKind
from kg.names import normalize

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
NEUTER = {"it", "its", "itself"}
PLURAL = {"they", "them", "their", "theirs", "themselves"}
PERSONAL = MALE | FEMALE
REFLEXIVE = {"himself", "herself", "itself", "themselves"}
PRONOUNS = PERSONAL | NEUTER | PLURAL
MALE_TITLES = coref_word_class("male-title")
FEMALE_TITLES = coref_word_class("female-title")
ALL_TITLES = TITLES | MALE_TITLES | FEMALE_TITLES  # read per name mention: built once
MALE_NOUNS = coref_word_class("male-noun")
FEMALE_NOUNS = coref_word_class("female-noun")
ORG_NOUNS = coref_word_class("organisation-noun")  # "the ministry said", "the company denied": an organisation named before
SUBJECT_DEPS = {*SUBJECTS, "agent"}  # "was praised by X": the agent is a subject for parallelism
OBJECT_DEPS = {"dobj", "dative", "iobj", "attr", "oprd"}
ENTITY_KINDS = {"PERSON": "person", "ORG": "org", "GPE": "org", "NORP": "org"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAX_SENTENCES_BACK = 6  # an antecedent further back than this is not "the one named agent" any more


@dataclass(frozen=True)
class Site:
    """One mention (of a name or a pronoun) with its place in the article and in its sentence."""

    start: int
    end: int
    text: str
    sentence: int  # article-wide sentence number
    paragraph: int  # number of the parsed part
    token: int  # article-wide number of its head token
    role: str  # "subj" | "obj" | "poss" | "pobj" | "other"
    clause: int  # article-wide number of the verb that governs it (binding: "X praised him" is not X)
    main: int  # article-wide number of its sentence's root
    quoted: bool = False  # inside quotation marks
    gender: str = ""  # "m" | "f" | "" from a title or a gendered noun in the mention itself
    titled: bool = False  # that gender comes from a title ("Mrs. Ruiz"), not from a noun ("X, a chairman")
    nouns: tuple[str, ...] = ()  # role nouns describing it ("Commander X", "X, the company's chief")
    ancestors: tuple[int, ...] = ()  # article-wide numbers of the tokens above its head in the parse
    dep: str = ""  # its head's dependency label as parsed ("appos": "X, the son of Y"; "conj": "Y and X")
    bracketed: bool = False  # inside parentheses: an actor after the role, a maiden name, a pen name
    of_noun: bool = False  # the object of a preposition on a noun: "the daughter of X" is about the daughter
    person_label: bool = False  # the parser's entity label is PERSON (not a film, a place or a team)
    opens_sentence: bool = False  # its head is the sentence's first token
    subject_verbs: tuple[int, ...] = ()  # article-wide numbers of the verbs whose subject is its verb's subject


@dataclass
class Entity:
    """A named agent of the article: its mentions in text order."""

    number: int
    name: str
    kind: str  # "person" | "org"
    sites: list[Site] = field(default_factory=list)
    gender: str = ""
    uncertain: bool = False  # an organisation only by the parser's guess: a personal pronoun may still take it

    def keys(self) -> set[str]:
        return {normalize(s.text) for s in self.sites}


@dataclass
class Discourse:
    """The article's named agents and pronouns, read once from its parses."""

    entities: list[Entity]
    pronouns: dict[int, Site]  # start offset -> pronoun site
    nouns: dict[int, Site]  # start offset -> definite organisation noun ("the ministry")
    sentence_starts: list[int] = field(default_factory=list)

    def pronoun_at(self, start: int) -> Site | None:
        return self.pronouns.get(start)


# ---------------------------------------------------------------- reading the parses

def read(parts, lexicon) -> Discourse:
    """The discourse of parsed parts ``[(offset, doc), ...]`` in text order."""
    sites: list[tuple[Site, str]] = []
    pronouns: dict[int, Site] = {}
    nouns: dict[int, Site] = {}
    sentence = token_base = 0
    for paragraph, (offset, doc) in enumerate(parts):
        quoted = _quoted_tokens(doc)
        for sent in doc.sents:
            taken: set[int] = set()
            for span in _name_spans(sent):
                span = _without_role(span, lexicon)
                if span is None or any(t.i in taken for t in span):
                    continue
                taken.update(t.i for t in span)
                kind = _kind_of(span, lexicon)
                sites.append((_site(span, offset, sentence, paragraph, token_base, quoted), kind))
            for token in sent:
                lower = token.lower_
                if lower in PRONOUNS and token.pos_ in ("PRON", "DET") and token.i not in taken:
                    pronouns[token.idx + offset] = _site(token.doc[token.i:token.i + 1], offset, sentence,
                                                         paragraph, token_base, quoted)
                elif lower in ORG_NOUNS and token.tag_ == "NN" and _definite(token):
                    nouns[token.idx + offset] = _site(token.doc[token.i:token.i + 1], offset, sentence,
                                                      paragraph, token_base, quoted)
            sentence += 1
        token_base += len(doc)
    return Discourse(_entities(sites), pronouns, nouns)


def _name_spans(sent):
    """Named people and organisations of a sentence: its entities, then proper-noun runs they missed."""
    for ent in sent.ents:
        if ent.label_ in ENTITY_KINDS and any(t.text[:1].isupper() for t in ent):
            run = name_tokens(ent.root)  # "Isabel Ferro" when the entity was only "Ferro"
            if run is not None and run.start <= ent.start and ent.end <= run.end:
                start = run.start  # but not "Tuesday Marsh": a date is no first name
                while start < ent.start and sent.doc[start].ent_type_ and sent.doc[start].ent_type_ not in ENTITY_KINDS:
                    start += 1
                yield sent.doc[start:run.end]
            elif any(t.is_lower and t.pos_ in ("VERB", "AUX") for t in ent):
                # "Jo realizes Dana": the parser ran two names and the verb between them into one entity
                for token in ent:
                    run = name_tokens(token)
                    if run is not None and run.start == token.i and ent.start <= run.start and run.end <= ent.end:
                        yield run
            else:
                yield _trimmed(ent)
    for token in sent:
        if token.pos_ == "PROPN" and not token.ent_type_ and token.dep_ in SUBJECT_DEPS | OBJECT_DEPS | {"pobj", "poss", "appos"}:
            run = name_tokens(token)
            if run is not None:
                yield run


def _trimmed(span):
    doc = span.doc
    start, end = span.start, span.end
    while start < end - 1 and (doc[start].lower_.rstrip(".") in ALL_TITLES
                               or doc[start].pos_ == "DET" or doc[start].like_url):  # "...html%20 Ana Ruiz"
        start += 1
    while end > start + 1 and doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return doc[start:end]


def _without_role(span, lexicon):
    """"Lawyer Beatrix Hollis" -> "Beatrix Hollis": a role noun capitalised at the start is no part of a name."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in lexicon.role_nouns:
        start += 1
    return span.doc[start:span.end]


def _kind_of(span, lexicon) -> str:
    labels = [t.ent_type_ for t in span if t.ent_type_]
    if set(normalize(span.text).replace("-", " ").split()) & lexicon.org_words:
        return "named org"  # "Velda Foods": the name's own words outweigh a first name in it
    if labels and all(label == "PERSON" for label in labels):
        return "person"
    if treated_as_person(span, lexicon):
        return "named person"  # "Dr. Okafor", "Okafor's wife": the text's word outweighs the parser's label
    kind = guess_kind(span, lexicon)
    if kind == AgentKind.PERSON:
        return "person"
    if len(span) == 1 and given_name_gender(span.text) and not span.text.isupper():
        # a lone given name ("Danielle") the parser typed an organisation is a person's; typed a place, it may
        # be one ("Georgia", "Jordan"): a personal pronoun may still take it
        return "org?" if set(labels) & PLACE_LABELS else "person"
    if len(span) == 1 and set(labels) == {"GPE"} and not span.text.isupper() \
            and normalize(span.text) not in lexicon.place_names and not _after_place_preposition(span):
        # the small parser types many a lone surname a place ("Castellan painted ..."): a word that is no known
        # place's name and that no mention puts after "in" stays open to a personal pronoun (with the model's
        # penalty for a name only the parser calls an organisation)
        return "org?"
    if labels and set(labels) == {"ORG"} and not span.text.isupper() and len(span) <= 3 \
            and normalize(span.text) not in lexicon.media_outlets:
        return "org?"  # the parser's ORG on a name with no organisation word: often a surname ("Bonavia")
    return "org"


PLACE_PREPOSITIONS = {"in", "at", "near", "across", "throughout"}


def _after_place_preposition(span) -> bool:
    """"in Iowa", "the governor of Ohio": a preposition that puts a place after it governs the name."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPOSITIONS


def _site(span, offset: int, sentence: int, paragraph: int, token_base: int, quoted: set[int]) -> Site:
    head = span.root
    return Site(span.start_char + offset, span.end_char + offset, span.text, sentence, paragraph,
                head.i + token_base, _role(head), _clause(head) + token_base, head.sent.root.i + token_base,
                head.i in quoted,
                *_mention_gender(span), _described_by(span), tuple(t.i + token_base for t in head.ancestors),
                head.dep_, _bracketed(head), _of_noun(head), head.ent_type_ == "PERSON", head.i == head.sent.start,
                tuple(i + token_base for i in _subject_verbs(head)))


def _subject_verbs(token) -> list[int]:
    """The verb governing ``token`` and, while that verb has no subject of its own, the verbs it takes one from:
    "X was able to pass him", "X and Y began to side with him", "X came in and hugged him", "X beat Y,
    denying him a title" (Binding: the subject of those verbs is not what an object pronoun there refers to)."""
    verb = token.doc[_clause(token)]
    found = [verb.i]
    while not any(child.dep_ in SUBJECT_DEPS for child in verb.children) and verb.head.i != verb.i \
            and (verb.dep_ in ("xcomp", "conj", "acomp") or _participle_clause(verb)):
        if verb.dep_ == "xcomp" and any(child.dep_ in ("dobj", "dative") for child in verb.head.children):
            break  # "Grace asks him to take her": the one asked takes, not Grace
        verb = verb.head
        found.append(verb.i)
    return found


def _participle_clause(verb) -> bool:
    """"Soren beat Jonas, denying him a title", "Kurt sent Ralf away, angered at him": a participle clause with
    no subject of its own takes the subject of the verb it hangs on."""
    return verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN")


def _bracketed(token) -> bool:
    """Inside an open parenthesis of its sentence (the parser hangs "(Tom Price)" on the name before it)."""
    depth = 0
    for before in token.doc[token.sent.start:token.i]:
        if before.text == "(":
            depth += 1
        elif before.text == ")":
            depth = max(0, depth - 1)
    return depth > 0


def _of_noun(token) -> bool:
    """The name (or the name it is part of) is the object of a preposition that modifies a noun."""
    while token.dep_ in ("compound", "flat", "appos", "conj") and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.head.pos_ in ("NOUN", "PROPN")


def _raised_object(token) -> bool:
    """"Claire allows her to speak", "Nadia wants him to stay": the parser makes an object-case pronoun the
    subject of the infinitive; it is the object of the verb before it (its subject is not who it is)."""
    verb = token.head
    return token.lower_ in ("him", "her", "them") and token.dep_ in SUBJECTS and verb.dep_ in ("ccomp", "xcomp") \
        and any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children)


def _role(token) -> str:
    if _raised_object(token):
        return "obj"
    while token.dep_ in ("compound", "flat", "appos", "conj") and token.head.i != token.i:
        token = token.head
    dep = token.dep_
    if dep in SUBJECT_DEPS:
        return "subj"
    if dep in OBJECT_DEPS:
        return "obj"
    if dep == "poss":
        return "poss"
    if dep == "pobj":
        return "pobj"
    return "other"


def _clause(token) -> int:
    if _raised_object(token):
        token = token.head.head
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token.i


def _mention_gender(span) -> tuple[str, bool]:
    """The gender the mention's own words tell, and whether a title tells it ("Mrs. Ruiz", "Sheikh X"): a title
    outweighs a given name, a noun does not ("X, the chairman" is said of women too)."""
    doc = span.doc
    before = doc[span.start - 1].lower_.rstrip(".") if span.start > 0 else ""
    titles = {before, span[0].lower_.rstrip(".")}
    if titles & MALE_TITLES:
        return "m", True
    if titles & FEMALE_TITLES:
        return "f", True
    words = titles | {t.lower_ for t in span.root.children if t.dep_ in ("compound", "appos", "amod")}
    if span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN":
        words.add(span.root.head.lower_)  # "the chairwoman, X" (not "the film Gregory's Girl, X", a name)
    if words & MALE_NOUNS:
        return "m", False
    if words & FEMALE_NOUNS:
        return "f", False
    return "", False


def _described_by(span) -> tuple[str, ...]:
    """Nouns before or in apposition to a name: "Commander X", "X, the army's spokesman"."""
    doc = span.doc
    nouns = []
    if span.start > 0 and doc[span.start - 1].pos_ in ("NOUN", "PROPN"):
        nouns.append(doc[span.start - 1].lemma_.lower())
    for child in span.root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            nouns.append(child.lemma_.lower())
    if span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN":
        nouns.append(span.root.head.lemma_.lower())
    return tuple(nouns)


def _definite(token) -> bool:
    return any(child.dep_ == "det" and child.lower_ in ("the", "this", "that") for child in token.children) \
        and not any(child.dep_ == "compound" and child.pos_ == "PROPN" for child in token.children)


def _quoted_tokens(doc) -> set[int]:
    """The tokens inside a quotation (kg.extract.quotes finds them, whatever the marks)."""
    quotes = find_quotes(doc.text)
    return {token.i for token in doc if quotation_inside(quotes, token.idx) is not None}


def _entities(sites: list[tuple[Site, str]]) -> list[Entity]:
    """Group name mentions: the same name, or a person's surname or first name after the full name."""
    entities: list[Entity] = []
    votes: list[list[str]] = []
    index: dict[str, int] = {}
    for site, kind in sites:
        key = normalize(site.text)
        if not key:
            continue
        number = index.get(key)
        if number is None and " " not in key:
            for entity in reversed(entities):
                words = [w for k in entity.keys() if " " in k for w in (k.split()[-1], k.split()[0])]
                if "named org" not in votes[entity.number] and key in words and \
                        ({"person", "named person"} & set(votes[entity.number]) or _given_gender(entity.name)):
                    number = entity.number
                    break
        if number is None:
            number = len(entities)
            entities.append(Entity(number, site.text, kind))
            votes.append([])
        entity = entities[number]
        entity.sites.append(site)
        votes[number].append(kind)
        index.setdefault(key, number)
        if len(site.text) > len(entity.name):
            entity.name = site.text
    for number, entity in enumerate(entities):
        # text order: a sentence's entities are read before its unlabelled proper nouns, and the features take
        # the last mention before a pronoun to be the last in the list
        entity.sites, votes[number] = _in_text_order(entity.sites, votes[number])
    entities, votes = _surnames_named_first(entities, votes)
    for entity, kinds in zip(entities, votes):
        entity.gender = _entity_gender(entity)
        person = kinds.count("person") + 3 * kinds.count("named person") + 2 * bool(entity.gender) \
            + 2 * bool(_given_gender(entity.name))
        # the parser's ORG on a person's bare surname is its confusion with the companies and brands named
        # after people, no vote against the full name ("Donald Trump", then eight "Trump" typed ORG)
        surname = _surname_key(entity.name) if person else None
        counted = [kind for site, kind in zip(entity.sites, kinds)
                   if not (kind == "org?" and _bare_key(site.text) == surname)]
        orgs = counted.count("org") + counted.count("org?") + 5 * counted.count("named org")
        entity.kind = "person" if person >= orgs else "org"
        entity.uncertain = entity.kind == "org" and counted.count("org?") == orgs
        if entity.kind == "org":
            entity.gender = ""
    return entities


def _in_text_order(sites: list[Site], kinds: list[str]) -> tuple[list[Site], list[str]]:
    """Mentions sorted by where they start, each keeping its own kind (the votes are read mention by mention)."""
    pairs = sorted(zip(sites, kinds), key=lambda pair: pair[0].start)
    return [site for site, _ in pairs], [kind for _, kind in pairs]


def _bare_key(text: str) -> str:
    """A name's normalised words without a leading title ("Mr. Ruiz" -> "ruiz")."""
    words = normalize(text).split()
    while len(words) > 1 and words[0] in ALL_TITLES:
        words = words[1:]
    return " ".join(words)


def _surname_key(name: str) -> str | None:
    """The surname of a full name of two words or more ("Ana M. Ruiz" -> "ruiz"), else None."""
    words = _bare_key(name).split()
    return words[-1] if len(words) >= 2 else None


def is_full_name(text: str) -> bool:
    """Whether a mention names a person in full: two words or more once a title is dropped ("Mr. Ruiz" does not)."""
    return " " in _bare_key(text)


def is_surname_of(name: str, full_name: str) -> bool:
    """Whether ``name`` is the surname of ``full_name``, bare or titled ("Mr. Ruiz" of "Ana Ruiz")."""
    key = _bare_key(name)
    return " " not in key and key == _surname_key(full_name)


def _surnames_named_first(entities: list[Entity], votes: list[list[str]]) -> tuple[list[Entity], list[list[str]]]:
    """Join an entity named only by one surname (bare or titled: "Trump", "Mr. Trump") to the one person whose
    full name ends with it, wherever that full name comes: news names a person by surname in the headline and
    the lead before the full name, and the text-order grouping of ``_entities`` only joins a surname after it.
    Only when the parser or the text makes some mention of the surname a person's (the parser's ORG alone is as
    likely the company named after the person: "Ford said it would recall ... founded by Henry Ford"); not when
    two people named in full share the surname, nor to a relative introduced as one ("His daughter Ivanka Trump":
    the surname alone is the article's main subject), nor across a title's gender ("Mrs. Okafor" is not
    "Daniel Okafor"), nor when the text makes the surname an organisation's name ("named org")."""
    people: dict[str, list[int]] = {}
    for entity, kinds in zip(entities, votes):
        surname = _surname_key(entity.name)
        if surname and "named org" not in kinds and ({"person", "named person"} & set(kinds)
                                                     or _given_gender(entity.name)):
            people.setdefault(surname, []).append(entity.number)
    joined: dict[int, int] = {}  # entity number -> the person's
    for entity, kinds in zip(entities, votes):
        keys = {_bare_key(site.text) for site in entity.sites}
        surname = next(iter(keys))
        if len(keys) != 1 or " " in surname or not set(kinds) <= {"person", "named person", "org?"} \
                or not {"person", "named person"} & set(kinds):
            continue
        owners = people.get(surname, [])
        if len(owners) > 1:  # "Donald Trump", "Real Donald Trump" (a handle), "Trump v. Trump": the one with a given name
            owners = [owner for owner in owners if _given_gender(entities[owner].name)]
        if len(owners) != 1 or owners[0] == entity.number:
            continue
        owner = entities[owners[0]]
        if any(set(site.nouns) & KIN_NOUNS for site in owner.sites):
            continue
        gender = _given_gender(owner.name)
        if gender and any(site.titled and site.gender and site.gender != gender for site in entity.sites):
            continue
        joined[entity.number] = owner.number
    if not joined:
        return entities, votes
    for number, owner in joined.items():
        entities[owner].sites, votes[owner] = _in_text_order(entities[owner].sites + entities[number].sites,
                                                             votes[owner] + votes[number])
    # numbered again in the order of their first mentions, as ``_entities`` numbers them (the model reads the
    # person named first off the numbers)
    kept = sorted(((entity, kinds) for entity, kinds in zip(entities, votes) if entity.number not in joined),
                  key=lambda pair: (pair[0].sites[0].start, pair[0].number))
    for number, (entity, _) in enumerate(kept):
        entity.number = number
    return [entity for entity, _ in kept], [kinds for _, kinds in kept]


def _entity_gender(entity: Entity) -> str:
    """A title's gender, else the given name's that opens the full name, else the gendered nouns'. Never a lone
    word's from the given-name list: alone, "Taylor" or "Newton" is more often a surname (the surname of a full
    name named before is in the full name's entity and takes its gender)."""
    titled = [s.gender for s in entity.sites if s.gender and s.titled]
    if titled:
        return _majority(titled)
    given = _given_gender(entity.name)
    if given:
        return given
    nouns = [s.gender for s in entity.sites if s.gender]
    return _majority(nouns) if nouns else ""


def _majority(votes: list[str]) -> str:
    return max(sorted(set(votes)), key=votes.count)


def _given_gender(name: str) -> str:
    """The gender of a name's first word when that word is in a given name's place: before a surname."""
    words = strip_title(name).split()
    return given_name_gender(words[0]) if len(words) >= 2 and words[0][:1].isupper() else ""


# ---------------------------------------------------------------- scoring

def compatible(pronoun: str, entity: Entity) -> bool:
    """Agreement: a personal pronoun never takes an organisation, "it" never a person, he/she match gender."""
    if pronoun in PERSONAL:
        if entity.kind != "person" and not entity.uncertain:
            return False
        wanted = "m" if pronoun in MALE else "f"
        return entity.gender in ("", wanted)
    if pronoun in NEUTER or pronoun in PLURAL:
        return entity.kind == "org"  # uncertain ones too: "it" is no evidence of a person
    return False


OWN_FEATURES = ("bias", "before", "same_sentence", "previous_sentence", "far", "log_tokens", "subj", "obj", "poss",
                "pobj", "parallel", "most_recent", "second_recent", "recent_subject", "log_count", "first",
                "bound", "own_subject", "gender_known", "cataphora", "speaker", "previous_speaker", "quote_match",
                "same_paragraph", "other_between", "subject_chain", "main_subject", "intervening", "subj_near",
                "poss_to_subj", "obj_after_subj", "governs", "governs_subj", "pobj_near", "uncertain_kind",
                "object_of_subject")
LAYOUT_FEATURES = ("bracketed", "person_like", "first_person", "most_mentioned", "first_named",
                   "subject_opens_sentence", "main_subject_to_subject", "of_noun", "appositive", "conjunct",
                   "main_subject_here", "cataphora_main_subject", "sentences_back", "possessor_of_named",
                   "coargument")
CONTRASTED = ("log_tokens", "subj", "log_count", "main_subject", "parallel", "recent_subject", "governs_subj",
              "own_subject", "obj", "pobj", "object_of_subject")
FEATURES = OWN_FEATURES + LAYOUT_FEATURES + tuple("vs_" + name for name in CONTRASTED)
_CONTRASTED_AT = tuple(FEATURES.index(name) for name in CONTRASTED)


def _own_features(pronoun: Site, word: str, entity: Entity, rivals: list[Entity],
                  speakers: dict[int, int]) -> list[float]:
    """The features of one candidate read on its own (names in OWN_FEATURES)."""
    site, before = _anchor(entity, pronoun)
    distance = pronoun.sentence - site.sentence
    recency = sorted((e for e in rivals if _last_before(e, pronoun)), key=lambda e: -_last_before(e, pronoun).start)
    rank = next((i for i, e in enumerate(recency) if e.number == entity.number), 9)
    subjects = [e for e in recency if _last_before(e, pronoun).role == "subj"]
    between = any(s.start > site.end and s.end <= pronoun.start for e in rivals if e.number != entity.number
                  for s in e.sites) if before else False
    speaker = speakers.get(entity.number)
    return [
        1.0, float(bool(before)), float(distance == 0), float(distance == 1), float(distance >= 2),
        math.log1p(abs(pronoun.token - site.token)), float(site.role == "subj"), float(site.role == "obj"),
        float(site.role == "poss"), float(site.role == "pobj"), float(site.role == pronoun.role),
        float(rank == 0), float(rank == 1), float(bool(subjects) and subjects[0].number == entity.number),
        math.log(len(entity.sites)), float(entity.number == min(e.number for e in rivals)),
        float(distance == 0 and site.clause == pronoun.clause and pronoun.role == "obj" and word not in ("his", "her")),
        float(distance == 0 and site.clause == pronoun.clause and site.role == "subj" and pronoun.role == "poss"),
        float(bool(entity.gender)), float(not before), float(speaker == 0), float(speaker == 1),
        float(site.quoted == pronoun.quoted), float(site.paragraph == pronoun.paragraph), float(between),
        float(pronoun.role == "subj" and site.role == "subj" and distance == 1),
        float(site.role == "subj" and site.clause == site.main),
        float(min(rank, 3)) / 3,
        float(site.role == "subj" and distance <= 1 and rank <= 1),
        float(pronoun.role == "poss" and site.role == "subj" and distance == 0),
        float(pronoun.role in ("obj", "pobj") and site.role == "subj" and distance == 0 and site.clause != pronoun.clause),
        float(distance == 0 and site.clause in pronoun.ancestors),
        float(distance == 0 and site.clause in pronoun.ancestors and site.role == "subj"),
        float(distance == 0 and site.role == "pobj" and rank == 0),
        float(entity.uncertain),
        # Binding: an object pronoun is not its own verb's subject ("Maria told her", "Marco was able to pass
        # him"); "bound" sees only the verb's own subject and no "her", which may be a possessive
        float(distance == 0 and pronoun.role in ("obj", "pobj") and word not in REFLEXIVE and site.role == "subj"
              and site.clause in pronoun.subject_verbs),
    ]


def _anchor(entity: Entity, pronoun: Site) -> tuple[Site, bool]:
    """The candidate's mention the pronoun is read against: its last one before the pronoun, else its first
    (cataphora), and whether there is one before."""
    before = _last_before(entity, pronoun)
    return (before, True) if before is not None else (min(entity.sites, key=lambda s: s.start), False)


@dataclass(frozen=True)
class _Rivalry:
    """What the layout features read off all the rivals of one pronoun at once."""

    first_person: Entity | None  # the person-like rival named first
    most_mentioned: Entity | None  # the one rival named more often than every other, if any

    @staticmethod
    def of(rivals: list[Entity]) -> "_Rivalry":
        persons = [e for e in rivals if _person_like(e)]
        most = max(len(e.sites) for e in rivals)
        leaders = [e for e in rivals if len(e.sites) == most]
        return _Rivalry(min(persons, key=lambda e: e.sites[0].start) if persons else None,
                        leaders[0] if len(leaders) == 1 else None)


def _layout_features(pronoun: Site, entity: Entity, rivalry: _Rivalry, rivals: list[Entity]) -> list[float]:
    """Where the candidate sits in the text as a whole (names in LAYOUT_FEATURES)."""
    site, before = _anchor(entity, pronoun)
    distance = pronoun.sentence - site.sentence
    main_here = any(s.sentence == pronoun.sentence and s.role == "subj" and s.clause == s.main for s in entity.sites)
    return [
        float(site.bracketed), float(_person_like(entity)), float(rivalry.first_person is entity),
        float(rivalry.most_mentioned is entity),
        float(entity.number == 0),
        float(pronoun.opens_sentence and pronoun.role == "subj" and site.role == "subj"),
        float(pronoun.role == "subj" and site.role == "subj" and site.clause == site.main and distance == 1),
        float(site.of_noun), float(site.dep == "appos"), float(site.dep == "conj"),
        float(main_here), float(main_here and not before), min(distance, 4) / 4 if before else 0.0,
        float(_possessor_of_named(site, entity, rivals)),
        # Binding: an object pronoun is not another object of its own verb ("introduced Boris to him")
        float(distance == 0 and pronoun.role in ("obj", "pobj") and pronoun.text.lower() not in REFLEXIVE
              and site.role in ("obj", "pobj") and site.clause == pronoun.clause),
    ]


def _possessor_of_named(site: Site, entity: Entity, rivals: list[Entity]) -> bool:
    """"Maria's daughter, Isabella": the mention owns a noun another rival's name is in apposition to."""
    if site.role != "poss" or not site.ancestors:
        return False
    return any(s.dep in ("appos", "compound") and s.ancestors and s.ancestors[0] == site.ancestors[0]
               for e in rivals if e.number != entity.number for s in e.sites)


def _person_like(entity: Entity) -> bool:
    """A name the parser labelled a person, or one whose gender is known: not a film, a team or a place."""
    return bool(entity.gender) or any(s.person_label for s in entity.sites)


def vectors(pronoun: Site, word: str, rivals: list[Entity], speakers: dict[int, int]) -> dict[int, list[float]]:
    """The feature vector (names in FEATURES) of "``word`` at ``pronoun`` refers to it" for each rival, by
    entity number: its own features, where it sits, and how it compares with the best of the other rivals (the
    nearer one, the subject of the two: GAP's pairs are told apart by such contrasts)."""
    rivalry = _Rivalry.of(rivals) if rivals else None
    own = {e.number: _own_features(pronoun, word, e, rivals, speakers)
           + _layout_features(pronoun, e, rivalry, rivals) for e in rivals}
    return {number: vector + _contrast(vector, [v for n, v in own.items() if n != number])
            for number, vector in own.items()}


def _contrast(vector: list[float], others: list[list[float]]) -> list[float]:
    """The candidate's value minus the best rival value of the CONTRASTED features (the smallest distance)."""
    contrast = []
    for name, i in zip(CONTRASTED, _CONTRASTED_AT):
        if name == "log_tokens":
            contrast.append(vector[i] - min((o[i] for o in others), default=vector[i]))
        else:
            contrast.append(vector[i] - max((o[i] for o in others), default=0.0))
    return contrast


def features(pronoun: Site, word: str, entity: Entity, rivals: list[Entity], speakers: dict[int, int]) -> list[float]:
    """The feature vector of "``word`` at ``pronoun`` refers to ``entity``" (names in FEATURES); ``entity`` must be
    one of ``rivals``, since half the features compare it with the best of the others."""
    return vectors(pronoun, word, rivals, speakers)[entity.number]


def _last_before(entity: Entity, pronoun: Site) -> Site | None:
    before = [s for s in entity.sites if s.end <= pronoun.start]
    return before[-1] if before else None


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    threshold: float  # a pronoun refers to an entity whose probability reaches this

    def probability(self, vector: list[float]) -> float:
        z = sum(w * x for w, x in zip(self.weights, vector))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


MODEL_FILE = "coref_model.json"
# GAP has no quotations, so turn-taking is not learned there: these log-odds are added for the source who
# spoke last (and the one before), as set on the pronoun dev set (benchmarks/speakers/pronouns.jsonl).
TURN_TAKING = {"speaker": 2.0, "previous_speaker": 0.5}


@lru_cache(maxsize=1)
def model() -> Model:
    return model_from(json.loads(files("kg.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")), MODEL_FILE)


def model_from(data: dict, name: str) -> Model:
    """The model a file written by scripts/train_coref.py holds (``name`` says which, in the error)."""
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{name} was trained on other features: run scripts/train_coref.py")
    weights = [w + TURN_TAKING.get(feature, 0.0) for feature, w in zip(FEATURES, data["weights"])]
    return Model(tuple(weights), data["threshold"])


def candidates(discourse: Discourse, pronoun: Site, word: str) -> list[Entity]:
    """Entities a pronoun may refer to: agreeing, mentioned in the last few sentences (or later in its own)."""
    return [e for e in discourse.entities if compatible(word, e)
            and any(pronoun.sentence - MAX_SENTENCES_BACK <= s.sentence <= pronoun.sentence
                    and (s.end <= pronoun.start or s.sentence == pronoun.sentence) for s in e.sites)
            and not any(s.start <= pronoun.start < s.end for s in e.sites)]


def scores(discourse: Discourse, pronoun: Site, word: str, speakers: dict[int, int] | None = None,
           weights: Model | None = None) -> list[tuple[float, Entity]]:
    """Each candidate entity with the probability that ``word`` refers to it, best first."""
    weights = weights or model()
    rivals = candidates(discourse, pronoun, word)
    found = vectors(pronoun, word, rivals, speakers or {})
    scored = [(weights.probability(found[e.number]), e) for e in rivals]
    return sorted(scored, key=lambda pe: (-pe[0], pe[1].number))


def referents(discourse: Discourse, pronoun: Site, word: str, speakers: dict[int, int] | None = None) -> list[Entity]:
    """The entities a pronoun refers to by the model (probability at least its threshold)."""
    threshold = model().threshold
    return [e for p, e in scores(discourse, pronoun, word, speakers) if p >= threshold]


def antecedent(discourse: Discourse, pronoun: Site, word: str, speakers: dict[int, int] | None = None) -> Entity | None:
    """The one entity a pronoun refers to, or None when none is likely enough (a lone agreeing candidate in
    reach, not counting names only the parser calls organisations, is taken whatever its score)."""
    scored = scores(discourse, pronoun, word, speakers)
    if scored and scored[0][0] >= model().threshold:
        return scored[0][1]
    certain = [e for _, e in scored if not e.uncertain]
    return certain[0] if len(certain) == 1 else None


def organization_for(discourse: Discourse, noun: Site, head: str, bare: bool = True) -> Entity | None:
    """"the ministry": the organisation named with that word within a few sentences, else, for a bare "the
    company", the last organisation named. "The ferry company" describes one of its own: only a name with
    "company" in it is that one."""
    recent = [(e, _last_before(e, noun)) for e in discourse.entities if e.kind == "org"]
    recent = [(e, s) for e, s in recent if s is not None and noun.sentence - s.sentence <= MAX_SENTENCES_BACK]
    named = [(e, s) for e, s in recent if head in normalize(e.name).split() or head in s.nouns]
    if not named and bare:
        named = recent
    return max(named, key=lambda es: es[1].start)[0] if named else None


def entity_at(discourse: Discourse, start: int, end: int) -> Entity | None:
    """The entity with a mention overlapping [start, end) (a surname's full name: "Hollis" -> "Beatrix Hollis")."""
    for entity in discourse.entities:
        if any(s.start < end and start < s.end for s in entity.sites):
            return entity
    return None


def role_holder(discourse: Discourse, noun: int, sentence: int, head: str) -> Entity | None:
    """"the commander" at offset ``noun``: the last person named with that noun ("Commander X", "X, the
    commander") within a few sentences before."""
    found = None
    for entity in discourse.entities:
        for site in entity.sites:
            if entity.kind == "person" and head in site.nouns and site.end <= noun \
                    and sentence - site.sentence <= MAX_SENTENCES_BACK and (found is None or site.start > found[1]):
                found = (entity, site.start)
    return found[0] if found else None


def sentence_at(discourse: Discourse, start: int) -> int | None:
    """The sentence number of the nearest known mention at or before ``start``."""
    sites = [s for e in discourse.entities for s in e.sites] + list(discourse.pronouns.values())
    before = [s for s in sites if s.start <= start]
    return max(before, key=lambda s: s.start).sentence if before else None
