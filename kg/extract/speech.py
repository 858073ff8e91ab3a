"""Reported speech and belief: cue verbs and nouns with their sources and their content clauses."""
from __future__ import annotations

from typing import NamedTuple

from kg.extract import cuemodel, extent
from kg.extract.candidates import Candidate, quote_type_of, token_runs
from kg.extract.lexicon import Cue, Lexicon
from kg.extract.frames import frame_options, has_clausal_frame
from kg.extract.quotes import (char_before, end_of_words_before, first_starting_from, last_ending_by,
                               opens_sentence, quotation_inside)
from kg.extract.tokens import NOMINAL, SUBJECTS, VERB, VERBAL, doc_text, positions, shallow, subtree, subtree_indices
from kg.model import CueType, QuoteType, Stance

# Dependents of a cue verb that are never part of its content.
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
# Prepositions that introduce what a cue noun is about ("criticism of", "comments on", "attack against").
NOUN_CONTENT_PREPOSITIONS = {"of", "on", "about", "against", "for", "over", "toward", "towards"}


# Below this learned probability a frame is not taken as attributed content. Tuned on PolNeAR train articles
# held out from the model's training (scripts/train_cue_model.py), never on dev.
FRAME_THRESHOLD = 0.2
MODEL_THRESHOLD = 0.2  # the same, for the trained (cue, frame) model when it is shipped
# ... except where the train articles held out from the model show the frame's candidates below it right too
# rarely to pay for themselves: a verb complement ("tried [to reach ...]") scored 0.2-0.3 has the right
# source 34 % and the right content 41 % of the time (140 held-out articles), under the F1 break-even
MODEL_FRAME_THRESHOLDS = {"xcomp": 0.3}
CLAUSAL_FRAMES = {"ccomp", "parataxis-head"}  # the only frames a verb in neither lexicon is trusted with
# What the learned numbers cannot know: a hand-listed cue with a that-clause is an attribution whatever
# the corpus annotated. (Other frames of hand cues go by the model alone: "called them", "know the case".)
HAND_FRAME_P = {"ccomp": 0.6}
HAND_OBJECT_P = 0.5  # and a hand-listed cue whose object is its content ("criticized [the plan]")
QUOTE_P, COLON_P = 0.85, 0.8
NOUN_MIN_P_CUE = 0.05  # learned cue nouns rarer than this as a cue are taken only from the hand lexicon
# Verbs whose "it" subject is a placeholder for a clause ("it seems that ...", "it's clear that ..."), not a speaker.
RAISING_VERBS = {"be", "seem", "appear"}
# Cue verbs annotated with a source less often than this ("seem", "appear") say nothing of their subject's
# words: the subject is what the judgement is about. Learned rates from PolNeAR train (cues_learned.tsv).
SOURCELESS_P = 0.25
# A cue verb's object noun is part of the cue when train annotates it so this often ("voiced [displeasure] with").
LIGHT_P = 0.5
ANSWER_P = 0.75  # "said yes" / "said no": train, 10 of 13 are annotated with the answer as the content
DASHES = ("—", "–", "-", "--")  # as tokens: what opens and closes an aside inside a source phrase
MIN_QUOTE_WORDS = 3  # shorter quotations are scare quotes or titles, not statements
FOCUS_ADVERBS = {"even", "only", "just", "also", "especially", "particularly"}  # the writer's, not the source's
SOURCE_PREPOSITIONS = {"of", "including", "like", "along", "among"}  # asides that still say who speaks
NAME_LIKE_MODALS = {"will", "may"}  # the surnames of columnists and prime ministers
FINITE_TAGS = {"VBD", "VBZ", "VBP"}
# Words that join another speaker's statement to a content clause ("..., while others said ...").
CONTRAST_WORDS = {"while", "whereas", "but", "although", "though", "and"}
# The dependency labels of the clauses _separate_statements cuts out (each of its rules needs one of them).
STATEMENT_CLAUSES = frozenset({"advcl", "acl", "conj"})


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
        choice = choose_frame(token, hand, learned, quotes, lexicon)
        if choice is None:
            continue
        content, quote_type, rule, confidence, cue_tokens = choice
        reporter = _reporting_verb(token, lexicon)
        source = _controller(token, lexicon) or subject_of(reporter if reporter is not None else token)
        if source is None and rule == "quote":
            source = _speaker_between_quotations(token, quotes)
        if source is not None and rule == "quote" and overlaps(source, content):
            # "“Very good reporter,” Ana Costa, the chief engineer, said": the parser made the quotation the
            # subject and hung the name on it; the name before the verb speaks
            source = _stranded_name_before(token) or _name_between(content[-1][1], token)
        if source is None and not _passive(token) and (learned is None or learned.p_source >= 0.5):
            if token.dep_ != "xcomp" and not (token.dep_ == "advcl" and _to_infinitive(token)):
                continue  # "to say that ..." with nobody to say it: not an attribution we can place
            unplaced.add(token.i)  # unless it merges with the verb it complements ("declined to say")
        source = unless_judgement(source, learned, lemma in RAISING_VERBS or token.pos_ == "AUX")
        if source is not None and overlaps(source, content):
            # the parser hung the speaker inside the clause before the verb ("A, Patrick Kennedy, the
            # undersecretary, wrote"): the content is what is left around it; "[Her criticism] angered ..."
            # leaves nothing, what the subject is cannot also be who speaks
            content = _without_speaker(content, phrase_extent(source), token)
            if not content:
                continue
        recipient = addressee_of(token, hand.object if hand else "-")
        if recipient is None and _passive_participle(token) and token.dep_ == "advcl":
            recipient = subject_of(token.head)  # "Asked whether ..., the mayor said": the mayor was asked
        found.append((token.i, Candidate(
            cue_type=hand.cue_type if hand else CueType.ASSERT, stance=hand.stance if hand else Stance.CERTAIN,
            content=content, source=source,
            source_extent=_relative_pronoun(token) or _clipped(phrase_extent(source), content, token, source),
            cue=char_span(cue_tokens or _cue_tokens(token)),
            recipient=recipient, quote_type=quote_type,
            confidence=round(confidence, 2), rule=rule, sentence=token.sent.start)))
    return _merge_catenatives(doc, found, unplaced)


