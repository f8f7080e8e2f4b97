"""Inputs that are empty, binary, too big, damaged or cut short are refused with one
line each while the rest go through; user mistakes end as one line and exit 2."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from pressbot.decode import decode_html
from pressbot.extract import extract_html
from pressbot.ingest import MAX_INPUT_BYTES, Refused, load_file, write_warc
from tests.conftest import FIXTURES, MIRROR_ROOT, pressbot
from tests.test_decode import KP_PAGE, KP_URL, parquet, png, windows_1256

KP_DIR = MIRROR_ROOT / "day1" / "kppolice.gov.pk"
RELATIVE_PAGE = FIXTURES / "holdout" / "08_relative_date.html"
FETCHED = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (and no time) to make."""
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def _stored(db: str) -> list[dict[str, Any]]:
    out = pressbot("export", "--include-duplicates", "--database", db)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _articles(n: int) -> list[Path]:
    return sorted(p for p in KP_DIR.glob("press_release_detail*") if p.suffix != ".json")[:n]


# --- extract ------------------------------------------------------------------------
def test_extract_refuses_empty_binary_and_oversized_files_and_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    table = tmp_path / "records.parquet"
    table.write_bytes(parquet())
    image = tmp_path / "logo.png"
    image.write_bytes(png())
    huge = _sparse(tmp_path / "huge.html", MAX_INPUT_BYTES + 1)
    good = _articles(2)
    files = [good[0], empty, table, image, huge, good[1]]
    result = pressbot("extract", *map(str, files))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in rows] == [str(f) for f in files]
    assert rows[0]["title"] and rows[5]["title"]
    assert rows[1] == {"file": str(empty), "error": "empty"}
    assert rows[2]["error"].startswith("binary") and "Parquet" in rows[2]["error"]
    assert rows[3]["error"].startswith("binary") and "PNG" in rows[3]["error"]
    assert "over the" in rows[4]["error"] and "limit" in rows[4]["error"]
    assert all("title" not in r for r in rows[1:5])


def test_extract_one_empty_file_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = pressbot("extract", str(empty))
    assert result.returncode == 1
    assert _one_line(result.stderr) == f"pressbot extract: {empty}: empty"
    assert result.stdout == ""


def test_size_limit_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = _sparse(tmp_path / "huge.txt", 50 * 1024 * 1024)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr("builtins.open", no_reading)
    for text in (True, False):
        with pytest.raises(Refused, match=r"52,428,800 bytes, over the 8 MiB limit"):
            load_file(huge, text=text)


def test_extract_text_over_the_limit_is_refused(tmp_path: Path) -> None:
    huge = _sparse(tmp_path / "huge.txt", 50 * 1024 * 1024)
    result = pressbot("extract", "--text", str(huge))
    assert result.returncode == 1
    assert "over the 8 MiB limit" in _one_line(result.stderr)


def test_extract_fetched_at_still_needs_an_offset() -> None:
    result = pressbot("extract", str(KP_PAGE), "--fetched-at", "2025-01-01")
    assert result.returncode == 2
    assert "needs a UTC offset" in result.stderr


