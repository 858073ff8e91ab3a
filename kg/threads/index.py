"""The thread index kept beside a store: claims, their index keys, the links between them, thread members."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import UserError
from kg.threads.claims import ThreadClaim
from kg.threads.features import Features

FILE_NAME = "claimgraph-threads.sqlite"

VERSION = 9  # PRAGMA user_version: an index written by another version (its schema or its link rules) is rebuilt

SCHEMA = """
CREATE TABLE IF NOT EXISTS article (iri TEXT PRIMARY KEY, graph TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claim (iri TEXT PRIMARY KEY, article TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claim_article ON claim (article);
CREATE TABLE IF NOT EXISTS posting (key TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (key, iri)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS posting_iri ON posting (iri);
CREATE TABLE IF NOT EXISTS keycount (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stopkey (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edge (kind TEXT NOT NULL, first TEXT NOT NULL, second TEXT NOT NULL, score REAL NOT NULL,
                                 tier INTEGER NOT NULL, PRIMARY KEY (first, second, kind)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_first_strongest ON edge (first, kind, tier, score DESC, second);
CREATE INDEX IF NOT EXISTS edge_second_strongest ON edge (second, kind, tier, score DESC, first);
CREATE TABLE IF NOT EXISTS strongest (iri TEXT NOT NULL, other TEXT NOT NULL, PRIMARY KEY (iri, other)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS strongest_other ON strongest (other);
CREATE TABLE IF NOT EXISTS member (iri TEXT PRIMARY KEY, thread TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS member_thread ON member (thread);
"""


class ThreadIndex:
    """An inverted index from index keys (adjacent content-word pairs) to claims, with the links found.

    Looking a new claim up costs the postings of its own keys, not a pass over every stored claim. Keys
    are pairs of adjacent content stems, never two names ("hillary clinton"), so few keys are common; a key
    once held by more than ``max_postings`` claims says too little to be worth reading: it becomes a stop
    key, which bounds candidate generation as the corpus grows. The links it had found between claims that
    share no other key are dropped then, so that the links are the same in any order of ingest: two claims
    are linked when they match and share a key that is no stop key. (A key stays a stop key when articles
    are forgotten and it falls back under the limit: reading its postings pairwise again would cost what
    the limit is there to save. So after forgetting, the links depend on what was once indexed.)

    Every link is stored, but threads are clustered over kept links only: each claim's ``links_per_claim``
    strongest (a function of the links, so of the claims, never of their order). A statement carried by
    hundreds of outlets has tens of thousands of links; re-clustering its thread on each new article reads
    a few per member instead.
    """

    def __init__(self, path: str | Path | None = None, max_postings: int = 2000, links_per_claim: int = 10):
        self.path = str(path) if path else ":memory:"
        self.max_postings = max_postings
        self.links_per_claim = links_per_claim
        self._claims: dict[str, ThreadClaim] = {}  # decoded claims, kept while linking (bounded)
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
            self.db.execute("PRAGMA synchronous=NORMAL")
            (version,) = self.db.execute("PRAGMA user_version").fetchone()
            if version != VERSION:  # empty, or written by another version: start again (the threads are rebuilt)
                tables = [name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                self.db.executescript("".join(f'DROP TABLE "{name}";' for name in tables))
                self.db.execute(f"PRAGMA user_version = {VERSION}")
            self.db.executescript(SCHEMA)
            self.db.execute("BEGIN")
            self._stop_keys = self._read_stop_keys()  # few, and asked about for every key of every new claim
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
        self._stop_keys = self._read_stop_keys()

    def _read_stop_keys(self) -> set[str]:
        return {key for (key,) in self.db.execute("SELECT key FROM stopkey")}

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

    def add(self, claim: ThreadClaim, features: Features) -> list[str]:
        """Index a claim the index does not hold (Linker.update forgets an article's claims before it adds them
        again); returns the keys that have now become stop keys."""
        self._remember(claim)
        keys = sorted(features.keys)
        self.db.execute("INSERT INTO claim VALUES (?, ?, ?)", (claim.iri, claim.article, claim.to_json()))
        self.db.executemany("INSERT INTO posting VALUES (?, ?)", ((key, claim.iri) for key in keys))
        self.db.executemany("INSERT INTO keycount VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1",
                            ((key,) for key in keys))
        crossed = [key for (key,) in self.db.execute(
            f"SELECT key FROM keycount WHERE key IN ({', '.join('?' * len(keys))}) AND n > ? ORDER BY key",
            (*keys, self.max_postings)) if key not in self._stop_keys]
        self.db.executemany("INSERT INTO stopkey VALUES (?)", ((key,) for key in crossed))
        self._stop_keys.update(crossed)
        return crossed

    def remove_article(self, article: str) -> list[str]:
        """Forget an article's claims with their postings and links; returns the claims forgotten."""
        iris = self.claims_of(article)
        for iri in iris:
            self._claims.pop(iri, None)
            self.db.execute("UPDATE keycount SET n = n - 1 WHERE key IN (SELECT key FROM posting WHERE iri = ?)",
                            (iri,))
            self.db.execute("DELETE FROM posting WHERE iri = ?", (iri,))
            self.db.execute("DELETE FROM edge WHERE first = ? OR second = ?", (iri, iri))
            self.db.execute("DELETE FROM strongest WHERE iri = ? OR other = ?", (iri, iri))
            self.db.execute("DELETE FROM member WHERE iri = ?", (iri,))
            self.db.execute("DELETE FROM claim WHERE iri = ?", (iri,))
        self.db.execute("DELETE FROM article WHERE iri = ?", (article,))
        return iris

    def candidates(self, claim: ThreadClaim, features: Features) -> list[str]:
        """Claims of other articles sharing at least one key that is no stop key with ``claim``, in IRI order
        (at most ``max_postings`` claims a key)."""
        found: set[str] = set()
        for key in sorted(features.keys - self._stop_keys):
            found.update(iri for iri, article in self.db.execute(
                "SELECT p.iri, c.article FROM posting p JOIN claim c ON c.iri = p.iri WHERE p.key = ?", (key,))
                if article != claim.article)
        return sorted(found)

    def drop_links_through(self, key: str) -> list[tuple[str, str, str]]:
        """Drop the links between claims of two articles that share ``key``, now a stop key, and no other key
        that is none; returns them, (kind, first, second)."""
        lost = self.db.execute(
            "SELECT e.kind, e.first, e.second FROM posting p JOIN edge e ON e.first = p.iri "
            "JOIN posting q ON q.iri = e.second AND q.key = p.key "
            "JOIN claim a ON a.iri = e.first JOIN claim b ON b.iri = e.second "
            "WHERE p.key = ? AND a.article != b.article AND NOT EXISTS ("
            "  SELECT 1 FROM posting x JOIN posting y ON y.key = x.key AND y.iri = e.second "
            "  WHERE x.iri = e.first AND x.key NOT IN (SELECT key FROM stopkey)) "
            "ORDER BY e.first, e.second, e.kind", (key,)).fetchall()
        self.db.executemany("DELETE FROM edge WHERE kind = ? AND first = ? AND second = ?", lost)
        return lost

    # ------------------------------------------------------------ links and threads

    def add_edge(self, kind: str, first: str, second: str, score: float = 1.0, tier: int = 0) -> None:
        self.db.execute("INSERT OR IGNORE INTO edge VALUES (?, ?, ?, ?, ?)", (kind, first, second, score, tier))

    def strongest_links(self, iri: str, kind: str) -> list[str]:
        """The ``links_per_claim`` claims linked to ``iri`` most strongly: lowest tier, highest score, then IRI."""
        limit = self.links_per_claim
        found = self.db.execute(
            "SELECT tier, -score, second FROM (SELECT tier, score, second FROM edge WHERE first = ? AND kind = ? "
            "ORDER BY tier, score DESC, second LIMIT ?) UNION ALL "
            "SELECT tier, -score, first FROM (SELECT tier, score, first FROM edge WHERE second = ? AND kind = ? "
            "ORDER BY tier, score DESC, first LIMIT ?)", (iri, kind, limit, iri, kind, limit)).fetchall()
        return [other for _, _, other in sorted(found)[:limit]]

    def keep_strongest(self, iri: str, kind: str) -> set[str]:
        """Keep the strongest links of ``iri`` (threads are clustered over kept links only); returns the
        claims whose link with ``iri`` came into or went out of its strongest."""
        new = set(self.strongest_links(iri, kind))
        old = {other for (other,) in self.db.execute("SELECT other FROM strongest WHERE iri = ?", (iri,))}
        self.db.executemany("DELETE FROM strongest WHERE iri = ? AND other = ?", ((iri, o) for o in sorted(old - new)))
        self.db.executemany("INSERT INTO strongest VALUES (?, ?)", ((iri, o) for o in sorted(new - old)))
        return old ^ new

    def kept_edges_among(self, iris: set[str], kind: str) -> list[tuple[str, str, float, int]]:
        """Kept ``kind`` links with both ends in ``iris``: (first, second, score, tier), strongest first, then
        in IRI order (a link is kept when it is among the strongest of either end)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS among (iri TEXT PRIMARY KEY) WITHOUT ROWID")
        self.db.execute("DELETE FROM among")
        self.db.executemany("INSERT INTO among VALUES (?)", ((iri,) for iri in iris))
        return self.db.execute(
            "SELECT e.first, e.second, e.score, e.tier FROM among a JOIN strongest s ON s.iri = a.iri "
            "JOIN edge e ON e.kind = ? AND e.first = min(s.iri, s.other) AND e.second = max(s.iri, s.other) "
            "WHERE s.other IN (SELECT iri FROM among) "
            "GROUP BY e.first, e.second ORDER BY e.tier, e.score DESC, e.first, e.second", (kind,)).fetchall()

    def kept_component(self, start: str) -> set[str]:
        """The stored claims reachable from ``start`` over kept links (either way round), ``start`` included."""
        return {iri for (iri,) in self.db.execute(
            "WITH RECURSIVE reach(iri) AS (SELECT ? "
            "UNION SELECT s.other FROM reach r JOIN strongest s ON s.iri = r.iri "
            "UNION SELECT s.iri FROM reach r JOIN strongest s ON s.other = r.iri) "
            "SELECT r.iri FROM reach r JOIN claim c ON c.iri = r.iri", (start,))}

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
