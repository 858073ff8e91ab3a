"""Cue nouns with content: "the claim that ...", "his belief that ...", "X's criticism of Y", "her plan to ban Z"."""
from __future__ import annotations

from kg.extract.candidates import Candidate, char_span, inside_quote, quote_type_of, token_runs, with_quotes
from kg.extract.lexicon import Cue, Lexicon
from kg.extract.sources import noun_agent, noun_phrase, noun_source, phrase_extent
from kg.extract.tokens import NOMINAL, positions, shallow, subtree
from kg.model import CueType, Stance

# Prepositions that introduce what a cue noun is about ("criticism of", "comments on", "attack against").
NOUN_CONTENT_PREPOSITIONS = {"of", "on", "about", "against", "for", "over", "toward", "towards"}
# A cue noun without a that-clause that is a verb's object ("blasted [his stance on abortion]") is what that
# verb's subject talks about, not a statement made there. Objects of prepositions ("railed at [Obama's refusal
# to ...]") stay: dropping them too cost more content than it saved on held-out train articles.
ARGUMENT_DEPS = {"dobj", "dative"}
NOUN_MIN_P_CUE = 0.05  # learned cue nouns rarer than this as a cue are taken only from the hand lexicon
# Verbs whose subject receives a cue noun from someone, who thereby speaks of the subject: "the plan is facing
# criticism from X", "the deal sparked criticism from X", "she won the endorsement of X" (PolNeAR: X's
# attribution, the subject its content).
RECEIVING_VERBS = {"face", "draw", "receive", "win", "get", "earn", "gain", "secure", "snag", "land", "attract",
                   "spark", "trigger", "prompt", "provoke", "meet", "garner", "have"}
# nouns whose "of" names who gives them ("the endorsement of the union"), not what they are about
BACKING_NOUNS = {"endorsement", "support", "backing"}


def cue_nouns(doc, lexicon: Lexicon, quotes) -> list[Candidate]:
    """Cue nouns with content: "the claim that ...", "his belief that ...", "X's criticism of Y",
    "her plan to ban Z"."""
    found = []
    for i in shallow(doc, positions(doc, lemmas=lexicon.noun_lemmas, pos=NOMINAL)):
        token = doc[i]
        if inside_quote(token, quotes):
            continue
        lemma = token.lemma_.lower()
        learned = lexicon.learned.get((lemma, "noun"))
        if lemma not in lexicon.nouns and (learned is None or learned.p_cue < NOUN_MIN_P_CUE):
            continue  # "the state of", "the campaign for": words that are almost never a cue
        clauses = [c for c in token.children if c.dep_ in ("acl", "ccomp", "appos")
                   and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
        cue_tokens = _noun_cue_tokens(token)
        if not clauses and token.dep_ == "nsubj" and token.head.lemma_ == "be":
            # "Her main claim is that ...": the noun's content is the copula's clause
            clauses = [c for c in token.head.children if c.dep_ == "ccomp"
                       and any(g.dep_ == "mark" and g.lower_ in ("that", "whether") for g in c.children)]
            cue_tokens = [token, token.head]
        if clauses:
            source = noun_source(token)
            content = [t for c in clauses for t in subtree(c)]
        elif (received := _received(token)) is not None:
            source, content = received  # "the program faced criticism from X": X's criticism of the program
            cue_tokens = [token, *(c for c in token.children if c.dep_ == "prep" and source.root in c.children)]
        elif token.dep_ in ARGUMENT_DEPS:
            continue  # "welcomed the senator's remarks about X": the residents' stance, not the senator's words
        else:
            # without a that-clause, only a possessor makes the noun someone's statement or stance
            # ("his comments on Muslims", "Trump's proposal to ban ..."), never "the debate on taxes"
            source = next((noun_phrase(c) for c in token.children if c.dep_ == "poss"), None)
            if source is None:
                source = noun_agent(token)
                cue_tokens = [token]  # "warnings [from doctors] about ...": the cue is the noun alone
            content = _noun_object(token)
        if source is None or not content:
            continue
        cue = lexicon.nouns.get(lemma) or Cue(CueType.ASSERT, Stance.CERTAIN)
        spans = with_quotes(token_runs(content), quotes)
        if spans:
            found.append(Candidate(cue_type=cue.cue_type, stance=cue.stance, content=spans, source=source,
                                   source_extent=phrase_extent(source), cue=char_span(cue_tokens),
                                   quote_type=quote_type_of(spans, quotes), confidence=0.7 if clauses else 0.5,
                                   rule="noun" if clauses else "noun-object", sentence=token.sent.start))
    return found


def _noun_object(noun) -> list:
    """What a cue noun is about: the object of "of/on/about/against/for ..." or a to-infinitive."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in NOUN_CONTENT_PREPOSITIONS:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return [t for c in objects for t in subtree(c)]
        if child.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
            return subtree(child)
    return []


def _received(noun):
    """(source, content) of a cue noun that its verb's subject receives from someone ("the plan is facing
    [criticism from X]"): X, and the subject. None unless the verb is one of receiving and the noun names
    whom it came from; "faced his criticism" names no giver this way."""
    if noun.dep_ != "dobj" or noun.head.lemma_ not in RECEIVING_VERBS or any(c.dep_ == "poss" for c in noun.children):
        return None
    givers = ("from", "by", "of") if noun.lemma_.lower() in BACKING_NOUNS else ("from", "by")
    giver = next((o for c in noun.children if c.dep_ == "prep" and c.lower_ in givers
                  for o in c.children if o.dep_ == "pobj"), None)
    subject = next((c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if giver is None or subject is None:
        return None
    return noun_phrase(giver), subtree(subject)


def _noun_cue_tokens(noun) -> list:
    """The noun and the preposition that introduces its content ("criticism of")."""
    prepositions = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in NOUN_CONTENT_PREPOSITIONS]
    return [noun, *prepositions[:1]]