def _merge_catenatives(doc, found: list[tuple[int, Candidate]], unplaced: set[int]) -> list[Candidate]:
    """"X declined to say whether Y", "X seems to feel Y": when a cue's content is a verb complement that is
    a cue with content of its own, the two verbs are one cue ("declined to say") and the content is the
    inner one's. A complement without a source (``unplaced``) that merges with nothing is dropped."""
    by_verb = dict(found)
    dropped = set()
    for i, candidate in found:
        complement = next((c for c in doc[i].children if c.dep_ == candidate.rule), None) \
            if candidate.rule in ("xcomp", "advcl") else None
        if complement is not None and complement.dep_ == "advcl" and not _to_infinitive(complement):
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


def _to_infinitive(verb) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _adjacent_verbs(verb, complement) -> bool:
    """Whether only "to", adverbs and commas stand between a verb and its complement (one cue phrase)."""
    between = verb.doc[verb.i + 1:complement.i]
    return complement.i > verb.i and all(t.dep_ in ("aux", "advmod", "neg", "prt", "punct") for t in between)


def choose_frame(verb, hand, learned, quotes, lexicon: Lexicon):
    """The most probable content of a cue verb, or None."""
    around = _quotations_around(verb, quotes)
    if around:
        return Choice(around, QuoteType.DIRECT, "quote", QUOTE_P)
    if hand is None and learned is None and not has_clausal_frame(verb):
        return None  # a verb in neither lexicon is trusted only with a clausal content (most verbs: no time spent)
    options = frame_options(verb)
    if _passive_participle(verb):
        options.pop("parataxis-head", None)  # "Alarmed by the vote, the mayor said ...": not what alarmed says
    if hand is not None and hand.object == "addressee":
        options.pop("dobj", None)  # "told [the network]": the object is whom, not what
    if "ccomp" in options and "dobj" in options and _comma_spliced(verb):
        options.pop("ccomp")  # "X blame Y for Z, it's easier ...": a comma-spliced clause is not the content
    scored: list[tuple[float, str]] = []
    model = cuemodel.load()
    for frame, indices in options.items():
        if model is not None:
            if learned is None and hand is None and frame not in CLAUSAL_FRAMES:
                continue  # an unknown verb with an object ("groomed the horses") is rarely a statement
            p = model.probability(cuemodel.features(verb, frame, indices, lexicon, quotes),
                                  cuemodel.context_vector(verb, indices))
            threshold = MODEL_FRAME_THRESHOLDS.get(frame, MODEL_THRESHOLD)
        else:
            p = learned.p_frame(frame) if learned is not None else None
            threshold = FRAME_THRESHOLD
        if hand is not None:
            floor = HAND_OBJECT_P if frame == "dobj" and hand.object == "content" else 0.0
            p = max(p or 0.0, HAND_FRAME_P.get(frame, floor))
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
    speech_verb = _is_speech_verb(verb, lexicon) and not _passive_participle(verb)
    if quotes and speech_verb and not has_clause and not _describes_noun(verb) \
            and verb.dep_ not in ("ccomp", "pcomp"):
        quoted = _sentence_quotations(verb, quotes)
    in_frames = set()
    if quoted:
        # a quotation inside the verb's own dependents is taken with its frame below; one inside a
        # coordinated verb ("praised X and said “...”") is that verb's content
        in_frames = {doc[i].idx for tokens in options.values() for i in tokens}
        conjoined = {t.idx for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                     for t in subtree(c)}
        governing = _governing_speech_verb(verb, lexicon)
        if governing is not None:
            # "“...,” writes Ana Ruiz, [seeming] to agree", "When [asked] ..., she paused: “...” she said":
            # the speech verb this one depends on is nearer the quotation and says it
            quoted = [q for q in quoted if _distance(verb, q) < _distance(governing, q)]
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
    light = _light_object(verb, lexicon) if frame == "dobj" else None
    if light is not None:
        (indices, cue_tokens), frame = light, "light"  # "expressed concern [about the plan]": the noun's complement
    else:
        indices, cue_tokens = extent.extend(verb, frame, options[frame], addressee), None
    indices -= _nested_according(verb.doc, indices)
    indices -= _separate_statements(verb, indices, lexicon)
    if not indices:
        return None  # "He apologized, saying ...": the participle's statement is the claim, not the apology
    tokens = [verb.doc[i] for i in sorted(indices)]
    spans = with_quotes(token_runs(tokens), quotes)
    if not spans:
        return None
    return Choice(spans, quote_type_of(spans, quotes), frame, p, cue_tokens)


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
    cue's object (kind "light" in cues_learned.tsv). (content indices, cue tokens) from the noun's dependent
    that then most often holds the content, or None."""
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
    return indices, cue


def _sentence_quotations(verb, quotes) -> list[tuple[int, int]]:
    """Quotations a cue verb can introduce: those in its sentence ("“A. B,” she said", a multi-sentence
    one ending there counts), or one that closes right before a sentence of its own ("“Ready?” ¶ she
    asked." where the parser split after the question mark)."""
    doc, sentence = verb.doc, verb.sent
    text = doc_text(doc)
    # a quotation shares the sentence only with words of it: the parser often ends a sentence after the
    # opening mark of the next one ("... oil prices. ''")
    found = [q for q in quotes if _shares_words(text, q, sentence) and not _covers(q, verb)
             and _statement_sized(text, q, verb, sentence)]
    if not found and all(_bare_report_token(verb, t) for t in sentence):
        # the sentence is only "[subject] said [when, where]": its content is the quotation just before it
        before = last_ending_by(quotes, sentence.start_char)
        found = [before] if before is not None and not text[before[1]:sentence.start_char].strip() \
            and _statement_sized(text, before, verb, sentence) else []
    return found


def _governing_speech_verb(verb, lexicon: Lexicon):
    """The speech verb a verb's clause depends on (through adverbial, complement clauses), if any."""
    token = verb
    while token.dep_ in ("advcl", "xcomp", "ccomp", "pcomp", "prep") and token.head.i != token.i:
        token = token.head
        if token.pos_ == "VERB" and _is_speech_verb(token, lexicon) and not _passive_participle(token):
            return token
    return None


def _distance(verb, quote: tuple[int, int]) -> int:
    """Characters between a verb and a quotation."""
    return max(quote[0] - verb.idx, verb.idx - quote[1], 0)


def _statement_sized(text: str, quote: tuple[int, int], verb, sentence) -> bool:
    """Long enough to be a statement, or a short one set off as speech: closed by its own punctuation and
    right beside the cue ("“Absolutely not,” he said", "Asked again, she said, “Probably.”"), where a scare
    quote or a title ("called it a “disaster”") is neither."""
    words = text[quote[0]:quote[1]].split()
    if len(words) >= MIN_QUOTE_WORDS:
        return True
    inner = text[quote[0]:quote[1]].rstrip("\"'”»’ ")
    if not words or inner[-1:] not in (",", ".", "?", "!"):
        return False
    verb_end = verb.idx + len(verb.text)
    opens_the_sentence = quote[1] <= verb.idx and not text[sentence.start_char:quote[0]].strip()
    follows_the_verb = quote[0] >= verb_end and text[verb_end:quote[0]].strip() in (",", ":")
    return opens_the_sentence or follows_the_verb or quote[1] <= sentence.start_char


def _quotations_around(verb, quotes) -> list[tuple[int, int]]:
    """“A,” she said, “B.” / “A,” said Ana Ruiz. / “A?” she asked, “B”: a quotation closing right
    before the cue clause (its verb and subject phrase), with the one opening right after it, if any.
    Whatever the verb (“...,” she elaborated, “...”), in that place it says them; the parser often hangs
    the quotations elsewhere (one as the verb's clause, the other as an adverbial, or the verb under a
    name)."""
    if not quotes or verb.pos_ != "VERB":
        return []
    if _describes_noun(verb) and not (verb.dep_ == "acl" and verb.head.dep_ == "ROOT"):
        return []  # "Ana Costa, now retired, said": the verb of an aside says nothing
    doc = verb.doc
    text = doc_text(doc)
    subject = _speaker_between_quotations(verb, quotes)
    if subject is None or len(subject) == 0:
        return []
    phrase = phrase_extent(subject)
    if subject.start < verb.i and any(not (t.is_punct or t.is_space or t.dep_ in ("advmod", "aux", "neg")
                                           or t.i < phrase.end) for t in doc[subject.end:verb.i]):
        return []  # the subject and the verb are not one clause ("“...,” X told them, adding ...")
    start = min(verb.idx, subject.start_char)
    # "said Ana Ruiz, the mayor, “...”": after the verb, the subject's whole phrase belongs to the cue clause
    end = verb.idx + len(verb.text) if subject.start < verb.i else _before_quotation(phrase, quotes)
    # (quotations are disjoint marks-to-marks: only the last one ending before the clause can touch it)
    before = last_ending_by(quotes, start)
    if before is not None and (text[before[1]:start].strip() or "\n" in text[before[1]:start]):
        before = None
    if before is None or text[before[0]:before[1]].rstrip("\"'”»’ ")[-1:] not in (",", "?", "!") \
            or not _statement_sized(text, before, verb, verb.sent) or not opens_sentence(text, before[0]):
        return []  # a quotation inside a paraphrase ("X is ''not a backslapper,'' he said") is not all of it
    after = first_starting_from(quotes, end)
    if after is None or not _only_adverbials(verb, text, end, after[0]) \
            or char_before(text, after[0]).isalnum():
        # (a quotation the subject's own clause runs into, "said X, who added that it seemed “rattled”",
        # is that clause's; the second part of the speaker's follows a mark)
        return [before]
    return [before, after]


def _speaker_between_quotations(verb, quotes):
    """The subject of a cue clause, or the name the parser took from it beside a quotation: in "said Ana
    Ruiz, the mayor, “and ...”" it made the name the subject of the quotation's verb, in "“...,” opined the
    Plain Dealer" the verb's object; in "“...,” Nate Silver, the pollster, tweeted" it read "tweeted" as a
    participle describing the name."""
    subject = subject_of(verb)
    if subject is not None:
        return subject
    doc = verb.doc
    text = doc_text(doc)
    closed = last_ending_by(quotes, verb.idx)
    if closed is not None and not text[closed[1]:verb.idx].strip():
        inverted = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.left_edge.i == verb.i + 1),
                        None)
        if inverted is not None:
            return noun_phrase(inverted)
    if verb.dep_ == "acl" and verb.head.pos_ == "PROPN" and verb.head.i < verb.i:
        return _name_words(verb.head)  # its subtree holds the quotation the parser hung on it
    if verb.i + 1 < len(doc) and doc[verb.i + 1].pos_ == "PROPN":
        name = doc[verb.i + 1]
        while name.dep_ == "compound" and name.head.i > name.i:
            name = name.head
        if name.dep_ in SUBJECTS and name.head.i > name.i:
            return _name_words(name)
    return None


