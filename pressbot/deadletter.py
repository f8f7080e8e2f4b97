"""Records that could not be stored are appended here, to be replayed later."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pressbot.items import Record, record_from_json, record_to_json


def append(path: str | Path, records: list[Record], error: BaseException) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat()
    with path.open("a", encoding="utf-8") as fh:
        for rec in records:
            line = {
                "failed_at": stamp,
                "error": f"{type(error).__name__}: {error}",
                "record": record_to_json(rec, internal=True),
            }
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read(path: str | Path) -> Iterator[tuple[dict[str, Any], Record]]:
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                entry = json.loads(line)
                yield entry, record_from_json(entry["record"])
