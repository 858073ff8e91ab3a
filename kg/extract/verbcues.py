"""Cue verbs with their content and source: "X said (that) ...", "“...,” X said", "X said: ...", "X denied Y"."""
from __future__ import annotations

from typing import NamedTuple

from kg.extract import cuemodel, extent
from kg.extract.according import nested_according
from kg.extract.candidates import Candidate, char_span, inside_quote, overlaps, quote_type_of, token_runs, with_quotes
from kg.extract.frames import frame_options, has_clausal_frame
from kg.extract.lexicon import Lexicon
from kg.extract.quotes import first_starting_from
from kg.extract.sources import (MEANS_VERBS, addressee_of, clipped, name_between, noun_phrase, passive,
                                passive_participle, phrase_extent, relative_pronoun, stranded_name_before,
                                subject_of, to_infinitive, unless_impersonal, unless_judgement, without_speaker,
                                writers_aside, generic_you)
from kg.extract.statements import is_speech_verb, means_gerund, reporting_verb, separate_statements
from kg.extract.tokens import SUBJECTS, VERB, VERBAL, positions, shallow, subtree, subtree_indices
from kg.extract.verbquotes import (describes_noun, distance, governing_speech_verb, quotations_around,
                                   sentence_quotations, speaker_between_quotations)
from kg.model import CueType, QuoteType, Stance

# Below this learned probability a frame is not taken as attributed content. Tuned on PolNeAR train articles
# held out from the model's training (scripts/train_cue_model.py), never on dev.
FRAME_THRESHOLD = 0.2
MODEL_THRESHOLD = 0.2  # the same, for the trained (cue, frame) model when it is shipped
# ... except where the train articles held out from the model show the frame's candidates below it right too
# rarely to pay for themselves: a verb complement ("tried [to reach ...]") scored 0.2-0.3 has the right
# source 34 % and the right content 41 % of the time (140 held-out articles), under the F1 break-even; and a
# clause or a prepositional frame ("prep-" stands for every preposition) scored 0.2-0.25 is a linked match 24 %
# of the time for prepositions (25 held-out candidates; 28 % of 137 on the other 700 articles) and 22 % for
# clauses (9; 18 % of 55), against a break-even near 38 %
MODEL_FRAME_THRESHOLDS = {"xcomp": 0.3, "prep-": 0.25, "ccomp": 0.25}
CLAUSAL_FRAMES = {"ccomp", "parataxis-head"}  # the frames a verb in neither lexicon is trusted with at their threshold
# ... and a verb complement or a prepositional frame of such a verb ("groused [to a crowd that ...]", "lectured
# [on X]", "puzzled [about what ...]") when the model, which then knows only its syntax and context vectors, is
# at least this sure: on the 140 held-out train articles the new candidates raised linked lenient at every
# threshold from 0.3 to 0.5 (the middle taken); an object frame ("withdrew [notices]") did not pay at any.
UNLISTED_FRAME_THRESHOLD = 0.4
UNLISTED_FRAMES = ("xcomp", "prep-")
# What the learned numbers cannot know: a hand-listed cue with a that-clause is an attribution whatever
# the corpus annotated. (Other frames of hand cues go by the model alone: "called them", "know the case".)
HAND_FRAME_P = {"ccomp": 0.6}
HAND_OBJECT_P = 0.5  # and a hand-listed cue whose object is its content ("criticized [the plan]")
QUOTE_P, COLON_P = 0.85, 0.8
# Verbs whose "it" subject is a placeholder for a clause ("it seems that ...", "it's clear that ..."), not a speaker.
RAISING_VERBS = {"be", "seem", "appear"}
# A cue verb's object noun is part of the cue when train annotates it so this often ("voiced [displeasure] with").
LIGHT_P = 0.5
# ... and one annotated so at least LIGHT_ANY_VERB_P of the times makes any verb a cue ("have [doubts] about",
# "took a firm [stance] against"), whatever the verb's own learned numbers. Chosen on 700 train articles (the
# new attributions of nouns at 0.6 or more were linked matches 15 times of 20, those at 0.5-0.6 18 of 39, most
# of them raised or answered questions and carried out attacks); on the 140 held out: see the commit message
LIGHT_ANY_VERB_P = 0.6
LIGHT_OBJECT_P = 0.5
# Prepositions that belong to the cue when they open its content ("called for", "called on", "pointed to"); on
# 700 train articles moving "against", "at", "with" or "in" made no content exact, and "about" and "as" stay in
# it ("talked [about X]", "described him [as X]"): train annotates them so more often.
CUE_PREPOSITIONS = {"for", "on", "to"}
ANSWER_P = 0.75  # "said yes" / "said no": train, 10 of 13 are annotated with the answer as the content


