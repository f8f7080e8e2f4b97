"""``pressbot browse``: the archive in Datasette, a well-kept tool for reading SQLite
databases on the web, with pressbot's canned queries, facets and right-to-left Urdu.

Datasette is an optional extra (``pip install 'pressbot[browse]'``) and runs in
this process: its own command line (``datasette serve``) is called with a metadata
file written here, the stylesheet in ``static/`` and the plugin in
:mod:`pressbot.browse.plugin` registered first.

The file is opened as Datasette opens a database by default: read-only
connections (``mode=ro``) that see what a running crawl commits. Not immutable
(``-i``): that tells SQLite the file never changes, and a crawl writing beside it
would give wrong pages or errors. Not ``--nolock``: reading without locks next to
a writer can read a half-written page.
"""

from __future__ import annotations

import errno
import json
import socket
import tempfile
from pathlib import Path
from typing import Any, Final

from sqlalchemy.engine import make_url

from pressbot.db.search import FTS_TABLE, hits_sql, pool_for, stories_sql
from pressbot.errors import UsageError

__all__ = ["QUERIES", "STATIC", "metadata", "serve", "sqlite_path"]

STATIC: Final = Path(__file__).resolve().parent / "static"
_MOUNT: Final = "pressbot-static"
# Canned queries list at most this many rows (Datasette does not page them).
_MAX_ROWS: Final = 200
_LATEST_PER_SOURCE: Final = 10


def _minute(column: str) -> str:
    """A stored time (UTC text, `YYYY-MM-DDTHH:MM:SS.ffffffZ`) to the minute, for reading."""
    return f"strftime('%Y-%m-%d %H:%M', {column})"


_SEARCH_HITS: Final = hits_sql("sqlite", "pressbot_fts_query(:q)", pool=pool_for(_MAX_ROWS))

QUERIES: Final[dict[str, dict[str, Any]]] = {
    "latest": {
        "title": "Latest releases per source",
        "description": f"The {_LATEST_PER_SOURCE} most recently published records of each "
        "source (times in UTC). A story number opens the story with its copies.",
        "sql": f"""
SELECT source, {_minute("published_at")} AS published_at, title, url, story, copies FROM (
  SELECT r.source, r.published_at, r.title, r.canonical_url AS url, r.cluster_id AS story,
         COALESCE(c.size, 1) AS copies,
         ROW_NUMBER() OVER (PARTITION BY r.source ORDER BY r.published_at DESC, r.id DESC) AS n
  FROM records r LEFT JOIN clusters c ON c.id = r.cluster_id
  WHERE r.published_at IS NOT NULL
)
WHERE n <= {_LATEST_PER_SOURCE}
ORDER BY source, published_at DESC""",
    },
    "story": {
        "title": "A story and its copies",
        "description": "Every record of one story (a cluster): the canonical record "
        "first, then its syndicated copies and excerpts, with how each joined "
        "(exact: the same text; near: a copy or excerpt). A record number opens its "
        "versions.",
        "params": ["cluster"],
        "sql": f"""
SELECT r.id AS record,
       CASE WHEN c.canonical_record_id = r.id THEN 'yes' ELSE '' END AS canonical,
       r.source, r.kind, r.dedup, {_minute("r.published_at")} AS published_at, r.title,
       r.body, r.url, r.version AS versions, r.is_excerpt
FROM records r JOIN clusters c ON c.id = r.cluster_id
WHERE r.cluster_id = :cluster
ORDER BY c.canonical_record_id = r.id DESC, r.published_at, r.id
LIMIT {_MAX_ROWS}""",
    },
    "versions": {
        "title": "The versions of a record",
        "description": "Each text a page has had (an updated release), oldest first, "
        "with what changed since the version before, sentence by sentence.",
        "params": ["record"],
        "sql": f"""
WITH v AS (
  SELECT version, valid_from, valid_to, title, body FROM record_versions
  WHERE record_id = :record
  UNION ALL
  SELECT version, changed_at, NULL, title, body FROM records WHERE id = :record
)
SELECT version, {_minute("valid_from")} AS stored_at, {_minute("valid_to")} AS replaced_at, title,
       pressbot_diff(LAG(body) OVER (ORDER BY version), body) AS diff, body
FROM v ORDER BY version""",
    },
    "search": {
        "title": "Search",
        "description": "Full-text search of titles and bodies, folded as stored text "
        "is (Arabic letter forms, digits, diacritics): every word must match, a "
        "passage in double quotes is a phrase. One row per story, best first; copies "
        "counts the story's records.",
        "params": ["q"],
        "sql": f"""
SELECT story, record_id AS record, title, source, {_minute("published_at")} AS published_at,
       url, copies, round(score, 2) AS score
FROM ({stories_sql(_SEARCH_HITS)})
ORDER BY score DESC, record DESC
LIMIT {_MAX_ROWS}""",
    },
    "undated": {
        "title": "Records without a date",
        "description": "Records whose page states no publication date, newest fetch "
        "first, with the reason the extractor gave.",
        "sql": f"""
SELECT r.id AS record, r.source, r.title, r.url, {_minute("r.fetched_at")} AS fetched_at,
       json_extract(r.notes, '$.published_at') AS why
FROM records r
WHERE r.published_at IS NULL
ORDER BY r.fetched_at DESC, r.id DESC
LIMIT {_MAX_ROWS}""",
    },
}

