from __future__ import annotations

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


def test_server_listens_on_loopback_only(tmp_path: Path) -> None:
    (tmp_path / "day1").mkdir()
    with pytest.raises(ValueError, match="loopback"):
        MirrorServer(tmp_path, host="0.0.0.0")