class Choice(NamedTuple):
    """A cue verb's content as choose_frame picks it, and the cue's words when more than the verb's own."""

    content: list[tuple[int, int]]
    quote_type: QuoteType
    rule: str
    confidence: float
    cue_tokens: list | None = None  # "expressed [concern] [about]": the verb's object noun joins the cue


def cue_verbs(doc, lexicon: Lexicon, quotes: list[tuple[int, int]]) -> list[Candidate]:
    """Every cue verb with content: "X said (that) ...", "“...,” X said", "X said: ...", "X criticized Y"."""
    found: list[tuple[int, Candidate]] = []  # (index of the cue verb, candidate)
    unplaced: set[int] = set()
    listed = positions(doc, lemmas=lexicon.verb_lemmas, pos=VERBAL)
    # with the trained model, any verb may be a cue ("theorized that ..."): the model judges it from
    # its syntax and subject alone, and only with a clausal content
    candidates = sorted(set(listed) | set(positions(doc, pos=(VERB,)))) if cuemodel.load() else listed
    for i in shallow(doc, candidates):
        token = doc[i]
        lemma = token.lemma_.lower()
        hand, learned = lexicon.verbs.get(lemma), lexicon.learned.get((lemma, "verb"))
        if inside_quote(token, quotes):
            continue  # a cue word inside a quotation belongs to the quoted speaker's own words
        if writers_reasoning(token):
            continue
        choice = choose_frame(token, hand, learned, quotes, lexicon)
        if choice is None:
            continue
        content, quote_type, rule, confidence, cue_tokens = choice
        reporter = reporting_verb(token, lexicon)
        if reporter is not None and inside_quote(reporter, quotes):
            # "X stepped up his attacks, saying he is “weak, you know that.”": the parser hung the sentence on
            # the quoted "know"; the quoted words' verb reports nothing said outside them
            reporter = None
        source = _controller(token, lexicon) or subject_of(reporter if reporter is not None else token)
        if source is None and rule == "quote":
            source = speaker_between_quotations(token, quotes)
        if source is not None and rule == "quote" and overlaps(source, content):
            # "“Very good reporter,” Ana Costa, the chief engineer, said": the parser made the quotation the
            # subject and hung the name on it; the name before the verb speaks
            source = stranded_name_before(token) or name_between(content[-1][1], token)
        if source is None and not passive(token) and (learned is None or learned.p_source >= 0.5):
            if token.dep_ != "xcomp" and not (token.dep_ == "advcl" and to_infinitive(token)):
                continue  # "to say that ..." with nobody to say it: not an attribution we can place
            unplaced.add(token.i)  # unless it merges with the verb it complements ("declined to say")
        source = unless_judgement(source, learned, lemma in RAISING_VERBS or token.pos_ == "AUX")
        source = unless_impersonal(token, source)
        if generic_you(source):
            continue  # "if you listen to them, you know ...": nobody in particular says anything
        if source is not None and overlaps(source, content):
            # the parser hung the speaker inside the clause before the verb ("A, Patrick Kennedy, the
            # undersecretary, wrote"): the content is what is left around it; "[Her criticism] angered ..."
            # leaves nothing, what the subject is cannot also be who speaks
            content = without_speaker(content, phrase_extent(source), token)
            if not content:
                continue
        recipient = addressee_of(token, hand.object if hand else "-")
        if recipient is None and passive_participle(token) and token.dep_ == "advcl":
            recipient = subject_of(token.head)  # "Asked whether ..., the mayor said": the mayor was asked
        found.append((token.i, Candidate(
            cue_type=hand.cue_type if hand else CueType.ASSERT, stance=hand.stance if hand else Stance.CERTAIN,
            content=content, source=source,
            source_extent=relative_pronoun(token) or clipped(phrase_extent(source), content, token, source),
            cue=char_span(cue_tokens or _cue_tokens(token)),
            recipient=recipient, quote_type=quote_type,
            confidence=round(confidence, 2), rule=rule, sentence=token.sent.start, aside=writers_aside(token))))
    return _merge_catenatives(doc, found, unplaced)


