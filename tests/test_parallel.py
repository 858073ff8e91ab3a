"""`kg ingest --workers N`: extraction in worker processes gives the same store as one process, and a failing or
dying worker loses only its article."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_kg
from kg.store import sorted_nquads
from test_robustness import (no_traceback, patched_script, run_patched, skipped_lines, stored_texts,
                             when_extracting)

SPEAKERS = ["Mira Solberg", "Tomas Ekdahl", "the Harbour Authority", "Priya Raman"]
PLACES = ["Kestrel Bay", "Oakmoor", "Vinterhavn"]


def invented(number: int) -> dict:
    """Short articles that share speakers, places and one repeated claim, so that names are merged across
    documents and claims join threads: both depend on the order the documents are stored in."""
    speaker, place = SPEAKERS[number % len(SPEAKERS)], PLACES[number % len(PLACES)]
    text = (f"Ferry timetable for {place} changes\n\n"
            f"{speaker} said that the ferry to {place} will run every {number + 3} hours from May. "
            f"\"We have no other choice,\" {speaker.split()[-1]} told the council on Tuesday. "
            f"Residents said the new timetable would cut them off from the mainland.\n")
    record = {"id": f"f{number}", "text": text, "publisher": "Coastal Courier"}
    if number % 3 == 0:
        record["comments"] = [{"author": "Lena B.", "text": f"{speaker} said the same thing last year."}]
    return record


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("parallel") / "corpus.jsonl"
    path.write_text("".join(json.dumps(invented(number)) + "\n" for number in range(12)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def one_worker_store(corpus, tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("one") / "store"
    result = run_kg("ingest", corpus, "--store", store, "--workers", "1")
    assert result.returncode == 0, result.stderr_text
    return store


def test_two_workers_store_exactly_what_one_process_stores(corpus, one_worker_store, tmp_path):
    store = tmp_path / "store"
    result = run_kg("ingest", corpus, "--store", store, "--workers", "2")
    assert result.returncode == 0, result.stderr_text
    assert "12 article(s) ingested" in result.stderr_text
    one = sorted_nquads(one_worker_store)
    assert len(one) > 500
    assert sorted_nquads(store) == one


SAY_WHETHER_SPACY_WAS_IMPORTED = """
    import atexit, sys
    if __name__ == "__main__":  # the ingest process (workers import this script under another name)
        atexit.register(lambda: print("spaCy imported:", "spacy" in sys.modules, file=sys.stderr))
"""


def test_with_workers_the_ingest_process_does_not_import_spacy(tmp_path):
    """Importing spaCy costs the ingest process CPU its workers would use, and a cluster's client need not
    have the model at all."""
    corpus = tmp_path / "corpus.jsonl"
    records = [invented(number) for number in range(8)]  # two tasks: two workers
    records[1]["text"] += ("Mira Solberg, a spokeswoman for the Harbour Authority, said the new ferries "
                           "would arrive in June.\n")  # a membership: its role's IRI is a slug
    corpus.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    stores = {}
    for workers, imported in (("2", "False"), ("1", "True")):
        stores[workers] = tmp_path / f"store-{workers}"
        result = run_patched(SAY_WHETHER_SPACY_WAS_IMPORTED, "ingest", corpus, "--store", stores[workers],
                             "--workers", workers)
        assert result.returncode == 0, result.stderr_text
        assert f"spaCy imported: {imported}" in result.stderr_text
    two = sorted_nquads(stores["2"])
    assert any(b"/id/role/spokesperson>" in line for line in two)
    assert two == sorted_nquads(stores["1"])


READ_PAGES_IN_WORKERS_ONLY = """
    import multiprocessing
    import kg.readers.html
    original = kg.readers.html.read_html
    def read_html(*args, **kwargs):
        if multiprocessing.parent_process() is None:  # the ingest process itself
            raise RuntimeError("the ingest process read a page")
        return original(*args, **kwargs)
    kg.readers.html.read_html = read_html