def _name_words(head):
    """A name without its dependents: the head and the compound words right before it ("Nate Silver")."""
    start = head.i
    while start > 0 and head.doc[start - 1].dep_ == "compound" and start - 1 >= head.left_edge.i:
        start -= 1
    return head.doc[start:head.i + 1]


def _before_quotation(extent, quotes) -> int:
    """Where a phrase ends, or the quotation the parser ran it into begins."""
    return min([extent.end_char] + [q[0] for q in quotes if extent.start_char < q[0] < extent.end_char])


def _only_adverbials(verb, text: str, start: int, end: int) -> bool:
    """Whether what stands between a cue clause and the next quotation is a comma, a colon or "and" after words
    that say when, where or to whom ("..., she told reporters on Monday, “...”", "..., she said, and “...”"),
    or nothing at all ("..., Trump said “...”")."""
    if text[start:end].strip() and not text.endswith((",", ":", " and"), 0, end_of_words_before(text, end)):
        return False
    between = verb.doc.char_span(start, end, alignment_mode="expand")
    for token in between or ():
        if token.is_punct or token.is_space or token.lower_ == "and" and token.i == between.end - 1:
            continue
        child = next((a for a in (token, *token.ancestors) if a.head.i == verb.i and a.i != verb.i), None)
        if child is None or child.dep_ not in ("advmod", "npadvmod", "prep", "dobj", "dative", "agent"):
            return False
    return True


