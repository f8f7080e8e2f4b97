"""Spiders: crawl strategy only (listings, feeds, sitemaps). One per declared source,
generated from the registry in :mod:`pressbot.spiders.sources`."""
