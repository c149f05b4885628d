"""The editors' workspace.

Translated fields get one tab per language (modeltranslation's tabbed admin,
with jQuery UI served locally). Lists show which languages are complete,
outdated or unreviewed; articles move through the review workflow from their
own page; every change keeps a revision an editor can diff and revert.
"""

from content.editorial.admin import articles, change_log, glossary, people, sources, topics, variants  # noqa: F401  (registers the admins)
