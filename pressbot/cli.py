"""`pressbot` console entry point."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pressbot.errors import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_SIGINT,
    EXIT_USAGE,
    PressbotError,
    UsageError,
)
from pressbot.files import open_new


def _print_json(obj: Any, *, pretty: bool) -> None:
    text = json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None, sort_keys=pretty)
    sys.stdout.write(text + "\n")


def _iso(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid ISO 8601 date: {text!r} (e.g. 2025-06-01 or 2025-06-01T08:00+05:00)"
        ) from None


def _iso_date(text: str) -> datetime:
    """argparse type of --since and the like: ISO 8601, UTC unless an offset is given."""
    value = _iso(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _fetched_at(text: str) -> datetime:
    """argparse type of --fetched-at: relative dates resolve against it, so the local
    time it means must be stated."""
    value = _iso(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} needs a UTC offset (e.g. 2025-06-01T12:00+05:00)"
        )
    return value


def _database_url(args: argparse.Namespace) -> str:
    from pressbot import settings

    return args.database or settings.PRESSBOT_DATABASE_URL


# --- crawl --------------------------------------------------------------------------
def cmd_crawl(args: argparse.Namespace) -> int:
    from pressbot.crawl import crawl_settings, format_summary, run_crawl
    from pressbot.mirror import DEFAULT_ROOT, MirrorServer
    from pressbot.sources import iter_keys

    if args.worker_of is not None:
        _die_with_parent(args.worker_of)
    sources = args.sources or list(iter_keys())
    unknown = [key for key in sources if key not in set(iter_keys())]
    if unknown:
        raise UsageError(
            f"unknown source(s): {', '.join(unknown)} (known: {', '.join(iter_keys())})"
        )
    overrides: dict[str, Any] = {}
    if args.database:
        overrides["PRESSBOT_DATABASE_URL"] = args.database
    if args.log_level:
        overrides["LOG_LEVEL"] = args.log_level
    if args.max_minutes is not None:
        overrides["PRESSBOT_MAX_MINUTES"] = str(args.max_minutes)
    for item in args.set or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-s {item!r}: expected NAME=VALUE")
        overrides[name] = value
    if args.mirror_url:
        overrides["PRESSBOT_MIRROR"] = args.mirror_url
    if args.redis:
        overrides["PRESSBOT_REDIS_URL"] = args.redis
    spider_args: dict[str, str] = {}
    if args.refresh:
        spider_args["refresh"] = "1"
    if args.retry_failed:
        spider_args["retry_failed"] = "1"
    if args.max_pages is not None:
        spider_args["max_pages"] = str(args.max_pages)
    database = _check_crawl_settings(overrides)
    _quiet_logs(args, overrides)
    if args.worker_of is None:
        # Connect and migrate once, here: workers then start on a current schema,
        # and an unreachable database stops the run before any request is sent.
        _open_database(database)
        redis_url = crawl_settings(overrides).get("PRESSBOT_REDIS_URL")
        if redis_url:
            from pressbot.distributed import check_reachable

            check_reachable(redis_url)
    server = None
    if args.mirror:
        server = MirrorServer(Path(args.mirror_root or DEFAULT_ROOT), day=args.mirror_day).start()
        overrides["PRESSBOT_MIRROR"] = server.url
        print(
            f"serving the bundled mirror (day {args.mirror_day}) at {server.url}", file=sys.stderr
        )
    try:
        if args.jobs > 1 and len(sources) > 1:
            result = _crawl_in_processes(sources, args.jobs, overrides, spider_args)
        else:
            result = run_crawl(sources, overrides, spider_args)
    finally:
        if server is not None:
            server.stop()
    if args.summary_json:
        Path(args.summary_json).write_text(
            json.dumps(
                {"signum": result.signum, "summaries": [asdict(x) for x in result.summaries]}
            ),
            "utf-8",
        )
        return result.exit_code
    print(format_summary(result.summaries))
    dead = sum(s.deadletter for s in result.summaries)
    if dead:
        print(
            f"\n{dead} record(s) could not be stored and were kept in the dead-letter "
            "file; run `pressbot replay` once the database is back.",
            file=sys.stderr,
        )
    return result.exit_code


def _check_crawl_settings(overrides: dict[str, Any]) -> str:
    """Every setting checked before a request is sent; returns the database URL."""
    from pressbot import config
    from pressbot.crawl import crawl_settings

    settings = crawl_settings(overrides)
    problems = config.check(settings.get)
    problems += _check_scrapy_overrides(settings, overrides)
    if problems:
        raise UsageError("bad setting(s): " + "; ".join(problems))
    dead = Path(settings.get("PRESSBOT_DEADLETTER_PATH"))
    try:
        from pressbot.files import make_dirs

        make_dirs(dead.parent)
        _check_writable(str(dead))
    except (OSError, UsageError) as exc:
        raise UsageError(f"dead-letter file {dead} is not writable: {exc}") from None
    url: str = settings.get("PRESSBOT_DATABASE_URL")
    return url


def _quiet_logs(args: argparse.Namespace, overrides: dict[str, Any]) -> None:
    """Scrapy's start-up chatter and Alembic's INFO lines only with --debug or at
    LOG_LEVEL DEBUG; warnings and errors always."""
    from pressbot.crawl import crawl_settings
    from pressbot.logformat import quiet

    level = str(crawl_settings(overrides).get("LOG_LEVEL") or "").upper()
    quiet(not args.debug and level != "DEBUG")


def _check_scrapy_overrides(settings: Any, overrides: dict[str, Any]) -> list[str]:
    """``-s NAME=VALUE`` of Scrapy's own typed settings, converted as Scrapy will."""
    from scrapy.settings import default_settings

    problems = []
    for name in overrides:
        default = getattr(default_settings, name, None)
        getter = {bool: settings.getbool, int: settings.getint, float: settings.getfloat}.get(
            type(default)
        )
        if getter is None:
            continue
        try:
            getter(name)
        except (TypeError, ValueError) as exc:
            problems.append(f"{name}={settings.get(name)!r}: {exc}")
    return problems