_FACETS: Final = ["source", "kind", "language"]
_RECORD_COLUMNS: Final = {
    "title": "headline, Urdu where the page has one",
    "title_en": "English headline of a bilingual page",
    "body": "article text without boilerplate",
    "published_at": "publication time (UTC); empty when the page states none",
    "cluster_id": "the story this page belongs to",
    "dedup": "how the page joined its story: first, exact (same text) or near (a copy)",
    "version": "1 for the first text, +1 at each change",
}


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the database Datasette names ``database`` (the file's
    stem): descriptions, facets, sort order, hidden index tables, canned queries."""
    hidden = {"hidden": True}
    return {
        "title": "pressbot archive",
        "description": "Urdu and bilingual press releases crawled by pressbot. "
        "Times are UTC. Start with the canned queries: latest releases, search, "
        "a story with its copies, the versions of a record, records without a date.",
        "extra_css_urls": [f"/{_MOUNT}/browse.css"],
        "extra_js_urls": [f"/{_MOUNT}/browse.js"],
        "databases": {
            database: {
                "description": "One row per page in records; one per story in stories.",
                "tables": {
                    "records": {
                        "description": "One row per page (its latest version).",
                        "facets": _FACETS,
                        "sort_desc": "published_at",
                        "label_column": "title",
                        "columns": _RECORD_COLUMNS,
                    },
                    "stories": {
                        "description": "One row per story: its canonical record and "
                        "how many records carry it (cluster_size).",
                        "facets": _FACETS,
                        "sort_desc": "published_at",
                        "columns": _RECORD_COLUMNS,
                    },
                    "record_versions": {"description": "Earlier texts of updated pages."},
                    "crawl_runs": {"sort_desc": "started_at", "facets": ["source", "status"]},
                    "frontier": {"facets": ["source", "state"]},
                    # Indexes, not reading matter.
                    "alembic_version": hidden,
                    "lsh_bands": hidden,
                    "lsh_sets": hidden,
                    "records_tsv": hidden,
                    FTS_TABLE: hidden,
                },
                # The SQL is one click away ("show"); the results come first.
                "queries": {name: {**q, "hide_sql": True} for name, q in QUERIES.items()},
            }
        },
    }


def sqlite_path(url: str) -> Path:
    """The SQLite file of a database URL; a usage error for anything else."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise UsageError(f"not a database URL: {url!r} ({exc})") from None
    if parsed.get_backend_name() != "sqlite":
        raise UsageError(
            "browse opens SQLite databases only (Datasette reads SQLite files); "
            f"{parsed.get_backend_name()} databases can be read with their own tools "
            "or exported with `pressbot export`"
        )
    name = parsed.database or ""
    if name in ("", ":memory:") or name.startswith("file:"):
        raise UsageError(f"browse needs a database file, not {url!r}")
    path = Path(name)
    if not path.is_file():
        raise UsageError(f"no database at {path}: crawl or ingest into it first")
    return path


def _check_port(host: str, port: int) -> None:
    """Refuse a port that is taken before Datasette starts (it would exit with a
    traceback)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} is in use; choose another with --port") from exc
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve(url: str, *, host: str, port: int, open_browser: bool = False) -> None:
    """Run Datasette on the SQLite database at ``url`` until interrupted."""
    path = sqlite_path(url)
    try:
        from datasette import cli as datasette_cli
        from datasette.plugins import pm
    except ImportError:
        raise UsageError("browse needs Datasette: pip install 'pressbot[browse]'") from None
    from pressbot.browse import plugin
    from pressbot.db.store import Store

    # Read-only: the schema must be current (`pressbot db upgrade` otherwise).
    Store.read_only(url).close()
    _check_port(host, port)
    if not pm.is_registered(plugin):
        pm.register(plugin, name="pressbot")
    with tempfile.TemporaryDirectory(prefix="pressbot-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        # ASCII: Datasette reads the file in the locale's encoding.
        meta.write_text(json.dumps(metadata(path.stem)), "ascii")
        args = [
            "serve",
            str(path),
            "--host",
            host,
            "--port",
            str(port),
            "--metadata",
            str(meta),
            "--static",
            f"{_MOUNT}:{STATIC}",
            # Whole texts: a release cut at 2,048 characters cannot be read.
            "--setting",
            "truncate_cells_html",
            "0",
            "--setting",
            "sql_time_limit_ms",
            "5000",
            "--setting",
            "facet_time_limit_ms",
            "1000",
        ]
        if open_browser:
            args.append("--open")
        datasette_cli.cli.main(args, prog_name="datasette", standalone_mode=False)
