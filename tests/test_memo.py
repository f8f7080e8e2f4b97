"""Line caches: bounded in bytes as well as entries, and answering as the function does."""

from __future__ import annotations

from pressbot.extract.clean import is_boilerplate, line_key
from pressbot.text.memo import LONG_CHARS, SHORT_CHARS, line_cache


def test_lines_go_to_the_cache_for_their_length() -> None:
    calls: list[str] = []

    @line_cache(4, long_entries=2)
    def upper(line: str, suffix: str = "") -> str:
        calls.append(line)
        return line.upper() + suffix

    short, long, huge = "a" * SHORT_CHARS, "b" * (SHORT_CHARS + 1), "c" * (LONG_CHARS + 1)
    for _ in range(3):
        assert upper(short) == short.upper()
        assert upper(long, "!") == long.upper() + "!"
        assert upper(huge) == huge.upper()
    # Short and long lines are computed once; a line over LONG_CHARS every time.
    assert calls == [short, long, huge, huge, huge]
    short_info, long_info = upper.cache_info()  # type: ignore[attr-defined]
    assert (short_info.currsize, long_info.currsize) == (1, 1)
    # The long cache holds few entries: paragraphs do not fill the big one.
    for n in range(5):
        upper("d" * (SHORT_CHARS + 2 + n))
    assert upper.cache_info()[1].currsize == 2  # type: ignore[attr-defined]
    assert upper.cache_info()[0].currsize == 1  # type: ignore[attr-defined]
    assert upper(line="e") == "E"  # by keyword: answered, not cached
    assert upper.cache_info()[0].currsize == 1  # type: ignore[attr-defined]
    upper.cache_clear()  # type: ignore[attr-defined]
    assert [i.currsize for i in upper.cache_info()] == [0, 0]  # type: ignore[attr-defined]


def test_cached_line_functions_answer_as_before() -> None:
    paragraph = "پشاور پولیس نے شہر میں سرچ اینڈ سٹرائیک آپریشن کیا۔ " * 12
    assert len(paragraph) > SHORT_CHARS
    uncached = line_key.__wrapped__  # type: ignore[attr-defined]
    assert line_key(paragraph) == line_key(paragraph) == uncached(paragraph)
    assert line_key("Go To Top") == "go to top"
    assert is_boilerplate("Go To Top") and not is_boilerplate(paragraph)
    assert is_boilerplate("Post Views: 1", frozenset())


def test_pages_of_one_source_share_one_set_of_slogan_keys() -> None:
    from pressbot.extract.html import parse_html
    from pressbot.extract.page import Page
    from pressbot.sources import get

    source = get("kp_police")
    html = "<html><body><p>Our Faith, Corruption Free Pakistan</p><p>متن</p></body></html>"
    url = "https://kppolice.gov.pk/press_release_detail.php?id=1"
    first, second = (Page(parse_html(html), url, source=source).options for _ in range(2))
    # One object, not an equal copy per page: cached is_boilerplate answers key on it.
    assert first.slogans is second.slogans
    assert first.slogans == frozenset(line_key(s) for s in source.hints.slogans)