# --- ingest -------------------------------------------------------------------------
def test_ingest_directory_skips_binaries_and_refuses_damaged_pages(
    tmp_path: Path, sqlite_url: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for page in _articles(2):
        shutil.copy(page, site / page.name)
        # The mirror keeps expected records beside the pages: not pages.
        shutil.copy(page.with_name(page.name + ".expected.json"), site)
    (site / "empty.html").write_bytes(b"")
    (site / "report.html").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (site / "logo@2x.png").write_bytes(png())
    (site / "data@v1.parquet").write_bytes(parquet())
    _sparse(site / "huge.html", MAX_INPUT_BYTES + 1)

    result = pressbot("ingest", str(site), "--source", "kp_police", "--database", sqlite_url)
    assert result.returncode == 1  # not everything was ingested
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("ingested 2 page(s): new 2,")
    problems = [x for x in result.stderr.splitlines() if x.startswith("pressbot ingest: ")]
    assert problems == [
        f"pressbot ingest: {site / 'empty.html'}: empty",
        f"pressbot ingest: {site / 'huge.html'}: file is 8,388,609 bytes, over the 8 MiB limit",
        f"pressbot ingest: {site / 'report.html'}: binary (PDF document; PDF input is not "
        "supported yet)",
    ]
    assert "3 input(s) refused" in result.stderr
    assert "png" not in result.stderr and "parquet" not in result.stderr
    assert "expected.json" not in result.stderr
    assert len(_stored(sqlite_url)) == 2


def test_ingest_named_binary_files_are_refused(tmp_path: Path, sqlite_url: str) -> None:
    table = tmp_path / "records.parquet"
    table.write_bytes(parquet())
    image = tmp_path / "photo@2x.png"
    image.write_bytes(png())
    result = pressbot(
        "ingest", str(table), str(image), str(KP_PAGE), "--url", KP_URL, "--database", sqlite_url
    )
    assert result.returncode == 1
    assert f"{table}: binary (Parquet file)" in result.stderr
    assert f"{image}: binary (PNG image)" in result.stderr
    assert "2 input(s) refused" in result.stderr
    assert [r["url"] for r in _stored(sqlite_url)] == [KP_URL]


def test_ingest_fetched_at(sqlite_url: str) -> None:
    url = "https://www.khabarnama-live.pk/news/87412"
    common = (str(RELATIVE_PAGE), "--url", url, "--database", sqlite_url)
    bad = pressbot("ingest", *common, "--fetched-at", "2026-01-01T12:00")
    assert bad.returncode == 2 and "needs a UTC offset" in bad.stderr
    result = pressbot("ingest", *common, "--fetched-at", "2026-01-01T12:00:00+05:00")
    assert result.returncode == 0, result.stderr
    [row] = _stored(sqlite_url)
    # "2 گھنٹے پہلے" on the page, two hours before the given fetch time.
    assert row["published_at"] == "2026-01-01T05:00:00+00:00"
    assert row["fetched_at"] == "2026-01-01T07:00:00+00:00"


def test_ingest_text_file_over_the_limit_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    huge = _sparse(tmp_path / "huge.txt", 50 * 1024 * 1024)
    result = pressbot("ingest", "--text", str(huge), "--database", sqlite_url)
    assert result.returncode == 1
    assert f"{huge}: file is 52,428,800 bytes, over the 8 MiB limit" in result.stderr
    assert "ingested 0 page(s)" in result.stdout


# --- WARC ---------------------------------------------------------------------------
def _warc_pages(
    n: int, headers: dict[str, list[str]] | None = None
) -> list[tuple[str, int, dict[str, list[str]], bytes, datetime]]:
    headers = headers or {"Content-Type": ["text/html; charset=utf-8"]}
    return [
        (
            f"https://kppolice.gov.pk/{p.name.replace('@', '?')}",
            200,
            headers,
            p.read_bytes(),
            FETCHED,
        )
        for p in _articles(n)
    ]


def test_warc_record_charset_from_its_content_type(tmp_path: Path, sqlite_url: str) -> None:
    # The page claims UTF-8 in <meta>; the server's header says windows-1256 and wins.
    want, body = windows_1256(KP_PAGE, meta='<meta charset="utf-8">')
    headers = {"Content-Type": ["text/html; charset=windows-1256"]}
    warc = tmp_path / "cp1256.warc.gz"
    write_warc(warc, [(KP_URL, 200, headers, body, FETCHED)])
    result = pressbot("ingest", str(warc), "--database", sqlite_url)
    assert result.returncode == 0, result.stderr
    [row] = _stored(sqlite_url)
    expected = extract_html(want, KP_URL)
    assert (row["title"], row["body"], row["place"]) == (
        expected.title,
        expected.body,
        expected.place,
    )
    assert decode_html(body)[0] != want  # the <meta> alone would have misled


def test_reextract_decodes_by_the_archived_content_type(sqlite_url: str) -> None:
    from pressbot.archive import page_values
    from pressbot.db.store import Store

    want, body = windows_1256(KP_PAGE, meta='<meta charset="utf-8">')
    headers = {"Content-Type": ["text/html; charset=windows-1256"]}
    with Store(sqlite_url) as store:
        store.archive([page_values(KP_URL, 200, headers, body, FETCHED, "kp_police")])
    result = pressbot("reextract", "--database", sqlite_url)
    assert result.returncode == 0, result.stderr
    [row] = _stored(sqlite_url)
    expected = extract_html(want, KP_URL)
    assert (row["title"], row["body"]) == (expected.title, expected.body)


def _record_offsets(data: bytes) -> list[int]:
    it = ArchiveIterator(io.BytesIO(data))
    offsets = []
    for _ in it:
        offsets.append(it.get_record_offset())
    return offsets


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
@pytest.mark.parametrize("where", [0.5, 0.01, 0.2, 0.97])
def test_truncated_warc(tmp_path: Path, sqlite_url: str, suffix: str, where: float) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, _warc_pages(3))
    data = whole.read_bytes() if suffix == ".warc.gz" else gzip.decompress(whole.read_bytes())
    third = _record_offsets(data)[2]
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(data[: third + int((len(data) - third) * where)])

    result = pressbot("ingest", str(cut), "--database", sqlite_url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"pressbot ingest: {cut}: truncated after 2 record(s)" in result.stderr.splitlines()
    assert "ingested 2 page(s): new 2," in result.stdout
    assert len(_stored(sqlite_url)) == 2


def test_unframed_warc_response_cut_short_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    """A response without Content-Length or chunking may have lost its end silently."""
    [(url1, _, _, body1, _), (url2, _, _, body2, _)] = _warc_pages(2)
    cut1, cut2 = body1[: len(body1) // 2], body2[: len(body2) // 2]
    warc = tmp_path / "cut.warc.gz"
    html = "text/html; charset=utf-8"
    write_warc(
        warc,
        [
            (url1, 200, {"Content-Type": [html]}, cut1, FETCHED),
            (
                url2,
                200,
                {"Content-Type": [html], "Content-Length": [str(len(cut2))]},
                cut2,
                FETCHED,
            ),
        ],
    )
    result = pressbot("ingest", str(warc), "--database", sqlite_url)
    assert result.returncode == 1
    assert "truncated" in result.stderr and "1 input(s) refused" in result.stderr
    assert [r["url"] for r in _stored(sqlite_url)] == [url2]


# --- one-line usage errors ----------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--since", "yesterday"],
        ["export", "--published-since", "2025-13-01"],
        ["reextract", "--since", "yesterday"],
        ["warc", "OUT", "--since", "yesterday"],
    ],
    ids=" ".join,
)
def test_bad_dates_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "p.db"
    args = [str(tmp_path / "o.warc.gz") if a == "OUT" else a for a in args]
    result = pressbot(*args, "--database", f"sqlite:///{db}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"invalid ISO 8601 date: {args[-1]!r}" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--output", "MISSING/out.jsonl"],
        ["export", "--format", "csv", "--output", "DIR"],
        ["export", "--format", "parquet", "--output", "FILE/x.parquet"],
        ["warc", "MISSING/out.warc.gz"],
        ["warc", "DIR"],
    ],
    ids=" ".join,
)
def test_unwritable_output_is_a_usage_error_before_any_work(
    tmp_path: Path, args: list[str]
) -> None:
    db = tmp_path / "p.db"
    (tmp_path / "FILE").write_text("x")
    (tmp_path / "DIR").mkdir()
    args = [a.replace("MISSING", str(tmp_path / "missing")) for a in args]
    args = [str(tmp_path / a) if a == "DIR" or a.startswith("FILE/") else a for a in args]
    result = pressbot(*args, "--database", f"sqlite:///{db}")
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert line.startswith(f"pressbot {args[0]}: cannot write ")
    assert not db.exists()  # refused before the database was opened
    assert sorted(p.name for p in tmp_path.iterdir()) == ["DIR", "FILE"]
    assert not any((tmp_path / "DIR").iterdir())


def test_serve_mirror_on_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = pressbot("serve-mirror", "--port", str(port))
    assert result.returncode == 2
    assert f"port {port} is in use" in _one_line(result.stderr)
