"""Progress of long commands (ingest, export, reextract, replay, warc).

On a terminal: one line, rewritten in place at most a few times a second
("reextract: 1,200/5,000 pages, 240/s, eta 16s"), finished with a newline. Not on a
terminal (cron, a pipe, a log file): a plain line every ``every`` seconds, with the
time, so a log shows how far a long run got -- and nothing at all for a run shorter
than that. Always on standard error: standard output may carry the command's data
(`pressbot export` without --output).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, TypeVar

T = TypeVar("T")

# Seconds between lines when not on a terminal, and between redraws on one.
PLAIN_EVERY = 10.0
TTY_EVERY = 0.2


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """``with Progress("reextract", total=n) as p: ... p.advance()``.

    ``total`` may be unknown (None): the line then has no ETA. ``tty`` forces a mode
    (default: whether ``stream`` is a terminal); ``enabled=False`` makes it silent.
    """

    def __init__(
        self,
        what: str,
        total: int | None = None,
        unit: str = "pages",
        *,
        stream: IO[str] | None = None,
        tty: bool | None = None,
        every: float | None = None,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.total = total
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        if tty is None:
            isatty = getattr(self.stream, "isatty", None)
            tty = bool(isatty and isatty())
        self.tty = tty
        self.every = every if every is not None else (TTY_EVERY if tty else PLAIN_EVERY)
        self.enabled = enabled
        self.clock = clock
        self.done = 0
        self.started = clock()
        self._last = self.started
        self._drawn = False
        self._width = 0

    def line(self, now: float | None = None) -> str:
        """The progress line as it stands: counts, rate and (total known) ETA."""
        now = self.clock() if now is None else now
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        count = f"{self.done:,}" + (f"/{self.total:,}" if self.total is not None else "")
        parts = [f"{self.what}: {count} {self.unit}", f"{rate:,.0f}/s"]
        if self.total is not None and self.done < self.total and rate > 0:
            parts.append(f"eta {_duration((self.total - self.done) / rate)}")
        elif self.total is None or self.done >= self.total:
            parts.append(f"in {_duration(elapsed)}")
        return ", ".join(parts)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = self.clock()
        if now - self._last >= self.every:
            self._last = now
            self._emit(now)

    def _emit(self, now: float) -> None:
        text = self.line(now)
        if self.tty:
            # \r to the line's start; spaces wipe what a longer line left.
            pad = max(0, self._width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self._width = len(text)
        else:
            self.stream.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} {text}\n")
        self.stream.flush()
        self._drawn = True

    def iter(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, counted as they are taken."""
        for item in items:
            yield item
            self.advance()

    def close(self) -> None:
        """Finish: on a terminal the final counts (and a newline); elsewhere a last line
        only if earlier lines were written, so a short run stays silent."""
        if not self.enabled:
            return
        if self.tty or self._drawn:
            self._emit(self.clock())
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
        self.enabled = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
