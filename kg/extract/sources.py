"""Who speaks: a cue's source mention (subject, passive agent, possessor, stranded name) and the phrase around it."""
from __future__ import annotations

from kg.extract.candidates import Candidate, token_runs
from kg.extract.tokens import SUBJECTS, doc_text, subtree_indices

# Dependents of a cue verb that are never part of its content.
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
SPEAKER_PRONOUNS = {"i", "we", "you"}  # someone speaking in the first or second person: quoted words
DASHES = ("—", "–", "-", "--")  # as tokens: what opens and closes an aside inside a source phrase
FOCUS_ADVERBS = {"even", "only", "just", "also", "especially", "particularly"}  # the writer's, not the source's
SOURCE_PREPOSITIONS = {"of", "including", "like", "along", "among"}  # asides that still say who speaks
PLACEHOLDERS = {"it", "that", "this"}  # a copula's subject that stands for its infinitive, or for what was just said
NAME_LIKE_MODALS = {"will", "may"}  # the surnames of columnists and prime ministers
FINITE_TAGS = {"VBD", "VBZ", "VBP"}
# Verbs whose object is the means or occasion of an act, not who acts: in "used her speech to attack X", "had
# good reason to believe ...", "has nothing to add" the subject acts (or the one given the means: "gave Costa one
# more reason to criticize X").
MEANS_VERBS = {"use", "have", "hold", "take", "give", "spend", "seize", "find", "lack", "offer"}
# Cue verbs annotated with a source less often than this ("seem", "appear") say nothing of their subject's
# words: the subject is what the judgement is about. Learned rates from PolNeAR train (cues_learned.tsv).
SOURCELESS_P = 0.25


def subject_of(verb):
    """The source mention of a cue verb: its subject, the agent of a passive, or a shared subject."""
    if passive_participle(verb):
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
            if child.dep_ == "nsubjpass" and not contracted_perfect(verb) or child.lower_ == "it" and passive(verb):
                agent = _passive_agent(verb)
                return agent
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return noun_phrase(verb.head)
            return noun_phrase(child)
    agent = _passive_agent(verb)
    if agent is not None:
        return agent
    if passive(verb):
        return None  # "The agency missed its deadline but was told to ...": who is acted on says nothing
    if verb.dep_ in ("relcl", "acl") and to_infinitive(verb):
        partner = _copula_partner(verb.head) or means_user(verb.head)
        if partner is not None:  # "Ruiz was the first senator to endorse him": Ruiz endorsed
            return partner
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return noun_phrase(verb.head)
    main = _main_clause_of_aside(verb)
    if main is not None:
        return subject_of(main)  # "X rejected the idea that Y would lose, saying ...": X says it
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i \
            and (verb.tag_ != "VB" or to_infinitive(verb)):  # a bare "Think of ..." is an imperative
        return subject_of(verb.head)  # "X said ... and added ...", "X said, adding ..."
    if verb.dep_ == "xcomp" and verb.head.dep_ == "acomp" and verb.head.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head.head)  # "Older voters were more likely to say ...", "She is eager to argue ..."
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX") \
            and verb.tag_ == "VBG":  # "After saying the bridge was safe, the mayor ...", "opened by warning ..."
        return subject_of(verb.head.head)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "his statement saying ..." is his; "internal emails showing that ...", "a union backing X" speak themselves
        return noun_source(verb.head) or noun_phrase(verb.head)
    return _name_read_as_another_word(verb) or stranded_name_before(verb)


def _extraposed(verb) -> bool:
    """"it is hard to know ...", "it is important to stress ...", "it's worth adding ...", "That is not to say
    ...", "it means conceding ...": the "it" of the copula stands for the infinitive or gerund itself (or
    "that" for what was just said), so nobody in particular knows, stresses or says."""
    if verb.dep_ != "xcomp" or not (to_infinitive(verb) or verb.tag_ == "VBG") \
            or any(c.dep_ in SUBJECTS for c in verb.children):
        return False
    copula = verb.head.head if verb.head.dep_ == "acomp" else verb.head
    return copula.lemma_ in ("be", "mean") \
        and any(c.dep_ in SUBJECTS and c.lower_ in PLACEHOLDERS for c in copula.children)


def unless_impersonal(verb, source):
    """The source, or None where the subject a cue verb has or shares is no speaker: the placeholder "it" of
    "it is hard to know ..." (``_extraposed``), the noun that names the content in "The idea is that ...",
    "The risk is that ..." (then the noun's own source, as in "the mayor's fear is that ...")."""
    if source is None or _extraposed(verb):
        return None
    if verb.lemma_ != "be" or source.root.pos_ != "NOUN" or source.root.ent_type_:
        return source
    return noun_source(source.root)


