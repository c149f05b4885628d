"""The clinical codes of an article or glossary term as an editor types them: one code a line.

    ICD-10-CM | C79.51 | Secondary malignant neoplasm of bone

The admin shows this field only to those who may change codes (Medical
reviewers); others see the codes read-only. The write path checks again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from content import clinical_codes

SEPARATOR = "|"


class ClinicalCodesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "cols": 80})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("clinical codes"))
        kwargs.setdefault(
            "help_text",
            _("One code a line: system | code | display name, e.g. “ICD-10-CM | C79.51 | Secondary malignant "
              "neoplasm of bone”. Systems: %(systems)s. Display names stay in English, as each code system "
              "publishes them. A change is published with the article or term.")
            % {"systems": ", ".join(clinical_codes.SYSTEMS)},
        )
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f" {SEPARATOR} ".join((c["system"], c["code"], c["display"])) for c in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        entries = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(SEPARATOR, 2)]
            if len(parts) != 3:
                raise ValidationError(
                    _("Line %(number)d: write system | code | display name.") % {"number": number}, code="format"
                )
            entries.append(dict(zip(("system", "code", "display"), parts)))
        codes, problems = clinical_codes.normalise_codes(entries)
        if problems:
            raise ValidationError([ValidationError(str(problem), code="invalid_code") for problem in problems])
        return codes

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except ValidationError:
            return True


class ClinicalCodesAdminMixin:
    """Codes as one line each; read-only for anyone who may not change them."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "codes":
            return ClinicalCodesField()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("content.edit_clinical_codes"):
            fields.append("codes")
        return fields
