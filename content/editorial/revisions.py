"""Readable changes between revisions (django-simple-history records).

Used for the per-article change log editors read, and to tell an editor
exactly what someone else saved while they were editing.
"""

import difflib
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from content.editorial import reasons

IGNORED_FIELDS = {
    "updated_at", "created_at", "published_at", "import_fingerprint", "history_change_reason",
    "readability", "text_fingerprint", "live_fingerprint", "live_history_id", "live",
}


@dataclass
class FieldChange:
    field: str  # e.g. "summary"
    language: str | None  # e.g. "es", or None for an untranslated field
    old: str
    new: str
    model: type | None = None  # whose field it is, so the label is the field's name in the editor's language

    @property
    def label(self):
        name = field_label(self.model, self.field) if self.model else self.field
        return f"{name} [{self.language}]" if self.language else name

    def html_diff(self):
        return word_diff(self.old, self.new)


@dataclass
class Revision:
    record: object  # a historical record of one object
    changes: list
    revert_url: str = ""

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        user = self.record.history_user
        return user.get_username() if user else "—"

    @property
    def reason(self):
        """The reason as recorded; one the write path gave ("Created", "Published") in the reader's language."""
        return reasons.shown(self.record.history_change_reason)

    @property
    def object_label(self):
        return str(self.record.instance)


def field_label(model, name):
    """The field's verbose name (in the active language), as the admin's forms show it."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def split_field_name(name, languages):
    """('summary', 'es') for 'summary_es'; ('status', None) for an untranslated field."""
    for language in sorted(languages, key=len, reverse=True):
        suffix = "_" + language.replace("-", "_")
        if name.endswith(suffix):
            return name[: -len(suffix)], language
    return name, None


def compared_fields(history_model):
    """Columns a revision is compared on: what the history holds of the object's own fields."""
    history_columns = {field.attname for field in history_model._meta.concrete_fields}
    return [
        field.attname for field in history_model.instance_type._meta.concrete_fields
        if field.attname in history_columns and field.name not in IGNORED_FIELDS and not field.primary_key
    ]


def changes_between(older, newer, languages):
    """FieldChanges from one historical record of an object to the next (older None: its creation)."""
    if older is None:
        return []
    changes = []
    model = type(newer).instance_type
    for column in compared_fields(type(newer)):
        old, new = getattr(older, column), getattr(newer, column)
        if _text(old) != _text(new):
            field, language = split_field_name(column.removesuffix("_id") if column.endswith("_id") else column, languages)
            shown = _choice_labels(model, column)  # "Draft", translated, rather than the stored "draft"
            changes.append(FieldChange(field, language, shown(old), shown(new), model))
    return sorted(changes, key=lambda c: (c.field, c.language or ""))


def revisions(history_queryset, languages, since=None):
    """Revision objects, newest first, each compared only with the same object's previous record."""
    records = list(history_queryset.select_related("history_user").order_by("history_date", "history_id"))
    previous_of_object = {}
    result = []
    for record in records:
        previous = previous_of_object.get(record.id)
        previous_of_object[record.id] = record
        if since is not None and record.history_date <= since:
            continue
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


def _choice_labels(model, column):
    choices = dict(model._meta.get_field(column).flatchoices) if column in _choice_columns(model) else {}
    return lambda value: _text(choices.get(value, value))


def _choice_columns(model):
    return {field.attname for field in model._meta.concrete_fields if field.choices}


def _text(value):
    return "" if value is None else str(value)

