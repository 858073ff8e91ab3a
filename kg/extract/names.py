"""Proper-name spans in a parse and the kind of thing a name names (the normalised forms: kg.names)."""
from __future__ import annotations

from functools import lru_cache

from kg.extract.lexicon import Lexicon, data_lines
from kg.extract.lexicon import load as load_lexicon
from kg.model import AgentKind
from kg.names import normalize

TITLES = {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "capt", "sgt", "rev",
          "president", "senator", "governor", "minister", "sheikh", "mayor", "judge", "secretary",
          "professor", "colonel", "bishop", "lieutenant", "sergeant", "captain", "speaker", "councillor",
          "councilor", "councilman", "councilwoman", "alderman"}
PRONOUNS_PERSON = {"he", "she", "him", "her", "i", "we"}
PRONOUNS_OTHER = {"it", "they", "them"}
NAME_JOINERS = {"-", "–", "’", "'", ".", "&"}
# Lower-case words inside organisation names: "Center for Policy Studies", "Bank of America".
NAME_INFIXES = {"of", "for", "on", "and", "&"}
NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "del", "der", "van", "von", "da", "di", "la", "le", "du"}


def name_tokens(token):
    """The run of proper-noun tokens around ``token`` (with in-name hyphens, apostrophes, particles)."""
    if not _is_name_token(token):
        return None
    doc = token.doc
    start = end = token.i
    while start > token.sent.start and _continues_name(doc, start - 1):
        start -= 1
    while end + 1 < token.sent.end and _continues_name(doc, end + 1):
        end += 1
    while start <= end and (doc[start].text in NAME_JOINERS or doc[start].lower_ in TITLES or doc[start].pos_ == "DET"):
        start += 1
    while end >= start and doc[end].text in NAME_JOINERS - {"."}:
        end -= 1
    if start > end:
        return None
    return doc[_after_title(doc, _after_title_complement(doc, start, end), end):end + 1]


def _after_title(doc, start: int, end: int) -> int:
    """Where a person's name starts after the title words that open a run ("Foreign Minister Ahmed Karim",
    "CEO Brian Walsh"): after the run's last role word, when a person's name of two words or more follows it (the
    parser's PERSON, or a given name opening it: "Lawyer Beatrix Hollis"; an organisation's name keeps its role
    words: "General Motors", "Office of the Director of ...")."""
    last = None
    for i in range(start, end - 1):
        if _is_title(doc[i].lower_):
            last = i
    if last is None or end - last < 2 or (doc[end].ent_type_ != "PERSON" and not given_name_gender(doc[last + 1].text)) \
            or any(t.lower_ in NAME_INFIXES for t in doc[last + 1:end + 1]):
        return start
    return last + 1


def _is_title(word: str) -> bool:
    """A title or role noun, lower case ("secretary", "sen.", "ceo")."""
    word = word.rstrip(".")
    return word in TITLES or word in load_lexicon().role_nouns


def _after_title_complement(doc, start: int, end: int) -> int:
    """Where a person's name starts in a run that opens with the complement of a title before it: "Secretary of
    [State Ana Ruiz]", "Minister for [Trade Ilse Vogel]", "Chief of [Staff Tomas Berg]", "Secretary of the
    [Treasury Owen Pryce]". The run names no organisation (its title is outside it, lower-case "of" ends a name
    run unless organisations stand on both sides): the name is the person entity the run ends with, else the
    run from its first given name; a run with neither, or after a lower-case role noun, is left whole."""
    before = start - 1
    if before > doc[start].sent.start and doc[before].lower_ == "the":
        before -= 1
    if before <= doc[start].sent.start or doc[before].lower_ not in ("of", "for"):
        return start
    if not doc[before - 1].text[:1].isupper() or not _is_title(doc[before - 1].lower_):
        return start  # a title is capitalised; "a commander of Hay'at Tahrir al-Sham" names an organisation
    if doc[end].ent_type_ == "PERSON":
        first = end
        while first > start and doc[first].ent_iob_ != "B":
            first -= 1
        if start < first:
            return first
    return next((i for i in range(start + 1, end) if given_name_gender(doc[i].text)), start)


# Entity types that name no agent: a tagged proper noun of these ("the nominee for the Nov. 8 election", "the
# winner of the Tuesday vote") is a date or a figure, never a speaker's name.
NOT_NAMES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


