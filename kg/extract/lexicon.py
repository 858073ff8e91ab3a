"""Cue-word lexicons (verbs, nouns, phrases, hedges, role and media nouns) loaded from kg/data."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from kg.model import CueType, Stance


# A speech verb: hand-listed, or a cue at least this often in the train split. Only a speech verb takes a
# quotation outside its own dependents ("“...,” the crowd [booed]" is no statement of the crowd's), makes a
# clause inside another content a statement of its own ("..., adding that ..."), or makes the verb it
# complements a cue ("continued [to say]").
SPEECH_VERB_P = 0.5


@dataclass(frozen=True)
class Cue:
    cue_type: CueType
    stance: Stance
    object: str = "-"  # a direct object of the verb is the "content", the "addressee", or neither ("-")


@dataclass(frozen=True)
class LearnedCue:
    """How often a lemma was a cue in the training data, and with which frame holding the content."""

    seen: int
    cue: int
    p_source: float
    frames: dict[str, tuple[int, int]]  # frame -> (times present, times it held a cue's content)

    def p_frame(self, frame: str) -> float | None:
        """P(cue with this frame's content | the lemma has this frame), smoothed; None if never seen."""
        if frame not in self.frames:
            return None
        present, cue = self.frames[frame]
        return cue / (present + 2)

    @property
    def p_cue(self) -> float:
        return self.cue / self.seen if self.seen else 0.0


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Cue]
    nouns: dict[str, Cue]
    phrases: dict[str, Cue]
    hedges: dict[str, Cue]
    role_nouns: frozenset[str]
    media_nouns: frozenset[str]
    media_outlets: frozenset[str]
    org_words: frozenset[str]
    group_nouns: frozenset[str]
    colon_labels: frozenset[str]
    poll_nouns: frozenset[str]
    learned: dict[tuple[str, str], LearnedCue]  # (lemma, "verb"|"noun"|"adj") -> statistics
    verb_lemmas: frozenset[str] = frozenset()  # every lemma that may be a cue verb (hand or learned)
    noun_lemmas: frozenset[str] = frozenset()
    hedge_words: frozenset[str] = frozenset()
    place_words: frozenset[str] = frozenset()  # a name with one of them is a place's, given name or not
    place_names: frozenset[str] = frozenset()  # one-word names of countries, states, large cities
    # memberships: role phrase -> (normalised role or "-", takes its organisation from the article)
    roles: dict[str, tuple[str, bool]] = field(default_factory=dict)
    role_verbs: dict[str, str] = field(default_factory=dict)  # "X, who heads Y": verb lemma -> role
    org_nouns: dict[str, bool] = field(default_factory=dict)  # "the company's": noun -> any organisation may be meant
    document_nouns: frozenset[str] = frozenset()  # "the memo", "a statement": documents a text makes a source

    def membership_role(self, words: str) -> tuple[str, bool] | None:
        """A role phrase's normal form and whether it takes its organisation from the article; None when the
        phrase is no membership role (its head is neither a role noun nor a listed role, or is listed "-")."""
        if words in self.roles:
            normal, from_context = self.roles[words]
            return None if normal == "-" else (normal, from_context)
        head = words.rsplit(" ", 1)[-1]
        if head in self.roles:
            normal, from_context = self.roles[head]
            if normal == "-":
                return None
            return (words[:-len(head)] + normal if normal != head else words), from_context
        return (words, False) if head in self.role_nouns else None

    def is_speech_verb(self, lemma: str, at_least: float = SPEECH_VERB_P) -> bool:
        """A verb that reports speech or thought: hand-listed, or a cue at least ``at_least`` of the time."""
        learned = self.learned.get((lemma, "verb"))
        return lemma in self.verbs or (learned is not None and learned.p_cue >= at_least)


def data_lines(name: str):
    for line in files("kg.data").joinpath(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def _words(name: str) -> frozenset[str]:
    return frozenset(line.lower() for line in data_lines(name))


@lru_cache(maxsize=1)
def load() -> Lexicon:
    tables: dict[str, dict[str, Cue]] = {"verb": {}, "noun": {}, "phrase": {}, "hedge": {}}
    for line in data_lines("cues.tsv"):
        lemma, kind, cue_type, stance, obj = line.split("\t")
        tables[kind][lemma.lower()] = Cue(CueType(cue_type), Stance(stance), obj)
    return Lexicon(
        verbs=tables["verb"], nouns=tables["noun"], phrases=tables["phrase"], hedges=tables["hedge"],
        role_nouns=_words("role_nouns.txt"), media_nouns=_words("media_nouns.txt"),
        media_outlets=_words("media_outlets.txt"), org_words=_words("org_words.txt"),
        group_nouns=_words("group_nouns.txt"), colon_labels=_words("colon_labels.txt"),
        poll_nouns=_words("poll_nouns.txt"), learned=(learned := _learned()),
        verb_lemmas=frozenset(tables["verb"]) | frozenset(lemma for lemma, kind in learned if kind == "verb"),
        noun_lemmas=frozenset(tables["noun"]) | frozenset(lemma for lemma, kind in learned if kind == "noun"),
        hedge_words=frozenset(tables["hedge"]), place_words=_words("place_words.txt"),
        place_names=_words("place_names.txt"),
        roles={phrase.lower(): (normal, context == "yes") for phrase, normal, context in _rows("roles.tsv")},
        role_verbs={lemma: role for lemma, role in _rows("role_verbs.tsv")},
        org_nouns={noun: which == "any" for noun, which in _rows("org_nouns.tsv")},
        document_nouns=_words("document_nouns.txt"),
    )


def _rows(name: str) -> list[list[str]]:
    return [line.split("\t") for line in data_lines(name)]


def _learned() -> dict[tuple[str, str], LearnedCue]:
    """kg/data/cues_learned.tsv, written by scripts/train_cue_lexicon.py from PolNeAR's train split."""
    table = {}
    for line in data_lines("cues_learned.tsv"):
        lemma, kind, seen, cue, _, p_source, *rest = line.split("\t")
        frames = {}
        for item in (rest[0].split(",") if rest and rest[0] else []):
            frame, counts = item.split("=")
            present, hits = counts.split("/")
            frames[frame] = (int(present), int(hits))
        table[(lemma, kind)] = LearnedCue(int(seen), int(cue), float(p_source), frames)
    return table
