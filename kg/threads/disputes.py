"""Disputes that the shared-content test of kg/threads/match.py gets wrong or cannot see.

Rules measured on the PolNeAR train pairs of benchmarks/threads split into a tuning part and a held-out part
(eval_threads.py --part; the reports of branches threads-disputes and thr-disputes):

- A denial whose content is a thing, not a statement ("Black voters rejected the self-described democratic
  socialist", "rejecting an inquiry about her use of a private e-mail server") disputes no claim: it shares
  words with claims about that thing, and used to dispute them.
- A verdict on a named speaker ("Clinton was not truthful ... about ... classified material on her server",
  "Mr. Khan was wrong to say he had not sacrificed ...") disputes that speaker's claim on what the verdict
  names, although a verdict shares too few words with the claim (and is too long) to pass as its restatement.
- A verdict on, or a denial of, statements named only by an anaphor ("those statements were wrong", "denied the
  allegations") disputes the claim just before it in its own article, by another speaker: it shares no word with
  what it disputes, and reaches the thread of that claim through it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from kg.threads.claims import ThreadClaim
from kg.threads.features import Features, name_words, stem

# What makes a content a statement rather than a thing: a verb form that is only a verb (an auxiliary, a
# modal, a negated verb), "that" opening a clause, a pronoun subject, or a past-tense word ("the plant leaked
# chemicals"; a hyphenated "self-described" is an adjective). A statement with only an irregular or present
# verb ("the plant spills chemicals") reads as a thing: the rule then drops a dispute, it never adds one.
CLAUSE = re.compile(r"\b(?:that|is|are|was|were|be|been|being|am|will|would|shall|should|has|have|had|can|could|"
                    r"must|may|might|did|does|do|not|never|no)\b|n['’]t\b", re.IGNORECASE)
PAST = re.compile(r"(?<![\w-])[a-z]{3,}ed\b")  # lower case: "United States" is no verb
PRONOUN_SUBJECT = re.compile(r"^\W*(?:he|she|they|we|i|it|you)\b", re.IGNORECASE)

# "<Name> was not truthful", "<Name> lied", "<Name> is wrong": what a verdict on a named speaker looks like.
# Plural "are" is left out: "the polls showing him behind Donald Trump are wrong" is no verdict on Trump.
# The verdict is looked for first and the name read backwards from it: a name pattern of any length tried at
# every capitalised word took time quadratic in a run of them (a hostile comment in Title Case).
VERDICT = re.compile(r"\s+(?:(?:is|was|were|has\s+been|had\s+been)\s+)?(?:not\s+truthful|untruthful|not\s+honest|"
                     r"dishonest|not\s+telling\s+the\s+truth|lying|lied|wrong|made\s+up|fabricated)\b")
NAME_BEFORE = re.compile(r"(?<![\w.'’-])[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,5}\Z")  # up to six capitalised words
NAME_REACH = 120  # characters before a verdict that its name may take
NAMED_KINDS = frozenset({"Person", "Organization", "MediaOutlet"})
MIN_VERDICT_WORDS = 2  # words of the claim, not names, that the verdict repeats
VERDICT_SHARE = 0.5  # ... and their share of the claim's words that are not names


def denies_a_thing(claim: ThreadClaim) -> bool:
    """The claim's cue denies, and what it denies is a thing (a person, a proposal, an inquiry), no statement."""
    text = claim.text
    return claim.denies and not (CLAUSE.search(text) or PAST.search(text) or PRONOUN_SUBJECT.search(text))


@lru_cache(maxsize=65536)
def _name_words(name: str) -> frozenset[str]:
    """The words that name someone, titles aside ("Mr. Khan" and "Khan" share theirs)."""
    return frozenset(name_words(name)) - {"the", "mr", "mrs", "ms", "dr"}


@lru_cache(maxsize=65536)
def _judged(text: str) -> frozenset[str]:
    """The name words of whoever the text calls a liar or wrong (cached: asked of every candidate pair)."""
    judged: set[str] = set()
    for match in VERDICT.finditer(text):
        name = NAME_BEFORE.search(text, max(0, match.start() - NAME_REACH), match.start())
        if name is not None:
            judged |= _name_words(name.group(0))
    return frozenset(judged)