def writers_reasoning(verb) -> bool:
    """A cue verb in a clause that weighs a thought instead of reporting one: the rejected side of a comparison
    ("... than to consider that an ally might have fired", "would rather blame X than admit that ...") or the
    infinitive of "it is easier (for X) to ...". Nobody is said to consider, admit or blame anything."""
    if any(c.dep_ == "mark" and c.lower_ == "than" for c in verb.children) \
            and not any(c.dep_ in SUBJECTS for c in verb.children):
        return True  # (with a subject of its own the clause reports: "higher than most analysts had forecast")
    head = verb.head
    return to_infinitive(verb) and verb.dep_ in ("advcl", "xcomp") and head.lemma_ == "be" \
        and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children) \
        and any(c.dep_ == "acomp" and c.tag_ in ("JJR", "JJS") for c in head.children)


def _merge_catenatives(doc, found: list[tuple[int, Candidate]], unplaced: set[int]) -> list[Candidate]:
    """"X declined to say whether Y", "X seems to feel Y": when a cue's content is a verb complement that is
    a cue with content of its own, the two verbs are one cue ("declined to say") and the content is the
    inner one's. A complement without a source (``unplaced``) that merges with nothing is dropped."""
    by_verb = dict(found)
    dropped = set()
    for i, candidate in found:
        complement = next((c for c in doc[i].children if c.dep_ == candidate.rule), None) \
            if candidate.rule in ("xcomp", "advcl") else None
        if complement is not None and complement.dep_ == "advcl" and not to_infinitive(complement):
            complement = None  # "went on [to say]" parsed as an adverbial clause; "said [when asked]" is not one cue
        inner = by_verb.get(complement.i) if complement is not None else None
        if inner is None or inner.rule in ("xcomp", "advcl") or not _adjacent_verbs(doc[i], complement):
            continue
        dropped.add(i)
        unplaced.discard(complement.i)
        inner.cue = (min(candidate.cue[0], inner.cue[0]), max(candidate.cue[1], inner.cue[1]))
        inner.confidence = max(inner.confidence, candidate.confidence)
        if inner.source is None:
            inner.source, inner.source_extent = candidate.source, candidate.source_extent
    return [candidate for i, candidate in found if i not in dropped and i not in unplaced]


def _adjacent_verbs(verb, complement) -> bool:
    """Whether only "to", adverbs and commas stand between a verb and its complement (one cue phrase)."""
    between = verb.doc[verb.i + 1:complement.i]
    return complement.i > verb.i and all(t.dep_ in ("aux", "advmod", "neg", "prt", "punct") for t in between)


