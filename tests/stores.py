"""Private triple-store servers on loopback, and a synthetic build, for the push tests and
``bench/push.py``.

``oxigraph_server(folder)`` and ``virtuoso_server(folder)`` start a server that keeps its
files (Oxigraph: only its log) in ``folder`` and yield a :class:`Server`; leaving the ``with`` block stops it, also
on failure. ``server.stop()`` and ``server.start()`` stop and restart it on the same
ports and data, as an interrupted push needs. ``synthetic_build(file, triples, documents)`` writes a
kg-shaped dataset as N-Quads.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

__all__ = [
    "OXIGRAPH",
    "VIRTUOSO",
    "Server",
    "free_port",
    "isql",
    "oxigraph_server",
    "synthetic_build",
    "virtuoso_server",
]

# The oxigraph command comes with the PyPI package, into the running venv's bin/.
OXIGRAPH = shutil.which(
    "oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
)
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
#: A fresh Virtuoso database's administrator.
VIRTUOSO_USER = ("dba", "dba")

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A store server process: its command, the URL that answers once it is up, and the
    Graph Store Protocol and SPARQL query URLs kg talks to."""

    name: str
    command: list[str]
    folder: Path
    ready_url: str
    gsp: str
    sparql: str
    auth: tuple[str, str] | None = None
    sql_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, seconds: float = 60) -> None:
        log = (self.folder / f"{self.name}.out").open("ab")
        self.process = subprocess.Popen(self.command, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.folder}")
            try:
                httpx.get(self.ready_url, timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {seconds} s")

    def stop(self) -> None:
        """Kill the process (as a crash would) and wait for it; a killed Virtuoso replays its
        transaction log when restarted."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None


@contextmanager
def _running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Server]:
    """``oxigraph serve`` in memory, its log in ``folder``: a restart starts it empty.

    Not ``--location``: on the shared 2-core machine RocksDB made pushes about 8 times
    slower, and a restart after a kill took 46 s (log recovery).
    """
    assert OXIGRAPH is not None
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"]
    with _running(Server("oxigraph", command, folder, base + "/", base + "/store", base + "/query")) as server:
        yield server


@contextmanager
def virtuoso_server(folder: Path, buffers: int = 20000) -> Iterator[Server]:
    """Debian's ``virtuoso-t`` with a ``virtuoso.ini`` and its database in ``folder``.

    ``buffers`` is ``NumberOfBuffers`` (8 KiB pages of cache; about 170000 suit 1M triples).
    """
    assert VIRTUOSO is not None
    folder = folder.resolve()
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        _VIRTUOSO_INI.format(
            dir=folder, sql_port=sql_port, http_port=http_port, buffers=buffers, dirty=buffers * 3 // 4
        ),
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{http_port}"
    command = [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")]
    server = Server(
        "virtuoso",
        command,
        folder,
        base + "/sparql?query=ASK%7B%7D",
        base + "/sparql-graph-crud-auth",
        base + "/sparql",
        auth=VIRTUOSO_USER,
        sql_port=sql_port,
    )
    with _running(server):
        yield server


def isql(server: Server, sql: str, seconds: float = 600) -> str:
    """Run SQL statements through ``isql-vt`` as the administrator; raise on an error."""
    assert ISQL is not None and server.auth is not None
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{server.sql_port}", *server.auth, f"exec={sql}"],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt failed: {done.stdout}{done.stderr}")
    return done.stdout


def synthetic_build(file: Path, triples: int, documents: int = 20, seed: int = 7) -> dict[str, int]:
    """Write ``documents`` document graphs of ``triples // documents`` triples each as N-Quads,
    shaped like kg's (typed entities with Korean and English labels, relations, dates), with
    entities shared between documents, so some triples sit in several graphs; plus the
    ontology graph. Returns the triples per graph name."""
    from kg.ns import KGD, KGO, KGR, ONTOLOGY_GRAPH, ONTOLOGY_PATH, RDF, RDFS, XSD

    rng = random.Random(seed)
    entities = max(10, triples // 2)
    classes = ("City", "Company", "University", "Person", "Conference", "Facility")
    relations = ("cooperatesWith", "locatedIn", "affiliatedWith", "heldAt", "plannedBy")
    counts: dict[str, int] = {}
    with file.open("w", encoding="utf-8") as out:
        for d in range(documents):
            graph = f"<{KGD}synthetic-{d:03d}>"
            lines: set[str] = set()
            while len(lines) < triples // documents:
                i = rng.randrange(entities)
                e = f"<{KGR}E{i}>"
                kind = classes[i % len(classes)]
                for line in (
                    f"{e} <{RDF.type}> <{KGO[kind]}>",
                    f'{e} <{RDFS.label}> "{kind} {i} 한국어 이름"@ko',
                    f'{e} <{RDFS.label}> "{kind} {i}"@en',
                    f"{e} <{KGO[rng.choice(relations)]}> <{KGR}E{rng.randrange(entities)}>",
                    f'{e} <{KGO.startDate}> "20{rng.randrange(10, 40)}-0{rng.randrange(1, 10)}-1{d % 10}"'
                    f"^^<{XSD.date}>",
                ):
                    if len(lines) < triples // documents:
                        lines.add(line)
            out.writelines(f"{line} {graph} .\n" for line in sorted(lines))
            counts[graph[1:-1]] = len(lines)
    import pyoxigraph as ox

    ontology = list(ox.parse(path=ONTOLOGY_PATH, format=ox.RdfFormat.TURTLE))
    with file.open("ab") as out:
        out.write(
            ox.serialize(
                [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(ONTOLOGY_GRAPH))) for t in ontology],
                format=ox.RdfFormat.N_QUADS,
            )
            or b""
        )
    counts[str(ONTOLOGY_GRAPH)] = len(set(ontology))
    return counts
