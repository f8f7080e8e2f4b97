"""Redis mode: any number of workers, on any machines, share one crawl of a source.

With ``PRESSBOT_REDIS_URL`` set, the scheduler queue and the request duplicate
filter of each source live in Redis (scrapy-redis's queue and filter, behind
:class:`SharedScheduler`), so every `pressbot crawl` / `scrapy crawl` worker of a
source pulls from one frontier and writes to one database. Without the setting
nothing here is imported and Redis is not needed.

A cron crawl needs two things from the shared frontier that a plain scrapy-redis
set-up (one queue and one filter per spider, kept forever) does not give:

* **listings, feeds and sitemaps are asked for again every run**, and a page that
  was fetched but never stored (its worker was killed) is fetched again by the
  next run. A filter kept across runs would skip both. So Redis holds *one run*:
  every key lives under ``<prefix>:<source>:<run id>:`` and is deleted when the run
  ends. What carries over between runs is the database, which already owns it:
  stored pages are skipped by the spider's look-up, and the ``frontier`` table
  keeps every article seen and not stored, so the next run asks for it first.
  Requests a dead worker had in flight are therefore not lost: articles wait in
  the ``frontier`` table, a listing walk it did not finish is recorded as cut
  (walked past the known pages next time), feeds and sitemaps are read every run.
* **the run ends.** scrapy-redis workers idle forever; a cron worker must stop
  when the run is done: the shared queue is empty and no live worker has anything
  in flight. Each worker is ``busy`` from the moment it takes a request off the
  queue (marked in the same Lua script that pops it) until Scrapy finds it idle
  (nothing downloading, being parsed or waiting), when it marks itself ``idle``
  and checks, in one script, whether the queue is empty, the seeds are in, and
  every live worker is idle. Work is only created by a busy worker, so that
  check cannot miss a request. A worker is live while its heartbeat key (TTL
  ``PRESSBOT_REDIS_WORKER_TTL``) exists: a killed worker stops counting after
  that long.

The run identity: the first worker of a source to find no live run (none, one
that is done, or one whose workers are all dead) *founds* a run; it alone loads
the database frontier and pushes the run's seeds (frontier retries, backfill,
feeds, sitemaps, listing starts) and the state of the listing walks. Later
workers *join*: they only take work from the queue. The per-source run lock
(pressbot/runlock.py) is taken shared by Redis workers and exclusive by other
runs, so workers of one source run together but never beside a non-Redis run.

Requests are kept in Redis pickled (scrapy-redis's serializer): whoever can write
to that Redis can run code in the workers, so it must be as private as the
database.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from datetime import UTC, datetime
from typing import Any, cast

from scrapy import Request, signals
from scrapy.settings import Settings

from pressbot.frontier import Walk

logger = logging.getLogger(__name__)

# How often an idle worker looks at the shared queue (seconds). Scrapy's engine
# looks every 5 s; a worker waiting for others to find work should not.
POLL_SECONDS = 0.5

# Atomic steps (Lua: Redis runs each script alone).
_JOIN = """
-- KEYS[1] the source's current-run pointer
-- ARGV: new run id, key prefix of the source ('<prefix>:<source>:'), worker, ttl ms
local prefix, worker, ttl = ARGV[2], ARGV[3], tonumber(ARGV[4])
local current = redis.call('GET', KEYS[1])
local dead = {}
if current then
  local base = prefix .. current .. ':'
  if redis.call('EXISTS', base .. 'done') == 0 then
    local live = false
    for _, w in ipairs(redis.call('HKEYS', base .. 'workers')) do
      if redis.call('EXISTS', base .. 'hb:' .. w) == 1 then live = true end
    end
    if live then
      redis.call('HSET', base .. 'workers', worker, 'busy')
      redis.call('SET', base .. 'hb:' .. worker, '1', 'PX', ttl)
      return {current, 0, {}}
    end
    -- Every worker of that run is dead: what it owed waits in the database; their
    -- crawl_runs rows are returned, to be closed as aborted.
    dead = redis.call('HVALS', base .. 'rows')
    for _, w in ipairs(redis.call('HKEYS', base .. 'workers')) do
      redis.call('DEL', base .. 'hb:' .. w)
    end
    for _, k in ipairs({'queue', 'dupefilter', 'workers', 'seeded', 'done', 'founder',
                        'walks', 'walkstate', 'started', 'seq', 'rows'}) do
      redis.call('DEL', base .. k)
    end
  end
