"""The content licence and the terms of use, in the reader's language: what a governance team approves, a reuser cites.

The licence is set once in settings (BONECARE_CONTENT_LICENSE); every article,
list item and offline bundle carries it as `license`, and the OpenAPI schema
names it in `info.license` and `info.termsOfService`. The terms are served as
a page in each language at TERMS_PATH (content/terms.py holds their text).
"""

from django.conf import settings

from content.public_address import public_url

TERMS_PATH = "/terms/"


def content_license(language):
    """The `license` object sent with content in `language` (a supported code)."""
    licence = settings.BONECARE_CONTENT_LICENSE
    return {
        "name": licence["name"],
        "url": licence["deeds"].get(language, licence["url"]),
        "legal_code": licence["legal_code"],
        "attribution": licence["attribution"].get(language) or licence["attribution"][settings.LANGUAGE_CODE],
        "terms": terms_url(language),
    }


def terms_url(language=None):
    """The terms of use at the public address, in `language` when given."""
    return public_url(TERMS_PATH + (f"?lang={language}" if language else ""))
