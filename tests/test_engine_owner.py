"""One owner per database engine, and who may change the schema.

A crawler opens one engine (the DatabaseOwner extension's), checks the schema
once, and disposes it at the end; commands that only read never migrate; writers
starting together on a fresh database do not race the migration; Scrapy's and
Alembic's start-up chatter stays out of the default log.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pressbot.db import migrate
from pressbot.db.engine import make_engine
from pressbot.mirror import MirrorServer
from tests.conftest import MIRROR_ROOT, REPO, pressbot

# Runs one crawl of one source in this interpreter and reports, as JSON on the last
# line of stdout: the engines that connected (any module, any way they were made),
# the engines still holding pooled connections at the end, and the schema checks.
CRAWL_SCRIPT = """
import json, sys
from sqlalchemy import Engine, event
from pressbot.db import migrate
from pressbot.logformat import quiet

db, mirror, dead, level = sys.argv[1:5]
engines = {}  # held, so that no id is reused


def connected(conn):
    engines[id(conn.engine)] = conn.engine


event.listen(Engine, "engine_connect", connected)
checks = []
real_current = migrate.current
def current(engine):
    checks.append(1)
    return real_current(engine)
migrate.current = current
quiet(level != "DEBUG")
from pressbot.crawl import run_crawl
result = run_crawl(["kp_police"], {
    "PRESSBOT_DATABASE_URL": db, "PRESSBOT_MIRROR": mirror,
    "PRESSBOT_DEADLETTER_PATH": dead, "LOG_LEVEL": level,
})
print(json.dumps({
    "engines": len(engines),
    "open_connections": sum(
        e.pool.checkedin() + e.pool.checkedout() for e in engines.values()
    ),
    "schema_checks": len(checks),
    "status": result.summaries[0].status,
    "new": result.summaries[0].new,
}))
"""


def _crawl(db: str, mirror: MirrorServer, tmp: Path, level: str) -> tuple[dict[str, int], str]:
    done = subprocess.run(
        [sys.executable, "-c", CRAWL_SCRIPT, db, mirror.url, str(tmp / "dead.jsonl"), level],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_a_crawl_opens_one_engine_and_checks_the_schema_once(
    db_url: str, mirror: MirrorServer, tmp_path: Path
) -> None:
    """Spider, raw archive, store pipeline, run recorder and (PostgreSQL) run lock all
    use the DatabaseOwner's engine; it is disposed when the spider closes. The fresh
    database is migrated by the crawl, quietly at the default level."""
    counts, log = _crawl(db_url, mirror, tmp_path, "INFO")
    assert counts["status"] == "ok"
    assert counts["new"] > 0
    assert counts["engines"] == 1
    assert counts["schema_checks"] == 1
    assert counts["open_connections"] == 0
    assert migrate.current_of(db_url) == migrate.head()
    # The migration ran in this crawl, and said so in one line, not Alembic's forty.
    assert "schema None -> " in log
    for chatter in (
        "Running upgrade",
        "Context impl",
        "Overridden settings",
        "Enabled extensions",
        "Enabled item pipelines",
        "Versions:",
        "Spider opened",
    ):
        assert chatter not in log, chatter


def test_debug_level_shows_the_start_up_lines(
    sqlite_url: str, mirror: MirrorServer, tmp_path: Path
) -> None:
    counts, log = _crawl(sqlite_url, mirror, tmp_path, "DEBUG")
    assert counts["engines"] == 1
    for line in ("Running upgrade", "Overridden settings", "Enabled item pipelines"):
        assert line in log, line


READERS = [
    ["summary"],
    ["search", "پولیس"],
    ["export", "--format", "jsonl"],
    ["warc", "OUT"],
    ["health"],
]


@pytest.mark.parametrize("command", READERS, ids=[c[0] for c in READERS])
def test_read_only_commands_never_migrate(db_url: str, tmp_path: Path, command: list[str]) -> None:
    """A database behind the code: the reader stops (exit 2) with one line saying what
    to run, and the schema is left as it was; after `pressbot db upgrade` it works."""
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0003")
    finally:
        engine.dispose()
    args = [str(tmp_path / "out.warc.gz") if a == "OUT" else a for a in command]
    behind = pressbot(*args, "--database", db_url)
    assert behind.returncode == 2, behind.stderr
    lines = behind.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "has schema 0003" in lines[0]
    assert "run `pressbot db upgrade`" in lines[0]
    assert migrate.current_of(db_url) == "0003"
    assert pressbot("db", "upgrade", "--database", db_url).returncode == 0
    ok = pressbot(*args, "--database", db_url)
    assert ok.returncode == 0, ok.stderr


def test_a_reader_on_an_empty_or_missing_database(tmp_path: Path, pg_url: str) -> None:
    missing = tmp_path / "none.db"
    result = pressbot("summary", "--database", f"sqlite:///{missing}")
    assert result.returncode == 2
    assert "no database at" in result.stderr
    assert not missing.exists()
    result = pressbot("export", "--database", pg_url)
    assert result.returncode == 2
    assert "has no pressbot schema: run `pressbot db upgrade`" in result.stderr
    assert migrate.current_of(pg_url) is None


def test_writers_starting_together_on_a_fresh_database_migrate_once(
    db_url: str, tmp_path: Path
) -> None:
    """Two `pressbot ingest` processes (the writers' path: DatabaseOwner, then the
    migration under its lock) started at the same instant on an empty database."""
    site = MIRROR_ROOT / "day1" / "kppolice.gov.pk"
    pages = sorted(p for p in site.glob("press_release_detail.php@id=*") if p.suffix != ".json")
    pages = pages[:2]
    assert len(pages) == 2
    start = time.time() + 2.0  # both interpreters are up by then
    barrier = f"import time,sys; time.sleep(max(0, {start} - time.time())); "
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                barrier + "from pressbot.cli import main; sys.exit(main(sys.argv[1:]))",
                "ingest",
                str(p),
                "--database",
                db_url,
                "--deadletter",
                str(tmp_path / f"dead{n}.jsonl"),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, p in enumerate(pages)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert migrate.current_of(db_url) == migrate.head()
    assert pressbot("summary", "--database", db_url).returncode == 0