def choose_frame(verb, hand, learned, quotes, lexicon: Lexicon):
    """The most probable content of a cue verb, or None."""
    around = quotations_around(verb, quotes)
    if around:
        return Choice(around, QuoteType.DIRECT, "quote", QUOTE_P)
    unlisted = hand is None and learned is None
    if unlisted and not has_clausal_frame(verb) and not _has_unlisted_frame(verb):
        return None  # a verb in neither lexicon is trusted only with some frames (most verbs: no time spent)
    options = frame_options(verb)
    if passive_participle(verb):
        options.pop("parataxis-head", None)  # "Alarmed by the vote, the mayor said ...": not what alarmed says
    if hand is not None and hand.object == "addressee":
        options.pop("dobj", None)  # "told [the network]": the object is whom, not what
    if "ccomp" in options and "dobj" in options and _comma_spliced(verb):
        options.pop("ccomp")  # "X blame Y for Z, it's easier ...": a comma-spliced clause is not the content
    scored: list[tuple[float, str]] = []
    model = cuemodel.load()
    light = _light_object(verb, lexicon) if "dobj" in options else None
    light_object = light is not None and light[2] >= LIGHT_ANY_VERB_P  # [2]: how often train marks the noun a cue
    for frame, indices in options.items():
        if model is not None:
            threshold = frame_threshold(frame)
            if unlisted and frame not in CLAUSAL_FRAMES and not light_object:
                if not frame.startswith(UNLISTED_FRAMES):
                    continue  # an unknown verb with an object ("groomed the horses") is rarely a statement
                threshold = max(threshold, UNLISTED_FRAME_THRESHOLD)
            p = model.probability(cuemodel.features(verb, frame, indices, lexicon, quotes),
                                  cuemodel.context_vector(verb, indices))
        else:
            p = learned.p_frame(frame) if learned is not None else None
            threshold = FRAME_THRESHOLD
        if hand is not None:
            floor = HAND_OBJECT_P if frame == "dobj" and hand.object == "content" else 0.0
            p = max(p or 0.0, HAND_FRAME_P.get(frame, floor))
        if frame == "dobj" and light_object:
            p = max(p or 0.0, LIGHT_OBJECT_P)  # "had doubts about": the object noun makes any verb a cue
        if p is not None and p >= threshold:
            scored.append((p, frame))
    likely_cue = hand is not None or (learned is not None and learned.p_cue >= FRAME_THRESHOLD)
    has_clause = any(frame == "ccomp" for _, frame in scored)
    colon = _colon_after(verb) if likely_cue and not has_clause else None
    if colon is not None:
        tokens = [t for t in verb.sent if t.i > colon.i and not t.is_space]
        if tokens:
            spans = with_quotes(token_runs(tokens), quotes)
            return Choice(spans, quote_type_of(spans, quotes), "colon", COLON_P)
        # "Cruz continued:" ending its paragraph: the quotation that opens the next one is the content
        return Choice([], QuoteType.DIRECT, "colon-open", COLON_P)
    doc = verb.doc
    quoted = []
    # (Token.sent scans for the sentence boundaries: only when there is a quotation to place.) A verb that
    # describes a noun ("said Ana Costa, who [teaches] law"), is the content of another ("noted that she
    # [offers] ...") or the object of a preposition ("Instead of [calling] himself X, she said, “...”") is
    # not the speaker of a quotation outside its own dependents.
    speech_verb = is_speech_verb(verb, lexicon) and not passive_participle(verb)
    if quotes and speech_verb and not has_clause and not describes_noun(verb) \
            and verb.dep_ not in ("ccomp", "pcomp"):
        quoted = sentence_quotations(verb, quotes)
    elif quotes and speech_verb and not has_clause and verb.dep_ == "pcomp":
        opening = _quotation_opening_after(verb, quotes)
        if opening is not None:  # "ended her speech by [saying] “Never again.”": the quotation is what it says
            return Choice([opening], QuoteType.DIRECT, "quote", QUOTE_P)
    in_frames = set()
    if quoted:
        # a quotation inside the verb's own dependents is taken with its frame below; one inside a
        # coordinated verb ("praised X and said “...”") is that verb's content
        in_frames = {doc[i].idx for tokens in options.values() for i in tokens}
        conjoined = {t.idx for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                     for t in subtree(c)}
        governing = governing_speech_verb(verb, lexicon)
        if governing is not None:
            # "“...,” writes Ana Ruiz, [seeming] to agree", "When [asked] ..., she paused: “...” she said":
            # the speech verb this one depends on is nearer the quotation and says it
            quoted = [q for q in quoted if distance(verb, q) < distance(governing, q)]
        outside = [q for q in quoted if not any(q[0] <= start < q[1] for start in in_frames | conjoined)]
        if outside:
            # a quotation outside the verb's own dependents ("“...,” she said")
            return Choice(outside, QuoteType.DIRECT, "quote", QUOTE_P)
        if not scored:
            # the parser hung the quotation on the cue as an adverbial ("“A, I think,” she said"): with
            # no frame that is likely content, the quotation still is
            inside = [q for q in quoted if not any(q[0] <= start < q[1] for start in conjoined)]
            if inside:
                return Choice(inside, QuoteType.DIRECT, "quote", QUOTE_P)
    if not scored:
        answer = _yes_or_no(verb) if speech_verb else None
        if answer is not None:  # "46 percent of voters said yes", "the candidate said no": the answer
            return Choice([char_span([answer])], QuoteType.INDIRECT, "answer", ANSWER_P)
        return None
    p, frame = max(scored)
    addressee = hand is not None and hand.object == "addressee"
    if frame == "dobj" and light is not None:
        (indices, cue_tokens, _), frame = light, "light"  # "expressed concern [about the plan]": the noun's complement
    else:
        indices, cue_tokens = extent.extend(verb, frame, options[frame], addressee), None
    indices -= nested_according(verb.doc, indices)
    indices -= separate_statements(verb, indices, lexicon)
    gerund = means_gerund(verb, indices, lexicon)
    if gerund is not None and _says_something(gerund, quotes, lexicon):
        indices -= set(subtree_indices(gerund.head))  # the "by" phrase is the gerund's statement, not this cue's
    if not indices:
        return None  # "He apologized, saying ...": the participle's statement is the claim, not the apology
    particle = _cue_preposition(verb, indices)
    if particle is not None and len(indices) > 1:
        indices.discard(particle.i)
        cue_tokens = (cue_tokens or _cue_tokens(verb)) + [particle]
    tokens = [verb.doc[i] for i in sorted(indices)]
    spans = with_quotes(token_runs(tokens), quotes)
    if not spans:
        return None
    return Choice(spans, quote_type_of(spans, quotes), frame, p, cue_tokens)


