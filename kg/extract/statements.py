"""Statements the parser hung inside a cue's content: another speaker's clause, the same speaker's next cue, a
statement of a noun's own in the relative clause that describes it."""
from __future__ import annotations

from kg.extract.lexicon import Lexicon
from kg.model import CueType
from kg.extract.sources import FINITE_TAGS
from kg.extract.tokens import SUBJECTS, positions, subtree_indices

# Words that join another speaker's statement to a content clause ("..., while others said ...").
CONTRAST_WORDS = {"while", "whereas", "but", "although", "though", "and"}
LIKELY_CUE_P = 0.25  # a learned verb annotated as a cue at least this often (train split)
# The dependency labels of the clauses separate_statements cuts out (each of its rules needs one of them).
STATEMENT_CLAUSES = frozenset({"advcl", "acl", "conj", "relcl"})


def separate_statements(verb, indices: set[int], lexicon: Lexicon) -> set[int]:
    """Clauses the parser hung inside a content that are statements of their own, to cut out of it: another
    speaker's ("74 percent said they will vote, while 22 percent said they might not"), then the same
    speaker's next cue ("She released a statement, insisting that ...", "He apologized, saying ...")."""
    dropped: set[int] = set()
    clauses = indices.intersection(positions(verb.doc, deps=STATEMENT_CLAUSES))  # the only ones worth a look
    for statement in (_another_speakers_clause, _participle_statement, _conjunct_statement, _relative_statement):
        remaining = indices - dropped
        for i in sorted(clauses - dropped):
            if i not in dropped:
                dropped |= statement(verb, verb.doc[i], remaining, lexicon)
    return dropped


def _another_speakers_clause(verb, clause, indices: set[int], lexicon: Lexicon) -> set[int]:
    """The clause with its joiner and comma, if it has a subject and a cue of its own after "while", "but", ..."""
    doc = clause.doc
    if clause.dep_ not in ("advcl", "conj") or clause.pos_ not in ("VERB", "AUX") or clause.head.i not in indices \
            or not is_speech_verb(clause, lexicon) \
            or not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
        return set()
    start = clause.left_edge.i
    joiner = doc[start] if doc[start].dep_ in ("mark", "cc") else doc[start - 1] if start > 0 else None
    if joiner is None or joiner.lower_ not in CONTRAST_WORDS:
        return set()
    clause_tokens = set(subtree_indices(clause)) | {joiner.i}
    if start > 0 and doc[min(clause_tokens) - 1].text == ",":
        clause_tokens.add(min(clause_tokens) - 1)
    return clause_tokens


def _participle_statement(verb, clause, indices: set[int], lexicon: Lexicon) -> set[int]:
    """The participle clause with its comma, if it is a speech verb set off by a comma."""
    if not _set_off_participle(clause, ("advcl", "acl", "conj")) or not is_speech_verb(clause, lexicon) \
            or not (clause.head.i in indices or clause.head.i == verb.i):
        return set()
    return set(subtree_indices(clause)) | {clause.left_edge.i - 1}


def means_gerund(verb, indices: set[int], lexicon: Lexicon):
    """The gerund of a cue verb's own "by" phrase inside its content, when it is a likely cue with an object or a
    clause: "The candidate surprised many by [naming] X as his running mate", "responded by [saying] ...". How the
    subject surprised or responded may be a statement of its own (the gerund's, spoken by the same subject)."""
    for preposition in verb.children:
        if preposition.dep_ != "prep" or preposition.lower_ != "by":
            continue
        for gerund in preposition.children:
            if gerund.dep_ == "pcomp" and gerund.tag_ == "VBG" and gerund.i in indices \
                    and _likely_cue(gerund, lexicon) \
                    and any(c.dep_ in ("dobj", "ccomp", "xcomp", "oprd") for c in gerund.children):
                return gerund
    return None


def _relative_statement(verb, clause, indices: set[int], lexicon: Lexicon) -> set[int]:
    """The relative clause with its comma, if it is set off by a comma, its subject stands for the noun it
    describes and its verb is a speech verb: "the contract went to Ana Ruiz, who has said she wants Y":
    what the noun's own clause reports is that noun's statement, not part of the one around it (PolNeAR
    annotates no attribution inside another's content: it ends the outer content before the clause)."""
    doc = clause.doc
    start = clause.left_edge.i
    if clause.dep_ != "relcl" or clause.pos_ not in ("VERB", "AUX") or clause.head.i not in indices \
            or start == 0 or doc[start - 1].text != "," or not _says(clause, lexicon) \
            or [c.lower_ for c in clause.children if c.dep_ in SUBJECTS] not in (["who"], ["which"]):
        return set()  # "which some have called unfit": the clause's speaker is another
    return set(subtree_indices(clause)) | {start - 1}