end
local base = prefix .. ARGV[1] .. ':'
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', base .. 'founder', worker)
redis.call('SET', base .. 'started', ARGV[5])
redis.call('HSET', base .. 'workers', worker, 'busy')
redis.call('SET', base .. 'hb:' .. worker, '1', 'PX', ttl)
return {ARGV[1], 1, dead}
"""

_PUSH = """
-- KEYS: queue, sequence; ARGV: priority, request. Higher priority first, then the
-- newest first (Scrapy's own order: a listing's next page before the articles it
-- listed, so the walk keeps the downloader fed).
local n = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], -tonumber(ARGV[1]) * 1e9 - n, ARGV[2])
return n
"""

_POP = """
-- KEYS: queue, workers; ARGV: worker. Busy before the request leaves the queue.
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if #r == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], ARGV[1], 'busy')
return r[1]
"""

_IDLE = """
-- KEYS: queue, workers, seeded, done, founder; ARGV: worker, heartbeat key prefix
redis.call('HSET', KEYS[2], ARGV[1], 'idle')
if redis.call('EXISTS', KEYS[4]) == 1 then return 1 end
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
if redis.call('EXISTS', KEYS[3]) == 0 then
  local founder = redis.call('GET', KEYS[5])
  if founder and redis.call('EXISTS', ARGV[2] .. founder) == 1 then return 0 end
end
local w = redis.call('HGETALL', KEYS[2])
for i = 1, #w, 2 do
  if w[i + 1] == 'busy' and redis.call('EXISTS', ARGV[2] .. w[i]) == 1 then return 0 end
end
redis.call('SET', KEYS[4], '1')
return 1
"""

_LEAVE = """
-- KEYS[1] the current-run pointer; ARGV: run id, run key prefix, worker
-- Returns {1, crawl_runs ids of workers that died} for the last one out of a
-- finished run, {0} otherwise.
local base, worker = ARGV[2], ARGV[3]
redis.call('HDEL', base .. 'workers', worker)
redis.call('HDEL', base .. 'rows', worker)
redis.call('DEL', base .. 'hb:' .. worker)
if redis.call('EXISTS', base .. 'done') == 0 then return {0} end
for _, w in ipairs(redis.call('HKEYS', base .. 'workers')) do
  if redis.call('EXISTS', base .. 'hb:' .. w) == 1 then return {0} end
end
local dead = redis.call('HVALS', base .. 'rows')
for _, k in ipairs({'queue', 'dupefilter', 'workers', 'seeded', 'done', 'founder',
                    'walks', 'walkstate', 'started', 'seq', 'rows'}) do
  redis.call('DEL', base .. k)
