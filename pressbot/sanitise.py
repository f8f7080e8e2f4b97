"""Characters no database or consumer should receive, removed at the item boundary.

A NUL makes PostgreSQL refuse the whole batch a record is in; a lone surrogate
(half of a UTF-16 pair, from a broken ``\\ud800`` escape in JSON-LD) cannot be
encoded as UTF-8 at all, so it fails the store, the dead-letter writer and every
reader. Both are invisible on the page, so removing them changes nothing a reader
could see; C0 control characters (other than tab and line breaks) likewise.
A surrogate *pair* written as two escapes is joined into the character it encodes.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any

_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _join_pair(m: re.Match[str]) -> str:
    high, low = (ord(c) for c in m.group())
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def clean_text(text: str) -> tuple[str, int]:
    """``text`` without NUL, control characters and lone surrogates; how many went."""
    if not _BAD.search(text):
        return text, 0
    joined = _PAIR.sub(_join_pair, text)
    cleaned, n = _BAD.subn("", joined)
    return cleaned, n


def clean_value(value: Any) -> tuple[Any, int]:
    """Strings inside ``value`` (str, list, tuple, dict keys and values, dataclasses)
    cleaned; returns the cleaned value and the number of characters removed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        total = 0
        out = []
        for v in value:
            c, n = clean_value(v)
            out.append(c)
            total += n
        return (type(value)(out) if isinstance(value, tuple) else out), total
    if isinstance(value, dict):
        total = 0
        result = {}
        for k, v in value.items():
            ck, nk = clean_value(k)
            cv, nv = clean_value(v)
            result[ck] = cv
            total += nk + nv
        return result, total
    if is_dataclass(value) and not isinstance(value, type):
        return value, clean_fields(value)
    return value, 0


def clean_fields(obj: Any) -> int:
    """Clean every field of a dataclass instance in place; characters removed."""
    total = 0
    for f in fields(obj):
        cleaned, n = clean_value(getattr(obj, f.name))
        if n:
            setattr(obj, f.name, cleaned)
            total += n
    return total
