"""The admin's two exchange forms: what to export, and what to import."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from content.editorial.exchange.formats import FORMAT_CHOICES
from content.editorial.exchange.units import target_languages
from content.editorial.upload_limit import size_problem


def language_choices(codes):
    names = dict(settings.LANGUAGES)
    return [(code, f"{names[code]} ({code})") for code in codes]


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=_("Translate into"))
    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=FORMAT_CHOICES,
        initial="xliff",
        help_text=_("XLIFF for translation tools (Trados, memoQ, OmegaT…); PO for Poedit and gettext tools."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(target_languages())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Translated file"), help_text=_("An XLIFF or PO file exported from BoneCare."))
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Leave empty to take the language the file states."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only"), required=False, help_text=_("Report what would change, write nothing.")
    )

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As stated in the file"))] + language_choices(languages)

    def clean_file(self):
        # Refused on the size the upload already knows (streamed to a temporary file), before it is read.
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size, upload.name)
        if problem:
            raise forms.ValidationError(problem, code="file_too_large")
        return upload
