"""Suggestions as a reader types: titles and glossary terms that a prefix starts, in the served language and level.

Reads the search index's entries (published text only, as served), held in
memory per published version (content/delivery/search_memory.py). A title
or term that starts with the prefix comes first, then one with a word that
starts with it, then a term one of whose everyday names (aliases) starts
with it; shorter titles first within each. Letters are folded as search
folds them (no accents, no case), so "metas" suggests "Metástasis ósea".
Chinese has no spaces: one character is enough, and it may be anywhere.
"""

import re

from content.delivery import search_memory
from content.models import SearchEntry
from content.text.search_terms import HAN

LIMIT = 8
MAX_LENGTH = 100
HAN_CHARACTER = re.compile(f"[{HAN}]")
# Two letters of any alphabet (a letter: a word character that is no digit or underscore), or one Han character;
# an alphabetic prefix of one letter matches too much to help. The schema publishes this pattern as it is.
LONG_ENOUGH = rf"[^\W\d_][\s\S]*[^\W\d_]|[{HAN}]"
TYPES = {SearchEntry.Kind.ARTICLE: "article", SearchEntry.Kind.GLOSSARY_TERM: "glossary"}


def long_enough(prefix):
    """One Han character, or two letters of any alphabet."""
    return re.search(LONG_ENOUGH, prefix) is not None


def suggestions(prefix, language, level, limit=LIMIT):
    """[{type, slug, title}] best first, at most `limit`."""
    wanted = search_memory.folded(prefix)
    # Whatever a title or alias must have to match, it has the folded prefix (which has no line break) in it.
    if not wanted or wanted not in search_memory.suggestible_text(language, level):
        return []
    han = bool(HAN_CHARACTER.search(prefix))
    ranked = []
    for kind, slug, title, folded_title, folded_aliases in search_memory.titles(language, level):
        rank = _rank(wanted, folded_title, han)
        if rank is None:
            rank = min((r + 2 for alias in folded_aliases if (r := _rank(wanted, alias, han)) is not None), default=None)
        if rank is not None:
            ranked.append((rank, len(title), title, kind, slug))
    ranked.sort()
    return [{"type": TYPES[kind], "slug": slug, "title": title} for _rank_, _length, title, kind, slug in ranked[:limit]]


def _rank(wanted, folded, han):
    """0: the text starts with the prefix; 1: one of its words does (Chinese: anywhere); None: no."""
    if folded.startswith(wanted):
        return 0
    if f" {wanted}" in folded or (han and wanted in folded):
        return 1
    return None