def judges_anyone(claim: ThreadClaim) -> bool:
    """The claim calls someone a liar or wrong (most claims do not: then no pair of theirs is a verdict)."""
    return bool(_judged(claim.text))


def verdict(a: ThreadClaim, fa: Features, b: ThreadClaim, fb: Features) -> bool:
    """``a`` says that ``b``'s named speaker lied or was wrong, and repeats most of what ``b`` says: at least
    ``MIN_VERDICT_WORDS`` of its words that are not names, half of them or more."""
    if b.source_kind not in NAMED_KINDS or a.source == b.source or a.document == b.document:
        return False
    speaker = _name_words(b.source_name)
    if not speaker & _judged(a.text) or _name_words(a.source_name) & speaker:
        return False  # no verdict on this speaker; or one by a speaker of the same name, no dispute between two
    said = fb.words - {stem(name) for name in fa.names | fb.names}
    repeated = fa.words & said
    return len(repeated) >= MIN_VERDICT_WORDS and len(repeated) >= VERDICT_SHARE * len(said)


# "those statements were wrong", "the allegations are false", "his remarks were inaccurate": an anaphor naming
# statements (a determiner or possessive pronoun, at most one modifier, a noun of saying), at the start of the
# content, then a verdict on them. Both patterns are anchored (match at one place), so they read a content once.
SAYING_NOUNS = (r"statements?|claims?|remarks?|comments?|allegations?|accusations?|assertions?|charges?|reports?|"
                r"stor(?:y|ies)|suggestions?|testimony|account")
ANAPHOR = re.compile(rf"\W*(?:those|these|that|this|the|such|her|his|their|its)\s+(?:[\w-]+\s+)?(?:{SAYING_NOUNS})\b",
                     re.IGNORECASE)
ANAPHOR_VERDICT = re.compile(r"\s+(?:(?:is|are|was|were|have\s+been|had\s+been|proved|proven)\s+)?"
                             r"(?:(?:just|simply|absolutely|completely|flatly|totally|all)\s+)?"
                             r"(?:wrong|false|untrue|not\s+true|not\s+accurate|not\s+correct|inaccurate|incorrect|"
                             r"lies|baseless|unfounded|misleading|fabricated|made\s+up|nonsense)\b", re.IGNORECASE)
ANTECEDENT_REACH = 400  # characters from the end of the claim an anaphor refers to, to the anaphor


def disputes_anaphorically(claim: ThreadClaim) -> bool:
    """The claim calls statements named only by an anaphor wrong ("those statements were wrong"), or its cue
    denies them and its content is nothing but the anaphor ("denied the allegations")."""
    anaphor = ANAPHOR.match(claim.text)
    if anaphor is None:
        return False
    if ANAPHOR_VERDICT.match(claim.text, anaphor.end()):
        return True
    return claim.denies and not claim.text[anaphor.end():].strip(" .,;:!?\"'’”")


def anaphoric_disputes(claims: list[ThreadClaim]) -> list[tuple[str, str]]:
    """(disputing claim, disputed claim) for each claim of one article that disputes statements by an anaphor:
    the statement it refers to is the nearest claim ending before it in the same document, within
    ``ANTECEDENT_REACH`` characters, by another source (a speaker does not call his own words wrong)."""
    by_document: dict[str, list[ThreadClaim]] = {}
    for claim in sorted(claims, key=lambda c: (c.end, c.start, c.iri)):
        by_document.setdefault(claim.document, []).append(claim)
    found = []
    for document, ordered in sorted(by_document.items()):
        ends = [c.end for c in ordered]
        for claim in ordered:
            if not disputes_anaphorically(claim):
                continue
            # back from the last claim ending before this one starts, as far as the reach: a bounded walk
            for at in range(bisect_right(ends, claim.start) - 1, -1, -1):
                other = ordered[at]
                if claim.start - other.end > ANTECEDENT_REACH:
                    break
                if other.source != claim.source:
                    found.append((claim.iri, other.iri))
                    break
    return found

