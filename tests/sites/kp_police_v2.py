"""A redesign of the KP Police release page, as a versioned page class.

The imagined 2026 layout puts the headline in ``<h2 class="pr-v2__title">`` below a
generic "Press Release" ``<h1>``, and a promotion box with long text beside the
release inside the content column. The new class subclasses the generic page and
overrides only those two things; :meth:`fits` recognises the new layout, so pages
archived before the redesign are still read by the generic page and their golden
records do not move.
"""

from __future__ import annotations

from functools import cached_property

from lxml import etree
from lxml.html import HtmlElement

from pressbot.extract.html import block_text
from pressbot.extract.page import MainText, Page

_V2 = etree.XPath("//div[contains(concat(' ', normalize-space(@class), ' '), ' pr-v2 ')]")
_TITLE = etree.XPath("string(//h2[@class='pr-v2__title'])")
_BODY = etree.XPath("//div[@class='pr-v2__body']")


class KpPoliceV2(Page):
    @classmethod
    def fits(cls, tree: HtmlElement, url: str) -> bool:
        return bool(_V2(tree))

    def title(self) -> str:
        """The redesign's headline element, then the generic fallbacks."""
        found = " ".join(str(_TITLE(self.html)).split())
        return found or super().title()

    @cached_property
    def main(self) -> MainText:
        """The release's own container: the promotion box beside it is not text."""
        found = _BODY(self.pruned)
        if not found:
            return super().main
        return MainText(block_text(found[0]), [], [])
