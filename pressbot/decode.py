"""Pages that are not what they claim to be: told apart before extraction."""

from __future__ import annotations

# A page with more replacement characters than this share was decoded wrongly or
# is not text.
GARBLED_SHARE = 0.05


def page_damage(body: bytes, text: str, *, framed: bool = True) -> str | None:
    """A short reason why ``body`` (decoded as ``text``) must not become a record, or
    None. ``framed``: the transfer guaranteed the body is complete."""
    if not body.strip():
        return "empty"
    if b"\x00" in body[:4096]:
        return "binary"
    if text and text.count("\ufffd") / len(text) > GARBLED_SHARE:
        return "garbled"
    lower = text.lower()
    if not framed and "<html" in lower and "</html>" not in lower and "</body>" not in lower:
        return "truncated"
    return None
