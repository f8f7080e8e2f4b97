"""What pressbot exposes on the machine it runs on: a crawl listens on nothing (no
remote-control server, no job file with its token) unless asked, and the mirror
server binds to loopback unless told otherwise.

Sockets are read from /proc (Linux): a process's socket inodes from
/proc/<pid>/fd, matched against /proc/<pid>/net/{tcp,tcp6,udp,udp6}.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from pressbot.mirror import MirrorServer, is_loopback
from pressbot.netguard import NetGuardAddon
from tests.conftest import MIRROR_ROOT, REPO

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/net/tcp").exists(), reason="reads sockets from Linux's /proc"
)


# --- reading sockets from /proc ----------------------------------------------------------
def _address(hex_address: str) -> str:
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    if len(raw) == 4:
        text = socket.inet_ntop(socket.AF_INET, raw[::-1])
    else:  # four 32-bit words, each in host (little-endian) order
        words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
        text = "[" + socket.inet_ntop(socket.AF_INET6, words) + "]"
    return f"{text}:{int(port, 16)}"


def _listening_table(pid: int) -> dict[int, str]:
    """inode -> "tcp 127.0.0.1:8080" for every listening TCP socket and every bound,
    unconnected UDP socket in ``pid``'s network namespace."""
    table: dict[int, str] = {}
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{proto}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], int(fields[9])
            if proto.startswith("tcp"):
                listening = state == "0A"  # TCP_LISTEN
            else:
                listening = not local.endswith(":0000") and remote.endswith(":0000")
            if listening:
                table[inode] = f"{proto} {_address(local)}"
    return table


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return inodes
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def _process_tree(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    tree = {root}
    grew = True
    while grew:
        children = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= children
        grew = bool(children)
    return tree


def listening_sockets(root: int) -> set[str]:
    """What ``root`` and its descendants listen on (TCP) or are bound to (UDP)."""
    table = _listening_table(root)
    found = set()
    for pid in _process_tree(root):
        found |= {table[i] for i in _socket_inodes(pid) if i in table}
    return found


# --- crawls ----------------------------------------------------------------------------
@dataclass
class Watched:
    listening: set[str] = field(default_factory=set)
    job_files: set[str] = field(default_factory=set)
    samples_while_fetching: int = 0
    returncode: int | None = None
    stderr: str = ""


def _watch_crawl(tmp_path: Path, mirror: MirrorServer, env: dict[str, str]) -> Watched:
    """Run `pressbot crawl --jobs 2` (a parent and two Scrapy children) against the
    slowed-down mirror and look at its sockets and the job-file directory while it
    runs."""
    state = tmp_path / "state"  # platformdirs' user_state_dir, where job files go
    jobs = state / "scrapy" / "job_files"
    err = tmp_path / "stderr.txt"
    cmd = [
        sys.executable, "-m", "pressbot.cli", "crawl", "kp_police", "nhsrc", "--jobs", "2",
        "--mirror-url", mirror.url, "--database", f"sqlite:///{tmp_path / 'c.db'}",
        "--log-level", "WARNING",
    ]  # fmt: skip
    # The defaults under test, whatever the developer's shell exports.
    inherited = {k: v for k, v in os.environ.items() if k != "PRESSBOT_REMOTE_CONTROL"}
    full_env = {
        **inherited,
        "XDG_STATE_HOME": str(state),
        "PRESSBOT_DEADLETTER_PATH": str(tmp_path / "dead.jsonl"),
        **env,
    }
    seen = Watched()
    with err.open("w") as stderr:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=full_env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        deadline = time.monotonic() + 240
        hits_at_sample = []
        while proc.poll() is None and time.monotonic() < deadline:
            hits_at_sample.append(len(mirror.hits))
            seen.listening |= listening_sockets(proc.pid)
            if jobs.is_dir():
                seen.job_files |= {p.name for p in jobs.iterdir()}
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        seen.returncode = proc.wait()
    # Samples taken after the first page was asked for and before the last one was.
    seen.samples_while_fetching = sum(1 for n in hits_at_sample if 0 < n < len(mirror.hits))
    seen.stderr = err.read_text()
    return seen


@pytest.fixture
def slow_mirror() -> MirrorServer:
    # Each answer takes 0.3 s, so the crawl lasts seconds and is watched while fetching.
    with MirrorServer(MIRROR_ROOT, delay=0.3) as server:
        yield server  # type: ignore[misc]


def test_crawl_listens_on_nothing_and_writes_no_job_file(
    tmp_path: Path, slow_mirror: MirrorServer
) -> None:
    seen = _watch_crawl(tmp_path, slow_mirror, {})
    assert seen.returncode == 0, seen.stderr[-3000:]
    assert seen.samples_while_fetching >= 10
    assert seen.listening == set()
    assert seen.job_files == set()
    assert not (tmp_path / "state").exists()


def test_remote_control_opt_in_listens_and_the_watch_sees_it(
    tmp_path: Path, slow_mirror: MirrorServer
) -> None:
    """The control for the test above: opted in, each Scrapy process listens on
    loopback and writes its job file -- and the same watch sees both."""
    seen = _watch_crawl(tmp_path, slow_mirror, {"PRESSBOT_REMOTE_CONTROL": "1"})
    assert seen.returncode == 0, seen.stderr[-3000:]
    assert seen.listening, "the remote-control server was not seen listening"
    assert all(s.startswith("tcp 127.0.0.1:") for s in seen.listening), seen.listening
    assert len(seen.job_files) >= 2  # one per crawling process at least
    # Removed when the crawl ends.
    assert list((tmp_path / "state" / "scrapy" / "job_files").glob("*.json")) == []


def test_remote_control_opt_in_as_a_setting() -> None:
    """`-s PRESSBOT_REMOTE_CONTROL=1` works like the environment variable; an explicit
    `-s REMOTE_CONTROL_ENABLED=0` still wins."""

    def enabled(**cmdline: str) -> bool:
        settings: Settings = get_project_settings()
        for name, value in cmdline.items():
            settings.set(name, value, priority="cmdline")
        NetGuardAddon().update_settings(settings)
        return settings.getbool("REMOTE_CONTROL_ENABLED")

    assert not enabled()
    assert enabled(PRESSBOT_REMOTE_CONTROL="1")
    assert not enabled(PRESSBOT_REMOTE_CONTROL="1", REMOTE_CONTROL_ENABLED="0")


# --- serve-mirror ----------------------------------------------------------------------------
def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pressbot.cli", "serve-mirror", "--port", "0", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    _out, err = proc.communicate(timeout=30)
    return err


def test_serve_mirror_binds_loopback_by_default() -> None:
    proc = _serve()
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        url = line.rsplit(" at ", 1)[1].strip()
        port = int(url.rsplit(":", 1)[1])
        assert url == f"http://127.0.0.1:{port}"
        assert listening_sockets(proc.pid) == {f"tcp 127.0.0.1:{port}"}
        with urllib.request.urlopen(url + "/kppolice.gov.pk/robots.txt", timeout=10) as r:
            assert r.status == 200
    finally:
        err = _stop(proc)
    assert "warning" not in err


def test_serve_mirror_host_option() -> None:
    """--host is honoured (IPv6 loopback here, no warning); a host that is not
    loopback is warned about on stderr before the server binds. The address used,
    in TEST-NET-3, belongs to no machine, so the test exposes nothing."""
    proc = _serve("--host", "::1")
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        port = int(line.rsplit(":", 1)[1])
        assert line.strip().endswith(f"at http://[::1]:{port}")
        assert listening_sockets(proc.pid) == {f"tcp6 [::1]:{port}"}
    finally:
        err = _stop(proc)
    assert "warning" not in err

    proc = _serve("--host", "203.0.113.77")
    try:
        _out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # a kernel that lets anyone bind any address
        err = _stop(proc)
    assert "warning: 203.0.113.77 is not a loopback address" in err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("myhost.example", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_mirror_server_refuses_other_hosts_unless_asked(tmp_path: Path) -> None:
    (tmp_path / "day1").mkdir()
    with pytest.raises(ValueError, match="loopback"):
        MirrorServer(tmp_path, host="0.0.0.0")
    with MirrorServer(tmp_path, host="::1") as server:
        assert server.url.startswith("http://[::1]:")
