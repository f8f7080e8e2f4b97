"""Scrapyd: a real `scrapyd` on a free loopback port, the project egg deployed with
`scrapyd-deploy` (scrapyd-client) as a user deploys it, a crawl of one source
scheduled through Scrapyd's HTTP API against the mirror, and its records found in
PostgreSQL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pressbot.mirror import MirrorServer
from pressbot.urls import url_key
from tests.conftest import IN_CI, REPO
from tests.crawling import runs
from tests.test_e2e import _records

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=5) as r:
        data: dict[str, Any] = json.loads(r.read())
        return data


def _post(url: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    body = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=body, timeout=10) as r:
        data: dict[str, Any] = json.loads(r.read())
        return data


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    """A Scrapyd on a free loopback port, its eggs, logs and queues in a temp dir."""
    if not (BIN / "scrapyd").exists() or not (BIN / "scrapyd-deploy").exists():
        reason = "scrapyd and scrapyd-client are not installed (pip install -e '.[dev]')"
        if IN_CI:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "items_dir =\n"
        "max_proc = 1\n"
        "poll_interval = 0.2\n",
        "utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOT_")}
    proc = subprocess.Popen(
        [str(BIN / "scrapyd"), "--nodaemon", "--pidfile=", "--logfile", str(home / "scrapyd.log")],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(url + "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert proc.poll() is None, (home / "scrapyd.log").read_text("utf-8")[-2000:]
            assert time.monotonic() < deadline, "scrapyd did not start"
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_crawl_scheduled_through_scrapyd_lands_in_postgresql(
    scrapyd: str, pg_url: str, mirror: MirrorServer, manifest: dict[str, Any], tmp_path: Path
) -> None:
    # Deploy as a user does: a named target in the user's scrapy.cfg, the project
    # (pressbot) from the repository's.
    config = tmp_path / "config"
    config.mkdir()
    (config / "scrapy.cfg").write_text(f"[deploy:loopback]\nurl = {scrapyd}\n", "utf-8")
    deployed = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "loopback", "--version", "r1"],
        cwd=REPO,
        env={**os.environ, "XDG_CONFIG_HOME": str(config)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert deployed.returncode == 0, deployed.stderr[-2000:]
    assert json.loads(deployed.stdout)["status"] == "ok", deployed.stdout
    spiders = _get(scrapyd + "listspiders.json?project=pressbot")["spiders"]
    assert spiders == ["daily_mumtaz", "hamariweb", "kp_police", "nhsrc"]

    job = _post(
        scrapyd + "schedule.json",
        [
            ("project", "pressbot"),
            ("spider", "nhsrc"),
            ("setting", f"PRESSBOT_MIRROR={mirror.url}"),
            ("setting", f"PRESSBOT_DATABASE_URL={pg_url}"),
            ("setting", f"PRESSBOT_DEADLETTER_PATH={tmp_path / 'dead.jsonl'}"),
        ],
    )
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 120
    while True:
        jobs = _get(scrapyd + "listjobs.json?project=pressbot")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.3)

    expected = {
        url_key(a["url"]) for a in manifest["articles"] if a["source"] == "nhsrc" and 1 in a["days"]
    }
    assert set(_records(pg_url)) == expected
    [run] = runs(pg_url, "nhsrc")
    assert run.status == "ok", (run.status, run.counts)