end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return {1, dead}
"""


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class SharedRun:
    """One source's run in Redis, as one worker sees it."""

    def __init__(self, server: Any, prefix: str, source: str, ttl: float) -> None:
        self.server = server
        self.source = source
        self.ttl_ms = max(1000, int(ttl * 1000))
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._source_prefix = f"{prefix}:{source}:"
        self.pointer = f"{prefix}:{source}:run"
        self.run_id: str | None = None
        self.founder = False
        # crawl_runs rows of the workers of a dead run this worker replaced.
        self.dead_rows: list[int] = []
        self.done = False
        self._join = server.register_script(_JOIN)
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._idle = server.register_script(_IDLE)
        self._leave = server.register_script(_LEAVE)

    def key(self, name: str) -> str:
        assert self.run_id is not None, "join() first"
        return f"{self._source_prefix}{self.run_id}:{name}"

    @property
    def joined(self) -> bool:
        return self.run_id is not None

    def join(self, started: datetime | None = None) -> bool:
        """Join the source's live run or found a new one; True for the founder."""
        if self.run_id is None:
            fresh = uuid.uuid4().hex[:12]
            when = started.isoformat() if started else ""
            run_id, founded, dead = self._join(
                keys=[self.pointer],
                args=[fresh, self._source_prefix, self.worker, self.ttl_ms, when],
            )
            self.run_id, self.founder = _text(run_id), bool(int(founded))
            self.dead_rows = [int(_text(x)) for x in dead or []]
            logger.info(
                "%s: %s shared run %s as %s",
                self.source,
                "founded" if self.founder else "joined",
                self.run_id,
                self.worker,
            )
        return self.founder

    def heartbeat(self) -> None:
        if self.run_id is not None:
            self.server.set(self.key(f"hb:{self.worker}"), "1", px=self.ttl_ms)

    def push(self, data: bytes, priority: int) -> None:
        self._push(keys=[self.key("queue"), self.key("seq")], args=[priority, data])

    def pop(self) -> bytes | None:
        """The next request of the queue (serialised); this worker is busy from now."""
        data = self._pop(keys=[self.key("queue"), self.key("workers")], args=[self.worker])
        return cast(bytes | None, data)

    def idle_and_done(self) -> bool:
        """This worker has nothing in flight: say so, and tell whether the run is done."""
        if not self.done:
            keys = [self.key(k) for k in ("queue", "workers", "seeded", "done", "founder")]
            self.done = bool(self._idle(keys=keys, args=[self.worker, self.key("hb:")]))
        return self.done

    def started(self) -> datetime | None:
        """When the run's founder started: the start of the run's listing walks."""
        raw = self.server.get(self.key("started"))
        return datetime.fromisoformat(_text(raw)) if raw else None

    def seeded(self) -> None:
        """The founder has pushed every seed of the run."""
        self.server.set(self.key("seeded"), "1")

    def register_row(self, row_id: int) -> None:
        """This worker's ``crawl_runs`` row, closed as aborted if the worker dies."""
        self.server.hset(self.key("rows"), self.worker, str(row_id))

    def leave(self) -> tuple[bool, list[int]]:
        """This worker stops; the last one out of a finished run deletes its keys and
        gets the ``crawl_runs`` rows of the run's workers that died."""
        if self.run_id is None:
            return False, []
        result = self._leave(keys=[self.pointer], args=[self.run_id, self.key(""), self.worker])
        ended = bool(int(result[0]))
        return ended, [int(_text(x)) for x in (result[1] if ended else [])]

    # --- listing walks (see pressbot/frontier.py) --------------------------------------
    def publish_walks(self, walks: dict[str, Walk]) -> None:
        """The founder's reading of the walks, before its walk_started() changed them."""
        if not walks:
            return
        state = {
            start: json.dumps(
                {
                    "complete": w.complete,
                    "since": w.complete_since.isoformat() if w.complete_since else None,
                }
            )
            for start, w in walks.items()
        }
        pipe = self.server.pipeline()
        pipe.hset(self.key("walkstate"), mapping=state)
        pipe.sadd(self.key("walks"), *walks)
        pipe.execute()

    def walk(self, start: str) -> Walk | None:
        raw = self.server.hget(self.key("walkstate"), start)
        if raw is None:
            return None
        data = json.loads(_text(raw))
        since = datetime.fromisoformat(data["since"]) if data["since"] else None
        return Walk(start, bool(data["complete"]), since)

    def end_walk(self, start: str) -> bool:
        """True for the one worker that ends the walk (and records it)."""
        return bool(self.server.srem(self.key("walks"), start))


