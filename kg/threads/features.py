"""A claim's text as comparable features: content-word stems, index keys, numbers, dates, names, polarity."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

# Figures with their separators ("1,000", "1.2"), then words with letters or digits inside; apostrophes stay
# inside a word ("didn't", "Trump's").
WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)*")
# Abbreviations whose full stop ends no sentence: the capitalised word after them is a name ("Mr. Trump").
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
                           "prof", "rev", "jr", "sr", "u.s", "vs", "no"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which"})  # not "that": it opens reported clauses too
RELATIVE_REACH = 2  # words from a relative pronoun to its clause's own negator: "who are not", "which never"
NEGATORS = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "cannot", "nowhere"})
# "one" is left out: "one of them", "no one" carry no figure.
NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
    "trillion": "1000000000000", "dozen": "12", "half": "0.5", "quarter": "0.25",
}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
MONTH_ABBREVIATIONS = {m[:3]: m for m in MONTHS} | {"sept": "september"}
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
RELATIVE_DAYS = frozenset({"yesterday", "today", "tomorrow", "tonight"})
# A capitalised word that is not a name: sentence openers and titles carry no place or person.
NOT_NAMES = frozenset({"i", "mr", "mrs", "ms", "dr", "the", "a", "an", "it", "we", "he", "she", "they", "this",
                       "that", "but", "and", "or", "if", "in", "on", "at", "as", "so", "no", "yes", "our", "my"})
CONTRACTION = re.compile(r"'(?:s|re|ll|ve|d|m)$")
NUMERAL = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
NOT_NEGATING = frozenset({"just", "only", "merely", "simply", "necessarily", "least", "exactly"})
KEY_WINDOW = 2  # an index key pairs a content word with each of the next two
NEGATION_SCOPE = 3  # content words after "not"/"never" that it negates ("did not pay federal taxes")
# "I don't believe for a minute that they would plagiarize her speech": a negated verb of believing passes the
# negation to its whole sentence, past commas (a clause break ends any other negator's reach)
NEG_RAISING = frozenset({"believe", "think", "suppose", "expect", "imagine"})
SENTENCE_SCOPE = 1_000_000
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = files("kg.data").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def name_words(name: str) -> list[str]:
    """A name's words without accents, case, quotation marks, possessives or suffixes ("Jr.", "III")."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    words = [word.removesuffix("'s").strip(".,'\"“”") for word in plain.casefold().replace("’", "'").split()]
    words = [word for word in words if word]
    return [word for word in words if word not in NAME_SUFFIXES] or words


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


@dataclass(frozen=True)
class Features:
    """What two claims must share (words) and must not disagree on (numbers, dates, names, polarity)."""

    words: frozenset[str]  # content-word stems
    keys: frozenset[str]  # index keys: pairs of content-word stems at most one word apart, in either order
    numbers: frozenset[str]  # normalised figures ("1,000" and "one thousand" both "1000")
    dates: frozenset[str]  # months, weekdays, years, relative days
    names: frozenset[str]  # capitalised words inside the text (places, people, organisations)
    negated: frozenset[str]  # content-word stems a negator governs ("did not pay taxes": pay, tax)
    # names that end a name ("Hillary Clinton": clinton): a forename one claim gives and the other leaves out
    # is no other person ("Hillary Clinton leads Bernie Sanders" and "Clinton leads Sanders")
    surnames: frozenset[str]


