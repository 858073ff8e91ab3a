#!/usr/bin/env python3
"""Score memberships, agent types and non-claims on the invented speaker texts (benchmarks/speakers/).

    python scripts/eval_memberships.py [--gold benchmarks/speakers/memberships.jsonl] [--verbose]

Each line of the gold file is one short invented news text with what must come out of it:
- "facts": [person, role, organisation] memberships (role null: any role; "A|B": either organisation name);
- "kinds": agent name -> kind ("Person", "Organization", ...);
- "not_agents": words that must name no agent ("Deputy" of "Deputy health minister X");
- "no_claim": phrases no claim's content may hold ("declined to comment");
- "sources": content phrase -> the name of the innermost source of the claim holding it;
- "no_claim_by": content phrase -> a name that must not be the source of a claim holding it.

Every text is extracted by the same code path as `kg extract` (kg.pipeline.extract_articles). A predicted
membership is right when its member, organisation (canonical name or an alias) and normalised role match a
fact. Prints membership recall, precision and F1 (and the same without the role), then each check's share.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.names import normalize  # noqa: E402

DEFAULT_GOLD = ROOT / "benchmarks" / "speakers" / "memberships.jsonl"


def names_of(agent) -> set[str]:
    return {normalize(agent.name)} | {normalize(a) for a in agent.aliases}


def fact_matches(x, membership, fact, with_role: bool = True) -> bool:
    person, role, organization = fact
    member, org = x.agent(membership.member), x.agent(membership.organization)
    if member is None or org is None or normalize(person) not in names_of(member):
        return False
    if not any(normalize(o) in names_of(org) for o in organization.split("|")):
        return False
    return not with_role or role is None or (membership.role or "") == role


def source_name(x, claim) -> str:
    agent = x.agent(claim.chain[0].source)
    return agent.name if agent is not None else ""


def score(rows, extractions, verbose: bool) -> dict:
    counts = {"gold": 0, "found": 0, "predicted": 0, "right": 0, "pairs_found": 0, "pairs_right": 0}
    checks = {"kinds": [0, 0], "not_agents": [0, 0], "no_claim": [0, 0], "sources": [0, 0], "no_claim_by": [0, 0]}
    for row, x in zip(rows, extractions):
        facts = [tuple(f) for f in row.get("facts", [])]
        predicted = list(x.memberships)
        counts["gold"] += len(facts)
        counts["predicted"] += len(predicted)
        for fact in facts:
            hit = any(fact_matches(x, m, fact) for m in predicted)
            counts["found"] += hit
            counts["pairs_found"] += any(fact_matches(x, m, fact, with_role=False) for m in predicted)
            if verbose and not hit:
                print(f"  {row['id']} missed {list(fact)}")
        for m in predicted:
            right = any(fact_matches(x, m, fact) for fact in facts)
            counts["right"] += right
            counts["pairs_right"] += any(fact_matches(x, m, fact, with_role=False) for fact in facts)
            if verbose and not right:
                print(f"  {row['id']} wrong  {[x.agent(m.member).name, m.role, x.agent(m.organization).name]}")
        for name, kind in row.get("kinds", {}).items():
            ok = any(normalize(name) in names_of(a) and a.kind.value == kind for a in x.agents)
            _check(checks, "kinds", ok, verbose, row, f"{name} is not a {kind}")
        for word in row.get("not_agents", []):
            ok = not any(normalize(word) == normalize(a.name) for a in x.agents)
            _check(checks, "not_agents", ok, verbose, row, f"an agent named {word}")
        for phrase in row.get("no_claim", []):
            ok = not any(phrase.lower() in c.text.lower() for c in x.claims)
            _check(checks, "no_claim", ok, verbose, row, f"a claim holds {phrase!r}")
        for phrase, name in row.get("sources", {}).items():
            claims = [c for c in x.claims if phrase.lower() in c.text.lower()]
            ok = any(normalize(source_name(x, c)) == normalize(name) for c in claims)
            _check(checks, "sources", ok, verbose, row, f"{phrase!r} not from {name} "
                   f"({[source_name(x, c) for c in claims]})")
        for phrase, name in row.get("no_claim_by", {}).items():
            ok = not any(phrase.lower() in c.text.lower() and any(
                normalize(name) in names_of(x.agent(link.source)) for link in c.chain if x.agent(link.source))
                for c in x.claims)
            _check(checks, "no_claim_by", ok, verbose, row, f"{phrase!r} claimed by {name}")
    return {"counts": counts, "checks": checks}


def _check(checks, what: str, ok: bool, verbose: bool, row, message: str) -> None:
    checks[what][0] += ok
    checks[what][1] += 1
    if verbose and not ok:
        print(f"  {row['id']} {what}: {message}")


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--verbose", action="store_true", help="list every miss and wrong membership")
    args = parser.parse_args()
    if not args.gold.is_file():
        print(f"eval_memberships: {args.gold}: no such file", file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    from kg.article import article_from_text
    from kg.pipeline import extract_articles

    articles = [article_from_text(row["text"], identifier=row["id"]) for row in rows]
    result = score(rows, list(extract_articles(articles)), args.verbose)
    c = result["counts"]
    recall, precision = ratio(c["found"], c["gold"]), ratio(c["right"], c["predicted"])
    f1 = ratio(2 * recall * precision, recall + precision)
    print(f"{len(rows)} texts, {c['gold']} membership facts, {c['predicted']} predicted")
    print(f"memberships          recall {100 * recall:5.1f}  precision {100 * precision:5.1f}  F1 {100 * f1:5.1f}")
    print(f"person-organisation  recall {100 * ratio(c['pairs_found'], c['gold']):5.1f}  "
          f"precision {100 * ratio(c['pairs_right'], c['predicted']):5.1f}  (role not compared)")
    for what, (ok, total) in result["checks"].items():
        print(f"{what:<20} {ok}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
