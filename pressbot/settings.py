"""Scrapy settings for pressbot.

The environment is read here, once. Everything per site lives in the source
declaration (pressbot/sources/), not here.
"""

from __future__ import annotations

import os

from pressbot import __version__
from pressbot.config import BY_NAME, TRUE
from pressbot.pipelines import ITEM_PIPELINES as _PIPELINES

BOT_NAME = "pressbot"
SPIDER_MODULES = ["pressbot.spiders"]
NEWSPIDER_MODULE = "pressbot.spiders"


# --- pressbot's own settings -----------------------------------------------------
# Declared, with their meaning and type, in pressbot/config.py; checked before a
# crawl starts (pressbot.config.check). Values stay as the environment gives them:
# components read them with settings.getint()/getbool()/getfloat().
def _env(name: str) -> str:
    return os.environ.get(name, BY_NAME[name].default)


PRESSBOT_DATABASE_URL = _env("PRESSBOT_DATABASE_URL")
PRESSBOT_MIRROR = _env("PRESSBOT_MIRROR")
PRESSBOT_DEADLETTER_PATH = _env("PRESSBOT_DEADLETTER_PATH")
PRESSBOT_INCREMENTAL = _env("PRESSBOT_INCREMENTAL")
PRESSBOT_DB_TIMEOUT = _env("PRESSBOT_DB_TIMEOUT")
PRESSBOT_SQLITE_MMAP_MB = _env("PRESSBOT_SQLITE_MMAP_MB")
PRESSBOT_STORE_BATCH = _env("PRESSBOT_STORE_BATCH")
PRESSBOT_ARCHIVE = _env("PRESSBOT_ARCHIVE")
PRESSBOT_ARCHIVE_BATCH = _env("PRESSBOT_ARCHIVE_BATCH")
PRESSBOT_MAX_MINUTES = _env("PRESSBOT_MAX_MINUTES")
PRESSBOT_MAX_LISTING_PAGES = _env("PRESSBOT_MAX_LISTING_PAGES")
PRESSBOT_MAX_ARTICLES = _env("PRESSBOT_MAX_ARTICLES")
PRESSBOT_MAX_SITEMAPS = _env("PRESSBOT_MAX_SITEMAPS")
PRESSBOT_SITEMAP_DEPTH = _env("PRESSBOT_SITEMAP_DEPTH")
PRESSBOT_MAX_TRIES = _env("PRESSBOT_MAX_TRIES")
PRESSBOT_RETRY_BACKOFF = _env("PRESSBOT_RETRY_BACKOFF")
PRESSBOT_RECHECK_DROPPED = _env("PRESSBOT_RECHECK_DROPPED")
PRESSBOT_RETRY_AFTER_MAX = _env("PRESSBOT_RETRY_AFTER_MAX")
PRESSBOT_MAX_ERROR_SHARE = _env("PRESSBOT_MAX_ERROR_SHARE")
PRESSBOT_RUN_LOCK = _env("PRESSBOT_RUN_LOCK")
# Hosts, addresses and networks (CIDR) the crawler may connect to although they are
# loopback, private, link-local or otherwise not public (see pressbot/netguard.py).
PRESSBOT_ALLOW_HOSTS = [h.strip() for h in _env("PRESSBOT_ALLOW_HOSTS").split(",") if h.strip()]
# Redis mode (pressbot/distributed.py, switched on by its add-on below).
PRESSBOT_REDIS_URL = _env("PRESSBOT_REDIS_URL")
PRESSBOT_REDIS_PREFIX = _env("PRESSBOT_REDIS_PREFIX")
PRESSBOT_REDIS_WORKER_TTL = _env("PRESSBOT_REDIS_WORKER_TTL")
# Scrapy's remote-control server runs Python code sent to it; only for debugging.
PRESSBOT_REMOTE_CONTROL = _env("PRESSBOT_REMOTE_CONTROL")

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
# Warn (in the log) about pages far larger than a press release ever is.
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
COOKIES_ENABLED = False
# Scrapy starts this many asyncio tasks for the output of every response (100 by
# default), though an article page yields one record and the pipelines run
# synchronously: that task churn cost a tenth of a crawl's CPU
# (bench/crawl_bench.py). A listing page's twenty links need no more than this.
CONCURRENT_ITEMS = 8
TELNETCONSOLE_ENABLED = False
# --- network exposure (pressbot/netguard.py) --------------------------------------
# A crawl listens on nothing, and connects to public addresses only.
REMOTE_CONTROL_ENABLED = PRESSBOT_REMOTE_CONTROL.strip().lower() in TRUE
TWISTED_DNS_RESOLVER = "pressbot.netguard.GuardedResolver"

ITEM_PIPELINES = _PIPELINES
DOWNLOADER_MIDDLEWARES = {
    # Before Scrapy's offsite filter (50) and robots.txt (100): a refused host's
    # robots.txt is not fetched either. Redirected requests pass through again.
    "pressbot.netguard.NetGuardMiddleware": 40,
    # Off-site redirects of articles are reported to the spider (pressbot/politeness.py).
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "pressbot.politeness.OffsiteMiddleware": 50,
    # robots.txt 5xx means "disallow all" for the run (pressbot/politeness.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "pressbot.politeness.RobotsTxtMiddleware": 100,
    # After Scrapy's DownloadTimeoutMiddleware (350): no request outlives the budget.
    "pressbot.politeness.DeadlineMiddleware": 360,
    # Retry-After honoured.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "pressbot.politeness.RetryAfterMiddleware": 550,
    "pressbot.archive.RawArchiveMiddleware": 580,
}
EXTENSIONS = {
    # Built before every other component: it owns the crawler's one database engine.
    "pressbot.extensions.DatabaseOwner": 0,
    "pressbot.extensions.RunRecorder": 500,
}
ADDONS = {
    "pressbot.mirror.MirrorAddon": 0,
    "pressbot.netguard.NetGuardAddon": 0,
    "pressbot.politeness.BudgetAddon": 10,
    "pressbot.distributed.RedisAddon": 0,
}

REQUEST_FINGERPRINTER_CLASS = "pressbot.fingerprint.CanonicalFingerprinter"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "pressbot.logformat.PressbotLogFormatter"
PRESSBOT_LOG_LEVEL = _env("PRESSBOT_LOG_LEVEL")
LOG_LEVEL = PRESSBOT_LOG_LEVEL
