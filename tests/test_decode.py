"""Decoding saved and fetched pages by Scrapy's rules, and telling damaged pages apart.

The Urdu pages are the mirror's own, re-encoded as windows-1256 the way such sites
write them (Arabic yeh for ی, a full stop for ۔: windows-1256 has neither).
"""

from __future__ import annotations

import gzip
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from pressbot.decode import decode_html, page_damage
from pressbot.extract import extract_html
from pressbot.spiders.sources import SPIDERS
from tests.conftest import FIXTURES, MIRROR_ROOT

KP_PAGE = MIRROR_ROOT / "day1" / "kppolice.gov.pk" / "press_release_detail.php@id=2315"
KP_URL = "https://kppolice.gov.pk/press_release_detail.php?id=2315"
NHSRC_PAGE = MIRROR_ROOT / "day1" / "www.nhsrc.gov.pk" / "PressReleaseDetail.aspx@id=1187"
_TO_1256 = str.maketrans({"ی": "ي", "۔": ".", "ٰ": None})
_META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.IGNORECASE)


def windows_1256(page: Path, *, meta: str = "") -> tuple[str, bytes]:
    """The page as windows-1256 bytes with its <meta> charset replaced by ``meta``,
    and the text those bytes must decode to."""
    text = _META_CHARSET.sub(meta, page.read_text("utf-8")).translate(_TO_1256)
    return text, text.encode("cp1256")


def mirror_pages() -> list[Path]:
    """Every HTML page of the mirror (articles, listings, feeds served as HTML)."""
    skip = (".json", ".xml", ".txt")
    return sorted(p for p in MIRROR_ROOT.rglob("*") if p.is_file() and not p.name.endswith(skip))


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def parquet() -> bytes:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    buf = io.BytesIO()
    pq.write_table(pa.table({"title": ["پشاور پولیس"] * 50, "n": list(range(50))}), buf)
    return buf.getvalue()


# --- decoding -----------------------------------------------------------------------
def test_charset_only_in_the_http_header() -> None:
    want, body = windows_1256(KP_PAGE)
    text, encoding = decode_html(body, "text/html; charset=windows-1256")
    assert (text, encoding) == (want, "cp1256")


def test_charset_nowhere_is_detected() -> None:
    want, body = windows_1256(KP_PAGE)
    assert decode_html(body) == (want, "cp1256")


def test_urdu_record_from_a_windows_1256_page_equals_the_utf8_one() -> None:
    want, body = windows_1256(KP_PAGE)
    from_utf8 = extract_html(want, KP_URL)
    text, _ = decode_html(body, "text/html; charset=windows-1256")
    assert extract_html(text, KP_URL) == from_utf8
    # Bytes alone (a saved file: no header) are decoded by the same rules.
    assert extract_html(body, KP_URL) == from_utf8
    assert "پشاور" in from_utf8.body and from_utf8.place == "پشاور"


def test_crawl_decodes_by_the_http_header() -> None:
    # The page claims UTF-8 in <meta>; the server's header says windows-1256 and wins.
    want, body = windows_1256(KP_PAGE, meta='<meta charset="utf-8">')
    crawler = get_crawler(SPIDERS["kp_police"], {"PRESSBOT_INCREMENTAL": False})
    crawler._apply_settings()
    spider = crawler._create_spider()
    response = HtmlResponse(
        KP_URL,
        request=Request(KP_URL),
        body=body,
        headers={"Content-Type": "text/html; charset=windows-1256"},
    )
    [record] = list(spider.parse_article(response))
    expected = extract_html(want, KP_URL, source=spider.source)
    assert (record.title, record.body) == (expected.title, expected.body)