def _is_name_token(token) -> bool:
    if token.like_url or "/" in token.text:
        return False  # a web address glued to a name ("...html%20 Ana Ruiz") is no part of it
    if token.ent_type_ in NOT_NAMES:
        return False
    if token.text.islower() and token.text not in NAME_PARTICLES and _writes_capitals(token.doc):
        return False  # a tagging slip ("the secretary of state", "a real estate mogul"), not a name
    return token.pos_ == "PROPN" or (token.text[:1].isupper() and token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"))


def _writes_capitals(doc) -> bool:
    """Whether the text opens its sentences with capitals (news does; a reader who writes "obama lied" does
    not, and a name there is in lower case too). Read once per parse."""
    known = doc.user_data.get("kg_writes_capitals")
    if known is None:
        openings = [sentence[0].text for sentence in doc.sents if sentence[0].is_alpha]
        known = bool(openings) and sum(text[:1].isupper() for text in openings) >= 0.8 * len(openings)
        doc.user_data["kg_writes_capitals"] = known
    return known


def _continues_name(doc, i: int) -> bool:
    token = doc[i]
    if _is_name_token(token):
        return True
    if token.text in NAME_JOINERS and token.whitespace_ == "" and i > 0 and doc[i - 1].whitespace_ == "":
        return True  # "al-Sham", "O’Brien", "AT&T": a joiner glued on both sides inside a name
    if token.text in ("’", "'") and 0 < i < len(doc) - 1 and doc[i - 1].whitespace_ == "" \
            and doc[i - 1].lower_.endswith("s") and _is_name_token(doc[i + 1]) and _is_name_token(doc[i - 1]):
        return True  # "Kurdistan Workers’ Party": a plural possessive inside a name
    if token.lower_ in NAME_INFIXES and 0 < i < len(doc) - 1 and _is_name_token(doc[i - 1]) \
            and _is_name_token(doc[i + 1]) and doc[i - 1].ent_type_ == "ORG" and doc[i + 1].ent_type_ == "ORG":
        return True  # only inside an organisation's name, not between two people ("Trump and Clinton")
    return token.lower_ in NAME_PARTICLES and i + 1 < len(doc) and doc[i + 1].text in NAME_JOINERS


def strip_title(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def _gender_detector():
    import gender_guesser.detector as detector  # a first-name list (~40,000 names); loaded on first need

    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def given_name_gender(name: str) -> str:
    """"m", "f" or "" for a given name, from gender-guesser's list (which also holds names that are more
    often surnames: "Taylor", "Newton"; a caller reads a word as a given name only in a given name's place)."""
    word = name.strip(".,")
    overall = _gender_detector().get_gender(word)
    in_usa = _gender_detector().get_gender(word, "usa")
    # where the list's overall reading and its US reading disagree, the sure one wins ("Jean", "Ariel": male
    # overall, mostly female in the US), and two readings equally sure say nothing ("Bernie": mostly female
    # overall, mostly male in the US; "Rand", "Nikita": female and male)
    genders = {GENDERS.get(overall, ""), GENDERS.get(in_usa, "")} - {""}
    if len(genders) <= 1:
        return next(iter(genders), "")
    sure = [answer for answer in (overall, in_usa) if answer in ("male", "female")]
    return GENDERS[sure[0]] if len(sure) == 1 else ""


GENDERS = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}


def coref_word_class(name: str) -> frozenset[str]:
    """The words of one class of kg/data/coref_words.tsv ("male-title", "kin-noun", ...)."""
    return frozenset(word for word, kind in (line.split("\t") for line in data_lines("coref_words.tsv")) if kind == name)


KIN_NOUNS = coref_word_class("kin-noun")  # "X's wife": X is a person, whatever the parser's label


def treated_as_person(span, lexicon: Lexicon) -> bool:
    """Whether the text treats a name as a person's, whatever entity label the parser gave it: a person's title
    before it ("Dr. Okafor"), a given name opening a name of two words or more ("Ingrid Solberg"), a person's
    role noun in apposition ("Okafor, a lawyer"), or a family noun it owns ("Okafor's wife"). Never a name
    with an organisation's word in it ("Okafor Holdings"); a given name does not make a name with a place's
    word in it a person's ("Virginia Beach")."""
    words = set(normalize(span.text).replace("-", " ").split())
    if words & lexicon.org_words:
        return False
    doc = span.doc
    before = doc[span.start - 1].lower_.rstrip(".") if span.start > 0 else ""
    if before in TITLES or span[0].lower_.rstrip(".") in TITLES:
        return True
    if (len(span) >= 2 and span[0].is_title and given_name_gender(span[0].text) and not span.text.isupper()
            and not words & lexicon.place_words):  # "Virginia Beach", "Jordan Valley"
        return True
    root = span.root
    person_nouns = lexicon.role_nouns | KIN_NOUNS
    if any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() in person_nouns for c in root.children):
        return True
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lemma_.lower() in person_nouns:
        return True
    return root.dep_ == "poss" and root.head.lemma_.lower() in KIN_NOUNS


def guess_kind(span, lexicon: Lexicon) -> AgentKind:
    """Person, organisation or media outlet, from the entity label and the words of the name."""
    text = span.text
    norm = normalize(text)
    words = set(norm.replace("-", " ").split())
    if norm in lexicon.media_outlets or ("the " + norm) in lexicon.media_outlets:
        return AgentKind.MEDIA_OUTLET
    labels = [t.ent_type_ for t in span if t.ent_type_]
    if words & lexicon.org_words:
        return AgentKind.MEDIA_OUTLET if words & lexicon.media_nouns else AgentKind.ORGANIZATION
    if text.isupper() and len(text) >= 2 and " " not in text.strip():
        # acronyms name organisations far more often than people; a name of several words in capitals is a
        # heading's or a caption's ("HILLARY CLINTON"), which says nothing about its kind
        return AgentKind.ORGANIZATION
    # the most frequent label; a tie goes to the label of the last word, the head of an English name ("Kestrel
    # Bank Chairman Bo Chen" names Bo Chen), never to a set's order, which changes with PYTHONHASHSEED
    if labels and max(dict.fromkeys(reversed(labels)), key=labels.count) in ("ORG", "NORP", "GPE", "FAC", "LOC") \
            and not treated_as_person(span, lexicon):
        return AgentKind.ORGANIZATION
    return AgentKind.PERSON
