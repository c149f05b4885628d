"""Readable changes between revisions (django-simple-history records).

Used for the per-article change log editors read, and to tell an editor
exactly what someone else saved while they were editing.
"""

import difflib
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

IGNORED_FIELDS = {"updated_at", "import_fingerprint", "history_change_reason"}


@dataclass
class FieldChange:
    field: str  # e.g. "summary"
    language: str | None  # e.g. "es", or None for an untranslated field
    old: str
    new: str

    @property
    def label(self):
        return f"{self.field} [{self.language}]" if self.language else self.field

    def html_diff(self):
        return word_diff(self.old, self.new)


@dataclass
class Revision:
    record: object  # a historical record
    changes: list

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        user = self.record.history_user
        return user.get_username() if user else "—"

    @property
    def object_label(self):
        return str(self.record.instance)

    @property
    def revert_url(self):
        """The admin page that restores this revision (django-simple-history's history form)."""
        opts = self.record.instance._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[self.record.id, self.record.history_id])


def split_field_name(name, languages):
    """('summary', 'es') for 'summary_es'; ('status', None) for an untranslated field."""
    for language in sorted(languages, key=len, reverse=True):
        suffix = "_" + language.replace("-", "_")
        if name.endswith(suffix):
            return name[: -len(suffix)], language
    return name, None


def changes_between(older, newer, languages):
    """FieldChanges from one historical record to the next (older may be None: creation)."""
    if older is None:
        return []
    # simple-history fixed its list of tracked fields before modeltranslation
    # added the per-language columns, so name them all explicitly.
    history_columns = {field.name for field in type(newer)._meta.concrete_fields}
    fields = [
        field.name for field in newer.instance_type._meta.concrete_fields
        if field.name in history_columns and field.name not in IGNORED_FIELDS and not field.primary_key
    ]
    delta = newer.diff_against(older, included_fields=fields)
    changes = []
    for change in delta.changes:
        if change.field in IGNORED_FIELDS:
            continue
        field, language = split_field_name(change.field, languages)
        changes.append(FieldChange(field, language, _text(change.old), _text(change.new)))
    return sorted(changes, key=lambda c: (c.field, c.language or ""))


def revisions(history_queryset, languages, since=None):
    """Revision objects, newest first, each with its field changes against the one before."""
    records = list(history_queryset.select_related("history_user").order_by("history_date", "history_id"))
    result = []
    for index, record in enumerate(records):
        if since is not None and record.history_date <= since:
            continue
        previous = records[index - 1] if index else None
        result.append(Revision(record, changes_between(previous, record, languages)))
    return list(reversed(result))


def word_diff(old, new):
    """HTML with deletions in <del> and insertions in <ins>, everything escaped."""
    old_words, new_words = old.split(" "), new.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new_words[b1:b2])))
    return mark_safe(" ".join(parts))


def _text(value):
    return "" if value is None else str(value)

