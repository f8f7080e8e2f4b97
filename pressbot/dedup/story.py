"""When two texts are one story: :func:`pressbot.dedup.decide.same_story`, plus
excerpts -- an aggregator's cut-off copy is compared with the start of the full
text, since against the whole its overlap is diluted by what it left out."""

from __future__ import annotations

from pressbot.dedup.decide import same_story

# Below this length ratio, the shorter text is compared with the lead of the longer.
LEAD_RATIO = 0.8
# Words allowed for a changed dateline or credit at the start of an excerpt.
LEAD_SLACK = 8


def is_same_story(a: str, b: str) -> bool:
    """Same story, or the shorter match key is a cut-off copy of the longer's start."""
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) >= LEAD_RATIO * len(long_):
        return same_story(a, b).same
    head = " ".join(long_[: len(short) + LEAD_SLACK])
    return same_story(" ".join(short), head).same
