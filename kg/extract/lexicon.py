"""Cue-word lexicons (verbs, nouns, phrases, hedges, role and media nouns) loaded from kg/data."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from kg.model import CueType, Stance


@dataclass(frozen=True)
class Cue:
    cue_type: CueType
    stance: Stance
    object: str = "-"  # a direct object of the verb is the "content", the "addressee", or neither ("-")


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


def _data_lines(name: str):
    for line in files("kg.data").joinpath(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def _words(name: str) -> frozenset[str]:
    return frozenset(line.lower() for line in _data_lines(name))


@lru_cache(maxsize=1)
def load() -> Lexicon:
    tables: dict[str, dict[str, Cue]] = {"verb": {}, "noun": {}, "phrase": {}, "hedge": {}}
    for line in _data_lines("cues.tsv"):
        lemma, kind, cue_type, stance, obj = line.split("\t")
        tables[kind][lemma.lower()] = Cue(CueType(cue_type), Stance(stance), obj)
    return Lexicon(
        verbs=tables["verb"], nouns=tables["noun"], phrases=tables["phrase"], hedges=tables["hedge"],
        role_nouns=_words("role_nouns.txt"), media_nouns=_words("media_nouns.txt"),
        media_outlets=_words("media_outlets.txt"), org_words=_words("org_words.txt"),
        group_nouns=_words("group_nouns.txt"),
    )