def redis_client(url: str) -> Any:
    from scrapy_redis.connection import get_redis

    # Short socket timeouts: a worker that lost Redis fails instead of hanging.
    return get_redis(url=url, socket_timeout=30, socket_connect_timeout=10)


def check_reachable(url: str) -> None:
    """Raise a one-line error unless the Redis at ``url`` answers."""
    from pressbot.errors import PressbotError
    from pressbot.redact import mask_url

    try:
        server = redis_client(url)
        server.ping()
        server.close()
    except Exception as exc:
        raise PressbotError(
            f"Redis at {mask_url(url)} unavailable, nothing was fetched: {exc}"
        ) from exc


class RedisAddon:
    """Switches the crawl to the shared scheduler when ``PRESSBOT_REDIS_URL`` is set
    (an add-on, so ``-s`` and ``pressbot crawl --redis`` count as well)."""

    def update_settings(self, settings: Settings) -> None:
        if not settings.get("PRESSBOT_REDIS_URL"):
            return
        settings.set("SCHEDULER", "pressbot.distributed.SharedScheduler", priority="spider")
        # Scrapy takes requests off the queue until CONCURRENT_REQUESTS are in its
        # downloader, most of them waiting for the site's politeness delay: taken
        # from the shared queue, they would wait there instead of going to an idle
        # worker (and die with a killed one). A source is one site, so a worker
        # takes twice what the site allows at once (a `-s` given by hand wins).
        per_site = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        settings.set("CONCURRENT_REQUESTS", max(2, 2 * per_site), priority="spider")


def _dupefilter(server: Any, key: str, crawler: Any) -> Any:
    from scrapy_redis.dupefilter import RFPDupeFilter

    class SharedDupeFilter(RFPDupeFilter):
        """scrapy-redis's filter on the crawler's own fingerprints (the canonical
        URL key, pressbot/fingerprint.py) instead of its private ones."""

        def request_fingerprint(self, request: Request) -> str:
            return cast(str, crawler.request_fingerprinter.fingerprint(request).hex())

    return SharedDupeFilter(server, key=key)


