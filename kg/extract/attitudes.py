"""Attitude adjectives: "X is worried that ...", "X was critical of Y", "it is unclear whether ...".

Which adjectives are cues, and which of their dependents hold the content, comes from the learned lexicon
(kind "adj" in kg/data/cues_learned.tsv); the source is the copula's subject.
"""
from __future__ import annotations

from kg.extract import extent
from kg.extract.candidates import char_span, inside_quote, overlaps, with_quotes
from kg.extract.sources import phrase_extent, subject_of, unless_judgement
from kg.extract.verbcues import FRAME_THRESHOLD
from kg.extract.candidates import Candidate, quote_type_of, token_runs
from kg.extract.frames import adjective_frames
from kg.extract.lexicon import Lexicon
from kg.extract.tokens import positions, shallow
from kg.model import CueType, Stance

# An adjective is taken as a cue when the train split annotated it as one at least this often, and a frame
# when it held the content at least this often (smoothed); tuned on train articles held out from the lexicon.
MIN_P_CUE = 0.2
MIN_P_FRAME = FRAME_THRESHOLD
# what an attitude is about, in the order it is the content: "worried [that ...]", "critical [of ...]", "ready [to ...]"
CONTENT_FRAMES = ("ccomp", "prep-of", "prep-about", "prep-with", "prep-over", "prep-on", "prep-in", "prep-at",
                  "prep-by", "prep-toward", "prep-towards", "prep-to", "xcomp")
PREDICATE_ADJECTIVE = frozenset({"acomp"})


def attitude_adjectives(doc, lexicon: Lexicon, quotes) -> list[Candidate]:
    """Every predicate adjective that is a cue with content ("are worried [that ...]"), as candidates."""
    found = []
    for i in shallow(doc, positions(doc, deps=PREDICATE_ADJECTIVE)):
        token = doc[i]
        if inside_quote(token, quotes):
            continue
        learned = lexicon.learned.get((token.lemma_.lower(), "adj"))
        if learned is None or learned.p_cue < MIN_P_CUE:
            continue
        options = adjective_frames(token)
        scored = [(p, frame) for frame in options if (p := learned.p_frame(frame)) is not None and p >= MIN_P_FRAME]
        if not scored:
            # too few examples of this adjective to learn its frames: the frame an attitude usually takes
            frame = next((f for f in CONTENT_FRAMES if f in options), None)
            if frame is None:
                continue
            scored = [(learned.p_cue, frame)]
        p, frame = max(scored)
        copula = token.head
        preposition = extent.frame_preposition(token, frame) if frame.startswith("prep-") else None
        content = sorted(i for i in options[frame] if preposition is None or i != preposition.i)
        source = unless_judgement(subject_of(copula), learned, placeholder_it=True)
        if source is not None and overlaps(source, [(doc[i].idx, doc[i].idx + len(doc[i])) for i in content]):
            continue
        # the cue runs from the copula to the adjective (and its preposition): "were both sternly critical of"
        cue_tokens = [copula, token] + ([preposition] if preposition is not None else [])
        spans = with_quotes(token_runs([doc[i] for i in content]), quotes)
        if not spans:
            continue
        found.append(Candidate(cue_type=CueType.BELIEVE, stance=Stance.CERTAIN, content=spans, source=source,
                               source_extent=phrase_extent(source), cue=char_span(cue_tokens),
                               quote_type=quote_type_of(spans, quotes), confidence=round(p, 2), rule="adjective",
                               sentence=token.sent.start))
    return found
