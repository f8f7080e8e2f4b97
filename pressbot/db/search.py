"""Full-text search over titles and bodies, in the database's own engine.

Both sides of a search are *match keys* (:func:`pressbot.text.urdu.match_key`): the
store indexes the match key of each record's titles (``title`` and ``title_en``)
and body, and a query is folded the same way before it is matched. So a query typed
with Arabic letter forms (ي ك ه), Arabic-Indic or Urdu digits, diacritics or other
punctuation finds the Urdu text stored with the other forms, as dedup does.

* **SQLite**: the FTS5 table ``records_fts(title, body)``, rowid = ``records.id``,
  tokenizer ``unicode61 remove_diacritics 0`` (the match key has no Arabic
  diacritics left, and Latin ones are kept as PostgreSQL keeps them). Ranked by
  ``bm25`` with the titles weighing :data:`TITLE_WEIGHT` times the body.
* **PostgreSQL**: ``records_tsv(record_id, doc)``, ``doc`` the tsvector of the
  ``simple`` configuration (no stemming or stop words, which Urdu lacks) with the
  titles at weight A and the body at B, under a GIN index. Ranked by ``ts_rank``
  (A weighs 1.0 and B 0.4: the same 2.5 as on SQLite), normalised by document
  length (option 1), as bm25 is.

Every word of a query must match (AND); a passage in double quotes is a phrase.
Words are not stemmed: "گرفتار" does not find "گرفتاری". One hit per story
(``records.cluster_id``): the story's canonical record when it matches, else its
best-ranked matching record, with the story's number of records.

The index is written by :func:`index`, which the store calls in the transaction
that inserts or changes records; migration 0004 indexed the records stored before.
A deleted record leaves no hit: a trigger (SQLite) or the foreign key's cascade
(PostgreSQL) deletes its entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, Engine, Integer, String, bindparam, text
from sqlalchemy.orm import Session

from pressbot.db.models import UTCDateTime
from pressbot.text.urdu import match_key

__all__ = [
    "FTS_TABLE",
    "POOL",
    "TITLE_WEIGHT",
    "EmptyQuery",
    "Hit",
    "Query",
    "documents",
    "hits_sql",
    "index",
    "parse_query",
    "pool_for",
    "search",
    "stories_sql",
]

# The SQLite FTS5 table (migration 0004); PostgreSQL's is the model SearchDocRow.
FTS_TABLE: Final = "records_fts"
# A word in a headline says more about what a release is about than one in its body.
# PostgreSQL's ts_rank weighs A 1.0 and B 0.4; bm25 is given the same ratio.
TITLE_WEIGHT: Final = 2.5

# Stories are made from the best POOL hits, not from every record that matches: a
# word in half of 100k records (53k hits) took 360 ms to rank into stories on
# SQLite, its best 1,000 under 100 ms. Exact unless the stories ranked above one
# hold POOL of the best hits between them (20 stories of 50 copies each).
POOL: Final = 1000

_PG_DOC: Final = (
    "setweight(to_tsvector('simple', d.title), 'A') "
    "|| setweight(to_tsvector('simple', d.body), 'B')"
)
# Straight and typographic double quotes delimit a phrase.
_PHRASE: Final = re.compile(r'"([^"]*)"|“([^”]*)”|«([^»]*)»')


def documents(row: Mapping[str, Any], body_key: str | None = None) -> tuple[str, str]:
    """The indexed text of a record (a mapping with ``title``, ``title_en`` and
    ``body``): the match keys of its titles and of its body (``body_key`` when the
    caller has it already)."""
    title = match_key(f"{row['title']}\n{row.get('title_en') or ''}")
    return title, body_key or match_key(row["body"])


def index(
    session: Session | Connection,
    rows: Sequence[Mapping[str, Any]],
    body_keys: Sequence[str | None] | None = None,
) -> None:
    """Index these records (mappings with ``id``, ``title``, ``title_en`` and
    ``body``), replacing what was indexed for them before. ``body_keys``: the match
    keys of their bodies where known (the pipelines compute them for dedup; folding
    a body again would cost the store a third of its write rate), None for
    unknown. The caller owns the transaction: the store calls this where it writes
    the records themselves."""
    if not rows:
        return
    keys = body_keys or [None] * len(rows)
    params = [(row["id"], *documents(row, key)) for row, key in zip(rows, keys, strict=True)]
    if isinstance(session, Session):
        # What ``session.execute`` would do first: the session's pending changes
        # (the record's new text) reach the database before its index entry.
        session.flush()
        conn = session.connection()
    else:
        conn = session
    if conn.dialect.name == "postgresql":
        # One statement for the batch, the rows as three arrays (a statement per row
        # cost the server a parse and plan each). One statement may not update a
        # row twice: a record given twice keeps its last text, as before.
        docs = {rid: (title, body) for rid, title, body in params}
        conn.exec_driver_sql(
            f"INSERT INTO records_tsv (record_id, doc) SELECT d.id, {_PG_DOC} "
            "FROM unnest(%(ids)s::integer[], %(titles)s::text[], %(bodies)s::text[]) "
            "AS d(id, title, body) "
            "ON CONFLICT (record_id) DO UPDATE SET doc = excluded.doc",
            {
                "ids": list(docs),
                "titles": [title for title, _ in docs.values()],
                "bodies": [body for _, body in docs.values()],
            },
        )
    else:
        # Tuples straight to the driver (the values are ids and text already).
        conn.exec_driver_sql(
            f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
            params,
        )


def _dialect(bind: Session | Connection) -> str:
    return (bind.get_bind() if isinstance(bind, Session) else bind).dialect.name


class EmptyQuery(ValueError):
    """A query with no word to look for (empty, or only punctuation)."""


@dataclass(frozen=True)
class Query:
    """A parsed query: words and phrases, each as match-key tokens."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    def fts5(self) -> str:
        """The FTS5 query: every word and phrase quoted (so no token is read as an
        operator: "OR", "NOT", "NEAR"), all of them required."""
        parts = [f'"{w}"' for w in self.words]
        parts += ['"' + " ".join(p) + '"' for p in self.phrases]
        return " ".join(parts)

    def tsquery_sql(self) -> tuple[str, dict[str, str]]:
        """A PostgreSQL tsquery expression and its parameters: ``plainto_tsquery`` of
        the words AND ``phraseto_tsquery`` of each phrase, so PostgreSQL's own parser
        splits the query as it split the documents."""
        parts: list[str] = []
        params: dict[str, str] = {}
        if self.words:
            parts.append("plainto_tsquery('simple', :words)")
            params["words"] = " ".join(self.words)
        for n, phrase in enumerate(self.phrases):
            parts.append(f"phraseto_tsquery('simple', :phrase{n})")
            params[f"phrase{n}"] = " ".join(phrase)
        return " && ".join(parts), params


