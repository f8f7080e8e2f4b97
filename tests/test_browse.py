"""`pressbot browse`: the crawled mirror in Datasette, read in a real headless browser
(Debian's Chromium through its chromedriver; no network, no downloaded driver).

With CI=true a missing Chromium fails these tests; elsewhere they are skipped.
"""

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from pressbot.browse.plugin import diff_html, fts_query, text_diff
from pressbot.mirror import MirrorServer
from tests.conftest import IN_CI, MIRROR_ROOT, REPO, SEEDS, crawl_mirror, pressbot
from tests.test_exposure import listening_sockets

UNDATED = SEEDS / "documents" / "000_81f2cbd8ab5f7e30.txt"  # its text states no date
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Where to keep the screenshots (to look at them); a temporary directory otherwise.
SHOTS = os.environ.get("PRESSBOT_BROWSE_SHOTS")
# Arabic letter forms for Urdu ones, as typed on a keyboard set to Arabic.
ARABIC = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"})


def _chromium_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is missing (apt-get install chromium chromium-driver; `make` does)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _chromium_missing()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    # Both paths given: Selenium Manager (which would download a driver) is not run.
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",  # root, in a container
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=1600,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass(frozen=True)
class Archive:
    db: str  # SQLAlchemy URL
    name: str  # Datasette's name for it (the file's stem)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """The mirror crawled on day 1 and day 2 (an updated release: two versions), and
    a seed document whose text states no date."""
    tmp = tmp_path_factory.mktemp("archive")
    db = f"sqlite:///{tmp / 'pressbot.db'}"
    for day in (1, 2):
        with MirrorServer(MIRROR_ROOT, day=day, port=0) as server:
            crawl_mirror(server.url, db, tmp)
    ingest = pressbot("ingest", "--text", str(UNDATED), "--database", db)
    assert ingest.returncode == 0, ingest.stderr
    return Archive(db, "pressbot")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read().decode("utf-8")


@pytest.fixture(scope="module")
def site(archive: Archive) -> Iterator[str]:
    """`pressbot browse` on a free loopback port, until the module's tests are done."""
    port = _free_port()
    command = ["browse", "--database", archive.db, "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "pressbot.cli", *command],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(base + "/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"pressbot browse did not start: {proc.communicate()[1]}")
            time.sleep(0.2)
        # Loopback only, as every server pressbot starts.
        assert listening_sockets(proc.pid) == {f"tcp 127.0.0.1:{port}"}
        yield base
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert "warning" not in err
    assert "Traceback" not in err, err


