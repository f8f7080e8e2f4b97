"""Database URLs with their passwords masked, for anything printed, logged or stored."""

from __future__ import annotations

import re

# scheme://user:password@host -- the password part, whatever the scheme.
_USERINFO = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]*:)(?P<secret>[^@\s]*)(?=@)")
# libpq keyword form: password=... (in DSNs and error messages).
_KEYWORD = re.compile(r"(?i)\b(password\s*=\s*)('[^']*'|\S+)")

MASK = "***"


def mask_url(url: str | None) -> str:
    """``postgresql+psycopg://u:secret@h/db`` -> ``postgresql+psycopg://u:***@h/db``."""
    if not url:
        return ""
    return redact(str(url))


def redact(text: str) -> str:
    """Every password inside ``text`` (URL userinfo, ``password=`` pairs) masked."""
    text = _USERINFO.sub(lambda m: m.group("head") + MASK, text)
    return _KEYWORD.sub(lambda m: m.group(1) + MASK, text)
