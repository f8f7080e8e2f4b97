"""What could not be stored is kept here, to be replayed later (`pressbot replay`).

One JSON object per line: ``{"kind": "record", "failed_at", "error", "database",
"record"}`` for records, ``{"kind": "page", ..., "page"}`` for raw-archive pages (body
base64). ``database`` is the URL the entry was meant for, password masked. Lines are
appended and fsync'ed, so a crash loses at most the line being written, and a batch's
lines are all serialised before any is written: a record the writer cannot turn into
JSON as it is still gets a line (see :func:`_line`), and its batch is never cut short.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from pressbot.files import make_dirs, open_new
from pressbot.items import RECORD_FIELDS, Record, record_from_json, record_to_json
from pressbot.redact import mask_url, redact


def database_label(url: str | None) -> str:
    """How an entry names its database: password masked, and a relative SQLite path
    made absolute (the same URL run from another directory is another file)."""
    if not url:
        return ""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return mask_url(url)
    name = parsed.database or ""
    relative = name and name != ":memory:" and not name.startswith("file:")
    if parsed.get_backend_name() == "sqlite" and relative and not os.path.isabs(name):
        url = parsed.set(database=os.path.abspath(name)).render_as_string(hide_password=False)
    return mask_url(url)


# --- writing ------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    """``default`` for json.dumps: what JSON has no type for, as something it has."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="backslashreplace")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return _repr(value)


def _repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__} that cannot be shown>"


def _line(entry: dict[str, Any], key: str) -> bytes:
    """``entry`` as one line of UTF-8 JSON, whatever ``entry[key]`` holds.

    Urdu stays readable (``ensure_ascii=False``) unless the entry holds a lone
    surrogate (from a JSON-LD ``"\\ud800"``, say), which UTF-8 cannot encode: then the
    line is written ASCII-escaped, and reads back as the same string. A value JSON
    cannot hold at all (a cycle) is kept as its repr, so the failure is still on file.
    """
    try:
        text = json.dumps(entry, ensure_ascii=False, default=_jsonable)
    except (ValueError, TypeError, RecursionError) as exc:
        entry = {**entry, key: None, "unserialisable": f"{exc}", "repr": _repr(entry[key])}
        text = json.dumps(entry, ensure_ascii=False, default=_jsonable)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(entry, ensure_ascii=True, default=_jsonable) + "\n").encode("ascii")


def append_lines(path: str | Path, lines: Iterable[bytes]) -> None:
    """Append whole lines (each ending in a newline) and fsync."""
    data = b"".join(lines)
    if not data:
        return
    path = Path(path)
    make_dirs(path.parent)
    with open_new(path, "ab") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _head(kind: str, error: BaseException, database: str) -> dict[str, Any]:
    try:
        message = f"{type(error).__name__}: {error}"
    except Exception:
        message = type(error).__name__
    return {
        "kind": kind,
        "failed_at": datetime.now(UTC).isoformat(),
        "error": redact(message),
        "database": database_label(database),
    }


def _record_json(record: Record) -> dict[str, Any]:
    try:
        return record_to_json(record, internal=True)
    except Exception:
        # asdict() deep-copies; a value that cannot be copied is written as it is.
        return {name: getattr(record, name, None) for name in RECORD_FIELDS}


def append(
    path: str | Path, records: Sequence[Record], error: BaseException, *, database: str
) -> None:
    """Records that could not be stored in ``database`` (its URL; kept masked)."""
    head = _head("record", error, database)
    append_lines(path, [_line({**head, "record": _record_json(r)}, "record") for r in records])


def append_pages(
    path: str | Path, pages: Sequence[dict[str, Any]], error: BaseException, *, database: str
) -> None:
    """Raw-archive rows (pressbot.archive.page_values) that could not be written."""
    head = _head("page", error, database)
    lines = []
    for page in pages:
        data = dict(page)
        data["body_z"] = base64.b64encode(data["body_z"]).decode("ascii")
        data["fetched_at"] = data["fetched_at"].isoformat()
        lines.append(_line({**head, "page": data}, "page"))
    append_lines(path, lines)


# --- reading ------------------------------------------------------------------------
@dataclass
class Entry:
    """One readable line."""

    kind: str  # "record" or "page"
    value: Any  # a Record, or page values (pressbot.archive.page_values)
    database: str | None  # as recorded (masked); None in files written before the field
    line: bytes  # the line as it is in the file


@dataclass
class Unreadable:
    """A line that is not an entry: cut by a crash mid-write, or edited by hand."""

    lineno: int
    line: bytes
    reason: str


def _parse(line: bytes) -> Entry:
    entry = json.loads(line.decode("utf-8"))
    if not isinstance(entry, dict):
        raise ValueError("not a JSON object")
    database = entry.get("database")
    if entry.get("kind", "record") == "page":
        page = dict(entry["page"])
        page["body_z"] = base64.b64decode(page["body_z"], validate=True)
        page["fetched_at"] = datetime.fromisoformat(page["fetched_at"])
        return Entry("page", page, database, line)
    return Entry("record", record_from_json(entry["record"]), database, line)


def iter_entries(path: str | Path) -> Iterator[Entry | Unreadable]:
    """Every line of the file, in order, as an Entry or as Unreadable with the reason."""
    with Path(path).open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield _parse(line)
            except Exception as exc:  # whatever a damaged line makes the parsers raise
                reason = f"{type(exc).__name__}: {exc}"
                yield Unreadable(lineno, line, reason[:160])
