"""Ministry of National Health Services, Regulations & Coordination."""

from __future__ import annotations

from pressbot.sources import Hints, Source, register

SOURCE = register(
    Source(
        key="nhsrc",
        name="Ministry of National Health Services, Regulations & Coordination",
        kind="ministry",
        base_url="https://www.nhsrc.gov.pk",
        languages=("ur", "en"),
        listings=("https://www.nhsrc.gov.pk/PressReleases.aspx",),
        pagination=r"/PressReleases\.aspx\?page=\d+$",
        sitemaps=("https://www.nhsrc.gov.pk/sitemap.xml",),
        article_pattern=r"/PressReleaseDetail\.aspx\?id=\d+$",
        extra_domains=("nhsrc.gov.pk",),
        hints=Hints(),
        notes="Base URL is the ministry's public site; paths not checked from here.",
    )
)