def _open_database(url: str) -> None:
    from pressbot.db.store import Store
    from pressbot.redact import mask_url

    try:
        Store(url).close()
    except Exception as exc:
        raise PressbotError(
            f"database {mask_url(url)} unavailable, nothing was fetched: {_one_line(exc)}"
        ) from exc


def _die_with_parent(parent: int) -> None:
    """A --jobs worker ends with its parent: SIGTERM when the parent dies (Linux), so
    a killed `pressbot crawl` never leaves workers crawling into the next run."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the parent's own signal forwarding still applies
    if os.getppid() != parent:
        # The parent died before the line above took effect.
        raise PressbotError("the parent process is gone")


def _crawl_in_processes(
    sources: list[str], jobs: int, overrides: dict[str, Any], spider_args: dict[str, str]
) -> Any:
    """Crawl the sources in ``jobs`` processes (one Scrapy process keeps one core
    busy; extraction is CPU-bound), sharing the database; one summary per source.

    Workers stay in this process's group, die with it, and receive the signals it
    receives; settings reach them through the environment (a database password in
    a command line is visible to every user of the machine)."""
    import signal
    import subprocess
    import tempfile

    from pressbot.crawl import CrawlResult, SourceSummary

    groups = [sources[i::jobs] for i in range(jobs) if sources[i::jobs]]
    env = dict(os.environ)
    settings: list[str] = []
    for name, value in overrides.items():
        if name.startswith("PRESSBOT_"):
            env[name] = str(value)
        else:
            settings += ["-s", f"{name}={value}"]
    flags = [f"--{name.replace('_', '-')}" for name, v in spider_args.items() if v == "1"]
    if "max_pages" in spider_args:
        flags += ["--max-pages", spider_args["max_pages"]]
    received: list[int] = []
    procs: list[tuple[subprocess.Popen[bytes], Path, list[str]]] = []

    def _forward(signum: int, _frame: Any) -> None:
        received.append(signum)
        for proc, _, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signum)

    previous = {s: signal.signal(s, _forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n, group in enumerate(groups):
                out = Path(tmp) / f"{n}.json"
                cmd = [
                    sys.executable,
                    "-m",
                    "pressbot.cli",
                    "crawl",
                    *group,
                    *settings,
                    *flags,
                    "--summary-json",
                    str(out),
                    "--worker-of",
                    str(os.getpid()),
                ]
                procs.append((subprocess.Popen(cmd, env=env), out, group))
            summaries = []
            for proc, out, group in procs:
                code = proc.wait()
                if out.exists():
                    data = json.loads(out.read_text("utf-8"))
                    summaries += [SourceSummary(**d) for d in data["summaries"]]
                    if data.get("signum") and not received:
                        received.append(int(data["signum"]))
                else:
                    summaries += [
                        SourceSummary.not_started(key, f"worker exited with {code}")
                        for key in group
                    ]
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    order = {key: i for i, key in enumerate(sources)}
    summaries.sort(key=lambda x: order[x.source])
    return CrawlResult(summaries, received[0] if received else None)


# --- extract ------------------------------------------------------------------------
def _extract_one(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    from pressbot.extract import extract_html, extract_text
    from pressbot.ingest import load_file
    from pressbot.items import record_to_json
    from pressbot.sources import get

    source = get(args.source) if args.source else None
    url = args.url or path.resolve().as_uri()
    page = load_file(path, text=args.text)
    extract = extract_text if args.text else extract_html
    return record_to_json(extract(page, url, fetched_at=args.fetched_at, source=source))


def _why(exc: Exception) -> str:
    """A file's failure in a few words: the reason it was refused, or the error."""
    from pressbot.ingest import Refused

    if isinstance(exc, Refused):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}"


