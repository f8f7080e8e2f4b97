"""Daily Mumtaz: an Urdu news site on WordPress (RSS, Yoast sitemaps, category listings)."""

from __future__ import annotations

from pressbot.sources import Hints, Source, register

SOURCE = register(
    Source(
        key="daily_mumtaz",
        name="Daily Mumtaz",
        kind="news",
        base_url="https://dailymumtaz.com",
        languages=("ur",),
        listings=("https://dailymumtaz.com/category/pakistan/",),
        pagination=r"/category/pakistan/page/\d+/$",
        feeds=("https://dailymumtaz.com/feed/",),
        sitemaps=("https://dailymumtaz.com/sitemap_index.xml",),
        article_pattern=r"^https?://(www\.)?dailymumtaz\.com/\d{4}/\d{2}/\d{2}/[^/?#]+/?$",
        extra_domains=("www.dailymumtaz.com",),
        hints=Hints(
            body="//div[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
            prune=("//*[@id='respond']", "//*[contains(@class,'sharedaddy')]"),
        ),
        notes=(
            "Named as the original source of the aggregator seed (ذریعہ: Daily Mumtaz). "
            "WordPress paths (/feed/, /sitemap_index.xml, dated permalinks) are the "
            "platform's defaults; not checked against the live site from here."
        ),
    )
)
