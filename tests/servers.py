"""Real SPARQL servers for tests: Oxigraph (`oxigraph serve`) and Virtuoso, on 127.0.0.1 free ports, stopped after."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT = 90  # seconds; a new Virtuoso database builds itself on first start


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, log: Path | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers: up
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url} within {START_TIMEOUT} s: {_tail(log)}")


def _tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return log.read_text(errors="replace")[-2000:]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph_server(folder: Path):
    """`oxigraph serve` with the union default graph (what claimgraph's queries expect); yields its base URL."""
    binary = shutil.which("oxigraph")
    if binary is None:
        raise FileNotFoundError("oxigraph")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as output:
        process = subprocess.Popen([binary, "serve", "--location", str(folder / "data"), "--bind",
                                    f"127.0.0.1:{port}", "--union-default-graph"], stdout=output, stderr=output)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/query?query=ASK%7B%7D", process, log)
        yield base
    finally:
        stop(process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server(folder: Path):
    """Debian's virtuoso-opensource with a fresh database under ``folder``; anonymous SPARQL may write.
    Yields the base URL (query and update at /sparql, Graph Store Protocol at /sparql-graph-crud)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        raise FileNotFoundError("virtuoso-t" if binary is None else "isql-vt")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso.log"
    process = subprocess.Popen([binary, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_for_http(f"{base}/sparql?query=ASK%7B%7D", process, log)
        # a new database has dba/dba; the anonymous SPARQL account needs the right to update
        grants = 'GRANT SPARQL_UPDATE TO "SPARQL"; GRANT EXECUTE ON DB.DBA.L_O_LOOK TO "SPARQL";'
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={grants}"], check=True,
                       capture_output=True, timeout=60)
        yield base
    finally:
        stop(process)


@contextmanager
def sparql_server(kind: str, folder: Path):
    """The query URL of a running "oxigraph" or "virtuoso" server; pytest skips when it is not installed."""
    import pytest

    try:
        manager = oxigraph_server(folder) if kind == "oxigraph" else virtuoso_server(folder)
        base = manager.__enter__()
    except FileNotFoundError as missing:
        pytest.skip(f"{missing.args[0]} is not installed (.ci/run installs it)")
    try:
        yield f"{base}/query" if kind == "oxigraph" else f"{base}/sparql"
    finally:
        manager.__exit__(None, None, None)
