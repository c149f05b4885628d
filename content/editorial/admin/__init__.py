"""The editors' workspace.

Translated fields get one tab per language (modeltranslation's tabbed admin,
with jQuery UI served locally). Lists show which languages are complete,
outdated or unreviewed; articles move through the review workflow from their
own page; every change keeps a revision an editor can diff and revert.
"""

from content.editorial.admin import (  # noqa: F401  (names the site and registers the admins)
    articles, change_log, glossary, people, site, sources, topics, variants,
)