def _shares_words(text: str, quote: tuple[int, int], sentence) -> bool:
    start, end = max(quote[0], sentence.start_char), min(quote[1], sentence.end_char)
    return start < end and any(ch.isalnum() for ch in text[start:end])


def _bare_report_token(verb, token) -> bool:
    """Whether a token of the verb's sentence is the verb, a mark, or part of its subject or of an adverbial
    ("Trump said [on Twitter] [Monday].", "... she said [as she left]"): nothing the verb could say."""
    if token.i == verb.i or token.is_punct or token.is_space:
        return True
    chain = (token, *token.ancestors)
    if any(a.dep_ in SUBJECTS for a in chain):
        return True
    child = next((a for a in chain if a.head.i == verb.i and a.i != verb.i), None)
    return child is not None and child.dep_ in ("advmod", "npadvmod", "prep", "agent", "advcl")


def _describes_noun(verb) -> bool:
    """Whether a verb sits in a modifier of a noun (relative clause, participle, apposition)."""
    token = verb
    while token.head.i != token.i:
        if token.dep_ in ("relcl", "acl", "appos"):
            return True
        token = token.head
    return False


def _separate_statements(verb, indices: set[int], lexicon: Lexicon) -> set[int]:
    """Clauses the parser hung inside a content that are statements of their own, to cut out of it: another
    speaker's ("74 percent said they will vote, while 22 percent said they might not"), then the same
    speaker's next cue ("She released a statement, insisting that ...", "He apologized, saying ...")."""
    dropped: set[int] = set()
    clauses = indices.intersection(positions(verb.doc, deps=STATEMENT_CLAUSES))  # the only ones worth a look
    for statement in (_another_speakers_clause, _participle_statement, _conjunct_statement):
        remaining = indices - dropped
        for i in sorted(clauses - dropped):
            if i not in dropped:
                dropped |= statement(verb, verb.doc[i], remaining, lexicon)
    return dropped


def _another_speakers_clause(verb, clause, indices: set[int], lexicon: Lexicon) -> set[int]:
    """The clause with its joiner and comma, if it has a subject and a cue of its own after "while", "but", ..."""
    doc = clause.doc
    if clause.dep_ not in ("advcl", "conj") or clause.pos_ not in ("VERB", "AUX") or clause.head.i not in indices \
            or not _is_speech_verb(clause, lexicon) \
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
    if not _set_off_participle(clause, ("advcl", "acl", "conj")) or not _is_speech_verb(clause, lexicon) \
            or not (clause.head.i in indices or clause.head.i == verb.i):
        return set()
    return set(subtree_indices(clause)) | {clause.left_edge.i - 1}


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
    cue to the content's verb ("lags ... and asked"), but it is the speaker's next statement. The cue verb
    whose content holds such a subjectless speech-verb conjunct, when the conjunct repeats that cue or its
    tense differs from the content verb's ("would rebound and praised", "is ..., but conceded"; "knew ...
    and thought" shares the content's subject), else None."""
    content_verb = clause.head
    if clause.dep_ != "conj" or clause.tag_ not in FINITE_TAGS or content_verb.dep_ != "ccomp" \
            or any(c.dep_ in SUBJECTS for c in clause.children) or not _is_speech_verb(clause, lexicon):
        return None
    verb = content_verb.head
    if not _is_speech_verb(verb, lexicon):
        return None
    if clause.lemma_ == verb.lemma_ or _tense(clause) != _tense(content_verb):
        return verb
    return None


