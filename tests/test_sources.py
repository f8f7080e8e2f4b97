from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressbot.docs import BEGIN, END, sources_table
from pressbot.sources import Source, all_sources, for_url, get, register
from pressbot.spiders.sources import SPIDERS
from tests.conftest import MIRROR_ROOT, REPO


def test_four_sources_one_per_kind() -> None:
    kinds = sorted(s.kind for s in all_sources())
    assert kinds == ["aggregator", "ministry", "news", "police"]


def test_every_source_has_a_spider_named_by_its_key() -> None:
    assert sorted(SPIDERS) == sorted(s.key for s in all_sources())
    for key, cls in SPIDERS.items():
        assert cls.name == key
        assert cls.source is get(key)


def test_registry_refuses_a_second_declaration() -> None:
    existing = all_sources()[0]
    with pytest.raises(ValueError, match="declared twice"):
        register(existing)
    clone = Source(
        key="someone_else",
        name="x",
        kind="news",
        base_url=existing.base_url,
        languages=("ur",),
        article_pattern=r"/\d+",
        listings=(existing.base_url,),
    )
    with pytest.raises(ValueError, match="already belongs"):
        register(clone)


def test_declaration_is_checked() -> None:
    with pytest.raises(ValueError, match="kind"):
        Source(
            key="x",
            name="x",
            kind="blog",
            base_url="https://x.pk",  # type: ignore[arg-type]
            languages=("ur",),
            article_pattern="x",
            listings=("https://x.pk/",),
        )
    with pytest.raises(ValueError, match="at least one"):
        Source(
            key="x",
            name="x",
            kind="news",
            base_url="https://x.pk",
            languages=("ur",),
            article_pattern="x",
        )


def test_unknown_source_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="kp_police"):
        get("nope")


def test_for_url_and_article_patterns() -> None:
    kp = get("kp_police")
    assert for_url("https://kppolice.gov.pk/press_release_detail.php?id=7") is kp
    assert kp.is_article("https://kppolice.gov.pk/press_release_detail.php?id=7")
    assert not kp.is_article("https://kppolice.gov.pk/press_releases.php?page=2")
    assert for_url("https://nhsrc.gov.pk/PressReleaseDetail.aspx?id=1") is get("nhsrc")
    assert for_url("https://example.org/") is None


def test_every_source_has_mirror_fixtures() -> None:
    for s in all_sources():
        host_dir = MIRROR_ROOT / "day1" / s.domains[0]
        assert (host_dir / "robots.txt").is_file(), s.key
        pages = [p for p in host_dir.rglob("*") if p.is_file()]
        articles = [
            p
            for p in pages
            if s.is_article(
                "https://"
                + s.domains[0]
                + "/"
                + str(p.relative_to(host_dir)).replace("@", "?").removesuffix("index.html")
            )
        ]
        assert len(articles) >= 6, (s.key, len(articles))


def test_readme_sources_table_is_current() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    m = re.search(re.escape(BEGIN) + ".*?" + re.escape(END), readme, re.DOTALL)
    assert m, "README.md lacks the generated sources table"
    assert m.group(0) == sources_table(), "run `pressbot sources --markdown` and paste it"


def test_readme_settings_table_is_current() -> None:
    from pressbot.docs import SETTINGS_BEGIN, SETTINGS_END, settings_table

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    start = readme.index(SETTINGS_BEGIN)
    end = readme.index(SETTINGS_END) + len(SETTINGS_END)
    assert readme[start:end] == settings_table(), "paste pressbot.docs.settings_table()"
