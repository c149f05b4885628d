"""`manage.py check` refuses a content language the text functions cannot handle.

Readability and reading time are derived when a text is saved, from tables
keyed by language. A language added to settings.LANGUAGES without its rows
would pass every check and then fail each save with a KeyError; this names
what is missing before anyone gets that far.
"""

from django.conf import settings
from django.core import checks

from content.languages import base_language
from content.text import readability, reading_time

# What each language needs, as (what it is, where it lives, the table).
READABILITY_NEEDS = [
    ("a readability scorer", "SCORERS", readability.SCORERS),
    ("readability targets", "READABILITY_TARGETS", readability.READABILITY_TARGETS),
    ("a definition of a long word", "LONG_WORD_DEFINITIONS", readability.LONG_WORD_DEFINITIONS),
    ("titles that do not end a sentence", "TITLES_BEFORE_NAMES", readability.TITLES_BEFORE_NAMES),
]
READING_TIME_NEEDS = [
    ("a silent-reading rate", "SILENT_READING_RATES", reading_time.SILENT_READING_RATES),
]


@checks.register()
def check_text_support_for_languages(app_configs=None, **kwargs):
    errors = []
    for code, _name in settings.LANGUAGES:
        try:
            readable_as = base_language(code)
        except ValueError:
            readable_as = None
        if readable_as != code:
            errors.append(
                checks.Error(
                    f"The content language {code!r} in settings.LANGUAGES is not one the text functions can name "
                    f"(content.languages.base_language reads it as {readable_as!r}).",
                    hint="Use the language's base code (e.g. 'pt', not 'pt-br'); regional tags are matched to it "
                    "through Accept-Language.",
                    id="content.E003",
                )
            )
            continue
        errors += _missing(code, READABILITY_NEEDS, "content/text/readability.py", "content.E001")
        errors += _missing(code, READING_TIME_NEEDS, "content/text/reading_time.py", "content.E002")
    return errors


def _missing(code, needs, module_path, error_id):
    missing = [(what, table_name) for what, table_name, table in needs if code not in table]
    if not missing:
        return []
    return [
        checks.Error(
            f"The content language {code!r} in settings.LANGUAGES has no "
            + " and no ".join(what for what, _table in missing)
            + f" in {module_path}; saving any text in {code!r} would fail.",
            hint=f"Add {code!r} to " + ", ".join(table for _what, table in missing) + f" in {module_path}.",
            id=error_id,
        )
    ]
