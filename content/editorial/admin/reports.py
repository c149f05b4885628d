"""Small renderings shared by admin screens."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from content.translation import VARIANT_FIELDS, raw_translation
from content.editorial.translation_status import missing_fields
from content.editorial.importer.report import report_entries

STATE_SYMBOLS = {"complete": "✓", "partial": "½", "missing": "—"}


def translation_state(variants, language):
    """'complete', 'partial' or 'missing' for one language across an article's variants (as on the dashboard)."""
    filled = [not missing_fields(variant, language) for variant in variants]
    if filled and all(filled):
        return "complete"
    has_text = any(raw_translation(variant, name, language) for variant in variants for name in VARIANT_FIELDS)
    return "partial" if has_text else "missing"


def render_import_report(defects):
    if not defects:
        return _("No defects were found.")
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong> ({}): {}<br><code>{}</code></li>",
            report_entries(defects),
        ),
    )
