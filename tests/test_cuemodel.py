"""The cue model reads the pipeline's context vectors as shipped: same width, and they move its scores."""
from __future__ import annotations

import numpy

from kg.extract import cuemodel


def test_shipped_weights_fit_the_pipelines_context_vectors(nlp):
    doc = nlp("The mayor said the bridge was safe.")
    said = doc[2]
    frame = {t.i for t in said.children if t.dep_ == "ccomp"}
    vector = cuemodel.context_vector(said, frame)
    width = doc.tensor.shape[1]
    assert vector.shape == (3 * width,)
    assert numpy.array_equal(vector[:width], doc.tensor[said.i])  # the verb, then the frame head, the subject
    assert numpy.array_equal(vector[2 * width:], doc.tensor[doc[1].i])
    model = cuemodel.load()
    # a width mismatch would silently switch the context off: the shipped weights must match this pipeline
    assert model.context is not None and model.context.shape == vector.shape
    feats = cuemodel.features(said, "ccomp", frame, _lexicon())
    assert model.probability(feats, vector) != model.probability(feats)


def test_a_verb_without_subject_gets_a_zero_subject_vector(nlp):
    doc = nlp("Asked about the bridge, officials declined to comment.")
    asked = doc[0]
    vector = cuemodel.context_vector(asked, {t.i for t in asked.children if t.dep_ == "prep"} or {asked.i + 1})
    width = doc.tensor.shape[1]
    assert not vector[2 * width:].any() and vector[:width].any()


def test_a_verb_complement_needs_more_than_the_general_threshold(nlp):
    from kg.extract import verbcues

    doc = nlp("The council started to review the plan.")
    started = doc[2]
    complement = {t.i for c in started.children if c.dep_ == "xcomp" for t in c.subtree}
    lexicon = _lexicon()
    p = cuemodel.load().probability(cuemodel.features(started, "xcomp", complement, lexicon),
                                    cuemodel.context_vector(started, complement))
    # the premise: the shipped model puts this complement between the two thresholds
    assert verbcues.MODEL_THRESHOLD <= p < verbcues.MODEL_FRAME_THRESHOLDS["xcomp"]
    lemma = started.lemma_
    choice = verbcues.choose_frame(started, lexicon.verbs.get(lemma), lexicon.learned.get((lemma, "verb")), [],
                                 lexicon)
    assert choice is None or choice.rule != "xcomp"


def _lexicon():
    from kg.extract.lexicon import load

    return load()
