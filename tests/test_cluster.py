"""`kg ingest --scheduler`: extraction on a real Dask cluster (a scheduler and two workers, each its own process on
127.0.0.1) gives the store a local ingest gives, writes whole N-Quads shards, and survives a worker killed mid-run."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, run_kg
from kg.store import sorted_nquads
from test_parallel import invented
from test_robustness import no_traceback, skipped_lines, stored_texts

pytest.importorskip("distributed")

START_SECONDS = 180  # a bound against a cluster that never comes up (hangs), not a speed requirement


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A scheduler and two workers (or ``workers``), each a `dask` command in its own process group (nanny and
    worker)."""

    def __init__(self, folder: Path, worker_options: tuple[str, ...] = (), env: dict | None = None, workers: int = 2):
        self.address = f"tcp://127.0.0.1:{free_port()}"
        # the workers import kg from this checkout; their logs go to files (a full pipe would block them)
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                    **(env or {})}
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        port = self.address.rsplit(":", 1)[1]
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"])
        for number in range(1, workers + 1):
            self._start(f"worker{number}", ["worker", self.address, "--nthreads", "1", "--nworkers", "1",
                                            "--host", "127.0.0.1", "--no-dashboard", *worker_options])
        self.wait_for_workers(workers)

    def _start(self, name: str, arguments: list[str]) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes.append(subprocess.Popen([sys.executable, "-m", "dask", *arguments], cwd=self.folder,
                                               env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                               start_new_session=True))


    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with Client(self.address, timeout=10, set_as_default=False) as client:
                    client.wait_for_workers(count, timeout=START_SECONDS)
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                    logs = "\n".join(log.read_text(errors="replace")[-2000:] for log in self.folder.glob("*.log"))
                    raise RuntimeError(f"the Dask cluster did not start:\n{logs}") from None
                time.sleep(0.5)

    def worker_pids(self) -> list[int]:
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            return sorted(client.run(os.getpid).values())

    def stop(self) -> None:
        for process in reversed(self.processes):  # workers first: they would otherwise look for the scheduler
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield running
    finally:
        running.stop()


