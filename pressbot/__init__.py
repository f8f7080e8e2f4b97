"""pressbot: crawl, clean, deduplicate and store Urdu and bilingual press releases."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    # One place for the version: pyproject.toml, as the installed metadata has it.
    __version__ = version("pressbot")
except PackageNotFoundError:  # a checkout run without installing it
    __version__ = "0+unknown"
