"""Reasons the write path records itself: kept in the source language, shown in the reader's.

History records and change-log entries are read by editors in five languages,
so a reason the system writes ("Published", "Topic “surgery” changed") is
stored in English and translated when shown. A person's own comment is shown
as they wrote it.
"""

import re

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from content.languages import SOURCE_LANGUAGE

# Reasons with a name in them: recorded filled in, recognised again when shown.
NAMED_REASONS = (
    gettext_noop("Glossary term “%(term)s” published"),
    gettext_noop("Topic “%(topic)s” changed"),
    gettext_noop("Cited source “%(source)s” changed"),
    # content/editorial/fact_check.py's OVERRIDE_REASON
    gettext_noop("Published over %(count)s fact-check differences (%(texts)s). Reason: %(why)s"),
)


def recorded(reason, **names):
    """The reason as it is stored: in the source language, with its names filled in."""
    if not reason:
        return ""
    with translation.override(SOURCE_LANGUAGE):
        return str(reason) % names if names else str(reason)


def _pattern(template):
    return re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+)", re.escape(template)))


_NAMED_PATTERNS = [(template, _pattern(template)) for template in NAMED_REASONS]


def shown(text):
    """A stored reason in the active language; text the system did not write comes back as it is.

    Line by line: a reviewer's own comment and a reason the system adds (the
    fact-check override) are kept on lines of their own.
    """
    if not text:
        return ""
    if "\n" in text:
        return "\n".join(shown(line) for line in text.split("\n"))
    for template, pattern in _NAMED_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return gettext(template) % match.groupdict()
    return gettext(text)
