#!/usr/bin/env python3
"""Score speaker coreference on the pronoun dev set: resolved right %, wrong %, bare pronoun nodes.

    python scripts/eval_pronouns.py [--gold benchmarks/speakers/pronouns.jsonl] [--show]

Each line holds an invented short news text and, per statement, a phrase of its content and the speaker it
should be attributed to (null: the text names nobody it could be, so the source must be an explicit
unresolved speaker). The texts run through the same path as `kg extract` (plain-text layout). A statement
whose claim is not found at all is "missed" (the cue finder's fault, not coreference's); right and wrong
are out of all statements. A bare pronoun node is an agent named "He", "She", ... that is not an
unresolved speaker.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.coref import PRONOUNS  # noqa: E402
from kg.names import normalize  # noqa: E402
from kg.model import AgentKind  # noqa: E402


def load(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as error:
        raise SystemExit(f"eval_pronouns: error: {path}: {error}") from None


def judge(extraction, phrase: str, speaker: str | None) -> tuple[str, str]:
    """("right" | "wrong" | "missed", the source found) for one expected statement."""
    wanted = phrase.lower()
    claims = [c for c in extraction.claims if wanted in c.text.lower()]
    if not claims:
        return "missed", ""
    claim = min(claims, key=lambda c: len(c.text))
    agent = extraction.agent(claim.chain[0].source)
    if speaker is None:
        return ("right" if agent.kind == AgentKind.UNRESOLVED else "wrong"), agent.name
    names = {normalize(agent.name)} | {normalize(a) for a in agent.aliases}
    ok = agent.kind != AgentKind.UNRESOLVED and normalize(speaker) in names
    return ("right" if ok else "wrong"), agent.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=ROOT / "benchmarks" / "speakers" / "pronouns.jsonl")
    parser.add_argument("--show", action="store_true", help="print every statement that is not right")
    args = parser.parse_args()
    items = load(args.gold)
    from kg.article import article_from_text
    from kg.pipeline import extract_articles

    articles = (article_from_text(item["text"], identifier=item["id"], structured=False) for item in items)
    counts = {"right": 0, "wrong": 0, "missed": 0}
    bare = 0
    for item, extraction in zip(items, extract_articles(articles)):
        bare += sum(1 for a in extraction.agents if a.kind != AgentKind.UNRESOLVED and a.name.lower() in PRONOUNS)
        for expected in item["expect"]:
            verdict, found = judge(extraction, expected["says"], expected["speaker"])
            counts[verdict] += 1
            if args.show and verdict != "right":
                print(f"{item['id']}: {verdict}: {expected['says']!r} by {expected['speaker']!r}, found {found!r}")
    total = sum(counts.values()) or 1
    print(f"texts {len(items)}  statements {total}")
    print(f"missed {100 * counts['missed'] / total:.1f} %")
    print(f"bare pronoun nodes {bare}")
    print(f"wrong {100 * counts['wrong'] / total:.1f} %")
    print(f"right {100 * counts['right'] / total:.1f} %")


if __name__ == "__main__":
    main()
