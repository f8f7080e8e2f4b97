"""Function words that tell Urdu, Arabic and Persian apart (data only).

Each list holds frequent words the other two languages do not write the same way,
in the page's own letter forms: Arabic words with Arabic ي ك ه ة ى, Persian ones with
Persian ی ک and Arabic ه, Urdu ones in Urdu forms (an Urdu page typed with Arabic
letters is compared after folding, see :mod:`pressbot.text.language`). Loans that
cross over are left out: "علی" is a name in Urdu, "مع", "نیز" and "از" are Urdu
words too, "این" and "آن" spell English letters and "on" ("این اے", "آن لائن").
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Postpositions, auxiliaries and conjunctions of almost every Urdu sentence.
URDU_WORDS: Final[frozenset[str]] = _words(
    "ہے ہیں کے کی کا نے میں اور سے کو تھا تھی تھے گیا گئی گئے کہ یہ وہ بھی پر"
)

# Prepositions, relatives and demonstratives of Arabic prose.
ARABIC_WORDS: Final[frozenset[str]] = _words(
    "في من على إلى عن التي الذي الذين هذا هذه ذلك تلك كان كانت قد أن إن "
    "وفي ومن وعلى وقال وأكد أو لم لن"
)

# Copula, demonstratives, object marker, verb prefix and plural suffix of Persian.
# "می" stands for the verb prefix, written joined by ZWNJ ("می‌گوید") or apart.
PERSIAN_WORDS: Final[frozenset[str]] = _words(
    "است را که می برای شد شده بود های ها هم اند خواهد کرد"
)
