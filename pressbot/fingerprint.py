"""Request fingerprints on the canonical URL key, so Scrapy's duplicate filter and
the stored records agree on what "the same page" is (tracking parameters, AMP and
print variants, http/https and www. all fold to one)."""

from __future__ import annotations

import hashlib
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request

from pressbot.urls import url_key


class CanonicalFingerprinter:
    def __init__(self) -> None:
        self._cache: WeakKeyDictionary[Request, bytes] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Any) -> CanonicalFingerprinter:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        if request not in self._cache:
            h = hashlib.sha1()
            h.update(request.method.encode())
            h.update(url_key(request.url).encode())
            h.update(request.body or b"")
            self._cache[request] = h.digest()
        return self._cache[request]
