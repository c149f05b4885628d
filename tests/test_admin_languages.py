"""BoneCare's own admin pages speak the editor's language: nothing of ours is left in English under ar or zh-hans.

The catalogs' completeness is tested in test_interface_translations.py; this
renders every page an editor opens (list, add and change page of each model we
register, and our own views) and looks for our English strings in what is shown.
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import to_locale
from translate.storage import factory

from content.editorial import services
from content.interface_strings import OWN_PACKAGES, marked_msgids
from content.models import ArticleVariant, ChangeLogEntry, GlossaryTerm, ImportDefect, LanguageAssignment, TranslationReview
from partners.keys import create_key
from tests.factories import make_article, make_source, make_term, set_texts
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db

EVERY_LANGUAGE = ("en", "es", "fr", "zh-hans", "ar")
SKIPPED_TAGS = {"script", "style", "textarea"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class ShownText(HTMLParser):
    """The text a person reads: text nodes, button labels and placeholders; not scripts, nor text marked as English.

    Text marked lang="en" inside the page is content (the English a
    translation was made from), not the interface, and stays English on purpose.
    """

    def __init__(self):
        super().__init__()
        self.open, self.skipping, self.texts = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])
        if attrs.get("placeholder"):
            self.texts.append(attrs["placeholder"])
        if tag in VOID_TAGS:
            return
        marked_english = tag != "html" and (attrs.get("lang") or "").startswith("en")
        skip = tag in SKIPPED_TAGS or marked_english
        self.open.append((tag, skip))
        self.skipping += skip

    def handle_endtag(self, tag):
        while self.open:
            opened, skip = self.open.pop()
            self.skipping -= skip
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data)


def normal(text):
    return " ".join(text.split()).strip(" :.").lower()


def same_in(language):
    """Msgids the catalog keeps as they are on purpose (a header name such as webhook-id)."""
    catalog = Path(settings.BASE_DIR) / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    if not catalog.exists():
        return set()  # English: the source language has no catalog
    return {unit.source for unit in factory.getobject(str(catalog)).units if unit.target == unit.source}


@cache
def english_phrases(language):
    """Our msgids as they would show: whole (short labels) or their longer literal runs (sentences with placeholders)."""
    whole, runs = set(), set()
    for msgid in marked_msgids() - same_in(language):
        pieces = [normal(piece) for piece in re.split(r"%\(\w+\)[sd]|<[^>]+>", msgid)]
        if len(pieces) == 1 and len(pieces[0]) > 2:
            whole.add(pieces[0])
        runs.update(piece for piece in pieces if len(piece.split()) >= 3)
    return whole, runs


def english_left(html, language):
    whole, runs = english_phrases(language)
    parser = ShownText()
    parser.feed(html)
    found = set()
    for text in map(normal, parser.texts):
        if text in whole:
            found.add(text)
        found.update(run for run in runs if run in text)
    return sorted(found)


@pytest.fixture
def workspace():
    """One of everything an editor meets, so every list has a row and every change page an object."""
    source = make_source()
    ImportDefect.objects.create(source=source, line=3, kind=ImportDefect.Kind.MISSING_WORD, message="?", excerpt="…")
    article = make_article("osteosarcoma-treatment", languages=EVERY_LANGUAGE, sources=[source])
    variant = ArticleVariant.objects.get(article=article, level="standard")
    set_texts(variant, "en", summary="Chemotherapy shrinks the tumour before surgery.")
    services.save_variant(variant)
    term = make_term("biopsy", en=("biopsy", "Taking a small piece of tissue.", "Taking a bit of tissue."))
    editor = User.objects.create_superuser("sam", password="pw-for-tests-only")
    LanguageAssignment.objects.create(user=editor, language="es")
    endpoint = Endpoint.objects.create(name="City Hospital", url="https://hooks.example.org/bonecare", events=[], languages=[])
    Delivery.objects.create(endpoint=endpoint, entry=ChangeLogEntry.objects.first(), event_type="article.published",
                            message_id="msg_1", body="{}")
    create_key("City Hospital")
    return {
        "editor": editor,
        "article": article,
        "variant": variant,
        "term": term,
        "review": TranslationReview.objects.get(variant=variant, language="es"),
    }


def own_admin_pages(workspace):
    """Every page of the models BoneCare registers, and BoneCare's own views beside them."""
    pages = ["/admin/", "/admin/login/"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if model.__module__.split(".")[0] not in OWN_PACKAGES:
            continue
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model_admin.has_add_permission(request_by(workspace["editor"])):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model.objects.order_by("pk").first()
        assert first is not None, f"the workspace fixture has no {opts.verbose_name}"
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    article, variant, term = workspace["article"], workspace["variant"], workspace["term"]
    history_id = variant.history.order_by("history_id").first().history_id
    pages += [
        reverse("admin:content_dashboard"),
        reverse("admin:content_outdated_translation", args=[workspace["review"].pk]),
        reverse("admin:content_article_changes", args=[article.pk]),
        reverse("admin:content_article_import_translations"),
        reverse("admin:content_articlevariant_changes", args=[variant.pk]),
        reverse("admin:content_articlevariant_revert", args=[variant.pk, history_id]),
        reverse("admin:content_glossaryterm_changes", args=[term.pk]),
    ]
    return pages


def request_by(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_no_string_of_ours_is_left_in_english_on_any_admin_page(client, workspace, language):
    assert GlossaryTerm.objects.exists()
    client.force_login(workspace["editor"])
    left = {}
    for page in own_admin_pages(workspace):
        if page == "/admin/login/":
            client.logout()
        response = client.get(page, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, page
        assert response["Content-Language"] == language, page
        if english := english_left(response.content.decode(), language):
            left[page] = english
        if page == "/admin/login/":
            client.force_login(workspace["editor"])
    assert left == {}, "\n".join(f"{page}: {texts}" for page, texts in left.items())


def test_the_check_finds_our_english_when_the_page_is_in_english(client, workspace):
    """The same pages in English show our strings: the check above is looking at the right text."""
    client.force_login(workspace["editor"])
    dashboard = client.get(reverse("admin:content_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert {"translation dashboard", "only articles with problems"} <= set(english_left(dashboard, "en"))


def test_a_reason_recorded_under_one_language_is_read_in_the_readers(client, workspace):
    """An Arabic-speaking editor's save is listed as "Edited in the admin" to an English reader, and in Spanish to a Spanish one."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    variant = workspace["variant"]
    with translation.override("ar"):
        set_texts(variant, "en", title="Chemotherapy for osteosarcoma")
        services.save_variant(variant, reason=gettext_lazy("Edited in the admin"))
        services.move_article(workspace["article"], "in_review")
    client.force_login(workspace["editor"])
    changes = reverse("admin:content_article_changes", args=[workspace["article"].pk])

    english = client.get(changes, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get(changes, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Edited in the admin" in english and "In review" in english
    assert "Editado en el panel de administración" in spanish
    assert "عُدّل في لوحة الإدارة" not in english