def features(text: str) -> Features:
    """The features of one claim's content text."""
    stop = stopwords()
    words: list[str] = []
    naming: list[bool] = []  # whether each of ``words`` is a name
    numbers: set[str] = set()
    dates: set[str] = set()
    names: set[str] = set()
    negated: set[str] = set()
    scope = 0  # content words still to come under the last negator
    raised = False  # the last negator governs a verb of believing: its reach is the sentence
    position = 0  # words read so far, stop words included
    relative_at = -RELATIVE_REACH - 1  # where the last relative pronoun stood
    previous_end = None
    previous = ""
    last_name = None  # the word just before, when it was a name
    forenames: set[str] = set()  # names followed by another name with nothing but a space between them
    for match in WORD.finditer(text):
        raw = match.group(0).replace("’", "'")
        lower = raw.lower()
        gap = text[previous_end:match.start()] if previous_end is not None else ""
        # a sentence starts after . ! ? (not after "Mr."), and a capitalised word there may be any word; the
        # content's own first word is read as a name when capitalised ("Marrow was hit ..."): a common word
        # there ("Officials ...") only keeps two claims apart when the other claim lacks that word entirely
        opens_sentence = previous_end is not None and bool(re.search(r"[.!?]", gap)) and previous not in ABBREVIATIONS
        previous_end, previous = match.end(), lower
        before, last_name = last_name, None
        position += 1
        if lower in RELATIVE_PRONOUNS:
            relative_at = position
        if lower.endswith("n't") or lower in NEGATORS:
            # a negation right after a relative pronoun qualifies a noun, it does not deny the claim: "a ban on
            # Muslims who are not citizens" states the ban. Further on it is the main verb's ("people who voted
            # for him will not be charged": a relative clause rarely ends with a comma), and an outer
            # negation's reach goes on either way ("no ban on people who are not citizens entering")
            if position - relative_at > RELATIVE_REACH:
                scope, raised = NEGATION_SCOPE, False
            continue
        if scope == NEGATION_SCOPE and lower in NOT_NEGATING:
            scope = 0  # "not just a loser, a liar": the negator qualifies, it does not deny
            continue
        if re.search(r"[,;.!?:]", gap) and (not raised or re.search(r"[.!?]", gap)):
            scope, raised = 0, False  # a negator's reach ends at a clause break
        base = CONTRACTION.sub("", lower)  # "trump's" -> "trump", "we're" -> "we"
        if NUMERAL.match(base):
            figure = base.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", base) else base
            (dates if YEAR.match(figure) else numbers).add(figure)
            continue
        if base in NUMBER_WORDS:
            numbers.add(NUMBER_WORDS[base])
            continue
        month = MONTH_ABBREVIATIONS.get(base.rstrip("."), base) if raw[:1].isupper() else None
        if month in MONTHS or base in WEEKDAYS or base in RELATIVE_DAYS:
            dates.add(month if month in MONTHS else base)
            continue
        if base in stop:
            continue
        is_name = raw[:1].isupper() and not opens_sentence and base not in NOT_NAMES and not base.isdigit()
        if is_name:
            names.add(base)  # acronyms too: "NATO", "ISIS"
            if before is not None and gap.isspace():
                forenames.add(before)
            last_name = base
        words.append(stem(base))
        naming.append(is_name)
        if scope == NEGATION_SCOPE and base in NEG_RAISING:
            scope, raised = SENTENCE_SCOPE, True
        if scope:
            negated.add(words[-1])
            scope -= 1
    # index keys: pairs of content words at most one word apart, in either order, not both names ("hillary
    # clinton" would be held by thousands of claims and say nothing about what they say). Skipping one word and
    # ignoring order finds what a rewording keeps: "deport 11 million illegal immigrants" / "forcibly deport 11
    # million undocumented immigrants" (deport immigrant), "criminals and rapists" / "rapists and criminals"
    # (PolNeAR train pairs: recall 0.605 -> 0.630 against adjacent pairs in text order, precision 0.911 -> 0.915)
    keys = frozenset(" ".join(sorted((words[i], words[j])))
                     for i in range(len(words)) for j in range(i + 1, min(len(words), i + 1 + KEY_WINDOW))
                     if words[i] != words[j] and not (naming[i] and naming[j]))
    return Features(frozenset(words), keys, frozenset(numbers), frozenset(dates), frozenset(names),
                    frozenset(negated), frozenset(names - forenames))
