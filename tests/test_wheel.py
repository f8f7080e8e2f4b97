"""The built wheel, installed in a fresh virtualenv outside the repository, runs on
its own: `pressbot --version`, `pressbot crawl --mirror` (the mirror ships inside
the package), `pressbot extract`, `scrapy list`; and it installs no top-level
`pipelines` package.

Slow (a build and a virtualenv; about half a minute): ``-m "not slow"`` leaves it
out. The new virtualenv gets pressbot from the wheel only; its dependencies come
from this interpreter's site-packages through a path file, which (unlike a site
directory) never runs this checkout's editable-install hook.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PRESSBOT_"))}
    return subprocess.run(
        args, cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        REPO,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (path,) = out.glob("pressbot-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("outside")
    env_dir = home / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], home)
    assert made.returncode == 0, made.stderr
    python = env_dir / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], home
        ).stdout.strip()
    )
    (site / "_deps.pth").write_text(sysconfig.get_path("purelib") + "\n", "utf-8")
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", str(wheel)],
        home,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-2000:]
    return {"home": home, "bin": env_dir / "bin", "python": python, "site": site}


def test_the_wheel_holds_pressbot_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"pressbot"}
    # Every module of the tree is in it (the package list in pyproject.toml is by hand).
    modules = {
        "pressbot/" + str(p.relative_to(REPO / "pressbot"))
        for p in (REPO / "pressbot").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    modules |= {"pressbot/pipelines/" + p.name for p in (REPO / "pipelines").glob("*.py")}
    assert modules <= set(names), sorted(modules - set(names))
    # And its data: the whole mirror, the browse page's files.
    data = {
        "pressbot/" + str(p.relative_to(REPO / "pressbot"))
        for folder in ("data/mirror", "browse/static")
        for p in (REPO / "pressbot" / folder).rglob("*")
        if p.is_file()
    }
    assert len(data) > 90
    assert data <= set(names), sorted(data - set(names))
    assert "pressbot/db/migrations/env.py" in names
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: MIT" in text
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_installed_pressbot_runs_outside_the_repository(venv: dict[str, Any]) -> None:
    home, bindir, python = venv["home"], venv["bin"], venv["python"]
    where = _run(
        [str(python), "-c",
         "import pressbot, pressbot.pipelines.store as s, importlib.util as u; "
         "print(pressbot.__file__); print(s.__file__); print(u.find_spec('pipelines'))"],
        home,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    lines = where.stdout.splitlines()
    assert all(line.startswith(str(venv["site"])) for line in lines[:2]), lines
    assert lines[2] == "None"  # no top-level `pipelines`

    version = _run([str(bindir / "pressbot"), "--version"], home)
    assert version.returncode == 0
    assert version.stdout.strip() == "pressbot 0.1.0"

    db = home / "p.db"
    crawl = _run(
        [
            str(bindir / "pressbot"),
            "crawl",
            "--mirror",
            "kp_police",
            "--database",
            f"sqlite:///{db}",
        ],
        home,
        PRESSBOT_DEADLETTER_PATH=str(home / "dead.jsonl"),
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    row = next(line for line in crawl.stdout.splitlines() if line.startswith("kp_police"))
    assert row.split()[1] == "ok" and int(row.split()[3]) > 0, row
    # Quiet at the default level: no settings dump, no Alembic lines.
    assert "Overridden settings" not in crawl.stderr
    assert "alembic" not in crawl.stderr

    page = (
        venv["site"] / "pressbot/data/mirror/day1/kppolice.gov.pk/press_release_detail.php@id=2309"
    )
    extract = _run(
        [str(bindir / "pressbot"), "extract", str(page), "--url",
         "https://kppolice.gov.pk/press_release_detail.php?id=2309"],
        home,
    )  # fmt: skip
    assert extract.returncode == 0, extract.stderr
    assert '"title":' in extract.stdout

    listed = _run(
        [str(python), "-m", "scrapy", "list"], home, SCRAPY_SETTINGS_MODULE="pressbot.settings"
    )
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert set(listed.stdout.split()) >= {"kp_police", "nhsrc", "daily_mumtaz", "hamariweb"}
