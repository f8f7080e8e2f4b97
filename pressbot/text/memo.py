"""Caches for functions of one line of text, bounded in bytes as well as entries.

Extraction asks the same questions of the same lines many times: menu and footer
lines recur on every page of a site, and one page's lines are keyed by several
readers in turn. ``functools.lru_cache`` answers both, but it counts entries, not
bytes. An entry holds the line and often a string as long (a key), so a cache of
16,384 paragraph-length lines holds tens of megabytes, and a long crawl fills it
with lines that never come back: an article's paragraphs are unique.

:func:`line_cache` keeps two caches. Short lines, the ones that recur from page
to page, go in a large one. Longer lines go in a small one, which is enough for
the repeats within one page. Lines longer still are not cached. Both caches are
``lru_cache`` (in C). Memory is then bounded by about
``short_entries * SHORT_CHARS + long_entries * LONG_CHARS`` characters, twice over
for string results.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, Final, ParamSpec, TypeVar, cast

__all__ = ["LONG_CHARS", "SHORT_CHARS", "line_cache"]

# Menus, labels, headlines, share bars and slogans are shorter than this.
SHORT_CHARS: Final = 256
# No line longer than this is cached (a page written as one enormous line).
LONG_CHARS: Final = 16_384

P = ParamSpec("P")
R = TypeVar("R")


def line_cache(
    short_entries: int, long_entries: int = 256
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a function whose first argument is a line of text (the other arguments
    hashable, as for ``lru_cache``): short lines in a cache of ``short_entries``,
    longer ones in one of ``long_entries``, lines over :data:`LONG_CHARS` not at
    all. ``cache_clear()`` empties both."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        short_cache = lru_cache(maxsize=short_entries)(fn)
        long_cache = lru_cache(maxsize=long_entries)(fn)
        short = cast("Callable[P, R]", short_cache)
        long = cast("Callable[P, R]", long_cache)

        @wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            # The line given by keyword: not cached (no caller does; still answered).
            n = len(args[0]) if args else LONG_CHARS + 1  # type: ignore[arg-type]
            if n <= SHORT_CHARS:
                return short(*args, **kwargs)
            if n <= LONG_CHARS:
                return long(*args, **kwargs)
            return fn(*args, **kwargs)

        def cache_clear() -> None:
            short_cache.cache_clear()
            long_cache.cache_clear()

        def cache_info() -> tuple[Any, Any]:
            return short_cache.cache_info(), long_cache.cache_info()

        call.cache_clear = cache_clear  # type: ignore[attr-defined]
        call.cache_info = cache_info  # type: ignore[attr-defined]
        return call

    return wrap
