"""Shared fixtures: the real spaCy pipeline, the seed article, and running the real `kg` CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_06e6f271c7f4b0d7.txt"
SEED_GOLD = ROOT / "seeds" / "000_06e6f271c7f4b0d7.gold.json"


def run_kg(*args, input: bytes | None = None, cwd: Path | None = None, check: bool = False):
    """Run the CLI as a user would (a real process), returning the CompletedProcess with text output."""
    result = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], input=input, capture_output=True,
                            cwd=cwd or ROOT, timeout=600)
    result.stdout_text = result.stdout.decode("utf-8", "replace")
    result.stderr_text = result.stderr.decode("utf-8", "replace")
    if check and result.returncode != 0:
        raise AssertionError(f"kg {' '.join(map(str, args))} failed ({result.returncode}): {result.stderr_text}")
    return result


def query_json(*args) -> list[dict]:
    return json.loads(run_kg("query", *args, "--format", "json", check=True).stdout_text)


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load

    return load()


@pytest.fixture(scope="session")
def extract_text(nlp):
    """Extract from a text written for a test; returns the Extraction."""
    from kg.article import article_from_text
    from kg.pipeline import extract_article

    def run(text: str, **meta):
        return extract_article(article_from_text(text, identifier="test", **meta), nlp=nlp)

    return run


@pytest.fixture(scope="session")
def seed_turtle(tmp_path_factory) -> Path:
    """The seed article extracted once, through the real CLI."""
    out = tmp_path_factory.mktemp("seed") / "out.ttl"
    run_kg("extract", SEED, "-o", out, check=True)
    return out
