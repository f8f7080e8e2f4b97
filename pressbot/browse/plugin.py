"""The Datasette plugin of ``pressbot browse``: SQL functions for the archive's
canned queries, and how their cells are shown.

Registered by :func:`pressbot.browse.serve` in the process that runs Datasette (not
through an entry point), so Datasette run on any other database is left alone.

* ``pressbot_fts_query(q)``: the FTS5 query of a user's words, folded as the index
  is (``pressbot.db.search.parse_query``), so the search page finds "پولیس" typed as
  "پوليس".
* ``pressbot_diff(old, new)``: a unified diff of two texts by sentence (a changed
  number shows as one sentence out and one in, not the whole paragraph); NULL when
  there is no older text.
* Cells: a ``diff`` column is shown with its removed and added sentences marked; a
  ``story`` or ``record`` number in a canned query's results links to that story's
  page or that record's versions.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Final

from datasette import hookimpl
from markupsafe import Markup, escape

from pressbot.db.search import EmptyQuery, parse_query

# After a sentence's closing mark (Urdu full stop, question marks, Latin stops).
_SENTENCE_END: Final = re.compile(r"(?<=[۔؟!?.])\s+")
# FTS5 reads an empty phrase as matching nothing: an empty search shows no rows.
NOTHING: Final = '""'


def fts_query(query: str | None) -> str:
    try:
        return parse_query(query or "").fts5()
    except EmptyQuery:
        return NOTHING


def _sentences(text: str) -> list[str]:
    out = []
    for paragraph in text.split("\n"):
        out += [s for s in _SENTENCE_END.split(paragraph.strip()) if s]
    return out


def text_diff(old: str | None, new: str | None) -> str | None:
    """Unified diff (one sentence a line, one line of context) from ``old`` to
    ``new``; empty when the texts are the same, None when there is no ``old``."""
    if old is None or new is None:
        return None
    lines = difflib.unified_diff(
        _sentences(old), _sentences(new), "before", "after", lineterm="", n=1
    )
    return "\n".join(lines)


def diff_html(diff: str) -> Markup:
    parts = []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            parts.append('<span class="hunk">…</span>')
        elif line.startswith("-"):
            parts.append(f"<del>{escape(line[1:])}</del>")
        elif line.startswith("+"):
            parts.append(f"<ins>{escape(line[1:])}</ins>")
        else:
            parts.append(f"{escape(line[1:])}\n")
    return Markup('<pre class="pressbot-diff" dir="auto">{}</pre>').format(Markup("".join(parts)))


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("pressbot_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("pressbot_diff", 2, text_diff, deterministic=True)


# Canned-query columns that link to another canned query: (query, its parameter).
_LINKS: Final = {"story": ("story", "cluster"), "record": ("versions", "record")}


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if table is not None:
        return None  # table pages: Datasette's own rendering
    if column == "diff" and isinstance(value, str) and value:
        return diff_html(value)
    if column in _LINKS and isinstance(value, int):
        query, param = _LINKS[column]
        href = f"{datasette.urls.database(database)}/{query}?{param}={value}"
        return Markup('<a href="{}">{}</a>').format(href, value)
    return None
