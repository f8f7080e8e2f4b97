"""pressbot's own settings: declared once, with their type, default and meaning.

``pressbot/settings.py`` takes each from the environment (read once, at import);
the same names work as Scrapy settings (``-s NAME=VALUE``). :func:`check` finds
every bad value before a crawl sends its first request, so a typo in a cron line
is a usage error (exit 2), not a crawl that fails halfway or quietly does nothing.
The README's settings table lists the same names.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off", "")


def _int(minimum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("expected a whole number")
        n = int(str(value).strip())
        if n < minimum:
            raise ValueError(f"must be at least {minimum}")
        return n

    return parse


def _float(minimum: float, maximum: float = math.inf) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        x = float(str(value).strip())
        if not (minimum <= x <= maximum) or math.isnan(x):
            raise ValueError(f"must be between {minimum} and {maximum}")
        return x

    return parse


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError("expected 1/0, true/false, yes/no or on/off")


def _database_url(value: Any) -> str:
    """Parsed and its driver importable: a typo fails here, not after the crawl."""
    from sqlalchemy.engine import make_url

    from pressbot.redact import mask_url

    text = str(value).strip()
    try:
        url = make_url(text)
        url.get_dialect()
    except Exception as exc:  # ArgumentError, NoSuchModuleError, ImportError...
        raise ValueError(f"not a usable database URL ({mask_url(text)}): {exc}") from None
    return text


def _text(value: Any) -> str:
    return str(value)


def _allow_hosts(value: Any) -> Any:
    from pressbot.netguard import Allowance

    entries = value if isinstance(value, list | tuple) else str(value).split(",")
    return Allowance.parse([e.strip() for e in entries if str(e).strip()])


def _redis_url(value: Any) -> str:
    """Empty (Redis mode off), or a Redis URL with scrapy-redis installed."""
    from urllib.parse import urlsplit

    from pressbot.redact import mask_url

    text = str(value).strip()
    if not text:
        return ""
    if urlsplit(text).scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"not a Redis URL ({mask_url(text)}): expected redis://host:port/db")
    try:
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise ValueError("Redis mode needs scrapy-redis: pip install 'pressbot[redis]'") from None
    return text


def _redis_prefix(value: Any) -> str:
    text = str(value).strip()
    if not text or any(c.isspace() for c in text):
        raise ValueError("expected a non-empty key prefix without spaces")
    return text


@dataclass(frozen=True)
class Spec:
    name: str
    parse: Callable[[Any], Any]
    default: str
    doc: str


SPECS: tuple[Spec, ...] = (
    Spec(
        "PRESSBOT_DATABASE_URL",
        _database_url,
        "sqlite:///data/pressbot.db",
        "any SQLAlchemy URL (a relative SQLite path is relative to the working directory); "
        "PostgreSQL: `postgresql+psycopg://user@host/db`",
    ),
    Spec(
        "PRESSBOT_MIRROR",
        _text,
        "",
        "base URL of a `pressbot serve-mirror` server: every request is answered from it",
    ),
    Spec(
        "PRESSBOT_DEADLETTER_PATH",
        _text,
        "data/deadletter.jsonl",
        "where records that could not be stored are kept",
    ),
    Spec("PRESSBOT_INCREMENTAL", parse_bool, "1", "`0` fetches every article every time"),
    Spec("PRESSBOT_STORE_BATCH", _int(1), "200", "records written per transaction"),
    Spec("PRESSBOT_ARCHIVE", parse_bool, "1", "keep raw responses in the `pages` table"),
    Spec("PRESSBOT_ARCHIVE_BATCH", _int(1), "50", "raw pages written per transaction"),
    Spec(
        "PRESSBOT_DB_TIMEOUT",
        _int(1),
        "60",
        "PostgreSQL: seconds a session may idle in a transaction or wait for a lock",
    ),
    Spec(
        "PRESSBOT_SQLITE_MMAP_MB",
        _int(0),
        "1024",
        "SQLite: megabytes of the database file read through memory mapping (0: off; "
        "SQLite caps it at its build's limit, usually 2 GB)",
    ),
    Spec(
        "PRESSBOT_MAX_MINUTES",
        _float(0),
        "0",
        "time budget of a run in minutes (0: none); the run then ends, counted, exit 1",
    ),
    Spec(
        "PRESSBOT_MAX_LISTING_PAGES",
        _int(1),
        "100",
        "listing pages fetched per source per run",
    ),
    Spec(
        "PRESSBOT_MAX_ARTICLES",
        _int(1),
        "2000",
        "article requests per source per run; the rest wait in the frontier",
    ),
    Spec("PRESSBOT_MAX_SITEMAPS", _int(1), "50", "sitemap files fetched per source per run"),
    Spec("PRESSBOT_SITEMAP_DEPTH", _int(0), "2", "how deep sitemap indexes are followed"),
    Spec(
        "PRESSBOT_MAX_TRIES",
        _int(1),
        "5",
        "failed tries of an article (one per run) before it is given up and reported",
    ),
    Spec(
        "PRESSBOT_RETRY_BACKOFF",
        _float(0),
        "3600",
        "seconds before the 2nd retry of a failed article; doubles after each failure "
        "(the 1st retry is at the next run)",
    ),
    Spec(
        "PRESSBOT_RECHECK_DROPPED",
        _float(0),
        "604800",
        "seconds before a page that was dropped (not an article) or refused (robots.txt, "
        "too large, off-site redirect) is looked at again",
    ),
    Spec(
        "PRESSBOT_RETRY_AFTER_MAX",
        _float(0),
        "120",
        "longest Retry-After (seconds) waited for within a run; longer: next run",
    ),
    Spec(
        "PRESSBOT_MAX_ERROR_SHARE",
        _float(0, 1),
        "0.5",
        "share of failed requests above which a source counts as failed",
    ),
    Spec(
        "PRESSBOT_RUN_LOCK",
        parse_bool,
        "1",
        "refuse a second run of a source on the same database while one runs",
    ),
    Spec("PRESSBOT_LOG_LEVEL", _text, "INFO", "Scrapy log level"),
    Spec(
        "PRESSBOT_ALLOW_HOSTS",
        _allow_hosts,
        "",
        "comma-separated hosts, IP addresses or CIDR networks the crawler may reach although "
        "they are not public (loopback, private, link-local)",
    ),
    Spec(
        "PRESSBOT_REDIS_URL",
        _redis_url,
        "",
        "Redis mode: workers on any machines share each source's crawl through this Redis "
        '(`redis://host:6379/0`; see "Several machines"); empty: off',
    ),
    Spec(
        "PRESSBOT_REDIS_PREFIX",
        _redis_prefix,
        "pressbot",
        "first part of every Redis key; deployments sharing one Redis need different ones",
    ),
    Spec(
        "PRESSBOT_REDIS_WORKER_TTL",
        _float(1),
        "30",
        "Redis mode: seconds after which a worker that stopped sending heartbeats counts "
        "as dead (the others then finish the run without it)",
    ),
    Spec(
        "PRESSBOT_REMOTE_CONTROL",
        parse_bool,
        "0",
        "`1` turns on Scrapy's remote-control server (runs code sent to it: debugging only)",
    ),
)

BY_NAME = {s.name: s for s in SPECS}


def check(get: Callable[[str], Any]) -> list[str]:
    """One line per bad value; ``get(name)`` returns a setting's value or None."""
    problems = []
    for spec in SPECS:
        value = get(spec.name)
        if value is None:
            continue
        try:
            spec.parse(value)
        except (TypeError, ValueError) as exc:
            from pressbot.redact import mask_url

            problems.append(f"{spec.name}={mask_url(str(value))!r}: {exc}")
    return problems


def value(get: Callable[[str], Any], name: str) -> Any:
    """A setting's parsed value (its default when unset)."""
    spec = BY_NAME[name]
    raw = get(name)
    return spec.parse(spec.default if raw is None else raw)