def _tense(verb) -> str:
    """The tag that carries a verb group's tense: its first auxiliary's ("would rebound": MD), else its own."""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    return auxiliaries[0].tag_ if auxiliaries else verb.tag_


def _set_off_participle(token, deps) -> bool:
    """A gerund-participle clause after a comma (", adding that ...")."""
    return token.tag_ == "VBG" and token.dep_ in deps and token.left_edge.i > 0 \
        and token.doc[token.left_edge.i - 1].text == ","


def _reporting_verb(participle, lexicon: Lexicon):
    """The cue whose content the parser hung a participle statement or a cue conjunct in: "The mayor said
    [the bridge would reopen], adding that ...": "adding" shares the subject of "said", not of "reopen"."""
    conjunct_of = _misattached_conjunct(participle, lexicon)
    if conjunct_of is not None:
        return conjunct_of
    if not _set_off_participle(participle, ("advcl", "conj")):
        return None
    token = participle.head
    while token.head.i != token.i:
        if token.dep_ == "ccomp" and _is_speech_verb(token.head, lexicon):
            return token.head
        token = token.head
    return None


def _is_speech_verb(token, lexicon: Lexicon) -> bool:
    return lexicon.is_speech_verb(token.lemma_.lower())


def _nested_according(doc, indices: set[int]) -> set[int]:
    """"X seems enamored, according to Politico" inside a content: a separate attribution, not content."""
    nested = set()
    for i in indices.intersection(positions(doc, lowers=frozenset({"according"}))):
        token = doc[i]
        if i + 1 < len(doc) and doc[i + 1].lower_ == "to":
            nested |= set(subtree_indices(token)) | set(subtree_indices(doc[i + 1]))
            if i > 0 and doc[i - 1].text == ",":
                nested.add(i - 1)
    return nested


def _comma_spliced(verb) -> bool:
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    return bool(objects and clauses and clauses[0].i > objects[0].i and any(
        t.is_punct for t in verb.doc[objects[0].right_edge.i:clauses[0].left_edge.i]))


def subject_of(verb):
    """The source mention of a cue verb: its subject, the agent of a passive, or a shared subject."""
    if _passive_participle(verb):
        return _passive_agent(verb)
    subjects = [child for child in verb.children if child.dep_ in SUBJECTS]
    if len(subjects) > 1:
        # "The Iran-backed militia Kataib Hezbollah said": the parser splits a noun + name apposition
        # into two subjects; the whole phrase is the source
        first, last = noun_phrase(subjects[0]), noun_phrase(subjects[-1])
        if first.end >= subjects[-1].left_edge.i:
            return verb.doc[first.start:last.end]
    # two subjects the parser did not join ("Lisbon (AFP) – Director Lucia Moreira said"): the nearer one
    for child in sorted(subjects, key=lambda c: abs(c.i - verb.i)):
        if child.dep_ in SUBJECTS:
            if child.dep_ == "nsubjpass" or child.lower_ == "it" and _passive(verb):
                agent = _passive_agent(verb)
                return agent
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return noun_phrase(verb.head)
            return noun_phrase(child)
    agent = _passive_agent(verb)
    if agent is not None:
        return agent
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return noun_phrase(verb.head)
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i \
            and (verb.tag_ != "VB" or _to_infinitive(verb)):  # a bare "Think of ..." is an imperative
        return subject_of(verb.head)  # "X said ... and added ...", "X said, adding ..."
    if verb.dep_ == "xcomp" and verb.head.dep_ == "acomp" and verb.head.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head.head)  # "Older voters were more likely to say ...", "She is eager to argue ..."
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX") \
            and verb.tag_ == "VBG":  # "After saying the bridge was safe, the mayor ...", "opened by warning ..."
        return subject_of(verb.head.head)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "his statement saying ..." is his; "internal emails showing that ...", "a union backing X" speak themselves
        return noun_source(verb.head) or noun_phrase(verb.head)
    return _name_read_as_another_word(verb) or _stranded_name_before(verb)


def _name_read_as_another_word(verb):
    """A surname the tagger read as a modal or an adverb, next to a verb left without a subject: "“...,”
    Will wrote", "May said" (no modal takes a past or present tense form), "said Skelly", "Jolly said"
    (an "-ly" name as an adverb; a sentence adverb is not capitalised after the verb, nor glued to it at
    the start of a sentence)."""
    if verb.tag_ not in FINITE_TAGS | {"VBN"}:
        return None
    doc = verb.doc
    for child in verb.children:
        if not child.text[:1].isupper() or abs(child.i - verb.i) != 1:
            continue
        modal = child.dep_ == "aux" and child.tag_ == "MD" and child.i < verb.i and child.lower_ in NAME_LIKE_MODALS
        adverb = child.dep_ == "advmod" and child.pos_ == "ADV" and child.lower_.endswith("ly") \
            and (child.i > verb.i or child.i == verb.sent.start)
        if modal or adverb:
            return doc[child.i:child.i + 1]
    return None


