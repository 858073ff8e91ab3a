"""A small logistic model scoring (cue word, frame) pairs: is this verb an attribution cue whose content is
that dependent? Trained on PolNeAR's train split by scripts/train_cue_model.py; stored as feature weights."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy

from kg.extract.names import PRONOUNS_OTHER, PRONOUNS_PERSON
from kg.extract.tokens import grammatical_subject

MODEL_FILE = "cue_model.json"


def _bucket(p: float | None) -> str:
    return "none" if p is None else str(min(9, int(p * 10)))


def features(verb, frame: str, indices: set[int], lexicon, quotes=()) -> list[str]:
    """Binary features of a candidate: the word, the frame, the subject, the syntax around them."""
    lemma = verb.lemma_.lower()
    learned = lexicon.learned.get((lemma, "verb"))
    hand = lexicon.verbs.get(lemma)
    subject = grammatical_subject(verb)
    if subject is None:
        subject_kind = "none"
    elif subject.lower_ in PRONOUNS_PERSON | PRONOUNS_OTHER | {"i", "we", "you"}:
        subject_kind = "pron:" + subject.lower_
    elif subject.pos_ == "PROPN":
        subject_kind = "propn:" + (subject.ent_type_ or "-")
    else:
        subject_kind = "noun:" + subject.lemma_.lower()
    doc = verb.doc
    first = doc[min(indices)]
    p = learned.p_frame(frame) if learned else None
    feats = [
        "bias", f"lemma={lemma}", f"frame={frame}", f"lemma|frame={lemma}|{frame}", f"p={_bucket(p)}",
        f"p|frame={_bucket(p)}|{frame}", f"tag={verb.tag_}", f"dep={verb.dep_}", f"dep|frame={verb.dep_}|{frame}",
        f"subj={subject_kind.split(':')[0]}", f"subjword={subject_kind}", f"frame|subj={frame}|{subject_kind.split(':')[0]}",
        f"first={first.lower_ if first.is_stop else first.pos_}", f"side={'after' if first.i > verb.i else 'before'}",
        f"len={min(5, len(indices) // 4)}", f"hand={hand.cue_type.value if hand else 'no'}",
        f"pcue={_bucket(learned.p_cue if learned else None)}",
    ]
    if frame == "xcomp":
        # "continued [to say] ..." is a statement, "continued [to fight] ..." is not: whether the complement
        # is itself a speech verb
        complement = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if complement is not None:
            speech = lexicon.is_speech_verb(complement.lemma_.lower())
            feats += [f"xcomp-speech={speech}", f"lemma|xcomp-speech={lemma}|{speech}"]
    if any(c.dep_ == "neg" for c in verb.children):
        feats.append("negated")
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        feats.append("modal")
    if verb.i + 1 < len(doc) and doc[verb.i + 1].text == ":":
        feats.append("colon-after")
    last = doc[max(indices)]
    start, end = first.idx, last.idx + len(last)
    if any(q_start < end and start < q_end for q_start, q_end in quotes):
        feats += ["quoted", f"quoted|frame={frame}"]
    return feats


def context_vector(verb, indices: set[int]) -> numpy.ndarray | None:
    """The pipeline's own contextual vectors (doc.tensor rows, computed by its tok2vec for the parser) of the
    verb, of the frame's head word and of the verb's subject: how the words around them read, which no
    hand-written feature names ("support for" a bill vs. "support" of voters). None without a tensor."""
    doc = verb.doc
    tensor = doc.tensor
    if getattr(tensor, "ndim", 0) != 2 or tensor.shape[0] != len(doc):
        return None
    head = next((c.i for c in verb.children if c.i in indices), min(indices))  # the frame's word the verb governs
    subject = grammatical_subject(verb)
    none = numpy.zeros(tensor.shape[1], dtype=tensor.dtype)
    return numpy.concatenate([tensor[verb.i], tensor[head], tensor[subject.i] if subject is not None else none])


@dataclass(frozen=True)
class CueModel:
    weights: dict[str, float]
    context: numpy.ndarray | None = None  # weights of context_vector(), for a model trained with them

    def probability(self, feats: list[str], vector: numpy.ndarray | None = None) -> float:
        z = sum(self.weights.get(f, 0.0) for f in feats)
        if self.context is not None and vector is not None and vector.shape == self.context.shape:
            z += float(vector @ self.context)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def load() -> CueModel | None:
    """The trained model shipped in kg/data, or None when it has not been trained."""
    resource = files("kg.data").joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    stored = json.loads(resource.read_text(encoding="utf-8"))
    context = stored.get("context_weights")
    return CueModel(stored["weights"], numpy.array(context, dtype=numpy.float32) if context else None)
