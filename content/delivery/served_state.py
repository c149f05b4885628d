"""What patients are served of each article and glossary term, per requested language and level, as fingerprints.

The write path takes these before and after a change and logs only the
(language, level) pairs whose answer differs, so sync and webhooks reach
exactly the readers who see something new. The pairs are the ones a reader
*asks for*: a French reader of an article not translated into French is
served English, so an English edit changes what French readers see too, and
the comparison finds that without knowing the fallback rules.
"""

import hashlib
import json
from types import SimpleNamespace

from django.utils import translation

from content.delivery import selectors, serving
from content.delivery.negotiation import Negotiated
from content.delivery.payloads import article_details
from content.languages import language_codes
from content.models import ReadingLevel

# Moved by every change of the article, whatever changed: not part of what a reader sees change.
_MOVED_BY_ANY_CHANGE = ("updated_at",)


def all_pairs():
    """Every (language, level) a reader can ask for."""
    return [(language, level) for language in language_codes() for level in ReadingLevel.values]


def _negotiated(language, level):
    return Negotiated(requested_language=language, language=language, language_source="query",
                      requested_level=level, level=level)


def _fingerprint(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def article_states(article_ids):
    """{article id: {(language, level): fingerprint of the detail served}} for the published ones among `article_ids`."""
    ids = sorted(set(article_ids))
    states = {}
    if not ids:
        return states
    articles = list(selectors.articles_in_full(None, selectors.published_articles().filter(pk__in=ids)))
    for language in language_codes():
        # Served strings (a topic's name, a source's attribution) are read in the reader's language.
        with translation.override(language):
            for level in ReadingLevel.values:
                for article, detail in zip(articles, article_details(articles, _negotiated(language, level), None)):
                    shown = {key: value for key, value in detail.items() if key not in _MOVED_BY_ANY_CHANGE}
                    states.setdefault(article.pk, {})[(language, level)] = _fingerprint(shown)
    return states


def term_state(slug, live, live_codes=()):
    """{(language, level): fingerprint} of a glossary term served from its published texts `live` ({} when unpublished)
    and its published clinical codes (shown in every language).

    A term is served with both its definitions at every level, so a change in
    either reaches both levels of the languages that show it.
    """
    if not live:
        return {}
    # Recordings are made after a publication (content/audio/), so none is part of what the publication changes.
    no_recordings = SimpleNamespace(all=list)
    term = SimpleNamespace(slug=slug, live=live, live_codes=list(live_codes), pronunciations=no_recordings)
    state = {}
    for language in language_codes():
        fingerprint = _fingerprint(serving.serve_term(term, _negotiated(language, ReadingLevel.STANDARD)))
        for level in ReadingLevel.values:
            state[(language, level)] = fingerprint
    return state


def changed_pairs(before, after):
    """The (language, level) pairs whose fingerprint differs (appearing or disappearing counts)."""
    return {pair for pair in before.keys() | after.keys() if before.get(pair) != after.get(pair)}


def changed_articles(before, after):
    """{article id: changed pairs} for each article of `before` or `after` where something changed."""
    changed = {}
    for article_id in before.keys() | after.keys():
        pairs = changed_pairs(before.get(article_id, {}), after.get(article_id, {}))
        if pairs:
            changed[article_id] = pairs
    return changed