def _says_something(verb, quotes, lexicon: Lexicon) -> bool:
    """Whether a verb is a cue with content of its own ("by stressing the budget" may not be one)."""
    lemma = verb.lemma_.lower()
    return choose_frame(verb, lexicon.verbs.get(lemma), lexicon.learned.get((lemma, "verb")), quotes, lexicon) \
        is not None


def _cue_preposition(verb, indices: set[int]):
    """The "for", "on" or "to" that opens a content right after its cue verb ("called [for] X to resign", "called [on]
    the board to act", "apologized [for] the remark", "pushing [for] a vote"): PolNeAR makes it part of the cue
    (on 700 train articles, moving it made 45 contents exact and 6 inexact), whether the parser hung it on the
    verb or made it the mark of an infinitive clause. None for any other first word."""
    first = verb.doc[min(indices)]
    if first.lower_ not in CUE_PREPOSITIONS or first.i < verb.i or first.dep_ not in ("prep", "mark"):
        return None
    if any(t.ent_type_ in ("DATE", "TIME") for t in first.children):
        return None  # "was dismissed [on Monday]": a date, not what the cue is about
    between = verb.doc[verb.i + 1:first.i]
    return first if all(t.dep_ in ("advmod", "prt", "neg") for t in between) else None


def _quotation_opening_after(verb, quotes):
    """The quotation that opens right after a verb, past a comma or colon ("by saying, “...”"), if any. A speech
    verb under a preposition takes no quotation from elsewhere in its sentence ("Instead of calling himself X, she
    said, “...”"), but one that follows it is its object, however the parser hung the quoted words."""
    doc = verb.doc
    after = next((t for t in doc[verb.i + 1:verb.i + 3] if t.text not in (",", ":") and not t.is_space), None)
    if after is None:
        return None
    opening = first_starting_from(quotes, after.idx)
    return opening if opening is not None and opening[0] == after.idx else None


