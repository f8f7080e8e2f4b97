"""The `pressbot` command as users run it (subprocesses, real files, real databases)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pressbot.cli import build_parser
from tests.conftest import MIRROR_ROOT, SEEDS, pressbot

SEED_DATES = {
    "000_81f2cbd8ab5f7e30.txt": None,  # the page text carries no date
    "001_32cc9811ad68b415.txt": "2025-07-11T00:00:00+00:00",
    "002_49dfc69a23007eb6.txt": "2023-09-04T00:00:00+05:00",
}
SEED_JUNK = (
    "اپنا تبصرہ بھیجیں",
    "Post Views",
    "Go To Top",
    "Press Release Detail",
    "اشاعت کی تاریخ",
    "ذریعہ:",
    "کلیدی لفظ",
    "پڑھیں:",
    "Updated on",
    "Our Faith, Corruption Free Pakistan",
    "میڈیا تعاون کو وسعت",
)
KP_PAGE = MIRROR_ROOT / "day1" / "kppolice.gov.pk" / "press_release_detail.php@id=2315"


def _commands() -> list[list[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    out = []
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        out.append([name])
        for action in p._actions:
            if action.dest == "action":
                out += [[name, inner] for inner in action.choices]  # type: ignore[union-attr]
    return out


@pytest.mark.parametrize("command", [[], *_commands()], ids=lambda c: " ".join(c) or "pressbot")
def test_help_on_every_command(command: list[str]) -> None:
    result = pressbot(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: pressbot" in result.stdout


@pytest.mark.parametrize("name", sorted(SEED_DATES))
def test_extract_seed_documents(name: str) -> None:
    result = pressbot("extract", "--text", str(SEEDS / "documents" / name))
    assert result.returncode == 0, result.stderr
    assert "\\u06" not in result.stdout  # Urdu printed as UTF-8, not escaped
    record = json.loads(result.stdout)
    assert record["published_at"] == SEED_DATES[name]
    assert record["title"] and len(record["body"]) > 500
    for junk in SEED_JUNK:
        assert junk not in record["body"], junk
    if record["published_at"] is None:
        assert record["notes"]["published_at"] == "no date on page"


def test_extract_html_with_url() -> None:
    url = "https://kppolice.gov.pk/press_release_detail.php?id=2315"
    record = json.loads(pressbot("extract", str(KP_PAGE), "--url", url).stdout)
    assert record["source"] == "kp_police"
    assert record["title_en"].startswith("Khyber Pakhtunkhwa Police Directorate")
    assert record["updated_at"] == "2023-09-06T00:00:00+05:00"
    assert record["place"] == "پشاور"


def test_extract_many_files_gives_json_lines_and_goes_on(tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    seeds = sorted((SEEDS / "documents").glob("*.txt"))
    result = pressbot("extract", "--text", str(seeds[0]), str(missing), str(seeds[2]))
    assert result.returncode == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in rows] == [str(seeds[0]), str(missing), str(seeds[2])]
    assert "error" in rows[1] and "title" not in rows[1]
    assert rows[2]["published_at"] == "2023-09-04T00:00:00+05:00"


def test_extract_refuses_bad_arguments() -> None:
    assert pressbot("extract", str(KP_PAGE), "--source", "nope").returncode == 2
    assert pressbot("extract", str(KP_PAGE), "--fetched-at", "2025-01-01").returncode == 2


def test_ingest_export_round_trip(tmp_path: Path, db_url: str) -> None:
    db = ["--database", db_url]
    pages = [
        str(p)
        for p in (MIRROR_ROOT / "day1" / "kppolice.gov.pk").glob("*detail*")
        if not p.name.endswith(".json")
    ]
    result = pressbot("ingest", *pages, "--source", "kp_police", *db)
    assert result.returncode == 0, result.stderr
    assert "new 8" in result.stdout
    again = pressbot("ingest", *pages, "--source", "kp_police", *db)
    assert "new 0" in again.stdout and "unchanged 8" in again.stdout

    jsonl = pressbot("export", "--format", "jsonl", *db)
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(rows) == 8 and all(r["is_canonical"] for r in rows)
    by_id = {r["id"]: r for r in rows}

    out_csv = tmp_path / "out.csv"
    assert pressbot("export", "--format", "csv", "-o", str(out_csv), *db).returncode == 0
    with out_csv.open(encoding="utf-8", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert len(csv_rows) == 8
    for c in csv_rows:
        j = by_id[int(c["id"])]
        assert c["title"] == j["title"] and c["body"] == j["body"]
        assert json.loads(c["keywords"]) == j["keywords"]
        assert c["published_at"] == (j["published_at"] or "")

    pq = pytest.importorskip("pyarrow.parquet")
    out_pq = tmp_path / "out.parquet"
    assert pressbot("export", "--format", "parquet", "-o", str(out_pq), *db).returncode == 0
    table = pq.read_table(out_pq).to_pylist()
    assert [t["id"] for t in table] == [r["id"] for r in rows]
    for t in table:
        j = by_id[t["id"]]
        assert t["body"] == j["body"] and t["title_en"] == j["title_en"]
        assert (t["published_at"].isoformat() if t["published_at"] else None) == j["published_at"]


def test_ingest_plain_text_uses_file_uri(tmp_path: Path, sqlite_url: str) -> None:
    seed = SEEDS / "documents" / "002_49dfc69a23007eb6.txt"
    assert pressbot("ingest", "--text", str(seed), "--database", sqlite_url).returncode == 0
    rows = [json.loads(x) for x in pressbot("export", "--database", sqlite_url).stdout.splitlines()]
    assert rows[0]["url"] == seed.resolve().as_uri()
    assert rows[0]["place"] == "پشاور"


def test_export_to_stdout_is_utf8_csv(sqlite_url: str) -> None:
    pressbot(
        "ingest",
        str(KP_PAGE),
        "--url",
        "https://kppolice.gov.pk/press_release_detail.php?id=2315",
        "--database",
        sqlite_url,
    )
    out = pressbot("export", "--format", "csv", "--database", sqlite_url).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["source"] == "kp_police" and "پشاور" in rows[0]["body"]


def test_db_upgrade_and_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert "empty" in pressbot("db", "current", "--database", url).stdout
    assert pressbot("db", "upgrade", "--database", url).returncode == 0
    assert "(head)" in pressbot("db", "current", "--database", url).stdout


def test_writability_check_tolerates_another_process_removing_the_probe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `crawl --jobs 2`: each worker checks the dead-letter file at once; the other
    # worker may remove the empty probe file this one was about to remove.
    import contextlib
    from collections.abc import Iterator

    from pressbot import cli

    real_open = cli.open_new

    @contextlib.contextmanager
    def open_then_removed(path: Path, mode: str) -> Iterator[None]:
        with real_open(path, mode):
            yield
        Path(path).unlink()  # the other worker's clean-up

    monkeypatch.setattr(cli, "open_new", open_then_removed)
    target = tmp_path / "dead.jsonl"
    cli._check_writable(str(target))
    assert not target.exists()