def unless_judgement(source, learned, placeholder_it: bool):
    """The source, or None where the sentence is the writer's judgement: a placeholder "it" ("it seems that
    ...", "it's unclear whether ...", when ``placeholder_it``), or a cue the train split annotates mostly
    without a source ("The memo appears to contradict ...": the subject is what is judged)."""
    if source is None or placeholder_it and len(source) == 1 and source[0].lower_ == "it":
        return None
    return None if learned is not None and learned.p_source < SOURCELESS_P else source


def _name_between(start_char: int, verb):
    """The first name after ``start_char`` and before the verb, in the verb's sentence."""
    for token in verb.doc[verb.sent.start:verb.i]:
        if token.idx >= start_char and token.pos_ == "PROPN" and token.ent_type_ in ("PERSON", "ORG", "NORP"):
            return noun_phrase(token)
    return None


def overlaps(span, spans) -> bool:
    return any(s < span.end_char and span.start_char < e for s, e in spans)


def _stranded_name_before(verb):
    """"..., while touring the docks for her brother, former minister Ana Costa said ...": a name right before
    a subjectless verb that the parser hung elsewhere (an apposition, an object) is still its speaker, and so is
    a name whose apposition closes right before the verb ("Ana Costa, the harbour's engineer, said")."""
    if verb.dep_ != "ROOT":
        return None
    start = verb.left_edge.i  # a root's subtree is its sentence
    i = verb.i - 1
    while i >= start and verb.doc[i].dep_ in ("advmod", "neg", "aux"):
        i -= 1
    if i < start:
        return None
    name = verb.doc[i]
    opening = _opening_subject(verb, start) if name.text == "," else None
    if opening is not None:
        return opening
    if name.text == "," and start <= name.head.i < name.i and name.head.pos_ == "PROPN":
        name = name.head  # the comma that closes the apposition hangs on the name
    elif name.text == "," and i - 1 >= start:
        name = verb.doc[i - 1]  # "..., Senator Ana Costa, the minority leader, said": climb the apposition
        while name.dep_ in ("appos", "pobj", "prep") and start <= name.head.i < name.i \
                and not (name.pos_ == "PROPN" and name.dep_ == "appos"):
            name = name.head
    if name.dep_ not in ("appos", "pobj", "conj", "dobj", "npadvmod", "compound"):
        return None
    if name.pos_ == "PROPN" and name.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") \
            or name.pos_ == "NOUN" and name.dep_ in ("conj", "appos"):  # "..., the mayor's office announced"
        return noun_phrase(name)
    return None


def _opening_subject(verb, start: int):
    """"One attendee, who like others spoke on condition of anonymity, said ...": after a long aside the parser
    can make the phrase that opens the sentence the subject of a verb inside the aside; that phrase, set off
    by the comma before the cue verb, is the speaker."""
    first = next((t for t in verb.doc[start:verb.i] if not (t.is_punct or t.is_space)), None)
    if first is None:
        return None
    head = first
    while head.dep_ in ("compound", "det", "amod", "nummod", "poss") and start <= head.head.i < verb.i:
        head = head.head
    set_off = head.i + 1 < verb.i and verb.doc[head.i + 1].text == ","  # "One attendee, who ...": an aside
    if set_off and head.pos_ in ("NOUN", "PROPN") and head.dep_ in SUBJECTS and head.head.i < verb.i \
            and head.head.pos_ in ("VERB", "AUX") and verb in head.head.ancestors:
        return noun_phrase(head)
    return None


def noun_source(noun):
    """Who a cue noun belongs to: "his claim", "X's statement", "X made the claim that", "a statement by X"."""
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return noun_phrase(possessor)
    agent = _noun_agent(noun)
    if agent is not None:
        return agent
    if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head)
    return None


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
        else:
            # without a that-clause, only a possessor makes the noun someone's statement or stance
            # ("his comments on Muslims", "Trump's proposal to ban ..."), never "the debate on taxes"
            source = next((noun_phrase(c) for c in token.children if c.dep_ == "poss"), None)
            if source is None:
                source = _noun_agent(token)
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


