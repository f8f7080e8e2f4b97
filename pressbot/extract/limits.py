"""Every size and share the extractor decides by, in one place.

Lengths are characters of text with whitespace collapsed. Each value says what it
separates and what it was set from; change one with the golden records, the
hold-out pages and the benchmarks (bench/) run before and after.
"""

from __future__ import annotations

from typing import Final

# --- input ------------------------------------------------------------------------
# Largest page parsed (bytes or characters); bigger ones are not press releases and
# would stall a worker.
MAX_HTML_BYTES: Final = 8 * 1024 * 1024

# --- pruning and the main text ------------------------------------------------------
# A pruning rule that would remove more than this share of the page's text is wrong
# for this page (a theme that wraps the article in a "comments" class).
PRUNE_MAX_SHARE: Final = 0.5
# Below this much main text, trafilatura is taken to have missed the article.
FALLBACK_BELOW: Final = 200
# Table cells at least this long are prose (data tables such as standings or rates
# have short cells): when such cells hold most of trafilatura's text, the page is a
# table layout and the paragraphs' own container is read instead.
PROSE_CELL_MIN: Final = 200
# Paragraph-like blocks at least this long are article text candidates.
PARA_MIN: Final = 80
# Climbing from the article's paragraphs to their container, a parent may add at
# most this much text (titles, date lines, captions) and only this share of it in
# links.
CLIMB_MAX_EXTRA: Final = 600
CLIMB_MAX_LINK_SHARE: Final = 0.35

# --- the head: headline and date stamp around the start of the text ----------------
# How many page lines above the main text may hold its headline and date stamp.
HEAD_ZONE: Final = 12
# At most this many page lines directly above the main text are read as its head.
HEAD_ABOVE: Final = 4
# Page lines longer than this are text, not a headline or a stamp.
HEAD_LINE_MAX: Final = 300
# How far into the main text a headline taken from <h1> or <title> must reappear.
HEAD_LINES: Final = 12
# An <h1> of fewer words is a logo or a page-type header, not a headline.
H1_MIN_WORDS: Final = 4

# --- lines ---------------------------------------------------------------------------
# Paragraphs at least this long are body text, not headings.
BODY_MIN: Final = 100
# Headlines are at most twice that.
TITLE_MAX: Final = 2 * BODY_MIN
# Headlines found beside the text have at least this many words.
HEADLINE_MIN_WORDS: Final = 5
# A short line of fewer words and characters above the headline is a section or
# breadcrumb name ("صحت", "خبر").
SECTION_NAME_MAX_WORDS: Final = 3
SECTION_NAME_MAX_CHARS: Final = 20
# "by" alone is a label only on short lines; a sentence "by the way: ..." is text.
LABEL_MAX_LINE: Final = 160
# A tag list after its label may run longer.
KEYWORDS_LINE_MAX: Final = 400
# A line that is only a date is at most this long ("September 12, 2023 | 10:30 AM").
DATE_LINE_MAX: Final = 60
# Boilerplate patterns are tried on lines up to this long; longer lines are text.
PATTERN_LINE_MAX: Final = 200
# A share bar is at most this many words, all of them share tokens.
SHARE_BAR_MAX_WORDS: Final = 8
# "پڑھیں:" and its appended-article headline: markers are short, a headline on the
# next line is shorter than a paragraph.
MARKER_MAX: Final = 30
TEASER_MIN_WORDS: Final = 3
TEASER_LINE_MAX: Final = 300
# A teaser heading after the text ("کالم", "Most read") heads a sidebar list when at
# least this many short lines follow it.
TEASER_LIST_MIN: Final = 2

# --- script ---------------------------------------------------------------------------
# A page whose main text has more than this share of Arabic-script letters may carry
# an English title over its Urdu (Arabic, Persian) one.
ARABIC_SCRIPT_PAGE_SHARE: Final = 0.5
# A line with less than this share of Arabic-script letters (and some Latin) is
# English.
LATIN_LINE_MAX_SHARE: Final = 0.2