def write_corpus(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps(invented(number)) + "\n" for number in range(count)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", 12)


@pytest.fixture(scope="module")
def local_store(corpus, tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("local") / "store"
    result = run_kg("ingest", corpus, "--store", store, "--workers", "1")
    assert result.returncode == 0, result.stderr_text
    return store


def test_the_cluster_stores_exactly_what_a_local_ingest_stores(cluster, corpus, local_store, tmp_path):
    """Partitions of 3 articles spread over two workers; names merged across documents and claim threads
    (which depend on the order documents are stored in) come out the same."""
    store = tmp_path / "store"
    result = run_kg("ingest", corpus, "--store", store, "--scheduler", cluster.address, "--partition", "3")
    assert result.returncode == 0, result.stderr_text
    assert "12 article(s) ingested" in result.stderr_text
    local = sorted_nquads(local_store)
    assert any(b"/id/graph/thread/" in line for line in local)  # the corpus makes threads: they are compared too
    assert sorted_nquads(store) == local


def test_shards_are_whole_files_that_load_into_the_same_store(cluster, corpus, local_store, tmp_path):
    shards = tmp_path / "shards"
    result = run_kg("ingest", corpus, "--shards", shards, "--scheduler", cluster.address, "--partition", "5")
    assert result.returncode == 0, result.stderr_text
    assert "12 article(s) extracted into 3 shard(s)" in result.stderr_text
    assert sorted(path.name for path in shards.iterdir()) == ["part-000000.nq", "part-000001.nq", "part-000002.nq"]
    # concatenated, in name order, they load (through kg ingest, as a user would) to the local store
    joined = tmp_path / "all.nq"
    joined.write_bytes(b"".join(path.read_bytes() for path in sorted(shards.iterdir())))
    store = tmp_path / "store"
    loaded = run_kg("ingest", joined, "--store", store)
    assert loaded.returncode == 0, loaded.stderr_text
    assert "12 article(s) ingested" in loaded.stderr_text
    assert sorted_nquads(store) == sorted_nquads(local_store)
    # and the folder loads the same way
    from_folder = tmp_path / "store2"
    assert run_kg("ingest", shards, "--store", from_folder).returncode == 0
    assert sorted_nquads(from_folder) == sorted_nquads(local_store)


def test_compressed_shards_are_gzip_files_that_load_into_the_same_store(cluster, corpus, local_store, tmp_path):
    """--compress: the workers write part-NNNNNN.nq.gz (the same bytes on a retried task: no time or name in
    the header), far smaller than the plain shards, and the folder loads to the local ingest's store."""
    import gzip

    plain, packed = tmp_path / "plain", tmp_path / "packed"
    for folder, extra in ((plain, ()), (packed, ("--compress",))):
        result = run_kg("ingest", corpus, "--shards", folder, "--scheduler", cluster.address, "--partition", "6", *extra)
        assert result.returncode == 0, result.stderr_text
    assert sorted(path.name for path in packed.iterdir()) == ["part-000000.nq.gz", "part-000001.nq.gz"]
    for name in ("part-000000", "part-000001"):
        zipped = (packed / f"{name}.nq.gz").read_bytes()
        assert zipped[4:8] == b"\0\0\0\0"  # mtime 0
        assert gzip.decompress(zipped) == (plain / f"{name}.nq").read_bytes()
        assert len(zipped) * 5 < len((plain / f"{name}.nq").read_bytes())
    store = tmp_path / "store"
    loaded = run_kg("ingest", packed, "--store", store)
    assert loaded.returncode == 0, loaded.stderr_text
    assert sorted_nquads(store) == sorted_nquads(local_store)


def test_pages_and_archives_are_read_on_the_workers(cluster, tmp_path):
    """HTML pages and an archive's pages go to the cluster unread (the client would otherwise read every page
    for every worker): with the client unable to read a page, the store and the shards hold what a local
    ingest stores, and the same pages are named as skipped. (The folder and the archive hold one page under the
    same canonical URL: one document, whose later copy replaces the earlier, in a shard as in a store.)"""
    import web_pages
    from test_parallel import READ_PAGES_IN_WORKERS_ONLY
    from test_robustness import run_patched

    folder = tmp_path / "pages"
    web_pages.write_pages(folder)
    warc = web_pages.build_warc(tmp_path / "crawl.warc.gz")
    local = run_kg("ingest", folder, warc, "--store", tmp_path / "local", "--workers", "1")
    runs = [run_patched(READ_PAGES_IN_WORKERS_ONLY, "ingest", folder, warc, "--scheduler", cluster.address, *where)
            for where in (("--store", tmp_path / "store"), ("--shards", tmp_path / "shards"))]
    for result in runs:
        no_traceback(result)
        assert result.returncode == 1, result.stderr_text  # the login page and the archived 404
        assert sorted(skipped_lines(result.stderr_text)) == sorted(skipped_lines(local.stderr_text)), result.stderr_text
    assert run_kg("ingest", tmp_path / "shards", "--store", tmp_path / "from-shards").returncode == 0
    assert sorted_nquads(tmp_path / "store") == sorted_nquads(tmp_path / "local")
    assert sorted_nquads(tmp_path / "from-shards") == sorted_nquads(tmp_path / "local")


def test_compress_without_shards_is_a_usage_error(tmp_path, corpus):
    result = run_kg("ingest", corpus, "--store", tmp_path / "store", "--compress")
    assert result.returncode == 2
    assert "--compress goes with --shards DIR" in result.stderr_text


def test_a_shard_written_again_replaces_the_old_one_whole(cluster, corpus, tmp_path):
    """A run again (after an interruption, or a retried partition) writes the same names; no temporary file
    is left beside them."""
    shards = tmp_path / "shards"
    for _ in range(2):
        result = run_kg("ingest", corpus, "--shards", shards, "--scheduler", cluster.address, "--partition", "6")
        assert result.returncode == 0, result.stderr_text
    names = sorted(path.name for path in shards.iterdir())
    assert names == ["part-000000.nq", "part-000001.nq"], names


@pytest.mark.parametrize("address, message", [
    ("not-an-address", "kg: error: --scheduler 'not-an-address': not a scheduler address (tcp://HOST:PORT)"),
    ("tcp://127.0.0.1:{port}", "kg: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} (Connection refused)"),
])
def test_a_bad_or_unreachable_scheduler_is_one_line_and_no_store(corpus, tmp_path, address, message):
    port = free_port()  # nothing listens there
    store = tmp_path / "store"
    result = run_kg("ingest", corpus, "--store", store, "--scheduler", address.format(port=port))
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr_text.strip().splitlines() == [message.format(port=port)]
    assert not store.exists()


def test_shards_need_a_scheduler_and_no_store(corpus, tmp_path):
    result = run_kg("ingest", corpus, "--shards", tmp_path / "shards")
    assert result.returncode == 2
    assert "--shards, --partition and --partition-timeout go with --scheduler" in result.stderr_text
    result = run_kg("ingest", corpus, "--shards", tmp_path / "shards", "--store", tmp_path / "store",
                    "--scheduler", "tcp://127.0.0.1:1")
    assert result.returncode == 2
    assert "give --store or --shards, not both" in result.stderr_text


def test_a_worker_killed_mid_run_loses_no_document(cluster, tmp_path):
    """SIGKILL of one worker process once the first result is in (the rest are still out: 40 articles in
    partitions of 2, at most 6 partitions out): the scheduler runs its tasks again on the other worker (its
    nanny starts a new one), and every document is stored exactly once, as a local ingest stores it."""
    corpus = write_corpus(tmp_path / "corpus.jsonl", 40)
    local = tmp_path / "local"
    assert run_kg("ingest", corpus, "--store", local, "--workers", "1").returncode == 0
    victim = cluster.worker_pids()[0]
    store = tmp_path / "store"
    returncode, stderr = ingest_with_a_fault([corpus, "--store", store, "--scheduler", cluster.address,
                                              "--partition", "2"], lambda _: os.kill(victim, signal.SIGKILL))
    # the articles extracted when the kill came: "kg: ingest: 1/40 articles extracted, ..."
    done = int(next(line for line in stderr.splitlines() if line.startswith("kg: ingest: ")).split()[2].split("/")[0])
    assert done < 40, stderr  # the kill came before the end
    assert returncode == 0, stderr
    assert "40 article(s) ingested" in stderr
    assert "skipped" not in stderr
    assert sorted_nquads(store) == sorted_nquads(local)
    cluster.wait_for_workers(2)  # the nanny's new worker: the cluster is whole again
    assert victim not in cluster.worker_pids()


HUNG_SECONDS = 300  # the fault tests end in well under a minute (~2 timeouts); without the bound a hung one waits for good


def ingest_with_a_fault(arguments: list[str], fault: Callable[[subprocess.Popen], None],
                        undo: Callable[[], None] = lambda: None):
    """`kg ingest ARGUMENTS --report-every 0` in a process; ``fault(process)`` once the first result is in, ``undo()``
    at the end. (return code, stderr); a test failure when the ingest is not over HUNG_SECONDS after the fault."""
    process = subprocess.Popen([sys.executable, "-m", "kg", "ingest", *map(str, arguments), "--report-every", "0"],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        for line in process.stderr:
            lines.append(line)
            if line.startswith("kg: ingest: "):  # "kg: ingest: 1/24 articles extracted, ..."
                fault(process)
                break
        else:
            pytest.fail("no progress line before the end:\n" + "".join(lines))
        # the rest is read aside: reading to the end here would wait as long as a hung ingest
        reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
        reader.start()
        process.wait(timeout=HUNG_SECONDS)
        reader.join()
    except subprocess.TimeoutExpired:
        pytest.fail(f"the ingest still runs {HUNG_SECONDS} s after the fault:\n" + "".join(lines))
    finally:
        undo()
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, "".join(lines)


def signal_all(pids: list[int], number: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, number)
        except ProcessLookupError:  # ended meanwhile (a frozen worker replaced by its nanny)
            pass


def test_workers_that_stop_answering_do_not_hang_the_ingest(cluster, tmp_path):
    """Both worker processes frozen (SIGSTOP: alive, connected, never answering) once the first result is in.
    Before --partition-timeout the ingest waited for them for good (the scheduler drops a silent worker after
    5 minutes, then has none, and keeps the tasks). Now each partition not back 15 s after it was sent has its
    articles named as skipped, its worker is replaced through its nanny, the partitions after it run on the new
    workers, the run exits 1, and every other article is stored exactly once. (The freeze comes milliseconds
    after the first result, the other 11 partitions take the workers seconds.)"""
    corpus = write_corpus(tmp_path / "corpus.jsonl", 24)
    victims = cluster.worker_pids()
    store = tmp_path / "store"

    returncode, stderr = ingest_with_a_fault([corpus, "--store", store, "--scheduler", cluster.address, "--partition",
                                              "2", "--partition-timeout", "15"],
                                             lambda _: signal_all(victims, signal.SIGSTOP),
                                             lambda: signal_all(victims, signal.SIGCONT))
    assert "Traceback" not in stderr, stderr
    assert returncode == 1, stderr
    # a timeout is no internal error (no bug to report): the line says what happened and which option decides
    skipped = dict(re.findall(r"^kg: skipped (f\d+): partition (\d+) "
                              r"did not come back from the cluster within 15 s \(--partition-timeout\)$", stderr,
                              re.MULTILINE))
    assert len(skipped) == len(re.findall("^kg: skipped ", stderr, re.MULTILINE)), stderr[-6000:]
    assert skipped, stderr
    assert all(int(skipped[f"f{number}"]) == number // 2 for number in range(24) if f"f{number}" in skipped)
    texts = [text for text in stored_texts(store) if "ferry" in text]
    kept = [number for number in range(24) if f"f{number}" not in skipped]
    assert len(texts) == len(kept), stderr  # each stored once
    for number in range(24):
        assert any(f"every {number + 3} hours" in text for text in texts) == (number in kept), number
    assert f"{len(kept)} article(s) ingested" in stderr
    assert {"f22", "f23"} <= set(f"f{number}" for number in kept), stderr  # the last partition, on the new workers
    cluster.wait_for_workers(2)  # the new workers serve the next runs
    assert not set(cluster.worker_pids()) & set(victims)


def test_ctrl_c_is_heard_while_the_workers_do_not_answer(cluster, tmp_path):
    """Ctrl-C while the ingest waits for frozen workers (an hour allowed per partition): the run stops now, not
    when the wait would end. It says it was interrupted (exit 130, no traceback), and each document it stored is
    there once and whole."""
    corpus = write_corpus(tmp_path / "corpus.jsonl", 24)
    victims = cluster.worker_pids()
    store = tmp_path / "store"

    def freeze_then_interrupt(process: subprocess.Popen) -> None:
        signal_all(victims, signal.SIGSTOP)
        time.sleep(3)  # the results already in are stored by now: the ingest waits for a frozen worker
        process.send_signal(signal.SIGINT)

    returncode, stderr = ingest_with_a_fault([corpus, "--store", store, "--scheduler", cluster.address, "--partition",
                                              "2", "--partition-timeout", "3600"],
                                             freeze_then_interrupt, lambda: signal_all(victims, signal.SIGCONT))
    assert returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert "skipped" not in stderr, stderr  # the partitions out were not lost to an error: the next run has them
    texts = [text for text in stored_texts(store) if "ferry" in text]
    stored = [number for number in range(24) if any(f"every {number + 3} hours" in text for text in texts)]
    assert len(texts) == len(stored) < 24, stderr
    cluster.wait_for_workers(2)  # thawed, the workers serve the next runs
    assert cluster.worker_pids() == victims


def test_a_cluster_that_loses_every_worker_stops_in_one_line(corpus, tmp_path):
    """Every worker and its nanny killed once the first result is in: the scheduler keeps the tasks for workers
    that never come (the ingest used to wait for good). The first partition not back within the timeout ends
    the run in one line, exit 1; what was stored is whole, each document once."""
    doomed = Cluster(tmp_path)
    workers = doomed.processes[1:]
    try:
        returncode, stderr = ingest_with_a_fault(
            [corpus, "--store", tmp_path / "store", "--scheduler", doomed.address, "--partition", "1",
             "--partition-timeout", "15"],
            lambda _: [os.killpg(worker.pid, signal.SIGKILL) for worker in workers])
    finally:
        doomed.stop()
    assert "Traceback" not in stderr, stderr
    assert returncode == 1, stderr
    last = stderr.strip().splitlines()[-1]
    assert re.fullmatch(rf"kg: error: the Dask scheduler at {doomed.address} has no workers left \(partition \d+ was "
                        r"not back within 15 s\); what was stored is whole: run the same command again to finish",
                        last), stderr
    texts = [text for text in stored_texts(tmp_path / "store") if "ferry" in text]
    stored = [number for number in range(12) if any(f"every {number + 3} hours" in text for text in texts)]
    assert len(texts) == len(stored) < 12, stderr  # each once, and not all of them


def preload_fault(fault: str) -> str:
    """A worker --preload script: ``fault`` (Python lines indented by four spaces, reading ``articles``, the
    task's articles) runs before each task's extraction."""
    return f"""
import kg.parallel

original = getattr(kg.parallel.extract_chunk, "original", kg.parallel.extract_chunk)  # Dask may load this twice


def faulty(articles, *args):
{fault}
    return original(articles, *args)


faulty.original = original
kg.parallel.extract_chunk = faulty
"""


# Preloaded into each worker of the next test: a partition holding article f7 ends its worker process at once,
# as a crash in native code or the OOM killer would, wherever and however often it runs.
DIE_ON_F7 = preload_fault("""    if any(article.identifier == "f7" for article in articles):
        import os
        os._exit(9)""")


def ingest_on_preloaded_workers(preload: str, corpus: Path, tmp_path: Path, env: dict | None = None):
    """A cluster of its own whose workers run ``preload`` first; the corpus ingested through it into
    tmp_path/store and into tmp_path/shards (partitions of 3): the two runs' results."""
    script = tmp_path / "preload.py"
    script.write_text(preload, encoding="utf-8")
    special = Cluster(tmp_path, worker_options=("--preload", str(script)), env=env)
    try:
        return (run_kg("ingest", corpus, "--store", tmp_path / "store", "--scheduler", special.address, "--partition", "3"),
                run_kg("ingest", corpus, "--shards", tmp_path / "shards", "--scheduler", special.address,
                       "--partition", "3"))
    finally:
        special.stop()


def test_an_article_that_kills_every_worker_is_named_and_the_rest_stored(corpus, tmp_path):
    """The scheduler gives up on f7's partition once it has killed its workers (allowed-failures, here 1: two
    deaths); its articles are then extracted one task each, f7 kills its workers again and is named as
    skipped, the others are stored, each exactly once, and the run exits 1. (A partition that shared a dying
    worker may be given up on too; its articles go the same way and are stored or named.)"""
    store, shards = tmp_path / "store", tmp_path / "shards"
    result, sharded = ingest_on_preloaded_workers(DIE_ON_F7, corpus, tmp_path,
                                                  env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"})
    assert_only_failures_lost(result, store)
    # the same with --shards: f7's shard is written again without it
    assert_only_failures_lost(sharded, tmp_path / "from-shards", shards)


# Preloaded into each worker of the next test: f7 ends its worker process (as DIE_ON_F7), and f6 run on its own
# never comes back (as a stuck native call would); in their partition (f6, f7, f8) f7 ends the worker first.
DIE_ON_F7_HANG_ON_F6_ALONE = preload_fault("""    if any(article.identifier == "f7" for article in articles):
        import os
        os._exit(9)
    if [article.identifier for article in articles] == ["f6"]:
        import time
        time.sleep(3600)""")


def test_an_article_that_hangs_when_run_alone_is_named_after_the_timeout(corpus, tmp_path):
    """The articles of a partition that killed its workers are extracted one task each (as above), and one of
    those tasks never comes back: it is named as skipped for the timeout (no internal error, no traceback),
    f7 for killing its workers, and the other ten are stored, each exactly once."""
    script = tmp_path / "preload.py"
    script.write_text(DIE_ON_F7_HANG_ON_F6_ALONE, encoding="utf-8")
    special = Cluster(tmp_path, worker_options=("--preload", str(script)),
                      env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"})
    try:
        # 60 s: long enough for the healthy partitions on a busy machine, a worker restarted after f7 included
        result = run_kg("ingest", corpus, "--store", tmp_path / "store", "--scheduler", special.address,
                        "--partition", "3", "--partition-timeout", "60")
    finally:
        special.stop()
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    lines = skipped_lines(result.stderr_text)
    assert "kg: skipped f6: run on its own (partition 2), it did not come back from the cluster within 60 s "\
           "(--partition-timeout)" in lines, result.stderr_text
    assert any(line.startswith("kg: skipped f7: internal error while extracting: RuntimeError: it failed on the "
                               "cluster on its own (partition 2)") for line in lines), result.stderr_text
    assert len(lines) == 2, result.stderr_text
    texts = [text for text in stored_texts(tmp_path / "store") if "ferry" in text]
    assert len(texts) == 10
    for number in range(12):
        assert any(f"every {number + 3} hours" in text for text in texts) == (number not in (6, 7)), number


HANG_ON_F1 = preload_fault("""    if any(article.identifier == "f1" for article in articles):
        import time
        time.sleep(3600)""")


def test_a_worker_stuck_in_a_task_is_restarted_and_the_partitions_queued_behind_it_run(corpus, tmp_path):
    """One worker with one thread, and partition 0 (f0 to f2) never ends. Cancelling a task does not stop the
    thread running it: before, the scheduler queued every later partition behind the sleeping one, and each
    timed out in turn (all 12 articles skipped). Now the worker is restarted through its nanny when its
    partition times out, the partitions queued behind it get their time again, and they run on the new worker."""
    script = tmp_path / "preload.py"
    script.write_text(HANG_ON_F1, encoding="utf-8")
    single = Cluster(tmp_path, worker_options=("--preload", str(script)), workers=1)
    try:
        before = single.worker_pids()
        result = run_kg("ingest", corpus, "--store", tmp_path / "store", "--scheduler", single.address,
                        "--partition", "3", "--partition-timeout", "40")
        after = single.worker_pids()
    finally:
        single.stop()
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    assert skipped_lines(result.stderr_text) == [
        f"kg: skipped f{number}: partition 0 did not come back from the cluster within 40 s (--partition-timeout)"
        for number in range(3)], result.stderr_text
    texts = [text for text in stored_texts(tmp_path / "store") if "ferry" in text]
    assert len(texts) == 9
    for number in range(12):
        assert any(f"every {number + 3} hours" in text for text in texts) == (number >= 3), number
    assert len(after) == 1 and after != before


def assert_only_failures_lost(result, store: Path, shards: Path | None = None) -> None:
    no_traceback(result)
    assert result.returncode == 1, result.stderr_text
    if shards is not None:
        assert (shards / "part-000002.nq").exists()
        assert run_kg("ingest", shards, "--store", store).returncode == 0
    skipped = dict(re.findall(r"^kg: skipped (f\d+): internal error while extracting: RuntimeError: (.*)$",
                              result.stderr_text, re.MULTILINE))
    assert skipped["f7"].startswith("it failed on the cluster on its own (partition 2), retries included "
                                    "(KilledWorker: "), result.stderr_text
    assert len(skipped) == len(re.findall("^kg: skipped ", result.stderr_text, re.MULTILINE)), result.stderr_text
    names = sorted(skipped)
    texts = [text for text in stored_texts(store) if "ferry" in text]
    kept = [n for n in range(12) if f"f{n}" not in names]
    assert len(texts) == len(kept)  # each stored once
    for number in range(12):
        assert any(f"every {number + 3} hours" in text for text in texts) == (number in kept), number
    assert f"{12 - len(names)} article(s) {'extracted' if shards else 'ingested'}" in result.stderr_text


def _page_faults_of_big_allocations() -> int:
    """Minor page faults while 200 blocks of 1 MiB are made, filled and dropped (runs on a worker)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(200):
        block = bytearray(1 << 20)  # zero-filled: every page of it is touched
        del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_workers_reuse_freed_memory_instead_of_faulting_it_in_again(cluster):
    """Dask's nanny fixes glibc's malloc thresholds (MALLOC_TRIM_THRESHOLD_), which turns every freed block
    over 128 KiB into a new mmap: 200 blocks of 1 MiB fault in ~51,000 pages. Once claimgraph's pipeline is
    loaded in a worker, the freed blocks are reused."""
    import cloudpickle
    from distributed import Client

    from kg import cluster as kg_cluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
    with Client(cluster.address, timeout=60, set_as_default=False) as client:
        client.run(kg_cluster._pipeline)
        faults = client.run(_page_faults_of_big_allocations)
    assert len(faults) == 2
    assert all(count < 5_000 for count in faults.values()), faults


# Preloaded into each worker of the next test: an exception class the client does not have (as a library installed
# on the workers only would raise), raised while extracting article f7 and while writing the shard part-000001.nq.
WORKER_ONLY_ERROR = """
import kg.cluster
import kg.pipeline


class Unreadable(Exception):
    pass


original_extract = getattr(kg.pipeline.extract, "original", kg.pipeline.extract)  # Dask may load this twice
original_write = getattr(kg.cluster._write_shard, "original", kg.cluster._write_shard)


def extract(article, docs):
    if article.identifier == "f7":
        raise Unreadable(f"cannot read {article.identifier}")
    return original_extract(article, docs)


def write_shard(path, quads):
    if path.name == "part-000001.nq":
        raise Unreadable(f"cannot write {path.name}")
    return original_write(path, quads)


extract.original, write_shard.original = original_extract, original_write
kg.pipeline.extract, kg.cluster._write_shard = extract, write_shard
"""


def test_an_error_the_client_cannot_unpickle_costs_only_its_article(corpus, tmp_path):
    """The workers send errors as built-in exceptions (or claimgraph's), anything else as a RuntimeError naming
    its type: f7's error used to come back inside its partition's result, which the client then could not
    unpickle (No module named ...), so f6 and f8 were lost with it; a task that raised such an error was reported
    as the pickled bytes of it."""
    store, shards = tmp_path / "store", tmp_path / "shards"
    result, sharded = ingest_on_preloaded_workers(WORKER_ONLY_ERROR, corpus, tmp_path)
    f7 = "kg: skipped f7: internal error while extracting: RuntimeError: Unreadable: cannot read f7"
    for run in (result, sharded):
        no_traceback(run)
        assert run.returncode == 1, run.stderr_text
    assert skipped_lines(result.stderr_text) == [f7], result.stderr_text
    texts = [text for text in stored_texts(store) if "ferry" in text]
    assert len(texts) == 11  # each once
    assert [number for number in range(12) if any(f"every {number + 3} hours" in text for text in texts)] == [
        0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11]
    # the shard of f3-f5 could not be written: its articles are named, the other shards load
    lost = [f"kg: skipped f{number}: internal error while extracting: RuntimeError: partition 1 failed on the "
            f"cluster, retries included (RuntimeError: Unreadable: cannot write part-000001.nq)" for number in (3, 4, 5)]
    assert skipped_lines(sharded.stderr_text) == lost + [f7], sharded.stderr_text
    assert sorted(path.name for path in shards.iterdir()) == ["part-000000.nq", "part-000002.nq", "part-000003.nq"]
    loaded = tmp_path / "from-shards"
    assert run_kg("ingest", shards, "--store", loaded).returncode == 0
    assert len([text for text in stored_texts(loaded) if "ferry" in text]) == 8