def cmd_extract(args: argparse.Namespace) -> int:
    if args.source:
        from pressbot.sources import get

        try:
            get(args.source)
        except KeyError as exc:
            print(f"pressbot extract: {exc.args[0]}", file=sys.stderr)
            return EXIT_USAGE
    files = [Path(f) for f in args.files]
    if len(files) == 1:
        try:
            _print_json(_extract_one(files[0], args), pretty=True)
        except Exception as exc:  # one line per file, whatever the page made fail
            print(f"pressbot extract: {files[0]}: {_why(exc)}", file=sys.stderr)
            return EXIT_FAIL
        return EXIT_OK
    failed = 0
    for path in files:
        try:
            row = {"file": str(path), **_extract_one(path, args)}
        except Exception as exc:  # the other files still get their rows
            failed += 1
            row = {"file": str(path), "error": _why(exc)}
        _print_json(row, pretty=False)
    return EXIT_FAIL if failed == len(files) else EXIT_OK


def _warn_if_exposed(command: str, host: str, what: str) -> None:
    """A server bound to a non-loopback address is readable by anyone who can reach it."""
    from pressbot.mirror import is_loopback

    if not is_loopback(host):
        print(
            f"pressbot {command}: warning: {host} is not a loopback address; "
            f"anyone who can reach it can read {what}",
            file=sys.stderr,
            flush=True,
        )


