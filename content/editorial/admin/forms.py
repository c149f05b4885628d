"""Admin forms that refuse to silently overwrite someone else's work."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from content.languages import language_codes
from content.editorial.revisions import revisions
from content.editorial.text_checks import checked_columns, describe, value_problems


class PlainTextForm(forms.ModelForm):
    """Shows the write path's plain-text rule (no HTML, safe figure addresses) on each field, in every tab."""

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        for column, name, _language in checked_columns(model):
            if column not in self.fields or not isinstance(cleaned.get(column), str):
                continue
            for problem in value_problems(model, name, cleaned[column]):
                self.add_error(column, f"{describe(model, column)}: {problem}")
        return cleaned


class OptimisticLockForm(PlainTextForm):
    """Remembers when the object was loaded; a save after someone else's is a conflict.

    The second editor's input is kept in the form, with what the other person
    changed shown above it; ticking "save mine anyway" overwrites deliberately.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    overwrite_newer_changes = forms.BooleanField(
        required=False,
        label=_("Save my version anyway"),
        help_text=_("Only tick this after reading what the other person changed: their changes will be replaced."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()
        # The override only makes sense next to a conflict message; clean() reveals it then.
        self.fields["overwrite_newer_changes"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        loaded = parse_datetime(cleaned.get("loaded_version") or "")
        if not self.instance.pk or loaded is None or cleaned.get("overwrite_newer_changes"):
            return cleaned
        current = type(self.instance).objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
        if current is not None and current != loaded:
            self.fields["overwrite_newer_changes"].widget = forms.CheckboxInput()
            raise ValidationError(self.conflict_message(loaded), code="edit_conflict")
        return cleaned

    def history_since(self, loaded):
        """Revisions of this object (and what it contains) saved after `loaded`."""
        return revisions(type(self.instance).history.filter(id=self.instance.pk), language_codes(), since=loaded)

    def conflict_message(self, loaded):
        changes = [(revision, change) for revision in self.history_since(loaded) for change in revision.changes]
        intro = _(
            "Someone else saved this after you opened it. Your changes have NOT been saved; they are still in the "
            "form below. Read what changed, then either reload the page to start from their version, or tick "
            "“Save my version anyway”."
        )
        if not changes:
            return format_html("{}", intro)
        return format_html(
            "{}<ul>{}</ul>",
            intro,
            format_html_join(
                "",
                "<li><strong>{}</strong> — {} {} {}: {}</li>",
                (
                    (change.label, revision.who, _("at"), revision.when.strftime("%Y-%m-%d %H:%M:%S"), change.html_diff())
                    for revision, change in changes
                ),
            ),
        )


class ArticleForm(OptimisticLockForm):
    def history_since(self, loaded):
        from content.models import ArticleVariant

        variant_history = ArticleVariant.history.filter(article_id=self.instance.pk)
        return super().history_since(loaded) + revisions(variant_history, language_codes(), since=loaded)
