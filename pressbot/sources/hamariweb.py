"""HamariWeb news: an Urdu aggregator that reposts items from other outlets."""

from __future__ import annotations

from pressbot.sources import Hints, Source, register

SOURCE = register(
    Source(
        key="hamariweb",
        name="HamariWeb News (aggregator)",
        kind="aggregator",
        base_url="https://hamariweb.com",
        languages=("ur",),
        listings=("https://hamariweb.com/news/",),
        pagination=r"/news/page/\d+/$",
        feeds=("https://hamariweb.com/news/feed/",),
        article_pattern=r"^https?://(www\.)?hamariweb\.com/news/\d+/[^/?#]+/?$",
        extra_domains=("www.hamariweb.com",),
        hints=Hints(),
        notes=(
            "Aggregator layout (اشاعت کی تاریخ / ذریعہ / کلیدی لفظ labels, appended "
            "پڑھیں: articles, Post Views counter) as in the seed document; the URL "
            "paths are assumed, not checked from here."
        ),
    )
)