def _main_clause_of_aside(verb):
    """The verb a comma-set participle ("..., saying ...") belongs to when the parser hung it on a clause that
    only describes a noun ("rejected the idea that the mayor would lose, saying ..."): a noun's clause is
    closed by its noun, so what follows the comma goes back to the clause governing that noun."""
    doc = verb.doc
    clause = verb.head
    if verb.dep_ != "advcl" or verb.tag_ != "VBG" or clause.dep_ not in ("acl", "relcl") \
            or verb.left_edge.i == 0 or doc[verb.left_edge.i - 1].text != ",":
        return None
    token = clause.head
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def means_user(noun):
    """Who acts with a noun that a means verb takes as its object ("had [good reason] to believe", "gave Costa
    [one more reason] to criticize"): the one it is given to, else the verb's subject; None for other nouns."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.lemma_.lower() not in MEANS_VERBS or verb.i == noun.i:
        return None
    given = next((c for c in verb.children if c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN", "PRON")), None)
    return noun_phrase(given) if given is not None else subject_of(verb)


def _copula_partner(noun):
    """The other side of the copula a noun stands on: the subject of "X was [the first senator] to ...", the
    complement of "[The first senator] to ... was X". The noun itself names a rank, not who spoke."""
    copula = noun.head
    if copula.lemma_ != "be" or copula.i == noun.i:
        return None
    other = {"attr": SUBJECTS, "nsubj": ("attr",)}.get(noun.dep_)
    partner = next((c for c in copula.children if other and c.dep_ in other), None)
    return noun_phrase(partner) if partner is not None else None


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


def name_between(start_char: int, verb):
    """The first name after ``start_char`` and before the verb, in the verb's sentence."""
    for token in verb.doc[verb.sent.start:verb.i]:
        if token.idx >= start_char and token.pos_ == "PROPN" and token.ent_type_ in ("PERSON", "ORG", "NORP"):
            return noun_phrase(token)
    return None


def stranded_name_before(verb):
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


def document_author(source, document_nouns: frozenset[str]):
    """The author a document source names ("a statement e-mailed by Varo Airlines", "the ministry's report", "a
    letter from the union"), or None: the author, not the document, is who says what it says."""
    if source is None or len(source) == 0:
        return None
    head = source.root
    if head.lemma_.lower() not in document_nouns or head.pos_ != "NOUN":
        return None
    for child in head.children:
        if child.dep_ == "poss":
            return noun_phrase(child)
        if child.dep_ == "prep" and child.lower_ in ("by", "from") and child.i > head.i:
            return _object_phrase(child)
        if child.dep_ == "acl" and child.tag_ == "VBN":  # "e-mailed by", "issued by", "signed by"
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                return _object_phrase(agent)
    return None


def _object_phrase(preposition):
    objects = [c for c in preposition.children if c.dep_ == "pobj"]
    return noun_phrase(objects[0]) if objects else None


def noun_source(noun):
    """Who a cue noun belongs to: "his claim", "X's statement", "X made the claim that", "a statement by X"."""
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return noun_phrase(possessor)
    agent = noun_agent(noun)
    if agent is not None:
        return agent
    if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head)
    return None


def noun_agent(noun):
    """The source a cue noun names with "from"/"by" ("warnings from doctors about ...", "criticism by X")."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return noun_phrase(objects[0])
    return None


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


def relative_pronoun(verb):
    """"the voters who support X": the text names the source with "who" (the mention resolves to "voters")."""
    if verb.dep_ != "relcl":
        return None
    if passive(verb):
        return None  # "the attacks, which were claimed by the Islamic State": "which" is what was said
    for child in verb.children:
        if child.dep_ in SUBJECTS and child.lower_ in RELATIVE_PRONOUNS:
            return verb.doc[child.i:child.i + 1]
    return None


def generic_you(source) -> bool:
    """A source that is "you" alone: the generic person ("you know", "if you look at ..."), who says nothing.
    PolNeAR's train split annotates "you" as a source 53 times against 228 "you" subjects of speech verbs."""
    return source is not None and len(source) == 1 and source[0].lower_ == "you"


def writers_aside(verb) -> bool:
    """"the plan, which the mayor called reckless", "an aide whom he described as loyal", "an offer the
    leadership rebuffed": a relative clause with a speaker of its own says, in the writer's voice, who said what
    of a noun of the sentence. A claim around the noun does not relay it (PolNeAR annotates such clauses as
    attributions of their own). With the relative pronoun as its subject ("X, who said ...") the clause is
    about the noun's own words and stays what it was; with "I", "we" or "you" it is someone's spoken words
    ("the kind of thing you say when ..."), not the writer's."""
    if verb.dep_ != "relcl":
        return False
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    return subject is not None and subject.lower_ not in RELATIVE_PRONOUNS | SPEAKER_PRONOUNS | {"whose", "what"}


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


def without_speaker(content, speaker, verb) -> list[tuple[int, int]]:
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


def clipped(extent, content, cue, mention):
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


def passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) and not contracted_perfect(verb) \
        or passive_participle(verb)


def contracted_perfect(verb) -> bool:
    """"He's said the cranes ...", "who's called for ...": the parser reads the "'s" before a participle as "is"
    (a passive), but with a clause, an object or a preposition after it, no passive fits: it is "has"."""
    contracted = any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in verb.children)
    return contracted and verb.tag_ in ("VBN", "VBD") and verb.lemma_ != "be" \
        and not any(c.dep_ == "agent" for c in verb.children) \
        and any(c.dep_ in ("ccomp", "dobj") or c.dep_ == "prep" and c.i == verb.i + 1 for c in verb.children)


def passive_participle(verb) -> bool:
    """A bare past participle modifying a clause or a noun ("Asked whether ..., she said", "figures
    released on Friday"): what it is said of is the one asked or the thing released, not who speaks. The
    tagger can read it as a past tense ("Asked what it cost, she said": VBD), but a past tense in a clause before
    the main one, with no subject of its own, is the participle."""
    participle = verb.tag_ == "VBN" or verb.tag_ == "VBD" and verb.dep_ == "advcl" and verb.i < verb.head.i
    return participle and verb.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children)


def _passive_agent(verb):
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return noun_phrase(objects[0])
    return None


def to_infinitive(verb) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
