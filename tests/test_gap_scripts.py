"""scripts/train_coref.py and scripts/eval_gap.py on a small GAP-format file of texts written for these tests."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["ID", "Text", "Pronoun", "Pronoun-offset", "A", "A-offset", "A-coref", "B", "B-offset", "B-coref", "URL"]
ROWS = [  # (text, pronoun, A, B, which one it is: "A", "B" or "")
    ("Nora Quist hired Bruno Falk's sister Ada Falk in May. She said the tower would rise.", "She",
     "Nora Quist", "Ada Falk", "A"),
    ("Ivo Brandt met Karl Dorn at the dam. Later Dorn said he had never seen Ivo Brandt so calm.", "he",
     "Ivo Brandt", "Dorn", "B"),
    ("Lena Hart coached Mara Voss for a year. During her second season, Lena Hart won the cup.", "her",
     "Mara Voss", "Lena Hart", "B"),
    ("Tomas Wirth appointed Paul Egger as treasurer. He had known Paul Egger since school.", "He",
     "Tomas Wirth", "Paul Egger", "A"),
    ("Greta Moll sold the farm to Ilse Brandt. Ilse Brandt later said she regretted buying it.", "she",
     "Greta Moll", "Ilse Brandt", "B"),
    ("Rolf Amsel was a chemist. The rector praised Rolf Amsel and Dieter Kron. He later moved to Basel.", "He",
     "Rolf Amsel", "Dieter Kron", "A"),
]


def gap_file(path: Path) -> Path:
    lines = ["\t".join(COLUMNS)]
    for number, (text, pronoun, a, b, which) in enumerate(ROWS):
        at = text.index(f" {pronoun} ") + 1 if f" {pronoun} " in text else text.index(pronoun)
        lines.append("\t".join([f"test-{number}", text, pronoun, str(at), a, str(text.index(a)),
                                str(which == "A").upper(), b, str(text.rindex(b) if which == "B" else text.index(b)),
                                str(which == "B").upper(), ""]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def script(name: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / name), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)


def test_train_coref_cross_validates_and_writes_a_model_of_the_features(tmp_path):
    from kg.extract import coref

    out = tmp_path / "model.json"
    done = script("train_coref.py", "--gold", gap_file(tmp_path / "tiny.tsv"), "--folds", "2", "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("cross-validated overall F1 ")
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["features"] == list(coref.FEATURES) and len(model["weights"]) == len(coref.FEATURES)
    scored = script("eval_gap.py", "--gold", tmp_path / "tiny.tsv", "--model", out)  # the model just written
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.splitlines()[-1].startswith("overall F1 ")
    model["features"] = model["features"][:-1]  # a model of other features is refused in one line
    out.write_text(json.dumps(model), encoding="utf-8")
    refused = script("eval_gap.py", "--gold", tmp_path / "tiny.tsv", "--model", out)
    assert refused.returncode != 0 and "not a model of these features" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["--gold", "missing.tsv"], "missing.tsv: no such file"),
    (["--folds", "1"], "--folds needs at least 2"),
])
def test_train_coref_refuses_bad_input_in_one_line(tmp_path, args, message):
    args = [a if a != "missing.tsv" else tmp_path / a for a in args]
    if "--gold" not in args:
        args += ["--gold", gap_file(tmp_path / "tiny.tsv")]
    done = script("train_coref.py", *args, "--out", tmp_path / "model.json")
    assert done.returncode != 0 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "model.json").exists()