def _noun_agent(noun):
    """The source a cue noun names with "from"/"by" ("warnings from doctors about ...", "criticism by X")."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return noun_phrase(objects[0])
    return None


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


def _noun_cue_tokens(noun) -> list:
    """The noun and the preposition that introduces its content ("criticism of")."""
    prepositions = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in NOUN_CONTENT_PREPOSITIONS]
    return [noun, *prepositions[:1]]


def according_to(doc, quotes) -> list[Candidate]:
    """"According to X, ..." and "..., according to X": X is the source of the rest of the clause."""
    found = []
    for i in shallow(doc, positions(doc, lowers=frozenset({"according"}))):
        token = doc[i]
        to = next((c for c in token.children if c.lower_ == "to"), None)
        if to is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
        if to is None:
            continue
        objects = [c for c in to.children if c.dep_ == "pobj"] or [t for t in to.rights if t.pos_ in ("NOUN", "PROPN", "PRON")]
        if not objects:
            continue
        phrase = set(subtree_indices(token)) | set(subtree_indices(to)) | {token.i, to.i}
        clause_head = token.head if token.head.i != token.i else token.sent.root
        sentence = token.sent
        last = max(phrase)
        closes_sentence = all(t.is_punct or t.is_space for t in doc[last + 1:sentence.end])
        # "..., according to X." closing a sentence vouches for all of it ("Most voters say ..., according to
        # a poll": the poll reports what voters say), wherever the parser hung the phrase
        scope = subtree(clause_head) if clause_head.pos_ in ("VERB", "AUX") and not closes_sentence else sentence
        tokens = [t for t in scope if t.i not in phrase and sentence.start <= t.i < sentence.end]
        quotation = quotation_inside(quotes, token.idx)
        if quotation is not None:
            # “The bridge fell, according to the police,” she said: the quoted speaker's source vouches
            # for the quoted words only
            tokens = [t for t in tokens if quotation[0] < t.idx < quotation[1] - 1]
        spans = token_runs(tokens) if quotation is not None else with_quotes(token_runs(tokens), quotes)
        if not spans:
            continue
        source = noun_phrase(objects[0])
        found.append(Candidate(cue_type=CueType.REPORT, content=spans, source=source,
                               source_extent=phrase_extent(source),
                               cue=char_span([token, to]), quote_type=quote_type_of(spans, quotes),
                               confidence=0.9, rule="according", sentence=token.sent.start))
    return found


def addressee_of(verb, object_role: str):
    """Whom the source told: "told the network Z", "said to reporters"."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and object_role == "addressee":
            return noun_phrase(child)
        if child.dep_ in ("prep", "dative") and child.lower_ == "to":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return noun_phrase(objects[0])
    return None


def _controller(verb, lexicon: Lexicon):
    """"forced Sanders to acknowledge ...", "led experts to suspect ...": the object of the verb above an
    infinitive is who acknowledges, suspects. Not under a speech verb: in "asked members to reject the offer"
    the rejecting is what was asked, and the members said nothing."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.pos_ not in ("VERB", "AUX") or _is_speech_verb(head, lexicon):
        return None
    controller = next((c for c in head.children if c.dep_ in ("dobj", "dative") and c.i < verb.i), None)
    return noun_phrase(controller) if controller is not None else None


def _relative_pronoun(verb):
    """"the voters who support X": the text names the source with "who" (the mention resolves to "voters")."""
    if verb.dep_ != "relcl":
        return None
    if _passive(verb):
        return None  # "the attacks, which were claimed by the Islamic State": "which" is what was said
    for child in verb.children:
        if child.dep_ in SUBJECTS and child.lower_ in RELATIVE_PRONOUNS:
            return verb.doc[child.i:child.i + 1]
    return None


def phrase_extent(mention):
    """The whole phrase a source mention heads ("Huma Abedin, vice chairwoman of the campaign,")."""
    if mention is None:
        return None
    root = mention.root
    doc = root.doc
    start, end = min(root.left_edge.i, mention.start), max(root.right_edge.i + 1, mention.end)
    start = max(start, root.sent.start)
    end = min(end, root.sent.end)
    aside = next((child for child in root.children if child.i > root.i
                  and (_circumstantial_aside(child) or _time_phrase(child, mention))), None)
    if aside is not None and not any(c.dep_ == "conj" and c.i > aside.i for c in root.children):
        # (not out of a coordination: "Mr. Effron, then at UBS, and Mr. Pruzan")
        opening = aside.left_edge.i
        end = max(mention.end, opening - 1 if doc[opening - 1].text == "," else opening)
    # "Even the mayor", "only 7 percent": a focus adverb is the writer's, not part of who speaks
    while start < root.i and doc[start].dep_ in ("advmod", "preconj") and doc[start].lower_ in FOCUS_ADVERBS:
        start += 1
    # an aside opened by a comma or a dash is closed by one that belongs to it ("Ana Ruiz, the mayor, said",
    # "Democrats — and some Republicans — say"); a comma after a bare phrase does not ("Democrats in
    # Congress, fearing defeat, ..."). PolNeAR train: 720 of 816 closing commas, 35 of 36 closing dashes.
    for marks in ((",",), DASHES):
        opened = any(doc[i].text in marks for i in range(root.i + 1, end))
        if opened and end < len(doc) and doc[end].text in marks and end < root.sent.end:
            end += 1
            break
    while end - 1 > start and doc[end - 1].is_space:
        end -= 1
    while start < mention.start and (doc[start].is_punct or doc[start].is_space):
        start += 1  # the closing marks of a quotation the parser hung on the name
    return doc[start:end]


def without_other_statements(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, each source phrase ending before a clause in it that holds another candidate's cue
    ("said one official familiar with the talks, who added that ..."): a source phrase never holds another
    statement (PolNeAR train: of 95 relative clauses after a comma that are cues, 94 are outside the source
    and one partly)."""
    cue_starts = sorted(c.cue[0] for c in candidates if c.cue)
    for candidate in candidates:
        extent, mention = candidate.source_extent, candidate.source
        if extent is None or mention is None or not cue_starts:
            continue
        root = mention.root
        if extent.start > root.i:
            # a relative pronoun standing for the source ("the voters ..., who said"): one word after the
            # mention, holding nothing to cut; cutting it at a clause that starts before it left it empty
            continue
        inside = [start for start in cue_starts if root.idx < start < extent.end_char
                  and not (candidate.cue and candidate.cue[0] <= start < candidate.cue[1])]
        if not inside:
            continue
        doc = extent.doc
        cue_token = next(t for t in extent if t.idx + len(t) > inside[0])
        clause = next((t for t in (cue_token, *cue_token.ancestors) if t.i > root.i
                       and t.dep_ in ("relcl", "acl", "appos", "conj")), None)
        if clause is None:
            continue
        end = clause.left_edge.i
        if end <= root.i:
            continue  # the clause holds the source itself (its subject): it is not a clause inside the phrase
        while end > root.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        candidate.source_extent = doc[extent.start:end]
        if mention.end > end:
            candidate.source = doc[mention.start:end]
    return candidates