CASES: dict[str, tuple[str | None, str]] = {
    # (Content-Type header, <meta> in the page)
    "header beats meta": ("text/html; charset=windows-1256", '<meta charset="utf-8">'),
    "meta only": (None, '<meta charset="windows-1256">'),
    "bom beats header": ("text/html; charset=windows-1256", ""),
    "nothing": (None, ""),
    "header without charset": ("text/html", ""),
    "unknown charset in header": ("text/html; charset=x-nonsense", ""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_text_and_encoding_as_scrapy(case: str) -> None:
    content_type, meta = CASES[case]
    _, body = windows_1256(KP_PAGE, meta=meta)
    if case == "bom beats header":
        body = b"\xef\xbb\xbf" + KP_PAGE.read_bytes()
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(KP_URL, body=body, headers=headers)
    assert decode_html(body, content_type) == (response.text, response.encoding)


def test_utf16_with_bom_like_scrapy() -> None:
    body = KP_PAGE.read_text("utf-8").encode("utf-16")
    response = HtmlResponse(KP_URL, body=body)
    text, encoding = decode_html(body)
    assert (text, encoding) == (response.text, response.encoding)
    assert "پشاور" in text
    assert page_damage(body, text) is None  # NUL bytes of UTF-16 are not binary


# --- damage -------------------------------------------------------------------------
@pytest.mark.parametrize("page", mirror_pages(), ids=lambda p: str(p.relative_to(MIRROR_ROOT)))
def test_no_mirror_page_is_flagged(page: Path) -> None:
    body = page.read_bytes()
    text, _ = decode_html(body, "text/html; charset=utf-8")
    assert page_damage(body, text) is None
    assert page_damage(body, text, framed=False) is None
    assert page_damage(body, decode_html(body)[0], framed=False) is None


def test_no_holdout_or_windows_1256_page_is_flagged() -> None:
    pages = sorted((FIXTURES / "holdout").glob("*.html"))
    assert len(pages) == 8
    for page in pages:
        body = page.read_bytes()
        assert page_damage(body, decode_html(body)[0], framed=False) is None, page.name
    for page in (KP_PAGE, NHSRC_PAGE):
        _, body = windows_1256(page)
        assert page_damage(body, decode_html(body)[0], framed=False) is None, page.name


@pytest.mark.parametrize("body", [b"", b"   \r\n\t\n", "\ufeff\n".encode()])
def test_empty(body: bytes) -> None:
    assert page_damage(body, decode_html(body)[0]) == "empty"


BINARIES = {
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "png": png(),
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)),
    "gif": b"GIF89a\x02\x00\x02\x00\x80\x00\x00" + bytes(40),
    "gzip": gzip.compress(KP_PAGE.read_bytes()),
    "zip/docx": b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + zlib.compress(b"word/document.xml" * 9),
    "nul bytes": b"<html><body>" + "پشاور".encode() + b"\x00\x00\x00\x00</body></html>",
    "control bytes": bytes(range(1, 9)) * 200 + "پشاور پولیس".encode() * 20,
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary(kind: str) -> None:
    body = BINARIES[kind]
    reason = page_damage(body, decode_html(body)[0])
    assert reason is not None and reason.startswith("binary"), reason
    if kind == "pdf":
        assert "PDF" in reason


def test_parquet_is_binary() -> None:
    body = parquet()
    reason = page_damage(body, decode_html(body)[0])
    assert reason is not None and reason.startswith("binary") and "Parquet" in reason


def test_wrong_charset_is_garbled_but_a_stray_byte_is_not() -> None:
    _, body = windows_1256(KP_PAGE)
    misread, _ = decode_html(body, "text/html; charset=utf-8")
    assert page_damage(body, misread) == "garbled"
    # Latin-1 (C1 controls) for a UTF-8 page: as bad.
    utf8 = KP_PAGE.read_bytes()
    assert page_damage(utf8, utf8.decode("latin-1")) == "garbled"
    # One bad byte in a long Urdu page (a pasted Windows quote) is not damage.
    stray = utf8.replace("پشاور".encode(), b"\x93" + "پشاور".encode(), 1)
    text, _ = decode_html(stray, "text/html; charset=utf-8")
    assert "\ufffd" in text
    assert page_damage(stray, text) is None


def test_truncated_only_when_the_transfer_was_not_framed() -> None:
    body = KP_PAGE.read_bytes()
    cut = body[: len(body) * 2 // 3]
    text, _ = decode_html(cut)
    assert page_damage(cut, text, framed=False) == "truncated"
    # Content-Length or chunked framing vouched for every byte: it is what was sent.
    assert page_damage(cut, text) is None
    # A fragment that never opened <html> or <body> is not a cut page.
    fragment = "<div><p>پشاور پولیس نے</p>".encode()
    assert page_damage(fragment, fragment.decode(), framed=False) is None