# --- serve-mirror -------------------------------------------------------------------
def cmd_serve_mirror(args: argparse.Namespace) -> int:
    from pressbot.mirror import DEFAULT_ROOT, MirrorServer

    _warn_if_exposed("serve-mirror", args.host, "the mirror")
    try:
        server = MirrorServer(
            Path(args.root or DEFAULT_ROOT),
            day=args.day,
            host=args.host,
            port=args.port,
            verbose=args.verbose,
            allow_non_loopback=True,
        )
    except FileNotFoundError as exc:  # --root without a mirror in it
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {args.port} is in use; choose another with --port (0 takes a free one)"
            ) from exc
        raise UsageError(f"cannot listen on port {args.port}: {exc.strerror or exc}") from exc
    print(f"serving {args.root or DEFAULT_ROOT} (day {args.day}) at {server.url}", flush=True)
    print(f"crawl it with: PRESSBOT_MIRROR={server.url} scrapy crawl <source>", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return EXIT_OK


# --- sources, summary ---------------------------------------------------------------
def cmd_sources(args: argparse.Namespace) -> int:
    from pressbot.sources import all_sources

    if args.markdown:
        from pressbot.docs import sources_table

        print(sources_table())
        return EXIT_OK
    for s in all_sources():
        starts = len(s.listings) + len(s.feeds) + len(s.sitemaps)
        print(f"{s.key:14} {s.kind:10} {s.base_url:30} {starts} start point(s)  {s.name}")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from pressbot.db.models import RecordRow
    from pressbot.db.store import Store
    from pressbot.redact import mask_url

    url = _database_url(args)
    with Store.read_only(url) as store, Session(store.engine) as s:
        rows = s.execute(
            select(
                RecordRow.source,
                func.count(),
                func.count(RecordRow.published_at),
                func.min(RecordRow.published_at),
                func.max(RecordRow.published_at),
            )
            .group_by(RecordRow.source)
            .order_by(RecordRow.source)
        ).all()
    print(f"database: {mask_url(url)}")
    print(f"{'source':14} {'records':>7} {'dated':>6}  published (UTC)")
    for source, n, dated, first, last in rows:
        span = f"{first:%Y-%m-%d} .. {last:%Y-%m-%d}" if first and last else "-"
        print(f"{source or '-':14} {n:7d} {dated:6d}  {span}")
    print(f"{'total':14} {sum(r[1] for r in rows):7d}")
    return EXIT_OK


# --- search ---------------------------------------------------------------------------
def cmd_search(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from pressbot.db.search import EmptyQuery, parse_query, search
    from pressbot.db.store import Store

    text = " ".join(args.query)
    try:
        query = parse_query(text)
    except EmptyQuery as exc:
        raise UsageError(str(exc)) from None
    with Store.read_only(_database_url(args)) as store:
        hits = search(store.engine, query, sources=args.source, limit=args.limit)
    if not hits:
        # Standard output stays empty for a program reading JSON Lines.
        print(f"no match for {text!r}", file=sys.stderr if args.json else sys.stdout)
        return EXIT_OK
    # Dates as the publishers' readers see them (stored in UTC).
    local = ZoneInfo("Asia/Karachi")
    for hit in hits:
        if args.json:
            row = asdict(hit)
            row["published_at"] = hit.published_at.isoformat() if hit.published_at else None
            _print_json(row, pretty=False)
            continue
        day = f"{hit.published_at.astimezone(local):%Y-%m-%d}" if hit.published_at else "undated"
        print(f"{hit.rank:3d}. {hit.title}")
        print(f"     {hit.source or '-'}  {day}  copies: {hit.copies}  {hit.url}")
    return EXIT_OK


# --- browse -------------------------------------------------------------------------
def cmd_browse(args: argparse.Namespace) -> int:
    from pressbot.browse import serve

    _warn_if_exposed("browse", args.host, "the archive")
    serve(_database_url(args), host=args.host, port=args.port, open_browser=args.open)
    return EXIT_OK


# --- ingest, replay, reextract ------------------------------------------------------
def _chain_overrides(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if getattr(args, "database", None):
        overrides["PRESSBOT_DATABASE_URL"] = args.database
    if getattr(args, "deadletter", None):
        overrides["PRESSBOT_DEADLETTER_PATH"] = args.deadletter
    return overrides


def _print_outcomes(what: str, outcomes: dict[str, int], dropped: dict[str, int]) -> None:
    order = ("new", "updated", "unchanged", "exact_duplicate", "near_duplicate", "deadletter")
    parts = [f"{name.replace('_', ' ')} {outcomes.get(name, 0)}" for name in order]
    parts += [f"dropped {reason} {n}" for reason, n in sorted(dropped.items())]
    print(f"{what}: " + ", ".join(parts))


def cmd_ingest(args: argparse.Namespace) -> int:
    from pressbot.ingest import Chain, Problem, iter_saved, to_record
    from pressbot.progress import Progress
    from pressbot.sources import get

    try:
        source = get(args.source) if args.source else None
    except KeyError as exc:
        print(f"pressbot ingest: {exc.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    problems = 0
    read = 0
    with (
        Chain(_chain_overrides(args)) as chain,
        Progress("ingest", enabled=not args.no_progress) as bar,
    ):
        saved_pages = iter_saved([Path(p) for p in args.paths], text=args.text, url=args.url)
        for saved in bar.iter(saved_pages):
            if isinstance(saved, Problem):
                problems += 1
                print(f"pressbot ingest: {saved.origin}: {saved.reason}", file=sys.stderr)
                continue
            read += 1
            try:
                chain.process(to_record(saved, source, args.fetched_at))
            except Exception as exc:  # one page's failure is reported; the rest go on
                problems += 1
                print(f"pressbot ingest: {saved.origin}: {_why(exc)}", file=sys.stderr)
        outcomes = chain.close()
        dropped = dict(chain.dropped)
    _print_outcomes(f"ingested {read} page(s)", outcomes, dropped)
    if problems:
        print(f"{problems} input(s) refused or unreadable (see above)", file=sys.stderr)
    return EXIT_FAIL if outcomes.get("deadletter") or problems else EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    from pressbot.replay import replay
    from pressbot.settings import PRESSBOT_DEADLETTER_PATH

    path = Path(args.file or PRESSBOT_DEADLETTER_PATH)
    result = replay(
        path,
        _database_url(args),
        any_database=args.any_database,
        overrides=_chain_overrides(args),
        progress=not args.no_progress,
    )
    if result is None:
        print(f"nothing to replay: {path} does not exist")
        return EXIT_OK
    _print_outcomes(f"replayed {result.records} record(s)", result.outcomes, result.dropped)
    if result.pages:
        print(f"replayed {result.pages} archived page(s): {result.archived} stored")
    for line in result.problems(path):
        print(line, file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAIL


def cmd_reextract(args: argparse.Namespace) -> int:
    from pressbot.reextract import ALL, Shard, reextract

    if args.worker_of is not None:
        _die_with_parent(args.worker_of)
    shard = Shard.parse(args.shard) if args.shard else ALL
    if args.jobs > 1:
        if args.shard:
            raise UsageError("--shard and --jobs: give one (--jobs N runs shards 1/N .. N/N)")
        return _reextract_in_processes(args)
    result = reextract(
        _chain_overrides(args),
        sources=args.source or None,
        since=args.since,
        shard=shard,
        warn=lambda line: print(f"pressbot reextract: {line}", file=sys.stderr),
        progress=not args.no_progress,
        # --jobs workers share one terminal: plain lines, never a redrawn one.
        progress_tty=False if args.worker_of is not None else None,
    )
    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(asdict(result)), "utf-8")
    what = f"re-extracted {result.pages} archived page(s)"
    if shard != ALL:
        what += f" (shard {shard})"
    _print_outcomes(what, result.outcomes, result.dropped)
    print(f"records changed: {result.outcomes.get('updated', 0)}")
    return EXIT_FAIL if result.outcomes.get("deadletter") else EXIT_OK


def _reextract_in_processes(args: argparse.Namespace) -> int:
    """``--jobs N``: shards 1/N .. N/N in N processes (extraction is CPU-bound), the
    totals summed. Workers die with this process and receive its signals; the
    database URL reaches them through the environment, not a command line."""
    import signal
    import subprocess
    import tempfile
    from collections import Counter

    env = dict(os.environ)
    env.update({k: str(v) for k, v in _chain_overrides(args).items()})
    flags: list[str] = []
    for key in args.source or []:
        flags += ["--source", key]
    if args.since:
        flags += ["--since", args.since.isoformat()]
    procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def _forward(signum: int, _frame: Any) -> None:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signum)

    previous = {s: signal.signal(s, _forward) for s in (signal.SIGINT, signal.SIGTERM)}
    outcomes: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    pages = 0
    failed = 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(1, args.jobs + 1):
                out = Path(tmp) / f"{n}.json"
                cmd = [
                    sys.executable, "-m", "pressbot.cli", "reextract", *flags,
                    "--shard", f"{n}/{args.jobs}", "--summary-json", str(out),
                    "--worker-of", str(os.getpid()),
                    *(["--no-progress"] if args.no_progress else []),
                ]  # fmt: skip
                procs.append((subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL), out))
            for proc, out in procs:
                code = proc.wait()
                if code not in (EXIT_OK, EXIT_FAIL) or not out.exists():
                    failed += 1
                    print(f"pressbot reextract: a worker exited with {code}", file=sys.stderr)
                    continue
                data = json.loads(out.read_text("utf-8"))
                pages += data["pages"]
                outcomes.update(data["outcomes"])
                dropped.update(data["dropped"])
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    _print_outcomes(
        f"re-extracted {pages} archived page(s) in {args.jobs} shards", outcomes, dropped
    )
    print(f"records changed: {outcomes.get('updated', 0)}")
    return EXIT_FAIL if failed or outcomes.get("deadletter") else EXIT_OK


def cmd_warc(args: argparse.Namespace) -> int:
    import zlib

    from pressbot.db.store import Store
    from pressbot.ingest import write_warc
    from pressbot.progress import Progress

    _check_writable(args.output)
    with (
        Store.read_only(_database_url(args)) as store,
        Progress("warc", enabled=not args.no_progress) as bar,
    ):
        pages = (
            (p.url, p.status, p.headers, zlib.decompress(p.body_z), p.fetched_at)
            for p in bar.iter(store.latest_pages(args.source or None, args.since))
        )
        n = write_warc(Path(args.output), pages)
    print(f"wrote {n} response(s) to {args.output}")
    return EXIT_OK


def cmd_health(args: argparse.Namespace) -> int:
    from pressbot.db.store import Store
    from pressbot.health import boilerplate_report, check_runs

    with Store.read_only(_database_url(args)) as store:
        if args.boilerplate:
            rows = boilerplate_report(store, args.boilerplate, args.min_share)
            print(
                f"lines on >= {args.min_share:.0%} of archived {args.boilerplate} pages "
                "(share, stored bodies containing it):"
            )
            for line, share, leaks in rows[: args.limit]:
                flag = "  <- in stored bodies" if leaks else ""
                print(f"  {share:4.0%} {leaks:4d}  {line}{flag}")
            return EXIT_FAIL if any(leaks for _, _, leaks in rows) else EXIT_OK
        findings = check_runs(store)
    for f in findings:
        print(f"{f.severity:7} {f.source:14} {f.message}")
    if not findings:
        print("all sources look healthy")
    return EXIT_FAIL if any(f.severity == "error" for f in findings) else EXIT_OK


# --- export, db ---------------------------------------------------------------------
def _check_writable(path: str) -> None:
    """Refuse an output file that cannot be written, before any work is done."""
    target = Path(path)
    existed = target.exists()
    try:
        # Opening is the only test that holds for root, read-only mounts and ACLs alike.
        with open_new(target, "ab"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if not existed:
        # Another process may have made and removed it meanwhile (`crawl --jobs 2`
        # checks from each worker at once): gone is what this wanted.
        target.unlink(missing_ok=True)


def cmd_export(args: argparse.Namespace) -> int:
    from pressbot.db.store import Store
    from pressbot.export import LastSeq, iter_rows, write_csv, write_jsonl, write_parquet
    from pressbot.progress import Progress

    if args.format == "parquet" and not args.output:
        print("pressbot export: Parquet needs --output FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.output:
        _check_writable(args.output)
    rows_on_tty = not args.output and sys.stdout.isatty()
    last = LastSeq()
    with (
        Store.read_only(_database_url(args)) as store,
        # Not when the rows themselves go to the terminal: the two would interleave.
        Progress("export", unit="records", enabled=not args.no_progress and not rows_on_tty) as bar,
    ):
        rows = last(
            iter_rows(
                store.engine,
                sources=args.source or None,
                since=args.since,
                published_since=args.published_since,
                since_seq=args.since_seq,
                include_duplicates=args.include_duplicates,
            )
        )
        rows = bar.iter(rows)
        if args.format == "parquet":
            n = write_parquet(rows, args.output)
        else:
            writer = write_jsonl if args.format == "jsonl" else write_csv
            if args.output:
                with open_new(args.output, "w", encoding="utf-8", newline="") as fh:
                    n = writer(rows, fh)
            else:
                n = writer(rows, sys.stdout)
    upto = f", up to change_seq {last.value}" if last.value is not None else ""
    print(f"exported {n} record(s){upto}", file=sys.stderr)
    return EXIT_OK


def cmd_db(args: argparse.Namespace) -> int:
    from pressbot.db import migrate
    from pressbot.db.store import make_engine

    engine = make_engine(_database_url(args))
    try:
        if args.action == "upgrade":
            migrate.upgrade(engine, args.revision)
            print(f"database at revision {migrate.current(engine)}")
        else:
            cur = migrate.current(engine)
            print(
                f"{cur or 'empty (no migrations applied)'}"
                + (" (head)" if cur == migrate.head() else f" (head is {migrate.head()})")
            )
    finally:
        engine.dispose()
    return EXIT_OK


# --- parser ---
def _positive(kind: Any) -> Any:
    """An argparse type: a number above zero."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above zero, got {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _non_negative_int(text: str) -> int:
    """An argparse type: a whole number, zero or above (a change_seq to start after)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or above, got {text}")
    return value


def _version() -> str:
    from pressbot import __version__

    return __version__


def _database_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database",
        metavar="URL",
        help="SQLAlchemy URL (default: $PRESSBOT_DATABASE_URL or sqlite:///data/pressbot.db)",
    )


def _fetched_at_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--fetched-at",
        type=_fetched_at,
        metavar="ISO",
        help="fetch time, for relative dates (with offset)",
    )


def _progress_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress line (default: one updating line on a terminal, "
        "a line every 10 s otherwise, on standard error)",
    )


def _source_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", action="append", metavar="KEY", help="only this source (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pressbot",
        description="Crawl, clean, deduplicate and store Urdu and bilingual press releases.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="print tracebacks of errors (default: one line)"
    )
    parser.add_argument("--version", action="version", version=f"pressbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "crawl",
        help="crawl sources into the database",
        description="Crawl the given sources (all by default) and print a "
        "summary per source. Exits 1 if any record had to be dead-lettered.",
    )
    p.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="source keys (see `pressbot sources`)"
    )
    p.add_argument(
        "--database",
        metavar="URL",
        help="SQLAlchemy URL (default: $PRESSBOT_DATABASE_URL or sqlite:///data/pressbot.db)",
    )
    p.add_argument(
        "--mirror",
        action="store_true",
        help="serve the bundled offline mirror on a free loopback port and crawl it",
    )
    p.add_argument(
        "--mirror-url", metavar="URL", help="crawl a running mirror (pressbot serve-mirror)"
    )
    p.add_argument(
        "--mirror-day", type=int, default=1, metavar="N", help="mirror day to serve (default 1)"
    )
    p.add_argument("--mirror-root", metavar="DIR", help=argparse.SUPPRESS)
    p.add_argument(
        "--jobs",
        "-j",
        type=_positive(int),
        default=1,
        metavar="N",
        help="crawl in N processes (sources split between them; default 1)",
    )
    p.add_argument(
        "--redis",
        metavar="URL",
        help="share each source's crawl with other workers through this Redis "
        "(default: $PRESSBOT_REDIS_URL; see README, Redis mode)",
    )
    p.add_argument("--summary-json", metavar="FILE", help=argparse.SUPPRESS)
    p.add_argument("--worker-of", type=int, metavar="PID", help=argparse.SUPPRESS)
    p.add_argument(
        "--refresh",
        action="store_true",
        help="fetch every article again, even those already stored",
    )
    p.add_argument(
        "--max-minutes",
        type=_positive(float),
        metavar="M",
        help="time budget of the run: it ends after M minutes, counted (exit 1); "
        "unfinished work is left to the next run (default: $PRESSBOT_MAX_MINUTES, none)",
    )
    p.add_argument(
        "--max-pages",
        type=_positive(int),
        metavar="N",
        help="listing pages walked per listing in this run (default: the source's horizon); "
        "what lies deeper is walked by the next run",
    )
    p.add_argument(
        "--retry-failed",
        action="store_true",
        help="try again the articles given up after too many failed tries",
    )
    p.add_argument(
        "--log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="Scrapy log level (default INFO, or $PRESSBOT_LOG_LEVEL)",
    )
    p.add_argument(
        "-s",
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="override a Scrapy setting (repeatable)",
    )
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser(
        "extract",
        help="print the record for saved pages",
        description="Extract records from saved HTML pages (or plain text with "
        "--text). One file: an indented JSON object. Several: JSON Lines, one "
        "object per file with a `file` key (`error` if it failed).",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--url", help="the page's URL (default: the file's file:// URI)")
    p.add_argument(
        "--source", metavar="KEY", help="source whose hints to use (default: from the URL)"
    )
    p.add_argument("--text", action="store_true", help="the files are plain text, not HTML")
    _fetched_at_option(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "serve-mirror",
        help="serve the offline mirror (on loopback unless --host)",
        description="Serve the bundled mirror of the sources for offline crawls.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; a warning if not loopback)",
    )
    p.add_argument("--port", type=int, default=8765, help="port (0 = any free port; default 8765)")
    p.add_argument("--day", type=int, default=1, help="mirror day (default 1)")
    p.add_argument(
        "--root", help="mirror directory (default: the bundled one, pressbot/data/mirror)"
    )
    p.add_argument("--verbose", action="store_true", help="log every request")
    p.set_defaults(func=cmd_serve_mirror)

    p = sub.add_parser(
        "sources", help="list the declared sources", description="List the sources in the registry."
    )
    p.add_argument("--markdown", action="store_true", help="print the README table")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser(
        "summary",
        help="count stored records per source",
        description="Print how many records the database holds per source.",
    )
    _database_option(p)
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser(
        "search",
        help="full-text search of titles and bodies, one hit per story",
        description="Search stored titles and bodies. The query is folded as stored "
        "text is for matching (Arabic letter forms, digits, diacritics, punctuation); "
        'every word must match, and a passage in double quotes ("...") is a phrase. '
        "One hit per story, best first: its canonical record (or its best-matching "
        "one), with the number of records that carry the story. Exits 0 with "
        '"no match" when nothing matches.',
    )
    p.add_argument("query", nargs="+", metavar="QUERY", help="words to look for")
    _source_option(p)
    p.add_argument(
        "--limit", type=_positive(int), default=20, metavar="N", help="hits shown (default 20)"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per hit (JSON Lines)")
    _database_option(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "browse",
        help="read the archive in Datasette (SQLite)",
        description="Serve the SQLite database in Datasette (pip install "
        "'pressbot[browse]'), read-only, with canned queries (latest releases per "
        "source, search, a story with its copies, the versions of a record, records "
        "without a date), facets and right-to-left Urdu. Until interrupted.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; a warning if not loopback)",
    )
    p.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    p.add_argument("--open", action="store_true", help="open it in the web browser")
    _database_option(p)
    p.set_defaults(func=cmd_browse)

    p = sub.add_parser(
        "ingest",
        help="store saved pages, text files or WARCs",
        description="Run saved HTML pages (files or directories), plain-text "
        "files (--text, or *.txt) and WARC files through the same extract, "
        "normalise, dedup and store path as a crawl.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--source", metavar="KEY", help="source of the pages (default: from the URL)")
    p.add_argument("--text", action="store_true", help="treat files as plain text")
    p.add_argument("--url", help="URL of the page (one file only; default: its file:// URI)")
    _fetched_at_option(p)
    _database_option(p)
    p.add_argument("--deadletter", metavar="FILE", help="dead-letter file")
    _progress_option(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "replay",
        help="store the records kept in the dead-letter file",
        description="Store records that earlier runs could not; idempotent. "
        "What fails again goes back to the dead-letter file.",
    )
    p.add_argument("--file", help="dead-letter file (default: $PRESSBOT_DEADLETTER_PATH)")
    p.add_argument(
        "--any-database",
        action="store_true",
        help="also store entries recorded for another database (kept in the file otherwise)",
    )
    _database_option(p)
    _progress_option(p)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser(
        "reextract",
        help="rebuild records from the raw archive",
        description="Extract every archived page again with the current "
        "extractor (no network) and store the results; prints how many "
        "records changed.",
    )
    _source_option(p)
    p.add_argument(
        "--since", type=_iso_date, metavar="DATE", help="only pages fetched since DATE (ISO 8601)"
    )
    p.add_argument(
        "--shard",
        metavar="I/N",
        help="only shard I of N (pages split by a hash of their URL key): N machines, "
        "each with its own I, re-extract one archive together; rerunning is safe",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_positive(int),
        default=1,
        metavar="N",
        help="run shards 1/N .. N/N in N processes (default 1)",
    )
    _progress_option(p)
    p.add_argument("--summary-json", metavar="FILE", help=argparse.SUPPRESS)
    p.add_argument("--worker-of", type=int, metavar="PID", help=argparse.SUPPRESS)
    _database_option(p)
    p.set_defaults(func=cmd_reextract)

    p = sub.add_parser(
        "export",
        help="write stored records as JSON Lines, CSV or Parquet",
        description="Stream stored records, one row per story (its canonical "
        "record) unless --include-duplicates.",
    )
    p.add_argument("--format", choices=["jsonl", "csv", "parquet"], default="jsonl")
    p.add_argument("--output", "-o", metavar="FILE", help="output file (default: standard output)")
    _source_option(p)
    p.add_argument(
        "--since",
        type=_iso_date,
        metavar="TIME",
        help="records stored or changed at or after TIME (a date or an ISO 8601 time; "
        "UTC unless it has an offset or Z)",
    )
    p.add_argument(
        "--published-since", type=_iso_date, metavar="DATE", help="records published since DATE"
    )
    p.add_argument(
        "--since-seq",
        type=_non_negative_int,
        metavar="N",
        help="the change feed: records inserted or changed after change_seq N, in feed "
        "order (stderr tells the last value, where the next poll starts)",
    )
    p.add_argument(
        "--include-duplicates",
        action="store_true",
        help="every record, with its cluster_id and is_canonical",
    )
    _database_option(p)
    _progress_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "warc",
        help="write the raw archive as a WARC file",
        description="Write the newest archived response of each page as a "
        "gzipped WARC file (readable by `pressbot ingest` and other tools).",
    )
    p.add_argument("output", metavar="FILE", help="output file (.warc.gz)")
    _source_option(p)
    p.add_argument("--since", type=_iso_date, metavar="DATE", help="only pages fetched since DATE")
    _database_option(p)
    _progress_option(p)
    p.set_defaults(func=cmd_warc)

    p = sub.add_parser(
        "health",
        help="spot sources whose site changed",
        description="Compare each source's last crawl with its earlier ones "
        "(listings without article links, jumps in dropped or undated "
        "records, errors); exits 1 on an error. With --boilerplate SOURCE, "
        "list lines repeated on most archived pages of that source and how "
        "many stored bodies still carry them.",
    )
    p.add_argument("--boilerplate", metavar="SOURCE", help="repeated-line report for a source")
    p.add_argument("--min-share", type=float, default=0.6, help="share of pages (default 0.6)")
    p.add_argument("--limit", type=int, default=30, help="lines to show (default 30)")
    _database_option(p)
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("db", help="schema migrations", description="Database schema migrations.")
    dbsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = dbsub.add_parser("upgrade", help="apply migrations", description="Apply migrations.")
    q.add_argument("revision", nargs="?", default="head")
    _database_option(q)
    q = dbsub.add_parser(
        "current",
        help="show the applied revision",
        description="Show the database's schema revision.",
    )
    _database_option(q)
    p.set_defaults(func=cmd_db)
    for command in sub.choices.values():
        # `pressbot crawl --debug` as well as `pressbot --debug crawl`.
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def _one_line(exc: BaseException) -> str:
    """An exception as one line, with any database password masked."""
    from pressbot.redact import redact

    text = " ".join(str(exc).split()) or type(exc).__name__
    return redact(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Errors end as one line on stderr and the documented exit
    code (README, "Exit codes"); ``--debug`` adds the traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "pressbot.settings")
    prog = f"pressbot {args.command}"
    try:
        result: int = args.func(args)
    except PressbotError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"{prog}: {_one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_SIGINT
    except BrokenPipeError:
        # The reader went away (`pressbot export | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        print(
            f"{prog}: {type(exc).__name__}: {_one_line(exc)} (run with --debug for details)",
            file=sys.stderr,
        )
        return _exit_code_for(exc)
    return result


def _exit_code_for(exc: Exception) -> int:
    """Configuration mistakes that surface as library errors are usage errors."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if isinstance(exc, ArgumentError | NoSuchModuleError):
        return EXIT_USAGE
    return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
