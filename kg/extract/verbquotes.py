"""The quotations a cue verb introduces: around its clause, elsewhere in its sentence, or before a bare "she said"."""
from __future__ import annotations

from kg.extract.candidates import covers
from kg.extract.lexicon import Lexicon
from kg.extract.quotes import char_before, end_of_words_before, first_starting_from, last_ending_by, opens_sentence
from kg.extract.sources import noun_phrase, passive_participle, phrase_extent, subject_of
from kg.extract.statements import is_speech_verb
from kg.extract.tokens import SUBJECTS, doc_text

MIN_QUOTE_WORDS = 3  # shorter quotations are scare quotes or titles, not statements


def sentence_quotations(verb, quotes) -> list[tuple[int, int]]:
    """Quotations a cue verb can introduce: those in its sentence ("“A. B,” she said", a multi-sentence
    one ending there counts), or one that closes right before a sentence of its own ("“Ready?” ¶ she
    asked." where the parser split after the question mark)."""
    doc, sentence = verb.doc, verb.sent
    text = doc_text(doc)
    # a quotation shares the sentence only with words of it: the parser often ends a sentence after the
    # opening mark of the next one ("... oil prices. ''")
    found = [q for q in quotes if _shares_words(text, q, sentence) and not covers(q, verb)
             and _statement_sized(text, q, verb, sentence)]
    if not found and all(_bare_report_token(verb, t) for t in sentence):
        # the sentence is only "[subject] said [when, where]": its content is the quotation just before it
        before = last_ending_by(quotes, sentence.start_char)
        found = [before] if before is not None and not text[before[1]:sentence.start_char].strip() \
            and _statement_sized(text, before, verb, sentence) else []
    return found


def governing_speech_verb(verb, lexicon: Lexicon):
    """The speech verb a verb's clause depends on (through adverbial, complement clauses), if any."""
    token = verb
    while token.dep_ in ("advcl", "xcomp", "ccomp", "pcomp", "prep") and token.head.i != token.i:
        token = token.head
        if token.pos_ == "VERB" and is_speech_verb(token, lexicon) and not passive_participle(token):
            return token
    return None


def distance(verb, quote: tuple[int, int]) -> int:
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


def quotations_around(verb, quotes) -> list[tuple[int, int]]:
    """“A,” she said, “B.” / “A,” said Ana Ruiz. / “A?” she asked, “B”: a quotation closing right
    before the cue clause (its verb and subject phrase), with the one opening right after it, if any.
    Whatever the verb (“...,” she elaborated, “...”), in that place it says them; the parser often hangs
    the quotations elsewhere (one as the verb's clause, the other as an adverbial, or the verb under a
    name)."""
    if not quotes or verb.pos_ != "VERB":
        return []
    if describes_noun(verb) and not (verb.dep_ == "acl" and verb.head.dep_ == "ROOT"):
        return []  # "Ana Costa, now retired, said": the verb of an aside says nothing
    doc = verb.doc
    text = doc_text(doc)
    subject = speaker_between_quotations(verb, quotes)
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


def speaker_between_quotations(verb, quotes):
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


def describes_noun(verb) -> bool:
    """Whether a verb sits in a modifier of a noun (relative clause, participle, apposition)."""
    token = verb
    while token.head.i != token.i:
        if token.dep_ in ("relcl", "acl", "appos"):
            return True
        token = token.head
    return False
