"""The thread index kept beside a store: claims, their index keys, the links between them, thread members."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import UserError
from kg.threads.claims import ThreadClaim
from kg.threads.features import Features

FILE_NAME = "claimgraph-threads.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS article (iri TEXT PRIMARY KEY, graph TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claim (iri TEXT PRIMARY KEY, article TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claim_article ON claim (article);
CREATE TABLE IF NOT EXISTS posting (key TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (key, iri)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS posting_iri ON posting (iri);
CREATE TABLE IF NOT EXISTS edge (kind TEXT NOT NULL, first TEXT NOT NULL, second TEXT NOT NULL, score REAL NOT NULL,
                                 PRIMARY KEY (first, second, kind)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_second ON edge (second);
CREATE TABLE IF NOT EXISTS member (iri TEXT PRIMARY KEY, thread TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS member_thread ON member (thread);
"""


class ThreadIndex:
    """An inverted index from index keys (adjacent content-word pairs) to claims, with the links found.

    Looking a new claim up costs the postings of its own keys, not a pass over every stored claim. Keys
    are pairs of adjacent content stems, never two names ("hillary clinton"), so few keys are common; a key
    held by more than ``max_postings`` claims says too little to be worth reading and is skipped, which
    bounds candidate generation as the corpus grows. That skip is the one thing that depends on the order
    of ingest (a key crosses the limit at some point): below the limit, the links do not.
    """

    def __init__(self, path: str | Path | None = None, max_postings: int = 2000):
        self.path = str(path) if path else ":memory:"
        self.max_postings = max_postings
        self._claims: dict[str, ThreadClaim] = {}  # decoded claims, kept while linking (bounded)
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self.db.execute("BEGIN")
        except sqlite3.Error as error:
            raise UserError(f"{self.path}: the thread index cannot be read ({error}); delete it and run kg ingest "
                            "again to rebuild the threads from the store") from None

    @classmethod
    def beside(cls, store_dir: str | Path) -> "ThreadIndex":
        return cls(Path(store_dir) / FILE_NAME)

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def rollback(self) -> None:
        self._claims.clear()
        self.db.execute("ROLLBACK")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.execute("ROLLBACK")
        self.db.close()

    # ------------------------------------------------------------ articles and claims

    def articles(self) -> dict[str, str]:
        """Indexed article IRI -> the fingerprint of the document graph it was read from."""
        return dict(self.db.execute("SELECT iri, graph FROM article"))

    def set_article(self, article: str, graph: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO article VALUES (?, ?)", (article, graph))

    def claims_of(self, article: str) -> list[str]:
        return [iri for (iri,) in self.db.execute("SELECT iri FROM claim WHERE article = ? ORDER BY iri", (article,))]

    def claim(self, iri: str) -> ThreadClaim:
        found = self._claims.get(iri)
        if found is None:
            (payload,) = self.db.execute("SELECT payload FROM claim WHERE iri = ?", (iri,)).fetchone()
            found = self._remember(ThreadClaim.from_json(payload))
        return found

    def _remember(self, claim: ThreadClaim) -> ThreadClaim:
        if len(self._claims) >= 100_000:
            self._claims.clear()
        self._claims[claim.iri] = claim
        return claim

    def add(self, claim: ThreadClaim, features: Features) -> None:
        self._remember(claim)
        self.db.execute("INSERT OR REPLACE INTO claim VALUES (?, ?, ?)", (claim.iri, claim.article, claim.to_json()))
        self.db.executemany("INSERT OR IGNORE INTO posting VALUES (?, ?)", ((key, claim.iri) for key in features.keys))

    def remove_article(self, article: str) -> list[str]:
        """Forget an article's claims with their postings and links; returns the claims forgotten."""
        iris = self.claims_of(article)
        for iri in iris:
            self._claims.pop(iri, None)
            self.db.execute("DELETE FROM posting WHERE iri = ?", (iri,))
            self.db.execute("DELETE FROM edge WHERE first = ? OR second = ?", (iri, iri))
            self.db.execute("DELETE FROM member WHERE iri = ?", (iri,))
            self.db.execute("DELETE FROM claim WHERE iri = ?", (iri,))
        self.db.execute("DELETE FROM article WHERE iri = ?", (article,))
        return iris

    def candidates(self, claim: ThreadClaim, features: Features) -> list[str]:
        """Claims of other articles sharing at least one informative key with ``claim``, in IRI order."""
        found: set[str] = set()
        limit = self.max_postings + 1
        for key in sorted(features.keys):
            rows = self.db.execute("SELECT p.iri, c.article FROM posting p JOIN claim c ON c.iri = p.iri "
                                   "WHERE p.key = ? LIMIT ?", (key, limit)).fetchall()
            if len(rows) >= limit:
                continue
            found.update(iri for iri, article in rows if article != claim.article)
        return sorted(found)

    # ------------------------------------------------------------ links and threads

    def add_edge(self, kind: str, first: str, second: str, score: float = 1.0) -> None:
        self.db.execute("INSERT OR IGNORE INTO edge VALUES (?, ?, ?, ?)", (kind, first, second, score))

    def edges_among(self, iris: set[str], kind: str) -> list[tuple[str, str, float]]:
        """``kind`` edges with both ends in ``iris``: (first, second, score), in IRI order."""
        found = []
        for iri in sorted(iris):
            found.extend((iri, second, score) for second, score in self.db.execute(
                "SELECT second, score FROM edge WHERE first = ? AND kind = ?", (iri, kind)) if second in iris)
        return sorted(found)

    def neighbours(self, iri: str, kind: str) -> list[str]:
        """Claims linked to ``iri`` by a ``kind`` edge, either way round."""
        return sorted({other for (other,) in self.db.execute(
            "SELECT second FROM edge WHERE first = ? AND kind = ? UNION SELECT first FROM edge WHERE second = ? AND kind = ?",
            (iri, kind, iri, kind))})

    def disputers_of(self, iri: str) -> list[str]:
        return [first for (first,) in self.db.execute(
            "SELECT first FROM edge WHERE second = ? AND kind = 'disputes' ORDER BY first", (iri,))]

    def disputed_by(self, iri: str) -> list[str]:
        return [second for (second,) in self.db.execute(
            "SELECT second FROM edge WHERE first = ? AND kind = 'disputes' ORDER BY second", (iri,))]

    def thread_of(self, iri: str) -> str | None:
        row = self.db.execute("SELECT thread FROM member WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else None

    def set_thread(self, members: Iterable[str], thread: str | None) -> None:
        for iri in members:
            if thread is None:
                self.db.execute("DELETE FROM member WHERE iri = ?", (iri,))
            else:
                self.db.execute("INSERT OR REPLACE INTO member VALUES (?, ?)", (iri, thread))

    def threads(self) -> Iterator[tuple[str, list[str]]]:
        """Every thread with its member claims."""
        current, members = None, []
        for thread, iri in self.db.execute("SELECT thread, iri FROM member ORDER BY thread, iri"):
            if thread != current and current is not None:
                yield current, members
                members = []
            current = thread
            members.append(iri)
        if current is not None:
            yield current, members