"""


def test_pages_and_archives_are_read_in_the_workers_with_what_one_process_says(tmp_path):
    """HTML pages and a web archive's pages go to the workers unread (reading one costs a quarter of its
    extraction, work the ingest process would otherwise do for every worker): with the ingest process unable
    to read a page, two workers store what one process stores, and say the same skipped pages and warnings."""
    import web_pages

    folder = tmp_path / "pages"
    web_pages.write_pages(folder)
    warc = web_pages.build_warc(tmp_path / "crawl.warc.gz")
    one = run_kg("ingest", folder, warc, "--store", tmp_path / "one", "--workers", "1")
    two = run_patched(READ_PAGES_IN_WORKERS_ONLY, "ingest", folder, warc, "--store", tmp_path / "two",
                      "--workers", "2")
    no_traceback(two)
    assert one.returncode == two.returncode == 1, two.stderr_text  # the login page and the archived 404
    said = [sorted(line for line in result.stderr_text.splitlines() if line.startswith(("kg: skipped", "kg: warning")))
            for result in (one, two)]
    assert said[0] == said[1], two.stderr_text
    assert any("login.html: no article text found" in line for line in said[1]), said[1]
    assert "10 article(s) ingested" in two.stderr_text
    assert sorted_nquads(tmp_path / "two") == sorted_nquads(tmp_path / "one")


READER_FAILS_ON_THE_AMP_PAGE = """
    import kg.readers.html
    original = kg.readers.html.read_html
    def read_html(data, name, **kwargs):
        if "/amp" in name:  # amp.html, and https://courier.example/amp/... in the archive
            raise ValueError("a reader bug on this page")
        return original(data, name, **kwargs)
    kg.readers.html.read_html = read_html
