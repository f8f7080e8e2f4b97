"""One spider per registered source, so `scrapy list` and `scrapy crawl <key>` work
without a class per site."""

from __future__ import annotations

from pressbot.sources import all_sources
from pressbot.spiders.base import SourceSpider

SPIDERS: dict[str, type[SourceSpider]] = {}

for _source in all_sources():
    _cls = type(
        "".join(part.title() for part in _source.key.split("_")) + "Spider",
        (SourceSpider,),
        {
            "name": _source.key,
            "source": _source,
            "allowed_domains": list(_source.domains),
            "__module__": __name__,
            "__doc__": f"Crawls {_source.name} ({_source.base_url}).",
        },
    )
    SPIDERS[_source.key] = _cls
    globals()[_cls.__name__] = _cls

# The loop variables would make Scrapy's loader see the last class twice.
del _cls, _source
