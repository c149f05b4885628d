"""Every admin page saves as a person presses Save, in every role that may save it.

For each model the admin registers (a model registered later without a case here fails
`test_every_registered_model_has_a_case`), each role opens an existing object's page:
- a role that may change it presses Save with nothing changed: a redirect, no error,
  nothing written to history or the change log; then changes one field and saves:
  the change is kept, and patients still see the published text until it is published;
- a role that may only look sees no Save button, and a posted form is refused;
- a role that may not look is refused.
Add pages go through the same test for every role that may add.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client, RequestFactory

from content.editorial.roles import EDITOR, MEDICAL_REVIEWER, TRANSLATOR, ensure_roles
from content.models import (
    Article,
    ArticleVariant,
    ChangeLogEntry,
    GlossaryTerm,
    LanguageAssignment,
    SourceDocument,
    Topic,
)
from partners.models import PartnerKey
from tests.admin_forms import form_fields
from tests.factories import make_article, make_source, make_term, make_topic
from webhooks.models import Delivery, Endpoint
from webhooks.tasks import attempt_delivery
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db

ROLES = ("superuser", EDITOR, TRANSLATOR, MEDICAL_REVIEWER)
TRANSLATOR_LANGUAGE = "es"


@dataclass
class Change:
    """One field a person changes on the page, and how to see that the change was kept."""

    field: str
    value: str
    kept: Callable[[object], bool]


@dataclass
class Case:
    make: Callable[[], object]
    changes: list[Change] = field(default_factory=list)  # the first one the role's form offers is used; none: a log
    add: dict | None = None  # the fields a person fills in on the add page


def _article():
    # Two sources: a page that posted back only one of them would change what the article cites.
    return make_article(languages=("en", "es"), sources=[make_source(), make_source()])


def _variant():
    return _article().variants.get(level="standard")


def _term():
    return make_term("biopsy", en=("biopsy", "Taking a sample.", "Taking a small piece."),
                     es=("biopsia", "Tomar una muestra.", "Tomar un trozo."))


def _endpoint():
    return Endpoint.objects.create(name="Clinic portal", url="https://portal.example.org/hooks",
                                   events=["article.published"], languages=["en"])


def _partner_key():
    key, _secret = PartnerKey.objects.create_key(name="Clinic portal")
    return key


def _user():
    return User.objects.create_user("someone", password="x")


def _assignment():
    return LanguageAssignment.objects.create(user=User.objects.create_user("linguist"), language="fr")


def _delivery():
    _endpoint()
    make_article()
    return Delivery.objects.get(entry=ChangeLogEntry.objects.order_by("-id").first())


def _queued_task():
    return DBTaskResult.objects.get(id=attempt_delivery.enqueue(_delivery().pk).id)


def _attempt(model, **fields):
    request = {"user_agent": "Firefox", "ip_address": "127.0.0.1", "username": "eddie", "http_accept": "text/html",
               "path_info": "/admin/login/"}
    return lambda: model.objects.create(**request, **fields)


def _change_log_entry():
    make_article()
    return ChangeLogEntry.objects.order_by("-id").first()


def _text_change(name, language):
    fieldname = f"{name}_{language.replace('-', '_')}"
    return Change(fieldname, f"Edited {name} in {language}", lambda obj: getattr(obj, fieldname) == f"Edited {name} in {language}")


CASES = {
    "auth.Group": Case(lambda: Group.objects.create(name="Volunteers"),
                       [Change("name", "Volunteer readers", lambda g: g.name == "Volunteer readers")],
                       add={"name": "Reviewers in training"}),
    "auth.User": Case(_user, [Change("first_name", "Ana", lambda u: u.first_name == "Ana")],
                      add={"username": "new-editor", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42",
                           "usable_password": "true"}),
    # Logs written by the system: nothing on their pages is edited by hand.
    "axes.AccessAttempt": Case(_attempt(AccessAttempt, get_data="", post_data="", failures_since_start=1)),
    "axes.AccessLog": Case(_attempt(AccessLog)),
    "axes.AccessFailureLog": Case(_attempt(AccessFailureLog, locked_out=False)),
    "django_tasks_database.DBTaskResult": Case(_queued_task),
    "webhooks.Endpoint": Case(_endpoint, [Change("name", "Clinic portal (new)", lambda e: e.name == "Clinic portal (new)")],
                              add={"name": "Charity app", "url": "https://charity.example.org/hooks",
                                   "events": "article.published", "languages": "en", "enabled": "on"}),
    "webhooks.Delivery": Case(_delivery),
    "partners.PartnerKey": Case(_partner_key, [Change("name", "Clinic portal 2", lambda k: k.name == "Clinic portal 2")],
                                add={"name": "Hospital EHR"}),
    "content.Article": Case(_article, [Change("next_review", "2030-01-31", lambda a: a.next_review == date(2030, 1, 31))],
                            add={"slug": "new-article", "topic": lambda: str(make_topic().pk)}),
    "content.ChangeLogEntry": Case(_change_log_entry),
    # A Medical reviewer edits no text of a term, only its clinical codes.
    "content.GlossaryTerm": Case(_term, [_text_change("definition", "en"), _text_change("definition", TRANSLATOR_LANGUAGE),
                                         Change("codes", "ICD-O-3 | 9180/3 | Osteosarcoma, NOS",
                                                lambda t: [c["code"] for c in t.codes] == ["9180/3"])],
                                 add={"slug": "femur", "term_en": "femur", "definition_en": "The thigh bone.",
                                      "plain_definition_en": "The bone in your upper leg."}),
    "content.LanguageAssignment": Case(_assignment, [Change("language", "ar", lambda a: a.language == "ar")],
                                       add={"user": lambda: str(User.objects.create_user("new-translator").pk),
                                            "language": "zh-hans"}),
    "content.SourceDocument": Case(make_source, [Change("title", "Bone cancer: treatment", lambda s: s.title == "Bone cancer: treatment")],
                                   add={"file_name": "new-source.txt", "publisher": "A hospital", "title": "Limb salvage"}),
    "content.Topic": Case(lambda: make_topic(), [_text_change("name", "en")],
                          add={"slug": "follow-up", "name_en": "Follow-up care", "position": "9"}),
    "content.ArticleVariant": Case(
        _variant,
        [_text_change("title", "en"), _text_change("title", TRANSLATOR_LANGUAGE),
         Change("reviews-0-status", "clinician_reviewed", lambda v: v.reviews.get(language="en").status == "clinician_reviewed")],
    ),
}


def _person(role):
    ensure_roles()
    if role == "superuser":
        return User.objects.create_superuser("root", password="x")
    user = User.objects.create_user(role.lower().replace(" ", "-"), password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if role == TRANSLATOR:
        LanguageAssignment.objects.create(user=user, language=TRANSLATOR_LANGUAGE)
    return User.objects.get(pk=user.pk)  # fresh permission cache


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _admin_for(label):
    return next(model_admin for model, model_admin in admin.site._registry.items() if model._meta.label == label)


def _allowed(model_admin, user, check, *args):
    request = RequestFactory().get("/admin/")
    request.user = user
    return getattr(model_admin, check)(request, *args)


def _written_rows():
    """What a save may write: every history table and the change log."""
    counts = {"change log": ChangeLogEntry.objects.count()}
    for model in (Article, ArticleVariant, GlossaryTerm, Topic, SourceDocument):
        if hasattr(model, "history"):
            counts[model.__name__] = model.history.count()
    return counts


def _public_text(obj):
    """What patients see of an object the workflow publishes (None for objects published as saved)."""
    if isinstance(obj, ArticleVariant):
        return Client().get(f"/api/v1/articles/{obj.article.slug}/?lang=en&level={obj.level}").json()["title"]
    if isinstance(obj, Article):
        return Client().get(f"/api/v1/articles/{obj.slug}/?lang=en").json()["title"]
    if isinstance(obj, GlossaryTerm):
        return Client().get(f"/api/v1/glossary/{obj.slug}/?lang=en").json()["definition"]
    return None


def _press_save(client, page_url, form_id, **changes):
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    html = page.content.decode()
    assert 'name="_save"' in html, f"{page_url} shows no Save button"
    data = form_fields(html, form_id)
    data.pop("csrfmiddlewaretoken", None)
    offered = set(data)
    data.update(changes)
    data["_save"] = "Save"
    return client.post(page_url, data), offered


def test_every_registered_model_has_a_case():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered == set(CASES), "add a case to CASES for every model the admin registers"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(CASES))
def test_change_page_saves_unchanged_and_changed(label, role):
    case = CASES[label]
    model_admin = _admin_for(label)
    person = _person(role)
    obj = case.make()
    model = type(obj)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    client = _client(person)
    form_id = f"{model._meta.model_name}_form"

    if not _allowed(model_admin, person, "has_change_permission", obj):
        page = client.get(url)
        if _allowed(model_admin, person, "has_view_permission", obj):
            assert page.status_code == 200
            assert 'name="_save"' not in page.content.decode(), f"{url} offers Save to {role}, who may not change it"
        else:
            assert page.status_code in (302, 403), page.status_code
        assert client.post(url, {"_save": "Save"}).status_code in (302, 403)
        if page.status_code == 200:
            assert client.post(url, {"_save": "Save"}).status_code == 403
        return

    before_rows, before_public = _written_rows(), _public_text(obj)
    if not case.changes and 'name="_save"' not in client.get(url).content.decode():
        # A log shows no Save button; a form posted all the same changes nothing and raises nothing.
        assert client.post(url, {"_save": "Save"}).status_code in (302, 403)
        assert _written_rows() == before_rows
        return
    response, offered = _press_save(client, url, form_id)
    assert response.status_code == 302, (url, role, response.status_code, getattr(response, "context_data", {}) and
                                         response.context_data.get("errors"))
    assert _written_rows() == before_rows, f"saving {label} unchanged wrote history or the change log"

    if not case.changes:
        return  # a log: its page has no field to change
    change = next((c for c in case.changes if c.field in offered), None)
    assert change is not None, f"{role} may change {label} but its form offers none of {[c.field for c in case.changes]}"
    response, _offered = _press_save(client, url, form_id, **{change.field: change.value})
    assert response.status_code == 302, (url, role, response.status_code,
                                         response.context_data.get("errors") if hasattr(response, "context_data") else "")
    assert change.kept(model.objects.get(pk=obj.pk)), f"{role}'s change to {change.field} of {label} was not kept"
    assert _public_text(obj) == before_public, "an edit reached patients before a Medical reviewer published it"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(label for label, case in CASES.items() if case.add is not None))
def test_add_page_saves(label, role):
    case = CASES[label]
    model_admin = _admin_for(label)
    person = _person(role)
    model = model_admin.model
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
    client = _client(person)
    if not _allowed(model_admin, person, "has_add_permission"):
        assert client.get(url).status_code in (302, 403)
        return
    values = {name: value() if callable(value) else value for name, value in case.add.items()}
    before = model.objects.count()
    response, _offered = _press_save(client, url, f"{model._meta.model_name}_form", **values)
    assert response.status_code == 302, (url, role, response.status_code,
                                         response.context_data.get("errors") if hasattr(response, "context_data") else "")
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("role, language", [("superuser", "en"), ("superuser", "ar"), (EDITOR, "en")])
def test_reading_level_text_saves_from_the_article_page(role, language):
    """The article page's own tabs: an edit there is kept as a pending change, and patients keep the published text."""
    article = _article()
    url = f"/admin/content/article/{article.pk}/change/"
    client = _client(_person(role))
    before = _public_text(article.variants.get(level="standard"))
    page = form_fields(client.get(url).content.decode(), "article_form")
    index = next(name.split("-")[1] for name, value in page.items()
                 if name.startswith("variants-") and name.endswith("-level") and value == "standard")
    response, _offered = _press_save(client, url, "article_form", **{f"variants-{index}-title_{language.replace('-', '_')}":
                                                                     "A title edited on the article page"})
    assert response.status_code == 302
    variant = article.variants.get(level="standard")
    assert getattr(variant, f"title_{language.replace('-', '_')}") == "A title edited on the article page"
    assert variant.has_pending_changes
    assert _public_text(variant) == before


def test_changing_the_cited_sources_on_the_article_page_reaches_sync_and_webhooks():
    """A source added on the page is a change patients see (the article cites it): it is logged like one."""
    article = _article()
    another = make_source(title="Limb salvage at a glance")
    url = f"/admin/content/article/{article.pk}/change/"
    before = ChangeLogEntry.objects.count()
    cited = [str(pk) for pk in article.sources.values_list("pk", flat=True)] + [str(another.pk)]
    response, _offered = _press_save(_client(_person(EDITOR)), url, "article_form", sources=cited)
    assert response.status_code == 302
    assert set(article.sources.values_list("pk", flat=True)) == {int(pk) for pk in cited}
    entry = ChangeLogEntry.objects.order_by("-id").first()
    assert ChangeLogEntry.objects.count() == before + 1 and entry.slug == article.slug
