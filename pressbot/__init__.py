"""pressbot: crawl, clean, deduplicate and store Urdu and bilingual press releases."""

from __future__ import annotations

__version__ = "0.1.0"
