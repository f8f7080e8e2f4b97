"""Scrapy settings for pressbot.

The environment is read here, once. Everything per site lives in the source
declaration (pressbot/sources/), not here.
"""

from __future__ import annotations

import os

from pipelines import ITEM_PIPELINES as _PIPELINES
from pressbot import __version__

BOT_NAME = "pressbot"
SPIDER_MODULES = ["pressbot.spiders"]
NEWSPIDER_MODULE = "pressbot.spiders"

# --- pressbot's own settings (documented in README.md) -----------------------
# SQLAlchemy URL of the record store. SQLite under ./data by default.
PRESSBOT_DATABASE_URL = os.environ.get("PRESSBOT_DATABASE_URL", "sqlite:///data/pressbot.db")
# Base URL of an offline mirror server (`pressbot serve-mirror`). When set, every
# request is answered by the mirror instead of the network (see pressbot/mirror.py).
PRESSBOT_MIRROR = os.environ.get("PRESSBOT_MIRROR", "")
# Items that cannot be stored are appended here (JSON Lines) for `pressbot replay`.
PRESSBOT_DEADLETTER_PATH = os.environ.get("PRESSBOT_DEADLETTER_PATH", "data/deadletter.jsonl")
# Skip article pages already stored (unless a feed or sitemap says they changed)
# and stop paginating a listing once a page brings nothing new.
PRESSBOT_INCREMENTAL = os.environ.get("PRESSBOT_INCREMENTAL", "1") not in ("0", "false", "no")
# PostgreSQL: seconds a session may sit idle inside a transaction, or wait for a lock,
# before the server ends it. A worker cut off mid-transaction (a network partition the
# server does not notice) would otherwise hold the dedup lock and stall every worker.
PRESSBOT_DB_TIMEOUT = int(os.environ.get("PRESSBOT_DB_TIMEOUT", "60"))
# Rows written per transaction by the store pipeline.
PRESSBOT_STORE_BATCH = int(os.environ.get("PRESSBOT_STORE_BATCH", "200"))
# Hosts, addresses and networks (CIDR) the crawler may connect to although they are
# loopback, private, link-local or otherwise not public (see pressbot/netguard.py).
PRESSBOT_ALLOW_HOSTS = [h for h in os.environ.get("PRESSBOT_ALLOW_HOSTS", "").split(",") if h]
# Scrapy's remote-control server runs Python code sent to it; only for debugging.
PRESSBOT_REMOTE_CONTROL = os.environ.get("PRESSBOT_REMOTE_CONTROL", "0") in ("1", "true", "yes")

# --- politeness -----------------------------------------------------------------
USER_AGENT = (
    f"pressbot/{__version__} (+https://github.com/pressbot/pressbot; press-release archive)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 3
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# --- network exposure (pressbot/netguard.py) --------------------------------------
# A crawl listens on nothing, and connects to public addresses only.
REMOTE_CONTROL_ENABLED = PRESSBOT_REMOTE_CONTROL
TWISTED_DNS_RESOLVER = "pressbot.netguard.GuardedResolver"

ITEM_PIPELINES = _PIPELINES
DOWNLOADER_MIDDLEWARES = {
    # Before Scrapy's offsite filter (50) and robots.txt (100): a refused host's
    # robots.txt is not fetched either. Redirected requests pass through again.
    "pressbot.netguard.NetGuardMiddleware": 40,
    "pressbot.archive.RawArchiveMiddleware": 580,
}
EXTENSIONS = {"pressbot.extensions.CrawlRunRecorder": 500}
# Keep every fetched article response in the `pages` table (see pressbot/archive.py).
PRESSBOT_ARCHIVE = os.environ.get("PRESSBOT_ARCHIVE", "1") not in ("0", "false", "no")
ADDONS = {"pressbot.mirror.MirrorAddon": 0, "pressbot.netguard.NetGuardAddon": 0}

REQUEST_FINGERPRINTER_CLASS = "pressbot.fingerprint.CanonicalFingerprinter"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "pressbot.logformat.PressbotLogFormatter"
LOG_LEVEL = os.environ.get("PRESSBOT_LOG_LEVEL", "INFO")
