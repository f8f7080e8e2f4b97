"""`pressbot replay`: store what the dead-letter file keeps, losing nothing on the way.

The file is moved aside (``<file>.replaying``) before anything is read, so that what
fails again is appended to a fresh dead-letter file, and removed only once every line
is stored, back in the dead-letter file, or in ``<file>.rejected``. An interrupted
replay leaves ``<file>.replaying`` behind; the next replay carries the dead-letter
file over into it and replays both. Storing is idempotent, so a line replayed twice
(after a crash) changes nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pressbot import deadletter
from pressbot.errors import UsageError
from pressbot.progress import Progress

if TYPE_CHECKING:
    from pressbot.ingest import Chain

# Raw pages archived per transaction (they are held in memory until then).
PAGE_BATCH = 100


@dataclass
class ReplayResult:
    read_from: Path | None = None  # the file the line numbers below refer to
    records: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    archived: int = 0
    # Lines that are not entries, now in <file>.rejected.
    rejected: list[deadletter.Unreadable] = field(default_factory=list)
    # Entries recorded for another database (masked URL -> count), kept in the file.
    kept: Counter[str] = field(default_factory=Counter)
    # Entries a pipeline failed on ("Type: message" -> count), kept in the file.
    failed: Counter[str] = field(default_factory=Counter)

    def problems(self, path: Path) -> list[str]:
        """One line per rejected line, then one per kind of entry left in ``path``."""
        lines = [
            f"pressbot replay: {self.read_from}: line {bad.lineno}: {bad.reason}"
            for bad in self.rejected
        ]
        if self.rejected:
            lines.append(f"{len(self.rejected)} unreadable line(s) kept in {rejected_path(path)}")
        lines += [
            f"{n} entry(ies) recorded for {database} were kept in {path} "
            "(use --any-database to store them here)"
            for database, n in sorted(self.kept.items())
        ]
        lines += [
            f"{n} entry(ies) failed ({error}) and were kept in {path}"
            for error, n in sorted(self.failed.items())
        ]
        return lines

    @property
    def ok(self) -> bool:
        """Everything read was stored (or found already stored)."""
        return not (self.outcomes.get("deadletter") or self.rejected or self.kept or self.failed)


def pending_path(path: Path) -> Path:
    return path.with_name(path.name + ".replaying")


def rejected_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejected")


def _take(path: Path, pending: Path) -> Path | None:
    """Move the dead-letter file aside; the file to read, None if there is nothing."""
    for p in (path, pending):
        if p.is_dir():
            raise UsageError(f"{p} is a directory, not a dead-letter file")
    if not path.exists():
        return pending if pending.exists() else None
    if not pending.exists():
        path.rename(pending)
        return path  # line numbers are the file's own
    # An interrupted replay: carry the new entries over and replay both. A crash
    # between the two steps leaves lines in both files; they are replayed once.
    # A last line cut by a crash must not swallow the first carried-over line.
    separator = b"" if _ends_in_newline(pending) else b"\n"
    deadletter.append_lines(pending, [separator, path.read_bytes()])
    path.unlink()
    return pending


def _ends_in_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        if fh.seek(0, os.SEEK_END) == 0:
            return True
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _whole(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n"


def replay(
    path: Path,
    database_url: str,
    *,
    any_database: bool = False,
    overrides: dict[str, Any] | None = None,
    progress: bool = True,
) -> ReplayResult | None:
    """Replay ``path`` into ``database_url``; None if there is nothing to replay.

    Entries recorded for another database stay in the file unless ``any_database``.
    """
    from pressbot.ingest import Chain

    pending = pending_path(path)
    read_from = _take(path, pending)
    if read_from is None:
        return None
    result = ReplayResult(read_from=read_from)
    target = deadletter.database_label(database_url)
    settings = {
        **(overrides or {}),
        "PRESSBOT_DATABASE_URL": database_url,
        "PRESSBOT_DEADLETTER_PATH": str(path),
    }
    back: list[bytes] = []  # lines that go back to the dead-letter file as they are
    seen: set[bytes] = set()
    pages: list[dict[str, Any]] = []

    def archive(chain: Chain) -> None:
        batch = pages[:]
        pages.clear()
        try:
            # The chain's own store: one engine for the whole replay.
            result.archived += chain.database.store.archive(batch, skip_existing=True)
        except Exception as exc:
            deadletter.append_pages(path, batch, exc, database=database_url)
            result.outcomes["deadletter"] = result.outcomes.get("deadletter", 0) + len(batch)

    with (
        Chain(settings) as chain,
        Progress("replay", unit="entries", enabled=progress) as bar,
    ):
        for item in bar.iter(deadletter.iter_entries(pending)):
            if isinstance(item, deadletter.Unreadable):
                result.rejected.append(item)
                continue
            digest = hashlib.sha256(item.line.rstrip(b"\r\n")).digest()
            if digest in seen:
                continue
            seen.add(digest)
            if item.database and item.database != target and not any_database:
                result.kept[item.database] += 1
                back.append(_whole(item.line))
                continue
            if item.kind == "page":
                result.pages += 1
                pages.append(item.value)
                if len(pages) >= PAGE_BATCH:
                    archive(chain)
                continue
            result.records += 1
            try:
                chain.process(item.value)
            except Exception as exc:  # a pipeline bug must not lose the entry
                result.failed[f"{type(exc).__name__}: {exc}"[:160]] += 1
                back.append(_whole(item.line))
        if pages:
            archive(chain)
        outcomes = chain.close()
        result.dropped = dict(chain.dropped)
    for name, n in outcomes.items():
        result.outcomes[name] = result.outcomes.get(name, 0) + n
    # Everything read is somewhere safe before the file it came from goes.
    deadletter.append_lines(path, back)
    deadletter.append_lines(
        rejected_path(path),
        [_whole(u.line) for u in result.rejected],
    )
    pending.unlink()
    return result


__all__ = ["PAGE_BATCH", "ReplayResult", "pending_path", "rejected_path", "replay"]