def _says(verb, lexicon: Lexicon) -> bool:
    """A hand-listed verb of saying (not of believing: "who knew about the pier", "which is expected to") in the
    active voice."""
    cue = lexicon.verbs.get(verb.lemma_.lower())
    return cue is not None and cue.cue_type != CueType.BELIEVE \
        and not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _conjunct_statement(verb, clause, indices: set[int], lexicon: Lexicon) -> set[int]:
    """The cue the parser joined to the content's verb, with its "and" / ", but" (``_misattached_conjunct``)."""
    reporter = _misattached_conjunct(clause, lexicon)
    if reporter is None or reporter.i != verb.i:
        return set()
    dropped = set(subtree_indices(clause))
    start = clause.left_edge.i - 1
    while start > clause.head.i and (clause.doc[start].dep_ == "cc" or clause.doc[start].is_punct):
        dropped.add(start)
        start -= 1
    return dropped


def _misattached_conjunct(clause, lexicon: Lexicon):
    """"She noted that troop strength lags the target and asked whether ...": the parser joins the second
    cue to the content's verb ("lags ... and asked"), but it is the speaker's next statement. The verb whose
    content holds such a subjectless conjunct that is a likely cue, when the conjunct repeats that verb or its
    tense differs from the content verb's ("would rebound and praised", "is ..., but conceded"; "knew ...
    and thought" shares the content's subject), else None. The verb need not be a speech verb: the conjunct
    shares its subject whatever it is ("recognized that X would rebound and praised ...")."""
    content_verb = clause.head
    if clause.dep_ != "conj" or clause.tag_ not in FINITE_TAGS or content_verb.dep_ != "ccomp" \
            or any(c.dep_ in SUBJECTS for c in clause.children) or not _likely_cue(clause, lexicon):
        return None
    verb = content_verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if clause.lemma_ == verb.lemma_ or _tense(clause) != _tense(content_verb):
        return verb
    return None


def _likely_cue(verb, lexicon: Lexicon) -> bool:
    """Hand-listed, or a cue at least LIKELY_CUE_P of the time ("pushed to fund ...", "praised X"): as a conjunct
    without a subject after a content verb of another tense, such a verb is the speaker's next act."""
    return lexicon.is_speech_verb(verb.lemma_.lower(), at_least=LIKELY_CUE_P)


def _tense(verb) -> str:
    """The tag that carries a verb group's tense: its first auxiliary's ("would rebound": MD), else its own."""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    return auxiliaries[0].tag_ if auxiliaries else verb.tag_


def _set_off_participle(token, deps) -> bool:
    """A gerund-participle clause after a comma (", adding that ...")."""
    return token.tag_ == "VBG" and token.dep_ in deps and token.left_edge.i > 0 \
        and token.doc[token.left_edge.i - 1].text == ","


def reporting_verb(participle, lexicon: Lexicon):
    """The cue whose content the parser hung a participle statement or a cue conjunct in: "The mayor said
    [the bridge would reopen], adding that ...": "adding" shares the subject of "said", not of "reopen"."""
    conjunct_of = _misattached_conjunct(participle, lexicon)
    if conjunct_of is not None:
        return conjunct_of
    if not _set_off_participle(participle, ("advcl", "conj")):
        return None
    token = participle.head
    if _speech_tag(token, lexicon):
        return None  # "“...,” Ruiz added, saying ...": hung on a speech tag with its own speaker, it is that tag's
    while token.head.i != token.i:
        if token.dep_ == "ccomp" and is_speech_verb(token.head, lexicon):
            return token.head
        token = token.head
    return None


def _speech_tag(verb, lexicon: Lexicon) -> bool:
    """A hand-listed cue with its subject that the parser hung as a clause of the statement it reports ("Comey
    cannot say that ..., Lewandowski added"): it names its own speaker."""
    return verb.dep_ in ("ccomp", "parataxis") and verb.lemma_.lower() in lexicon.verbs \
        and any(c.dep_ in SUBJECTS for c in verb.children)


def is_speech_verb(token, lexicon: Lexicon) -> bool:
    return lexicon.is_speech_verb(token.lemma_.lower())
