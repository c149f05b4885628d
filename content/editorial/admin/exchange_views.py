"""The translation exchange in the admin: an action on the article list, and an import page.

ArticleAdmin lists `export_for_translation` in its actions; the import page is
served at `admin:content_article_import_translations`.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from content.editorial.permissions import editable_languages
from content.editorial.exchange.exporting import ExportRefused, export_articles
from content.editorial.exchange.forms import ExportForm, ImportForm
from content.editorial.exchange.importing import import_translations
from content.editorial.exchange.units import target_languages
from content.models import Article

EXPORT_CONFIRMED = "exchange_export"


@admin.action(description=_("Export for translation (XLIFF or PO)"), permissions=["view"])
def export_for_translation(modeladmin, request, queryset):
    """Ask for the target language and format, then send the file as a download."""
    form = ExportForm(request.POST if EXPORT_CONFIRMED in request.POST else None)
    if form.is_valid():
        try:
            exported = export_articles(queryset, form.cleaned_data["language"], form.cleaned_data["file_format"])
        except ExportRefused as refusal:
            modeladmin.message_user(request, str(refusal), messages.ERROR)
            return None
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = content_disposition_header(True, exported.file_name)
        return response
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Export for translation"),
        "opts": modeladmin.model._meta,
        "form": form,
        "articles": queryset,
        "action_name": request.POST.get("action", "export_for_translation"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
        "confirm_field": EXPORT_CONFIRMED,
    }
    return TemplateResponse(request, "admin/content/exchange/export_for_translation.html", context)


def import_translations_view(request):
    """Upload a translated file; show what was applied, what conflicted, and any errors."""
    if not request.user.has_perm("content.change_articlevariant"):
        raise PermissionDenied
    allowed = editable_languages(request.user)
    languages = [code for code in target_languages() if code in allowed]
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, languages=languages)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_translations(
                upload.read(),
                upload.name,
                language=form.cleaned_data["language"] or None,
                allowed_languages=languages,
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
    else:
        form = ImportForm(languages=languages)
    context = {
        **admin.site.each_context(request),
        "title": _("Import translations"),
        "opts": Article._meta,
        "form": form,
        "languages": languages,
        "report": report,
    }
    return TemplateResponse(request, "admin/content/exchange/import_translations.html", context)
