"""What could not be stored is kept here, to be replayed later (`pressbot replay`).

One JSON object per line: ``{"kind": "record", "failed_at", "error", "record"}`` for
records, ``{"kind": "page", ..., "page"}`` for raw-archive pages (body base64).
Lines are appended and fsync'ed, so a crash loses at most the line being written.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pressbot.items import Record, record_from_json, record_to_json
from pressbot.redact import mask_url


def _append(path: str | Path, entries: list[dict[str, Any]]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for entry in entries:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _head(kind: str, error: BaseException) -> dict[str, Any]:
    return {
        "kind": kind,
        "failed_at": datetime.now(UTC).isoformat(),
        "error": f"{type(error).__name__}: {error}",
    }


def append(
    path: str | Path, records: Sequence[Record], error: BaseException, database: str | None = None
) -> None:  # TEMP
    _append(
        path,
        [
            {
                **_head("record", error),
                "database": mask_url(database),
                "record": record_to_json(r, internal=True),
            }
            for r in records
        ],
    )


def append_pages(path: str | Path, pages: Sequence[dict[str, Any]], error: BaseException) -> None:
    """Raw-archive rows (pressbot.archive.page_values) that could not be written."""
    entries = []
    for page in pages:
        data = dict(page)
        data["body_z"] = base64.b64encode(data["body_z"]).decode("ascii")
        data["fetched_at"] = data["fetched_at"].isoformat()
        entries.append({**_head("page", error), "page": data})
    _append(path, entries)


def read(path: str | Path) -> Iterator[tuple[str, Any]]:
    """("record", Record) and ("page", page values) entries, in file order."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry.get("kind", "record") == "page":
                page = dict(entry["page"])
                page["body_z"] = base64.b64decode(page["body_z"])
                page["fetched_at"] = datetime.fromisoformat(page["fetched_at"])
                yield "page", page
            else:
                yield "record", record_from_json(entry["record"])