"""


def test_a_reader_failure_on_one_page_loses_that_page_only_with_or_without_workers(tmp_path):
    """The page reader failing on one page (a bug, in the file and in the archive): that page alone is named as
    skipped, in the same words whether pages are read in this process or in the workers, and the stores agree."""
    import web_pages

    folder = tmp_path / "pages"
    web_pages.write_pages(folder)
    warc = web_pages.build_warc(tmp_path / "crawl.warc.gz")
    runs = [run_patched(READER_FAILS_ON_THE_AMP_PAGE, "ingest", folder, warc, "--store", tmp_path / workers,
                        "--workers", workers) for workers in ("1", "2")]
    said = [sorted(skipped_lines(result.stderr_text)) for result in runs]
    assert said[0] == said[1], runs[1].stderr_text
    amp = [line for line in said[0] if "/amp" in line]
    assert len(amp) == 2 and all(line.endswith("internal error while reading: ValueError: a reader bug on this page")
                                 for line in amp), said[0]
    assert "8 article(s) ingested" in runs[0].stderr_text and "8 article(s) ingested" in runs[1].stderr_text
    assert sorted_nquads(tmp_path / "1") == sorted_nquads(tmp_path / "2")


EXTRACTION_FAILS_ON_THE_CAFE_PAGE = when_extracting('article.identifier == "cafe"',
                                                    'raise RuntimeError("an extractor bug on this page")')


def test_a_page_whose_extraction_fails_still_has_its_reader_warnings_said(tmp_path):
    """A page that is not UTF-8 and says no charset (read with a warning) and then fails extraction: the warning
    is said with workers as in one process, where it comes when the page is read."""
    import web_pages

    folder = tmp_path / "pages"
    web_pages.write_pages(folder)  # enough pages for two workers (a corpus of 4 or fewer is read in one process)
    (folder / "cafe.html").write_bytes(web_pages.UNDATED_PAGE.replace("ferry company", "café's ferry").encode("cp1252"))
    runs = [run_patched(EXTRACTION_FAILS_ON_THE_CAFE_PAGE, "ingest", folder, "--store", tmp_path / workers,
                        "--workers", workers) for workers in ("1", "2")]
    said = [sorted(line for line in result.stderr_text.splitlines() if line.startswith(("kg: warning", "kg: skipped")))
            for result in runs]
    assert said[0] == said[1], runs[1].stderr_text
    cafe = [line for line in said[1] if "cafe" in line]
    assert len(cafe) == 2 and any("cp1252" in line.lower() for line in cafe), said[1]
    assert "kg: skipped cafe: internal error while extracting: RuntimeError: an extractor bug on this page" in cafe


def test_the_default_runs_workers_and_gives_the_same_store(corpus, one_worker_store, tmp_path):
    """No --workers: one per core (at most one per 4-article task); the store is the same."""
    store = tmp_path / "store"
    result = run_kg("ingest", corpus, "--store", store)
    assert result.returncode == 0, result.stderr_text
    assert sorted_nquads(store) == sorted_nquads(one_worker_store)


FAIL_IN_WORKER_ON_F5 = when_extracting('article.identifier == "f5" and in_worker', 'raise ValueError("boom in f5")')

# as a crash in native code or the OOM killer would end it
DIE_IN_WORKER_ON_F7 = when_extracting('article.identifier == "f7" and in_worker', "os._exit(9)")


@pytest.mark.parametrize("patch, number, reason", [
    (FAIL_IN_WORKER_ON_F5, 5, "internal error while extracting: ValueError: boom in f5"),
    (DIE_IN_WORKER_ON_F7, 7, "internal error while extracting: RuntimeError: the worker process extracting it died"),
])
def test_an_article_a_worker_fails_on_is_named_and_the_others_are_stored(corpus, one_worker_store, tmp_path,
                                                                          patch, number, reason):
    """The failure happens only inside a worker process (the patch checks): the run reports that article,
    stores the other 11 and exits 1, as a one-process run does."""
    store = tmp_path / "store"
    result = run_patched(patch, "ingest", corpus, "--store", store, "--workers", "2")
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    assert skipped_lines(result.stderr_text) == [f"kg: skipped f{number}: {reason}"], result.stderr_text
    assert "11 article(s) ingested" in result.stderr_text
    texts = [text for text in stored_texts(store) if "ferry" in text]
    assert len(texts) == 11
    assert not any(f"every {number + 3} hours" in text for text in texts)


# as a pathological input or a stuck native call would
HANG_IN_WORKER_ON_F3 = when_extracting('article.identifier == "f3" and in_worker', "time.sleep(3600)")


@pytest.mark.parametrize("workers", ["2", "1"])
def test_an_article_that_takes_too_long_is_skipped_and_its_worker_ended(corpus, tmp_path, workers):
    """An article stuck in its worker for good: after --article-timeout seconds the worker is ended, the article
    is named as skipped (no traceback: no bug), the other 11 are stored and the run exits 1. With one worker the
    timeout runs it in a process of its own, the only way to stop it. Without the timeout the run would hang."""
    store = tmp_path / "store"
    result = run_patched(HANG_IN_WORKER_ON_F3, "--debug", "ingest", corpus, "--store", store, "--workers", workers,
                         "--article-timeout", "5", timeout=300)
    no_traceback(result)  # a timeout is no bug: no traceback, even with --debug
    assert result.returncode == 1, result.stderr_text
    assert skipped_lines(result.stderr_text) == [
        "kg: skipped f3: extraction did not finish within 5 s (--article-timeout)"], result.stderr_text
    assert "11 article(s) ingested" in result.stderr_text
    assert "1 input(s) skipped, each named above: 1 took too long (--article-timeout)" in result.stderr_text
    assert len([text for text in stored_texts(store) if "ferry" in text]) == 11


def test_ctrl_c_is_heard_while_a_worker_is_stuck(tmp_path):
    """Ctrl-C while the ingest waits for a stuck worker (an hour allowed per article): the run stops now, not
    when the wait would end. It says it was interrupted (exit 130, no traceback) and leaves no worker behind."""
    script = patched_script(HANG_IN_WORKER_ON_F3, tmp_path)
    # more articles than the workers are handed ahead (6 tasks of 4), then an input never read once stopped
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(invented(number)) + "\n" for number in range(40)), encoding="utf-8")
    later = tmp_path / "later.txt"
    process = subprocess.Popen([sys.executable, str(script), "ingest", str(corpus), str(later), "--store",
                                str(tmp_path / "store"), "--workers", "2", "--article-timeout", "3600",
                                "--report-every", "0.2"],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120  # a bound against a run that never starts its workers
        while len(workers := [worker for server in children(process.pid) for worker in children(server)]) < 2:
            assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
            time.sleep(0.2)
        # f3 ends the first task, so nothing is stored until it comes back (results are stored in input order):
        # no progress line to wait for. The worker is inside f3 within seconds; Ctrl-C is heard either way.
        time.sleep(3)
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=120)[1]  # a bound against the hour-long wait, not a speed requirement
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, rest
    assert "interrupted" in rest and "Traceback" not in rest, rest
    assert "skipped" not in rest, rest  # the articles out were not lost to an error, nor was later.txt read
    assert workers and not [worker for worker in workers if alive(worker)], workers


# slow but healthy: a task of 4 such articles takes 4 s and more
SLOW_IN_WORKER = when_extracting("in_worker", "time.sleep(1)")


def test_a_task_of_slow_articles_has_the_time_of_all_its_articles(corpus, one_worker_store, tmp_path):
    """--article-timeout is per article: a task of 4 articles taking 1 s each is not cut short at 3 s."""
    store = tmp_path / "store"
    result = run_patched(SLOW_IN_WORKER, "ingest", corpus, "--store", store, "--workers", "2",
                         "--article-timeout", "3", timeout=300)
    assert result.returncode == 0, result.stderr_text
    assert sorted_nquads(store) == sorted_nquads(one_worker_store)


def test_the_article_timeout_is_for_local_workers():
    result = run_kg("ingest", "x.jsonl", "--store", "s", "--scheduler", "tcp://127.0.0.1:1", "--article-timeout", "5")
    assert result.returncode == 2 and "--partition-timeout" in result.stderr_text, result.stderr_text


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent to collect it."""
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False


