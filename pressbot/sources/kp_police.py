"""Khyber Pakhtunkhwa Police: bilingual press releases (English title, Urdu body)."""

from __future__ import annotations

from pressbot.sources import Hints, Source, register

SOURCE = register(
    Source(
        key="kp_police",
        name="Khyber Pakhtunkhwa Police",
        kind="police",
        base_url="https://kppolice.gov.pk",
        languages=("ur", "en"),
        listings=("https://kppolice.gov.pk/press_releases.php",),
        pagination=r"/press_releases\.php\?page=\d+$",
        article_pattern=r"/press_release_detail\.php\?id=\d+$",
        hints=Hints(
            prune=(
                "//*[@id='header' or @id='footer' or @id='sidebar']",
                "//*[contains(@class,'navbar') or contains(@class,'menu')]",
            ),
            slogans=("Our Faith, Corruption Free Pakistan/ہمارا ایمان کرپشن سے پاک پاکستان",),
        ),
        notes=(
            "Base URL is the force's public site. The listing and detail paths follow "
            "the shape of its press-release pages as captured in the seed document; "
            "not checked against the live site from here."
        ),
    )
)