class SharedScheduler:
    """scrapy-redis's scheduler, adapted to Scrapy 2.19 and to runs that end.

    Adapter notes (scrapy-redis 0.9.1 on Scrapy 2.19): its scheduler builds a
    filter without ``from_spider`` with ``from_settings``, which Scrapy 2.19's
    filter no longer has, and passes ``spider=`` to the stats collector
    (deprecated: a warning per request); its filter fingerprints requests itself,
    not with ``REQUEST_FINGERPRINTER_CLASS``. This class keeps scrapy-redis's
    Redis queue (:class:`scrapy_redis.queue.PriorityQueue`, its pickle
    serialiser) and duplicate filter (:class:`~scrapy_redis.dupefilter.RFPDupeFilter`)
    and does the rest itself, so no deprecation warning is logged.
    """

    def __init__(self, crawler: Any, server: Any) -> None:
        self.crawler = crawler
        self.server = server
        settings = crawler.settings
        self.prefix = settings.get("PRESSBOT_REDIS_PREFIX") or "pressbot"
        self.ttl = settings.getfloat("PRESSBOT_REDIS_WORKER_TTL", 30.0)
        self.stats = crawler.stats
        self.run: SharedRun | None = None
        self.queue: Any = None
        self.df: Any = None
        self.spider: Any = None
        self._beat: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        url = crawler.settings.get("PRESSBOT_REDIS_URL")
        check_reachable(url)  # an unreachable Redis fails the start, before any request
        return cls(crawler, redis_client(url))

    def open(self, spider: Any) -> None:
        self.spider = spider
        source = getattr(spider, "source", None)
        key = source.key if source is not None else spider.name
        self.run = SharedRun(self.server, self.prefix, key, self.ttl)
        # The spider joins the run itself, in start(), once the run lock is held.
        spider.shared_run = self.run
        # Scrapy's engine looks for work every 5 s when it has none; the shared
        # queue may fill at any moment, and the run's end should be seen soon.
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = POLL_SECONDS
        self.crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    def _ensure_joined(self) -> SharedRun:
        assert self.run is not None
        if not self.run.joined:
            self.run.join()
        if self.queue is None:
            from scrapy_redis import picklecompat
            from scrapy_redis.queue import PriorityQueue

            self.queue = PriorityQueue(
                self.server, self.spider, self.run.key("queue"), serializer=picklecompat
            )
            self.df = _dupefilter(self.server, self.run.key("dupefilter"), self.crawler)
            source = getattr(self.spider, "source", None)
            if source is not None:
                self.stats.set_value(f"pressbot/{source.key}/shared_run", self.run.run_id)
            row = _run_row(self.crawler)
            if row is not None:
                self.run.register_row(row)
            self._abort(self.run.dead_rows)
            from twisted.internet import task

            self._beat = task.LoopingCall(self.run.heartbeat)
            self._beat.start(max(0.5, self.ttl / 3), now=False)
        return self.run

    def enqueue_request(self, request: Request) -> bool:
        run = self._ensure_joined()
        if not request.dont_filter and self.df.request_seen(request):
            self.stats.inc_value("scheduler/filtered/redis")
            return False
        run.push(self.queue._encode_request(request), request.priority)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        run = self._ensure_joined()
        data = run.pop()
        if data is None:
            return None
        self.stats.inc_value("scheduler/dequeued/redis")
        return cast(Request, self.queue._decode_request(data))

    def has_pending_requests(self) -> bool:
        """Asked by Scrapy's engine only when this worker has nothing in flight:
        "pending" until the whole run is done, so the worker waits for the others
        (whose responses may bring more work) instead of closing."""
        run = self._ensure_joined()
        if len(self.queue):
            return True
        return not run.idle_and_done()

    def __len__(self) -> int:
        return len(self.queue) if self.queue is not None else 0

    def close(self, reason: str) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()

    def _spider_closed(self, spider: Any, reason: str) -> None:
        # After the spider's own close handler (connected earlier), which reads
        # the open walks and so needs the run's keys.
        if self.run is not None and self.run.joined:
            try:
                ended, dead = self.run.leave()
            except Exception as exc:
                logger.error("%s: could not leave the shared run: %s", self.run.source, exc)
                return
            if ended:
                logger.info("%s: shared run %s ended", self.run.source, self.run.run_id)
                self._abort(dead)

    def _abort(self, rows: list[int]) -> None:
        """Close the ``crawl_runs`` rows of workers that died without a word, as a
        plain run closes its source's (pressbot/extensions.py)."""
        if not rows:
            return
        from sqlalchemy import update
        from sqlalchemy.orm import Session

        from pressbot.db.models import CrawlRunRow
        from pressbot.db.store import Store
        from pressbot.extensions import ABORTED

        try:
            with (
                Store(self.crawler.settings.get("PRESSBOT_DATABASE_URL")) as store,
                Session(store.engine) as s,
                s.begin(),
            ):
                s.execute(
                    update(CrawlRunRow)
                    .where(CrawlRunRow.id.in_(rows), CrawlRunRow.finished_at.is_(None))
                    .values(finished_at=datetime.now(UTC), finish_reason=ABORTED, status=ABORTED)
                )
            logger.warning(
                "%s: %d worker(s) of the shared run ended without finishing (killed?): "
                "marked aborted",
                self.run.source if self.run else "",
                len(rows),
            )
        except Exception as exc:
            logger.error("could not close the runs of dead workers %s: %s", rows, exc)


def _run_row(crawler: Any) -> int | None:
    """This crawl's ``crawl_runs`` row (written by pressbot.extensions.RunRecorder)."""
    from pressbot.extensions import RunRecorder

    manager = getattr(crawler, "extensions", None)
    for ext in getattr(manager, "middlewares", ()):
        if isinstance(ext, RunRecorder):
            return ext.run_id
    return None
