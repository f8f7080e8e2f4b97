"""Page bytes to text by the rules of Scrapy's ``TextResponse``, and a short verdict on
pages not worth extracting (empty, binary, garbled, cut short).

Pure (w3lib and charset_normalizer, Scrapy's own dependencies; no Scrapy import), so a
saved file, a WARC record and an archived page are decoded exactly as a crawl decodes
the live response: a windows-1256 page that names its charset only in the HTTP
header, or nowhere, comes out as Urdu rather than mojibake.
"""

from __future__ import annotations

import re
from typing import Any

from charset_normalizer import from_bytes
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

# TextResponse._DEFAULT_ENCODING: what an undeclared, undetectable body is read as.
_DEFAULT_ENCODING = "ascii"


def _detect(body: bytes) -> str | None:
    """TextResponse._auto_detect_fun: ASCII, then UTF-8, then charset_normalizer's guess."""
    for encoding in (_DEFAULT_ENCODING, "utf-8"):
        try:
            body.decode(encoding)
        except UnicodeError:
            continue
        return resolve_encoding(encoding)
    match = from_bytes(body).best()
    return resolve_encoding(match.encoding) if match else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of an HTML body, as ``TextResponse.text`` and ``.encoding``
    give them: a byte order mark, else the charset of the ``Content-Type`` header, else
    the page's ``<meta>``, else detection. Undecodable bytes become U+FFFD."""
    header = content_type or ""
    declared = (
        read_bom(body)[0] or http_content_type_encoding(header) or html_body_declared_encoding(body)
    )
    if declared:
        return html_to_unicode(f"charset={declared}", body)[1], declared
    encoding, text = html_to_unicode(
        header, body, auto_detect_fun=_detect, default_encoding=_DEFAULT_ENCODING
    )
    return text, encoding


def decode_text(body: bytes) -> str:
    """A plain-text file: its byte order mark's encoding, else UTF-8 (the seed documents
    and every text export we receive). Undecodable bytes become U+FFFD, so that
    :func:`page_damage` judges how much of the file they are."""
    encoding, bom = read_bom(body)
    if encoding and bom:
        return body[len(bom) :].decode(encoding, errors="replace")
    return body.decode("utf-8", errors="replace")


# --- damage -------------------------------------------------------------------------
# First bytes of formats that are never a page. Parquet is checked apart: its magic is
# four letters, so a file must also end with it (the format guarantees both).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document; PDF input is not supported yet"),
    (b"PK\x03\x04", "zip archive (docx, xlsx, odt, epub ...)"),
    (b"PK\x05\x06", "zip archive (empty)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 document (doc, xls)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "executable"),
)
_PARQUET = b"PAR1"
# C0 control characters other than the whitespace ones (tab, newlines, form feed), and DEL.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r") + b"\x7f"
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Share of control bytes above which a file is binary though it holds no NUL and no
# known signature. Compressed or encrypted data is close to random: 28 of 256 byte
# values are controls (about 11%). Text has none; a page with stray ones (a DOS end-of-file
# mark, a backspace pasted from a terminal) has a handful in thousands of bytes, well
# under 0.5%. 2% leaves a wide margin on both sides.
BINARY_CONTROL_SHARE = 0.02
# Share of U+FFFD and C1 controls (U+0080-U+009F) among the visible characters (text
# outside tags, whitespace left out) above which a page is garbled: decoded with the
# wrong encoding, so every Urdu letter broke. A correctly decoded page has none, and a
# UTF-8 page with a stray Windows quote a few in thousands (0.03% on a mirror page).
# Mirror articles read with the wrong encoding score 6.8% at the least (UTF-8 read as
# Latin-1; windows-1256 read as UTF-8 scores 17% and up); mostly-English listing
# pages stay under 1%, their few Urdu words broken or not. 3% sits between.
GARBLED_SHARE = 0.03
_TAG = re.compile(r"<[^>]*>")
_BROKEN = re.compile("[\ufffd\x80-\x9f]")
_OPENS = re.compile(r"<(html|body)\b", re.IGNORECASE)
_CLOSES = {
    "html": re.compile(r"</html\s*>", re.IGNORECASE),
    "body": re.compile(r"</body\s*>", re.IGNORECASE),
}


def _binary(body: bytes, text: str) -> str | None:
    for magic, what in _MAGIC:
        if body.startswith(magic):
            return what
    if body.startswith(_PARQUET) and body.endswith(_PARQUET):
        return "Parquet file"
    if (read_bom(body)[0] or "").startswith(("utf-16", "utf-32")):
        # Wide encodings put a NUL in every ASCII character: judge the decoded text.
        has_nul, controls, size = "\x00" in text, len(_CONTROL_CHARS.findall(text)), len(text)
    else:
        has_nul = b"\x00" in body
        controls = len(body) - len(body.translate(None, _CONTROL_BYTES))
        size = len(body)
    if has_nul:
        return "NUL bytes"  # no text format has one (git's test for a binary file, too)
    return "control characters" if controls > BINARY_CONTROL_SHARE * size else None


def _garbled(text: str) -> bool:
    visible = _TAG.sub(" ", text)
    broken = len(_BROKEN.findall(visible))
    if not broken:
        return False
    total = len(visible) - sum(visible.count(c) for c in " \t\n\r\f\v")
    return broken > GARBLED_SHARE * max(1, total)


def _cut_short(text: str) -> bool:
    opened = {m.group(1).lower() for m in _OPENS.finditer(text)}
    return any(not _CLOSES[tag].search(text) for tag in opened)


def page_damage(body: bytes, text: str, *, framed: bool = True) -> str | None:
    """Why ``body`` (decoded as ``text``) is not worth extracting, or None.

    ``"empty"``; ``"binary (what)"``: a known file signature, NUL bytes or many control
    characters; ``"garbled"``: decoded with the wrong encoding; ``"truncated"``: an
    ``<html>`` or ``<body>`` that never closes, judged only when ``framed`` is False
    (no Content-Length and no chunked encoding vouched that every byte arrived; a
    page that was framed is what the server sent, closed or not).
    """
    if not body.strip() or not text.strip():
        return "empty"
    what = _binary(body, text)
    if what:
        return f"binary ({what})"
    if _garbled(text):
        return "garbled"
    if not framed and _cut_short(text):
        return "truncated"
    return None


__all__ = ["decode_html", "decode_text", "page_damage"]


def is_framed(headers: Any) -> bool:
    """Whether the HTTP framing vouched that the whole body arrived: a Content-Length
    (a shorter body fails the download) or chunked transfer (a missing last chunk
    does). ``headers``: Scrapy's Headers or an archived ``{name: [values]}``."""
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        key = key.lower()
        if key == "content-length":
            return True
        if key == "transfer-encoding":
            items = values if isinstance(values, list | tuple) else [values]
            text = " ".join(v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in items)
            if "chunked" in text.lower():
                return True
    return False
