"""The dead-letter file and `pressbot replay`: nothing written there is lost, whatever a
record holds, however the file was left (a cut last line, an interrupted replay)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from pressbot import deadletter
from pressbot.archive import page_values
from pressbot.db.models import PageRow, RecordRow
from pressbot.extract import extract_html
from pressbot.ingest import Chain
from pressbot.items import Record
from tests.conftest import MIRROR_ROOT, pressbot

KP_DIR = MIRROR_ROOT / "day1" / "kppolice.gov.pk"
FETCHED = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
ELSEWHERE = "postgresql+psycopg://pressbot:s3cret@db.example:5432/pressbot"
ELSEWHERE_MASKED = "postgresql+psycopg://pressbot:***@db.example:5432/pressbot"
DOWN = RuntimeError("database is down")


def _kp(n: int) -> list[tuple[str, bytes]]:
    pages = sorted(p for p in KP_DIR.glob("press_release_detail*") if p.suffix != ".json")
    return [(f"https://kppolice.gov.pk/{p.name.replace('@', '?')}", p.read_bytes()) for p in pages][
        :n
    ]


def _records(n: int) -> list[Record]:
    return [extract_html(body, url, fetched_at=FETCHED) for url, body in _kp(n)]


def _pages(n: int) -> list[dict[str, Any]]:
    headers = {"Content-Type": ["text/html; charset=utf-8"]}
    return [page_values(url, 200, headers, body, FETCHED, "kp_police") for url, body in _kp(n)]


def _counts(db: str) -> tuple[int, int]:
    engine = create_engine(db)
    try:
        with Session(engine) as s:
            records = s.scalar(select(func.count()).select_from(RecordRow)) or 0
            pages = s.scalar(select(func.count()).select_from(PageRow)) or 0
    finally:
        engine.dispose()
    return records, pages


def _replay(dead: Path, db: str, *extra: str) -> Any:
    return pressbot("replay", "--file", str(dead), "--database", db, *extra)


# --- the writer ---------------------------------------------------------------------
def _awkward() -> list[Record]:
    good, surrogate, nul, odd = _records(4)
    surrogate.title = "پشاور \ud800 پولیس"  # a lone surrogate (from a JSON-LD "\ud800")
    nul.body = nul.body + "\x00"
    odd.notes = {"seen": datetime(2026, 1, 1, tzinfo=UTC), "raw": object(), "tags": {"a"}}  # type: ignore[dict-item]
    return [good, surrogate, nul, odd]


def test_writer_never_fails_on_content(tmp_path: Path) -> None:
    dead = tmp_path / "dead.jsonl"
    records = _awkward()
    deadletter.append(dead, records, DOWN, database=ELSEWHERE)
    raw = dead.read_bytes()
    text = raw.decode("utf-8")  # strict: the file is valid UTF-8 throughout
    entries = [json.loads(line) for line in text.splitlines()]
    assert len(entries) == 4
    assert {e["database"] for e in entries} == {ELSEWHERE_MASKED}
    assert "s3cret" not in text
    assert "پشاور" in text  # Urdu stays readable where it can
    back = [e.value for e in deadletter.iter_entries(dead) if isinstance(e, deadletter.Entry)]
    assert [r.url for r in back] == [r.url for r in records]
    assert back[1].title == "پشاور \ud800 پولیس"
    assert back[2].body.endswith("\x00")
    assert back[3].notes["seen"] == "2026-01-01T00:00:00+00:00"
    assert back[3].notes["tags"] == ["a"]


def test_writer_pages_name_their_database(tmp_path: Path) -> None:
    dead = tmp_path / "dead.jsonl"
    pages = _pages(2)
    pages[0]["headers"]["X-Odd"] = ["\udcff"]  # undecodable header byte, as surrogateescape
    deadletter.append_pages(dead, pages, DOWN, database=ELSEWHERE)
    entries = [json.loads(line) for line in dead.read_text("utf-8").splitlines()]
    assert [e["database"] for e in entries] == [ELSEWHERE_MASKED] * 2
    back = [e.value for e in deadletter.iter_entries(dead) if isinstance(e, deadletter.Entry)]
    assert [p["body_z"] for p in back] == [p["body_z"] for p in pages]


def test_a_store_outage_dead_letters_every_record(tmp_path: Path) -> None:
    dead = tmp_path / "dead.jsonl"
    unreachable = "postgresql+psycopg://postgres:s3cret@127.0.0.1:1/nowhere"
    chain = Chain({"PRESSBOT_DATABASE_URL": unreachable, "PRESSBOT_DEADLETTER_PATH": str(dead)})
    with chain:
        for record in _awkward():
            assert chain.process(record)
    assert chain.outcomes()["deadletter"] == 4
    entries = [json.loads(line) for line in dead.read_text("utf-8").splitlines()]
    assert len(entries) == 4
    assert {e["database"] for e in entries} == {
        "postgresql+psycopg://postgres:***@127.0.0.1:1/nowhere"
    }


def test_database_label_makes_sqlite_paths_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert deadletter.database_label("sqlite:///data/p.db") == f"sqlite:///{tmp_path}/data/p.db"
    assert deadletter.database_label(f"sqlite:///{tmp_path}/p.db") == f"sqlite:///{tmp_path}/p.db"
    assert deadletter.database_label(ELSEWHERE) == ELSEWHERE_MASKED


# --- replay -------------------------------------------------------------------------
def test_replay_refuses_a_directory(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "dead"
    folder.mkdir()
    result = _replay(folder, sqlite_url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"pressbot replay: {folder} is a directory, not a dead-letter file"]
    assert folder.is_dir() and not (tmp_path / "dead.replaying").exists()


def test_unreadable_lines_are_kept_aside_and_the_rest_replayed(
    tmp_path: Path, sqlite_url: str
) -> None:
    dead = tmp_path / "dead.jsonl"
    records = _records(4)
    deadletter.append(dead, records[:2], DOWN, database=sqlite_url)
    with dead.open("ab") as fh:
        fh.write(b'{"kind": "record", "error": "x"}\n')  # JSON, but no record in it
    deadletter.append(dead, records[2:], DOWN, database=sqlite_url)
    lines = dead.read_bytes().splitlines(keepends=True)
    cut = lines[-1][: len(lines[-1]) // 2]  # the last line, cut by a crash mid-write
    dead.write_bytes(b"".join(lines[:-1]) + cut)

    result = _replay(dead, sqlite_url)
    assert result.returncode == 1, result.stderr
    assert "replayed 3 record(s): new 3," in result.stdout
    assert f"{dead}: line 3: " in result.stderr and f"{dead}: line 5: " in result.stderr
    assert f"2 unreadable line(s) kept in {dead}.rejected" in result.stderr
    rejected = tmp_path / "dead.jsonl.rejected"
    assert rejected.read_bytes() == lines[2] + cut + b"\n"
    assert not dead.exists() and not (tmp_path / "dead.jsonl.replaying").exists()
    assert _counts(sqlite_url)[0] == 3
    again = _replay(dead, sqlite_url)
    assert again.returncode == 0 and "nothing to replay" in again.stdout
    assert rejected.read_bytes() == lines[2] + cut + b"\n"


def test_an_interrupted_replay_is_picked_up(tmp_path: Path, sqlite_url: str) -> None:
    dead = tmp_path / "dead.jsonl"
    leftover = tmp_path / "dead.jsonl.replaying"
    records = _records(3)
    deadletter.append(leftover, records[:2], DOWN, database=sqlite_url)
    deadletter.append(dead, records[2:], DOWN, database=sqlite_url)
    # A crash between carrying the file over and removing it leaves a line twice.
    with dead.open("ab") as fh:
        fh.write(leftover.read_bytes().splitlines(keepends=True)[0])

    result = _replay(dead, sqlite_url)
    assert result.returncode == 0, result.stderr
    assert "replayed 3 record(s): new 3," in result.stdout
    assert not dead.exists() and not leftover.exists()
    assert _counts(sqlite_url)[0] == 3

    deadletter.append(leftover, records, DOWN, database=sqlite_url)  # only a leftover
    result = _replay(dead, sqlite_url)
    assert result.returncode == 0, result.stderr
    assert "replayed 3 record(s): new 0, updated 0, unchanged 3," in result.stdout
    assert not leftover.exists()


def test_entries_for_another_database_stay_unless_asked(tmp_path: Path, sqlite_url: str) -> None:
    dead = tmp_path / "dead.jsonl"
    records = _records(3)
    deadletter.append(dead, records[:1], DOWN, database=sqlite_url)
    deadletter.append(dead, records[1:], DOWN, database=ELSEWHERE)
    deadletter.append_pages(dead, _pages(1), DOWN, database=ELSEWHERE)
    theirs = dead.read_bytes().splitlines(keepends=True)[1:]

    result = _replay(dead, sqlite_url)
    assert result.returncode == 1
    assert "replayed 1 record(s): new 1," in result.stdout
    assert (
        f"3 entry(ies) recorded for {ELSEWHERE_MASKED} were kept in {dead} "
        "(use --any-database to store them here)"
    ) in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
    assert dead.read_bytes() == b"".join(theirs)  # kept verbatim
    assert _counts(sqlite_url) == (1, 0)

    result = _replay(dead, sqlite_url, "--any-database")
    assert result.returncode == 0, result.stderr
    assert "replayed 2 record(s): new 2," in result.stdout
    assert "replayed 1 archived page(s): 1 stored" in result.stdout
    assert not dead.exists()
    assert _counts(sqlite_url) == (3, 1)


def test_replay_is_idempotent(tmp_path: Path, db_url: str) -> None:
    dead = tmp_path / "dead.jsonl"
    deadletter.append(dead, _records(3), DOWN, database=db_url)
    deadletter.append_pages(dead, _pages(3), DOWN, database=db_url)
    copy = tmp_path / "copy.jsonl"
    shutil.copy(dead, copy)

    first = _replay(dead, db_url)
    assert first.returncode == 0, first.stderr
    assert "replayed 3 record(s): new 3," in first.stdout
    assert "replayed 3 archived page(s): 3 stored" in first.stdout
    assert _counts(db_url) == (3, 3)

    second = _replay(copy, db_url)
    assert second.returncode == 0, second.stderr
    assert "replayed 3 record(s): new 0, updated 0, unchanged 3," in second.stdout
    assert "replayed 3 archived page(s): 0 stored" in second.stdout
    assert _counts(db_url) == (3, 3)