def _has_unlisted_frame(verb) -> bool:
    """Whether a verb has a frame UNLISTED_FRAMES lets a verb in neither lexicon take, without building it."""
    return any(child.dep_ in ("xcomp", "prep") for child in verb.children)


def frame_threshold(frame: str) -> float:
    """The trained model's threshold for a frame: its own, else its kind's ("prep-with" is a "prep-"), else
    MODEL_THRESHOLD."""
    kind = "prep-" if frame.startswith("prep-") else frame
    return MODEL_FRAME_THRESHOLDS.get(frame, MODEL_FRAME_THRESHOLDS.get(kind, MODEL_THRESHOLD))


def _yes_or_no(verb):
    """The "yes" or "no" right after a verb ("said yes"), if any."""
    following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if following is not None and following.head.i == verb.i and following.lower_ in ("yes", "no") \
            and following.dep_ in ("intj", "dobj"):
        return following
    return None


def _light_object(verb, lexicon: Lexicon):
    """"expressed concern about the plan", "voiced displeasure with it": the verb's object noun is part of the
    cue, not its content, when the train split annotates that noun so at least LIGHT_P of the times it is a
    cue's object (kind "light" in cues_learned.tsv). (content indices, cue tokens, that share) from the noun's
    dependent that then most often holds the content, or None."""
    noun = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    learned = lexicon.learned.get((noun.lemma_.lower(), "light")) if noun is not None else None
    if learned is None or learned.p_cue < LIGHT_P:
        return None
    options = frame_options(noun)
    scored = [(p, frame) for frame, indices in options.items()
              if min(indices) > noun.i and (p := learned.p_frame(frame)) is not None and p >= FRAME_THRESHOLD]
    if not scored:
        return None
    _, frame = max(scored)
    indices, cue = set(options[frame]), [verb, noun]
    if frame.startswith("prep-"):
        preposition = extent.frame_preposition(noun, frame)  # "concern [about]" belongs to the cue
        indices.discard(preposition.i)
        cue.append(preposition)
    return indices, cue, learned.p_cue


def _comma_spliced(verb) -> bool:
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    return bool(objects and clauses and clauses[0].i > objects[0].i and any(
        t.is_punct for t in verb.doc[objects[0].right_edge.i:clauses[0].left_edge.i]))


def _controller(verb, lexicon: Lexicon):
    """"forced Sanders to acknowledge ...", "led experts to suspect ...": the object of the verb above an
    infinitive is who acknowledges, suspects. Not under a speech verb: in "asked members to reject the offer"
    the rejecting is what was asked, and the members said nothing."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.pos_ not in ("VERB", "AUX") or is_speech_verb(head, lexicon) \
            or head.lemma_.lower() in MEANS_VERBS:  # "used a rude word to describe X": the user describes
        return None
    controller = next((c for c in head.children if c.dep_ in ("dobj", "dative") and c.i < verb.i), None)
    return noun_phrase(controller) if controller is not None else None


def _cue_tokens(verb):
    particles = [c for c in verb.children if c.dep_ == "prt"]
    return [verb, *particles]


def _colon_after(verb):
    doc = verb.doc
    for i in range(verb.i + 1, min(verb.i + 3, len(doc))):
        if doc[i].is_sent_start:
            return None
        if doc[i].text == ":":
            return doc[i]
        if not (doc[i].dep_ in ("prt", "advmod") or doc[i].is_space):
            return None
    return None