def _tokens(text_: str) -> list[str]:
    # A token of symbols only ("+", "%") is no word: both engines would drop it.
    return [t for t in match_key(text_).split() if any(ch.isalnum() for ch in t)]


def parse_query(query: str) -> Query:
    """Fold ``query`` as stored text is folded; raises :class:`EmptyQuery` when no
    word is left."""
    phrases: list[tuple[str, ...]] = []
    words: list[str] = []

    def take(m: re.Match[str]) -> str:
        tokens = _tokens(next(g for g in m.groups() if g is not None))
        if len(tokens) > 1:
            phrases.append(tuple(tokens))
        else:
            words.extend(tokens)
        return " "

    words.extend(_tokens(_PHRASE.sub(take, query)))
    if not words and not phrases:
        raise EmptyQuery(f"nothing to search for in {query!r}: give at least one word")
    return Query(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(phrases)))


@dataclass(frozen=True)
class Hit:
    """One story that matches: the record shown for it, and how many records it has."""

    rank: int
    score: float
    story: int | None  # clusters.id
    record_id: int
    title: str
    source: str | None
    published_at: datetime | None
    url: str
    copies: int  # records of the story: the canonical one and its copies


def hits_sql(dialect: str, match: str, *, pool: int, sources: bool = False) -> str:
    """The best ``pool`` records matching a query, as ``id`` and ``score`` (higher is
    better). ``match`` is the SQL of the engine's query: an FTS5 query string on
    SQLite, a tsquery on PostgreSQL. ``sources`` keeps the records of
    ``:sources`` only (before the cut, so a source's records are not crowded out)."""
    if dialect == "postgresql":
        join = "JOIN records r ON r.id = t.record_id AND r.source IN :sources" if sources else ""
        return (
            "SELECT t.record_id AS id, ts_rank(t.doc, q.q, 1) AS score "
            f"FROM records_tsv t CROSS JOIN (SELECT {match} AS q) q {join} "
            f"WHERE t.doc @@ q.q ORDER BY score DESC LIMIT {int(pool)}"
        )
    join = f"JOIN records r ON r.id = {FTS_TABLE}.rowid" if sources else ""
    where = "AND r.source IN :sources" if sources else ""
    return (
        f"SELECT {FTS_TABLE}.rowid AS id, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score "
        f"FROM {FTS_TABLE} {join} WHERE {FTS_TABLE} MATCH {match} {where} "
        f"ORDER BY score DESC LIMIT {int(pool)}"
    )