def test_kill_9_of_the_ingest_ends_its_workers(tmp_path):
    """Workers fork from a server, not from the ingest: nothing would end them after a kill -9 of the
    ingest but their own watch on it. The documents stored before the kill are whole (tested in
    test_ingest for the default worker count); here: no worker process is left running."""
    from test_ingest import wait_until_stored, write_corpus

    corpus = write_corpus(tmp_path / "corpus.jsonl", range(400))
    process = subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(tmp_path / "store"),
                                "--workers", "2", "--report-every", "0.2"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_stored(process, at_least=8)
        workers = [worker for server in children(process.pid) for worker in children(server)]
        assert len(workers) == 2, workers
        process.kill()
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    deadline = time.monotonic() + 60  # a bound against hanging, not a speed requirement
    while any(Path(f"/proc/{worker}").exists() for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [worker for worker in workers if alive(worker)]
    assert not left, left


def test_workers_without_the_spacy_model_stop_the_run_in_one_line(corpus, tmp_path):
    """The model is missing (patched: its name changed): as in one process, one line and exit 1, not an
    error for every article."""
    patch = "import kg.nlp\nkg.nlp.MODEL = 'en_core_web_not_installed'\nkg.nlp.load.cache_clear()\n"
    result = run_patched(patch, "ingest", corpus,
                         "--store", tmp_path / "store", "--workers", "2")
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    assert result.stderr_text.strip().splitlines()[-1].startswith(
        "kg: error: spaCy model en_core_web_not_installed is not installed"), result.stderr_text
    assert "skipped" not in result.stderr_text
