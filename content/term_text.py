"""What a published glossary term says in a language: its own text, or the English served in its place."""

from content.languages import SOURCE_LANGUAGE as FALLBACK_LANGUAGE


def published_text(term, name, language):
    """(text, language it is in) from the term's published text, with the English fallback."""
    own = term.live.get(language, {}).get(name, "")
    if own:
        return own, language
    return term.live.get(FALLBACK_LANGUAGE, {}).get(name, ""), FALLBACK_LANGUAGE