def stories_sql(hits: str) -> str:
    """One row per story over ``hits`` (:func:`hits_sql`): the canonical record if it
    is among the hits, else the best hit, ranked by the story's best score. Records
    without a cluster are stories of their own. Shared by :func:`search` and the
    archive's search page (``pressbot browse``)."""
    return f"""
WITH hits AS ({hits}),
members AS (
  SELECT r.id, h.score, COALESCE(r.cluster_id, -r.id) AS story,
         CASE WHEN c.canonical_record_id = r.id THEN 0 ELSE 1 END AS not_canonical
  FROM hits h JOIN records r ON r.id = h.id
  LEFT JOIN clusters c ON c.id = r.cluster_id
),
ranked AS (
  SELECT id, MAX(score) OVER (PARTITION BY story) AS best,
         ROW_NUMBER() OVER (PARTITION BY story ORDER BY not_canonical, score DESC, id) AS n
  FROM members
)
SELECT k.best AS score, r.cluster_id AS story, r.id AS record_id, r.title, r.source,
       r.published_at, r.canonical_url AS url, COALESCE(c.size, 1) AS copies
FROM ranked k JOIN records r ON r.id = k.id
LEFT JOIN clusters c ON c.id = r.cluster_id
WHERE k.n = 1
ORDER BY k.best DESC, r.id DESC
"""


def pool_for(limit: int) -> int:
    """How many of the best hits to rank into ``limit`` stories (see POOL)."""
    return max(POOL, 20 * limit)


def search(
    bind: Engine | Session | Connection,
    query: str | Query,
    *,
    sources: Sequence[str] | None = None,
    limit: int = 20,
) -> list[Hit]:
    """The stories matching ``query``, best first, at most ``limit``."""
    q = parse_query(query) if isinstance(query, str) else query
    if isinstance(bind, Engine):
        with Session(bind) as s:
            return search(s, q, sources=sources, limit=limit)
    dialect = _dialect(bind)
    params: dict[str, Any] = {"limit": limit}
    if dialect == "postgresql":
        match, more = q.tsquery_sql()
        params.update(more)
    else:
        match = ":match"
        params["match"] = q.fts5()
    hits = hits_sql(dialect, match, pool=pool_for(limit), sources=bool(sources))
    stmt = text(stories_sql(hits) + "LIMIT :limit")
    if sources:
        params["sources"] = list(sources)
        stmt = stmt.bindparams(bindparam("sources", expanding=True))
    typed = stmt.columns(
        story=Integer(), record_id=Integer(), title=String(), published_at=UTCDateTime()
    )
    rows = bind.execute(typed, params).mappings().all()
    return [
        Hit(
            rank=n,
            score=float(row["score"]),
            story=row["story"],
            record_id=row["record_id"],
            title=row["title"],
            source=row["source"],
            published_at=row["published_at"],
            url=row["url"],
            copies=int(row["copies"]),
        )
        for n, row in enumerate(rows, 1)
    ]
