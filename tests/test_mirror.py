from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pressbot.mirror import MirrorServer, file_for, to_mirror_url


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def test_url_mapping() -> None:
    assert (
        to_mirror_url("http://127.0.0.1:9/", "https://kppolice.gov.pk/a.php?id=2")
        == "http://127.0.0.1:9/kppolice.gov.pk/a.php?id=2"
    )


def test_day_overlay_and_query_files(tmp_path: Path) -> None:
    (tmp_path / "day1" / "x.pk" / "news").mkdir(parents=True)
    (tmp_path / "day1" / "x.pk" / "news" / "index.html").write_text("one")
    (tmp_path / "day1" / "x.pk" / "d.php@id=1").write_text("q1")
    (tmp_path / "day2" / "x.pk" / "news").mkdir(parents=True)
    (tmp_path / "day2" / "x.pk" / "news" / "index.html").write_text("two")
    assert file_for(tmp_path, 1, "x.pk", "/news/", "").read_text() == "one"  # type: ignore[union-attr]
    assert file_for(tmp_path, 2, "x.pk", "/news/", "").read_text() == "two"  # type: ignore[union-attr]
    assert file_for(tmp_path, 2, "x.pk", "/d.php", "id=1").read_text() == "q1"  # type: ignore[union-attr]
    assert file_for(tmp_path, 1, "x.pk", "/../../etc/passwd", "") is None
    assert file_for(tmp_path, 1, "x.pk", "/missing", "") is None


def test_a_link_out_of_the_site_folder_is_not_served(tmp_path: Path) -> None:
    (tmp_path / "day1" / "x.pk").mkdir(parents=True)
    (tmp_path / "day1" / "x.pk" / "in.html").write_text("in")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "day1" / "x.pk" / "out.html").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "day1" / "x.pk" / "up").symlink_to(tmp_path)
    assert file_for(tmp_path, 1, "x.pk", "/in.html", "") == tmp_path / "day1" / "x.pk" / "in.html"
    assert file_for(tmp_path, 1, "x.pk", "/out.html", "") is None
    assert file_for(tmp_path, 1, "x.pk", "/up/secret.txt", "") is None
    assert file_for(tmp_path, 1, "x.pk", "/%2e%2e/%2e%2e/secret.txt", "") is None
    # The site folder itself is no file, and a host that climbs is no site.
    assert file_for(tmp_path, 1, "x.pk", "/", "") is None
    assert file_for(tmp_path, 1, "..", "/secret.txt", "") is None


def test_server_serves_etags_and_404(tmp_path: Path) -> None:
    (tmp_path / "day1" / "x.pk").mkdir(parents=True)
    (tmp_path / "day1" / "x.pk" / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (tmp_path / "day1" / "x.pk" / "sitemap.xml").write_text("<urlset/>")
    with MirrorServer(tmp_path) as server:
        status, body, headers = _get(server.url + "/x.pk/robots.txt")
        assert status == 200 and body.startswith(b"User-agent")
        assert headers["Content-Type"].startswith("text/plain")
        status, _, _ = _get(server.url + "/x.pk/robots.txt", {"If-None-Match": headers["ETag"]})
        assert status == 304
        assert _get(server.url + "/x.pk/sitemap.xml")[2]["Content-Type"] == "application/xml"
        assert _get(server.url + "/x.pk/nothing")[0] == 404
        assert _get(server.url + "/other.pk/robots.txt")[0] == 404
        # Answered, not a server error that drops the connection.
        assert _get(server.url + "/x.pk/robots%00.txt")[0] == 404
        assert _get(server.url + "/x%00.pk/robots.txt")[0] == 404


def test_server_listens_on_loopback_only(tmp_path: Path) -> None:
    (tmp_path / "day1").mkdir()
    with pytest.raises(ValueError, match="loopback"):
        MirrorServer(tmp_path, host="0.0.0.0")


def test_a_burst_of_connections_waits_for_the_server_instead_of_being_dropped(
    tmp_path: Path,
) -> None:
    # Scrapy's connection pool opens connections in bursts (at two requests per site
    # it replaced one for most requests). A listen queue of five dropped the
    # SYNs beyond it, and each dropped one cost its request a one-second retry.
    (tmp_path / "day1" / "x.pk").mkdir(parents=True)
    (tmp_path / "day1" / "x.pk" / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    server = MirrorServer(tmp_path)  # listening, not yet accepting
    host, port = server.httpd.server_address[:2]
    clients: list[socket.socket] = []
    try:
        for _ in range(40):
            # Connected by the kernel while it queues the connection for accept();
            # a full queue drops the SYN and this times out.
            clients.append(socket.create_connection((host, port), timeout=0.5))
        server.start()
        for sock in clients:
            sock.sendall(b"GET /x.pk/robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        for sock in clients:
            sock.settimeout(5)
            assert sock.recv(64).startswith(b"HTTP/1.1 200")
    finally:
        for sock in clients:
            sock.close()
        server.stop()


def test_stopping_a_server_that_never_served_returns(tmp_path: Path) -> None:
    (tmp_path / "day1").mkdir()
    server = MirrorServer(tmp_path)
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(5)
    assert not stopper.is_alive()
