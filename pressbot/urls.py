"""URL canonicalisation: one spelling per page, for storage keys and request dedup.

Two forms:
- :func:`canonical_url` is a clean, working URL (tracking parameters, fragments,
  default ports, AMP and print variants removed); it is what records show.
- :func:`url_key` further folds http/https and ``www.``, so the same page reached
  either way has one key. It is the stored unique key and the request fingerprint.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Parameters that identify a campaign, a click or a session, never a page.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "cmpid", "ito", "ocid",
        "sessionid", "phpsessid", "jsessionid", "sid", "share", "amp", "print",
        "output", "outputtype", "noamp", "s_cid", "spm",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "mtm_", "__")
# Values of these mean "the printable/AMP rendering of the same page".
_VARIANT_PARAM_VALUES = {"amp": None, "print": None, "output": {"amp", "print"}}
_AMP_PATH = re.compile(r"/(amp|print)/?$", re.IGNORECASE)
_AMP_HOST = re.compile(r"^(amp|m)\.", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _clean_path(path: str) -> str:
    path = _AMP_PATH.sub("/", path) or "/"
    # Re-quote consistently so %D8%A7 and a raw Urdu slug compare equal.
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
    return re.sub(r"/{2,}", "/", path)


def _clean_query(query: str) -> str:
    kept = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        low = name.lower()
        if low in _TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES):
            continue
        kept.append((name, value))
    kept.sort()
    return urlencode(kept, doseq=True)


# The spider, the fingerprinter and the store ask about a URL within a few thousand
# URLs of one another; a crawl's URLs are otherwise new, and fill a cache as it
# runs. 8,192 entries cover those repeats in about 2.5 MB per cache; 65,536 entries
# of 70-character URLs hold 20 MB each.
_URL_CACHE: Final = 1 << 13


@lru_cache(maxsize=_URL_CACHE)
def canonical_url(url: str) -> str:
    """A clean, still-working spelling of ``url``. (Cached: the spider, the store and
    the fingerprinter ask for the same URLs again and again.)"""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "https").lower()
    if scheme not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    host = _AMP_HOST.sub("", host) if host.count(".") >= 2 else host
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, _clean_path(parts.path), _clean_query(parts.query), ""))


@lru_cache(maxsize=_URL_CACHE)
def url_key(url: str) -> str:
    """The identity of a page: canonical URL with scheme and ``www.`` folded."""
    parts = urlsplit(canonical_url(url))
    if parts.scheme not in ("http", "https"):
        return url.strip()
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, parts.query, ""))


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one site (ignoring www. and scheme)."""
    ha = (urlsplit(a).hostname or "").removeprefix("www.")
    hb = (urlsplit(b).hostname or "").removeprefix("www.")
    return bool(ha) and ha == hb
