#!/usr/bin/env python3
"""`kg ingest --workers 1`, `--workers 2` and through a 2-worker Dask cluster against bare spaCy in one process,
same articles, same run.

    python scripts/bench_parallel.py CORPUS.jsonl [--articles N] [--workers 1 2] [--dask-workers 2 | 0]

Bare spaCy is `nlp.pipe` over the articles' parts in this process (model load not counted). Each ingest
is the real CLI into a fresh store; its time is the run's own (from the summary line: reading, worker
start and spaCy loads, extraction, RDF, store writes and claim threads), without the Python start. Peak
memory is VmHWM from /proc of the ingest process and of each worker process, polled while it runs (a
worker forks from a server that loaded spaCy, so much of its RSS is shared with its siblings). The
stores of all ingests are compared (sorted N-Quads): they must be identical. Before and after, a pure-Python
control measures how many cores the machine lends right now (the ceiling for any speed-up).

The Dask run starts `dask scheduler` and `dask worker --nthreads 1` processes on 127.0.0.1 (started, and
spaCy loaded in them, before the clock starts: a cluster outlives one ingest), then runs `kg ingest --scheduler`;
its time is the run's own, as for the others, and its wall time (Python start, connecting) is printed too.
Peak memory of a Dask worker is the VmHWM of the worker process (the nanny that watches it is not counted;
it holds no model). Then the same articles again with `--shards` (extraction only, no store writes): the
cluster's extraction rate without the single writer.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.store import sorted_nquads  # noqa: E402

EXTRA_ENV = dict(item.split("=", 1) for item in os.environ.get("BENCH_ENV", "").split())
SUMMARY = re.compile(r"(\d+) article\(s\) ingested into .* in ([\d.]+) s")


def peak_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) if match else 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[tuple[int, bytes]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), command))
    return found


def workers_of(pid: int) -> list[int]:
    """The worker processes of the ingest ``pid``: the children of its fork server."""
    servers = [child for child, command in children_of(pid) if b"forkserver" in command]
    return [worker for server in servers for worker, _ in children_of(server)]


def run_ingest(corpus: Path, store: Path, workers: int, options: list[str] | None = None, workers_of=workers_of,
               summary=SUMMARY) -> dict:
    options = options or ["--store", str(store), "--workers", str(workers)]
    command = [sys.executable, "-m", "kg", "ingest", str(corpus), *options, "--report-every", "3600"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, **EXTRA_ENV})
    main_peak, worker_peaks, main_cpu, worker_cpu = 0, {}, 0.0, {}
    before = {worker: cpu_seconds(worker) for worker in workers_of(process.pid)}  # a cluster's, already running
    while process.poll() is None:
        main_peak = max(main_peak, peak_kb(process.pid))
        main_cpu = max(main_cpu, cpu_seconds(process.pid))
        for worker in workers_of(process.pid):
            worker_peaks[worker] = max(worker_peaks.get(worker, 0), peak_kb(worker))
            worker_cpu[worker] = max(worker_cpu.get(worker, 0.0), cpu_seconds(worker) - before.get(worker, 0.0))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    stderr = process.stderr.read()
    match = summary.search(stderr)
    if process.returncode != 0 or not match:
        raise SystemExit(f"bench_parallel: {' '.join(command[3:])} failed ({process.returncode}):\n{stderr}")
    return {"articles": int(match.group(1)), "seconds": float(match.group(2)), "main_mb": main_peak / 1024,
            "worker_mb": sorted(peak / 1024 for peak in worker_peaks.values()), "wall": wall,
            "main_cpu": main_cpu, "worker_cpu": sorted(worker_cpu.values())}


# ---------------------------------------------------------------- a local Dask cluster

SHARDS_SUMMARY = re.compile(r"(\d+) article\(s\) extracted into .* in ([\d.]+) s")


class DaskCluster:
    """`dask scheduler` and ``count`` `dask worker --nthreads 1 --nworkers 1` processes on 127.0.0.1."""

    def __init__(self, count: int, folder: Path):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        env = {**os.environ, **EXTRA_ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.processes = []
        for name, arguments in [("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(port)])] + [
                (f"worker{n}", ["worker", self.address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1"])
                for n in range(count)]:
            log = (folder / f"{name}.log").open("wb")
            # not a session of their own: with the kernel's autogroup scheduling (on here) a new session is a new
            # group with its own fair share of the CPU, which on a shared machine would favour this run over the
            # --workers runs, whose processes share the session of this script
            self.processes.append(subprocess.Popen([sys.executable, "-m", "dask", *arguments, "--no-dashboard"],
                                                   cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT))
        from distributed import Client

        with Client(self.address, timeout=120, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=300)
            from kg.cluster import LoadSpacy

            client.register_plugin(LoadSpacy())  # spaCy loaded in each worker before the clock starts
            self.pids = sorted(client.run(os.getpid).values())

    def workers_of(self, pid: int) -> list[int]:
        return self.pids

    def stop(self) -> None:
        import signal

        for process in reversed(self.processes):  # a nanny ends its worker process when it ends
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def bare_spacy(corpus: Path) -> tuple[int, float]:
    from kg import nlp as nlp_module
    from kg.extract import parts_of
    from kg.ingest import Skipped, read_items

    articles = [item for item in read_items([str(corpus)]) if not isinstance(item, Skipped)]
    texts = [article.text[part.span.start:part.span.end] for article in articles for part in parts_of(article)]
    nlp = nlp_module.load()
    started = time.perf_counter()
    with nlp.select_pipes(disable=[nlp_module.LINE_BREAKS]):  # bare: spaCy's own components only
        for _ in nlp.pipe(texts, batch_size=nlp_module.BATCH_SIZE):
            pass
    return len(articles), time.perf_counter() - started


def _spin(count: int) -> float:
    started = time.perf_counter()
    total = 0
    for number in range(count):
        total += number
    return time.perf_counter() - started


def core_capacity(processes: int, count: int = 20_000_000) -> float:
    """How many cores this machine lends right now: ``processes`` equal pure-Python tasks at once against
    one alone (2.0 on two idle cores; less when other jobs share them). The ceiling for any speed-up."""
    import multiprocessing

    alone = _spin(count)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        started = time.perf_counter()
        pool.map(_spin, [count] * processes)
        together = time.perf_counter() - started
    return processes * alone / together


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="JSON Lines with a 'text' field")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dask-workers", type=int, default=2, help="workers of the local Dask cluster (0: no Dask run)")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"bench_parallel: {args.corpus}: no such file", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bench_parallel_") as folder:
        corpus = Path(folder) / "corpus.jsonl"
        with args.corpus.open(encoding="utf-8") as source, corpus.open("w", encoding="utf-8") as sample:
            lines = [line for line in source if line.strip()][:args.articles]
            sample.writelines(lines)
        words = sum(len(json.loads(line).get("text", "").split()) for line in lines)
        print(f"{len(lines)} articles, {words:,} words; load average {Path('/proc/loadavg').read_text().split()[0]}")
        most = max(args.workers)
        print(f"cores lent to {most} processes now : {core_capacity(most):.2f} (of {most}; the speed-up ceiling)")
        count, seconds = bare_spacy(corpus)
        base_rate = count / seconds
        print(f"bare spaCy, 1 process      : {base_rate:6.2f} articles/s")
        runs = {}
        for workers in args.workers:
            run = runs[workers] = run_ingest(corpus, Path(folder) / f"store{workers}", workers)
            rate = run["articles"] / run["seconds"]
            memory = ", ".join(f"{mb:.0f}" for mb in run["worker_mb"]) or "none (in process)"
            print(f"kg ingest --workers {workers:<2}    : {rate:6.2f} articles/s ({rate / base_rate:.0%} of bare "
                  f"spaCy); peak RSS main {run['main_mb']:.0f} MB, workers {memory} MB")
            worker_cpu = ", ".join(f"{seconds:.1f}" for seconds in run["worker_cpu"]) or "-"
            print(f"    run {run['seconds']:.1f} s; CPU s (polled): main {run['main_cpu']:.1f}, workers {worker_cpu}")
        stores = [Path(folder) / f"store{workers}" for workers in args.workers]
        if args.dask_workers:
            cluster = DaskCluster(args.dask_workers, Path(folder))
            try:
                dask = runs["dask"] = run_ingest(corpus, None, 0, ["--store", str(Path(folder) / "store-dask"),
                                                                   "--scheduler", cluster.address],
                                                 workers_of=cluster.workers_of)
                shards = runs["shards"] = run_ingest(corpus, None, 0, ["--shards", str(Path(folder) / "shards"),
                                                                       "--scheduler", cluster.address],
                                                     workers_of=cluster.workers_of, summary=SHARDS_SUMMARY)
            finally:
                cluster.stop()
            # the shards loaded as a user would: names across documents, store writes, threads; no extraction
            load = runs["load"] = run_ingest(Path(folder) / "shards", None, 0,
                                             ["--store", str(Path(folder) / "store-shards")])
            stores += [Path(folder) / "store-dask", Path(folder) / "store-shards"]
            for label, run in ((f"dask, {args.dask_workers} workers -> store ", dask),
                               (f"dask, {args.dask_workers} workers -> shards", shards)):
                rate = run["articles"] / run["seconds"]
                memory = ", ".join(f"{mb:.0f}" for mb in run["worker_mb"])
                print(f"{label}: {rate:6.2f} articles/s ({rate / base_rate:.0%} of bare spaCy); peak RSS main "
                      f"{run['main_mb']:.0f} MB, workers {memory} MB")
                worker_cpu = ", ".join(f"{seconds:.1f}" for seconds in run["worker_cpu"])
                print(f"    run {run['seconds']:.1f} s (wall {run['wall']:.1f} s with Python start and connecting); "
                      f"CPU s (polled): main {run['main_cpu']:.1f}, workers {worker_cpu}")
        if args.dask_workers:
            print(f"kg ingest SHARDS --store   : {load['articles'] / load['seconds']:6.2f} articles/s (loading only, one "
                  f"process: the ceiling of the single writer); peak RSS {load['main_mb']:.0f} MB, CPU s {load['main_cpu']:.1f}")
            print(f"    shards: {sum(p.stat().st_size for p in (Path(folder) / 'shards').iterdir()) / 1e6:.1f} MB of N-Quads")
        first = args.workers[0]
        for workers in [*args.workers[1:], *(["dask", "shards"] if args.dask_workers else [])]:
            ratio = runs[first]["seconds"] / runs[workers]["seconds"]
            name = f"--workers {workers}" if isinstance(workers, int) else f"{workers} ({args.dask_workers} workers)"
            print(f"speed-up {name} vs --workers {first}: {ratio:.2f}x")
        reference = sorted_nquads(stores[0])
        same = all(sorted_nquads(store) == reference for store in stores[1:])
        print(f"stores identical           : {'yes' if same else 'NO'} ({len(reference):,} quads)")
        print(f"load average after         : {Path('/proc/loadavg').read_text().split()[0]} (2 = both cores busy)")
        print(f"cores lent after           : {core_capacity(most):.2f}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
