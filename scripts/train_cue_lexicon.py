#!/usr/bin/env python3
"""Learn the cue lexicon's statistics from PolNeAR's *train* split: how often each verb or noun lemma (and each
predicate adjective, kind "adj": "were worried that") is an attribution cue, and which dependent of the cue holds
the content (its "frames").

    python scripts/train_cue_lexicon.py [--train TRAIN.jsonl] [--out kg/data/cues_learned.tsv] [--cache DOCS.spacy]

Only the train split is read (dev is for measuring, the held-out test split is never touched). The output
is a small TSV of counts and ratios, no text from the corpus: PolNeAR's texts are publishers' articles for
research use only and stay outside the repository.
"""
from __future__ import annotations

import argparse
import json
import sys
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.extract.frames import adjective_frames, frame_options  # noqa: E402  the extractor's own frames
from kg.extract.quotes import find_quotes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = ROOT.parent / "shared" / "benchmarks" / "polnear" / "polnear_train.jsonl"
MIN_COUNT = 3  # lemmas seen as a cue fewer times than this are noise


def parse(texts, cache: Path | None):
    """Parsed docs of ``texts``, read from ``cache`` when it holds exactly these texts (else parsed and saved)."""
    from spacy.tokens import DocBin

    from kg import nlp as pipeline

    texts = list(texts)
    nlp = pipeline.load()  # the extractor's own pipeline, so the models learn from the parses they will be given
    if cache and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        # a cache left by another split or pipeline would pair annotations with other parses
        if [doc.text for doc in docs] == texts and all(list(doc.user_data.get("pipeline", ())) == nlp.pipe_names
                                                       and "tensor" in doc.user_data for doc in docs):
            for doc in docs:
                doc.tensor = doc.user_data.pop("tensor")
            return docs
        print(f"{cache}: parses of other texts or by another pipeline; parsing again", file=sys.stderr)
    docs = list(pipeline.parse(texts, nlp))
    if cache:
        bin_ = DocBin(store_user_data=True)  # DocBin keeps no tensor of its own: the cue model reads it
        for doc in docs:
            doc.user_data.update(tensor=doc.tensor, pipeline=nlp.pipe_names)
            bin_.add(doc)
            del doc.user_data["tensor"], doc.user_data["pipeline"]
        bin_.to_disk(cache)
    return docs


def load_split(path: Path, cache: Path | None, program: str):
    """(records, parsed docs) of a PolNeAR JSONL split, or None after saying why on stderr."""
    if not path.is_file():
        print(f"{program}: {path}: no such file", file=sys.stderr)
        return None
    records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return records, parse((r["text"] for r in records), cache)


def cue_heads(doc, record: dict, pos: tuple[str, ...]) -> dict[int, dict]:
    """Token index of each gold attribution's cue head -> the attribution: of the cue's words with a POS in
    ``pos``, the syntactic head of a multi-word cue ("has often cited") is the content-taking word."""
    heads_of: dict[int, dict] = {}
    for attribution in record["attributions"]:
        heads = [doc[i] for i in char_tokens(doc, attribution["cue"]) if doc[i].pos_ in pos]
        if heads:
            heads_of[min(heads, key=lambda t: len(list(t.ancestors))).i] = attribution
    return heads_of


def char_tokens(doc, spans) -> set[int]:
    """Indices of tokens overlapping any of the character spans."""
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t) for t in doc]
    found = set()
    for start, end in spans:
        for i in range(bisect_right(ends, start), bisect_left(starts, end)):
            found.add(i)
    return found


def best_frame(options: dict[str, set[int]], content: set[int]) -> str | None:
    """Which frame covers the gold content best (Jaccard over tokens)."""
    best, best_score = None, 0.0
    for label, tokens in options.items():
        score = len(tokens & content) / len(tokens | content) if tokens | content else 0.0
        if score > best_score:
            best, best_score = label, score
    return best if best_score >= 0.3 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "cues_learned.tsv")
    parser.add_argument("--cache", type=Path, help="a DocBin file to reuse the parses between runs")
    args = parser.parse_args()
    loaded = load_split(args.train, args.cache, "train_cue_lexicon")
    if loaded is None:
        return 1
    records, docs = loaded
    seen: Counter = Counter()
    cue: Counter = Counter()
    frames: dict[tuple[str, str], Counter] = defaultdict(Counter)  # frame -> times it held the content
    present: dict[tuple[str, str], Counter] = defaultdict(Counter)  # frame -> times the token had it
    with_source: Counter = Counter()

    def tally(key, options, attribution, doc) -> None:
        """One occurrence of a lemma with these frames, and the gold attribution it is the cue of, if any."""
        seen[key] += 1
        present[key].update(options.keys())
        if attribution is not None:
            cue[key] += 1
            with_source[key] += attribution["source"] is not None
            frames[key][best_frame(options, char_tokens(doc, attribution["content"])) or "other"] += 1

    for record, doc in zip(records, docs):
        heads = cue_heads(doc, record, ("VERB", "NOUN", "AUX", "ADJ"))
        quotes = find_quotes(doc.text)
        in_cue = {i: attribution for attribution in record["attributions"]
                  for i in char_tokens(doc, attribution["cue"])}
        for token in doc:
            if any(start < token.idx < end - 1 for start, end in quotes):
                continue  # the extractor never reads cues inside quotations: count as it sees them
            if token.dep_ == "acomp":
                # a predicate adjective inside a cue ("were [worried] that ...", "is [critical] of ..."): the
                # copula heads the cue, so the adjective is counted on its own, as kind "adj"
                tally((token.lemma_.lower(), "adj"), adjective_frames(token), in_cue.get(token.i), doc)
            if token.pos_ in ("VERB", "NOUN", "AUX", "ADJ"):
                tally((token.lemma_.lower(), "noun" if token.pos_ == "NOUN" else "verb"), frame_options(token),
                      heads.get(token.i), doc)
            if token.dep_ == "dobj" and token.pos_ == "NOUN" and token.head.i in heads:
                # the object of a cue verb is its content ("criticized [the plan]") or part of the cue
                # ("expressed [concern] about the plan"), as kind "light": how often, and which of the
                # noun's own dependents then holds the content
                attribution = heads[token.head.i]
                inside = in_cue.get(token.i) is attribution
                tally((token.lemma_.lower(), "light"), frame_options(token), attribution if inside else None, doc)
    rows = ["# lemma\tkind\tseen\tcue\tp_cue\tp_source\tframes  (learned from PolNeAR train by "
            "scripts/train_cue_lexicon.py; frames: frame=times the lemma had that dependent/"
            "times it was a cue whose content that dependent held)"]
    for key in sorted(cue, key=lambda k: (-cue[k], k)):
        if cue[key] < MIN_COUNT:
            continue
        lemma, kind = key
        frame_text = ",".join(f"{f}={present[key][f]}/{n}" for f, n in frames[key].most_common()
                              if f != "other" and n >= MIN_COUNT)
        rows.append(f"{lemma}\t{kind}\t{seen[key]}\t{cue[key]}\t{cue[key] / seen[key]:.3f}\t"
                    f"{with_source[key] / cue[key]:.2f}\t{frame_text}")
    args.out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} cue lemmas from {len(records)} train articles -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