def _time_phrase(child, mention) -> bool:
    """"Trump on Tuesday said": a day the parser hung on the speaker's name, right after it."""
    objects = [c for c in child.children if c.dep_ == "pobj"]
    return child.dep_ == "prep" and child.lower_ == "on" and child.i == mention.end and bool(objects) \
        and all(o.ent_type_ in ("DATE", "TIME") for o in objects)


def _circumstantial_aside(child) -> bool:
    """An aside set off by a comma that says what the speaker was doing, not who the speaker is ("Clinton,
    speaking in Ohio,", "Ana Ruiz, in a statement,"): PolNeAR's train split leaves 36 of 37 such participles
    and 19 of 25 such prepositional phrases out of the source; appositions (996 of 1,060) and "of",
    "including", "like", "along with", "among" phrases stay in."""
    doc = child.doc
    if child.left_edge.i == 0 or doc[child.left_edge.i - 1].text != ",":
        return False
    if child.dep_ == "acl" and child.tag_ == "VBG" or child.dep_ == "amod" and child.pos_ == "ADJ":
        return True
    return child.dep_ == "prep" and child.lower_ not in SOURCE_PREPOSITIONS


def _without_speaker(content, speaker, verb) -> list[tuple[int, int]]:
    """A content's spans less the speaker's phrase and whatever stands between that phrase and the cue verb
    after it (the speaker's asides)."""
    start = speaker.start_char
    end = verb.idx if speaker.end <= verb.i else speaker.end_char
    kept = []
    for s_start, s_end in content:
        for piece in ((s_start, min(s_end, start)), (max(s_start, end), s_end)):
            text = doc_text(speaker.doc)[piece[0]:piece[1]].strip(" ,;:—–-")
            if piece[0] < piece[1] and any(ch.isalnum() for ch in text):
                kept.append(piece)
    return _trimmed(speaker.doc, kept)


def _trimmed(doc, spans) -> list[tuple[int, int]]:
    """Spans trimmed of the marks and spaces at their edges, as token_runs trims them."""
    trimmed = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is not None and len(span):
            trimmed.extend(token_runs(list(span)))
    return trimmed


def _clipped(extent, content, cue, mention):
    """A source phrase holds neither its claim's content nor its cue: where the parser hung a quotation or the
    verb on the name ("“...,” Nate Silver, the pollster, tweeted", "said Ana Ruiz, the mayor, “and ...”"), the
    phrase is what lies between them around the name."""
    if extent is None or mention is None:
        return extent
    start, end = extent.start_char, extent.end_char
    for s_start, s_end in content:
        if start < s_end <= mention.start_char:
            start = s_end
        if mention.end_char <= s_start < end:
            end = s_start
    if mention.end_char <= cue.idx < end:
        end = cue.idx
    if (start, end) == (extent.start_char, extent.end_char):
        return extent
    clipped = extent.doc.char_span(start, end, alignment_mode="contract")
    tokens = [t for t in clipped or () if not (t.is_punct or t.is_space)]
    return extent.doc[tokens[0].i:tokens[-1].i + 1] if tokens else mention


def noun_phrase(head):
    """The mention a head token stands for: its subtree without appositions, relative clauses or commas."""
    doc = head.doc
    dropped = set()
    for child in head.children:
        if child.dep_ in ("appos", "relcl", "acl", "punct", "cc", "conj", "advcl") and child.i > head.i:
            dropped.update(subtree_indices(child))
    tokens = [head.doc[i] for i in subtree_indices(head) if i not in dropped]
    start, end = tokens[0].i, tokens[-1].i
    # keep it one contiguous span; stop at the first dropped token after the head
    for i in range(head.i + 1, end + 1):
        if i in dropped:
            end = i - 1
            break
    # trim stray marks, never the head itself ("42%": the parser makes "%" the head noun)
    while end > head.i and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end + 1]


# ---------------------------------------------------------------- small helpers

def _passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or _passive_participle(verb)


def _passive_participle(verb) -> bool:
    """A bare past participle modifying a clause or a noun ("Asked whether ..., she said", "figures
    released on Friday"): what it is said of is the one asked or the thing released, not who speaks."""
    return verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children)


def _passive_agent(verb):
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return noun_phrase(objects[0])
    return None


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


def char_span(tokens) -> tuple[int, int]:
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def inside_quote(token, quotes) -> bool:
    return quotation_inside(quotes, token.idx) is not None


def _covers(quote, token) -> bool:
    return quote[0] <= token.idx < quote[1]


def with_quotes(spans, quotes) -> list[tuple[int, int]]:
    """Content spans grown to whole quotations where they overlap one (the marks belong to the quote)."""
    grown = []
    for start, end in spans:
        for q_start, q_end in quotes:
            if q_start < end and start < q_end:
                start, end = min(start, q_start), max(end, q_end)
        if grown and start <= grown[-1][1]:
            grown[-1] = (grown[-1][0], max(end, grown[-1][1]))
        else:
            grown.append((start, end))
    return grown