def _rows(url: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(_get(url)[1])
    return data


def _all(db: str, sql: str) -> list[Any]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def _one(db: str, sql: str) -> Any:
    (row,) = _all(db, sql)
    return row


def _shot(driver: Any, tmp_path: Path, name: str) -> Path:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000  # a page, not an empty frame
    return path


def _click_and_wait(driver: Any, element: Any) -> None:
    """Click a link or submit button and return once the next page has replaced this one.

    A click only starts the navigation: reading rows straight after it can read the old
    page (seen in CI as an empty result list for a search that matches).
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


# --- in the browser -----------------------------------------------------------------
def test_a_story_with_its_copies_reads_right_to_left(
    browser: Any, site: str, archive: Archive, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    cluster, size, canonical = _one(
        archive.db,
        "SELECT id, size, canonical_record_id FROM clusters WHERE size >= 2 ORDER BY id LIMIT 1",
    )
    urls = {u for (u,) in _all(archive.db, f"SELECT url FROM records WHERE cluster_id = {cluster}")}
    browser.get(f"{site}/{archive.name}/story?cluster={cluster}")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) == size >= 2
    # Every copy is listed, the canonical record first, each linking to its versions.
    assert {r.find_element(By.CSS_SELECTOR, "td.col-url").text for r in rows} == urls
    first = rows[0].find_element(By.CSS_SELECTOR, "td.col-record a")
    assert first.text == str(canonical)
    assert "/versions?record=" in (first.get_attribute("href") or "")
    assert rows[0].find_element(By.CSS_SELECTOR, "td.col-canonical").text == "yes"
    # Urdu cells read right to left; URLs stay left to right.
    title = rows[0].find_element(By.CSS_SELECTOR, "td.col-title")
    body = rows[0].find_element(By.CSS_SELECTOR, "td.col-body")
    assert any("\u0600" <= ch <= "\u06ff" for ch in title.text)
    style = "return getComputedStyle(arguments[0]).direction"
    assert title.get_attribute("dir") == "auto"  # browse.js: from the cell's first letter
    assert browser.execute_script(style, title) == "rtl"
    assert browser.execute_script(style, body) == "rtl"
    url_cell = rows[0].find_element(By.CSS_SELECTOR, "td.col-url")
    assert browser.execute_script(style, url_cell) == "ltr"
    # Everything the page loaded came from the server on loopback.
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)"
    )
    assert loaded and all(url.startswith(site + "/") for url in loaded), loaded
    assert any(url.endswith("/browse.css") for url in loaded)
    _shot(browser, tmp_path, "story")


def test_search_typed_with_arabic_letter_forms_finds_the_urdu_record(
    browser: Any, site: str, archive: Archive, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/{archive.name}/search")
    box = browser.find_element(By.CSS_SELECTOR, "form.sql input[name=q]")
    query = "ڈینگی کیسز".translate(ARABIC)
    assert query == "ڈينگي كيسز"
    box.send_keys(query)
    _click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.sql input[type=submit]"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert rows, browser.page_source[:2000]
    assert urllib.parse.unquote(browser.current_url).endswith(f"q={query}".replace(" ", "+"))
    top = rows[0]
    assert "ڈینگی" in top.find_element(By.CSS_SELECTOR, "td.col-title").text
    assert top.find_element(By.CSS_SELECTOR, "td.col-source").text == "nhsrc"
    assert top.find_element(By.CSS_SELECTOR, "td.col-copies").text == "2"
    story = top.find_element(By.CSS_SELECTOR, "td.col-story a")
    assert "/story?cluster=" in (story.get_attribute("href") or "")
    _shot(browser, tmp_path, "search")
    # The story link opens its page.
    _click_and_wait(browser, story)
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")) == 2


def test_versions_of_an_updated_release_show_what_changed(
    browser: Any, site: str, archive: Archive, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    (record,) = _one(archive.db, "SELECT id FROM records WHERE version > 1 ORDER BY id LIMIT 1")
    browser.get(f"{site}/{archive.name}/versions?record={record}")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert [r.find_element(By.CSS_SELECTOR, "td.col-version").text for r in rows] == ["1", "2"]
    diff = rows[1].find_element(By.CSS_SELECTOR, "td.col-diff pre.pressbot-diff")
    assert diff.find_elements(By.TAG_NAME, "ins")
    style = "return getComputedStyle(arguments[0]).direction"
    assert browser.execute_script(style, diff) == "rtl"
    _shot(browser, tmp_path, "versions")


# --- over HTTP ----------------------------------------------------------------------
def test_latest_per_source_and_facets(site: str, archive: Archive) -> None:
    rows = _rows(f"{site}/{archive.name}/latest.json?_shape=array")
    assert {r["source"] for r in rows} == {"daily_mumtaz", "hamariweb", "kp_police", "nhsrc"}
    for source in {r["source"] for r in rows}:
        dates = [r["published_at"] for r in rows if r["source"] == source]
        assert dates == sorted(dates, reverse=True)
        assert len(dates) <= 10
    table = json.loads(_get(f"{site}/{archive.name}/records.json?_size=1")[1])
    assert set(table["facet_results"]) == {"source", "kind", "language"}
    assert table["human_description_en"] == "sorted by published_at descending"
    # Index tables are out of the way.
    tables = json.loads(_get(f"{site}/{archive.name}.json")[1])["tables"]
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert {"records_fts", "records_fts_data", "lsh_bands", "records_tsv"} <= hidden


def test_the_plugin_is_loaded(site: str) -> None:
    plugins = json.loads(_get(f"{site}/-/plugins.json")[1])
    ours = next(p for p in plugins if p["name"] == "pressbot.browse.plugin")
    assert set(ours["hooks"]) == {"prepare_connection", "render_cell"}


def test_records_without_a_date(site: str, archive: Archive) -> None:
    """The undated seed document is listed, with the extractor's reason."""
    rows = _rows(f"{site}/{archive.name}/undated.json?_shape=array")
    assert len(rows) == 1
    assert rows[0]["url"] == UNDATED.resolve().as_uri()
    assert rows[0]["why"]


def test_the_archive_is_read_only(site: str, archive: Archive) -> None:
    """Datasette's connections are read-only: a write that passes its check of the
    SQL (a statement starting with WITH) is refused by SQLite."""
    (before,) = _one(archive.db, "SELECT count(*) FROM records")
    sql = urllib.parse.quote("WITH x AS (SELECT 1) DELETE FROM records")
    try:
        _status, body = _get(f"{site}/{archive.name}.json?sql={sql}")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode()
    assert "readonly" in body
    assert _one(archive.db, "SELECT count(*) FROM records") == (before,)


# --- the command --------------------------------------------------------------------
def test_browse_refuses_what_datasette_cannot_open(tmp_path: Path) -> None:
    pg = pressbot("browse", "--database", "postgresql+psycopg://postgres@127.0.0.1/x")
    assert pg.returncode == 2
    assert "SQLite databases only" in pg.stderr
    missing = pressbot("browse", "--database", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.returncode == 2
    assert "no database at" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_browse_warns_about_a_host_that_is_not_loopback(tmp_path: Path) -> None:
    """The address, in TEST-NET-3, belongs to no machine: the bind fails, nothing is
    exposed, and the warning came first."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert pressbot("db", "upgrade", "--database", db).returncode == 0
    result = pressbot("browse", "--database", db, "--host", "203.0.113.77", "--port", "0")
    assert "warning: 203.0.113.77 is not a loopback address" in result.stderr
    assert result.returncode == 2, result.stderr


def test_busy_port_is_a_usage_error(tmp_path: Path, archive: Archive) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = pressbot("browse", "--database", archive.db, "--port", str(port))
    assert result.returncode == 2
    assert f"port {port} is in use" in result.stderr


# --- the plugin's functions ---------------------------------------------------------
def test_fts_query_folds_and_an_empty_query_matches_nothing() -> None:
    assert fts_query("پوليس  كے") == '"پولیس" "کے"'
    assert fts_query("") == fts_query(None) == fts_query("؟") == '""'


def test_text_diff_is_by_sentence() -> None:
    old = "پشاور پولیس نے 45 افراد گرفتار کیے۔ اسلحہ برآمد ہوا۔\n\nتفتیش جاری ہے۔"
    new = "پشاور پولیس نے 47 افراد گرفتار کیے۔ اسلحہ برآمد ہوا۔\n\nتفتیش جاری ہے۔"
    diff = text_diff(old, new)
    assert diff is not None
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "---+++"]
    assert changed == [
        "-پشاور پولیس نے 45 افراد گرفتار کیے۔",
        "+پشاور پولیس نے 47 افراد گرفتار کیے۔",
    ]
    assert text_diff(None, new) is None
    assert text_diff(old, old) == ""
    html = diff_html(diff + "\n+<script>")
    assert "<del>پشاور پولیس نے 45" in html and "<ins>&lt;script&gt;</ins>" in html
