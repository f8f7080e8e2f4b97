"""Progress of long commands: one line redrawn in place on a terminal, plain
timestamped lines every few seconds elsewhere, nothing for a short run off a
terminal, and never on standard output."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from pressbot.progress import Progress
from tests.conftest import MIRROR_ROOT, REPO, pressbot


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_terminal_mode_redraws_one_line_with_rate_and_eta() -> None:
    out, clock = io.StringIO(), Clock()
    with Progress("reextract", total=5000, stream=out, tty=True, clock=clock) as bar:
        for _ in range(1200):
            clock.now += 1 / 240
            bar.advance()
    text = out.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1
    frames = text.rstrip("\n").split("\r")[1:]
    assert len(frames) > 10  # redrawn as it went (every 0.2 s of a 5 s run)
    assert re.fullmatch(r"reextract: 1,1\d\d/5,000 pages, 240/s, eta 1[67]s", frames[-2].strip())
    # The last frame: the final count, and what is left at that rate.
    assert frames[-1] == "reextract: 1,200/5,000 pages, 240/s, eta 16s"
    # A shorter line wipes what a longer one left behind.
    assert all(len(f) >= len(frames[0]) for f in frames)


def test_terminal_line_without_a_total() -> None:
    out, clock = io.StringIO(), Clock()
    bar = Progress("ingest", stream=out, tty=True, clock=clock)
    for _ in range(30):
        clock.now += 0.1
        bar.advance()
    bar.close()
    assert out.getvalue().rstrip("\n").split("\r")[-1] == "ingest: 30 pages, 10/s, in 3s"


def test_plain_mode_writes_a_timestamped_line_every_interval() -> None:
    out, clock = io.StringIO(), Clock()
    with Progress("export", unit="records", stream=out, tty=False, clock=clock) as bar:
        for _ in range(3500):  # 35 s at 100 records/s
            clock.now += 0.01
            bar.advance()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    # Every 10 s, then the last word at the end.
    assert len(lines) == 4
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
    assert re.fullmatch(stamp + r"export: 1,000 records, 100/s, in 10s", lines[0]), lines[0]
    assert re.fullmatch(stamp + r"export: 3,500 records, 100/s, in 35s", lines[-1]), lines[-1]


def test_plain_mode_is_silent_for_a_short_run_and_disabled_is_silent() -> None:
    out, clock = io.StringIO(), Clock()
    with Progress("warc", stream=out, tty=False, clock=clock) as bar:
        for _ in range(50):
            clock.now += 0.01
            bar.advance()
    with Progress("warc", stream=out, tty=True, clock=clock, enabled=False) as bar:
        for _ in range(50):
            clock.now += 1
            bar.advance()
    assert out.getvalue() == ""


def _pages(tmp_path: Path) -> Path:
    """A directory of mirror pages to ingest."""
    site = MIRROR_ROOT / "day1" / "kppolice.gov.pk"
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted(site.glob("press_release_detail.php@id=*"))[:6]:
        if page.suffix != ".json":
            (folder / f"{page.name}.html").write_bytes(page.read_bytes())
    return folder


def _on_terminal(args: list[str], *, stdout_too: bool = False) -> tuple[int, str, str]:
    """Run pressbot with its standard error (and, if asked, its output) on a
    pseudo-terminal: (exit code, what the terminal got, what the pipe got)."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pressbot.cli", *args],
        cwd=REPO,
        stdout=secondary if stdout_too else subprocess.PIPE,
        stderr=secondary,
    )
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    piped, _ = proc.communicate(timeout=60)
    return proc.returncode, seen.decode(), (piped or b"").decode()


def test_ingest_and_export_on_a_terminal_draw_the_line_on_stderr(tmp_path: Path) -> None:
    """The real commands with their standard error on a pseudo-terminal; export
    draws nothing when its rows go to that terminal too."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    code, term, piped = _on_terminal(
        ["ingest", str(_pages(tmp_path)), "--database", db,
         "--deadletter", str(tmp_path / "dead.jsonl")]
    )  # fmt: skip
    assert code == 0, term
    # A carriage return that starts a redraw (the terminal turns each newline into
    # "\r\n" by itself).
    assert re.search(r"\r(?!\n)", term), term
    assert re.search(r"ingest: 3 pages, [\d,]+/s, in \d+s", term), term
    assert "ingest:" not in piped and "ingested 3 page(s)" in piped

    code, term, piped = _on_terminal(["export", "--database", db])
    assert code == 0, term
    assert re.search(r"export: 3 records, [\d,]+/s, in \d+s", term), term
    assert len(piped.splitlines()) == 3 and "export:" not in piped

    code, term, _ = _on_terminal(["export", "--database", db], stdout_too=True)
    assert code == 0, term
    assert "export:" not in term and not re.search(r"\r(?!\n)", term)
    assert "exported 3 record(s)" in term


def test_ingest_off_a_terminal_stays_plain(tmp_path: Path) -> None:
    result = pressbot(
        "ingest", str(_pages(tmp_path)), "--database", f"sqlite:///{tmp_path / 'p.db'}",
        "--deadletter", str(tmp_path / "dead.jsonl"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr
    assert "ingest:" not in result.stderr  # a short run: no periodic line
