"""Clinical codes: validated per system, changed by Medical reviewers only, published with the content like text."""

from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.test import Client

from content import clinical_codes
from content.editorial import services
from content.editorial.roles import EDITOR, MEDICAL_REVIEWER, TRANSLATOR, ensure_roles
from content.editorial.shipped import SHIPPED_DIR, load_shipped_content
from content.editorial.workflow import change_status
from content.models import Article, ArticleStatus, ChangeLogEntry, GlossaryTerm, LanguageAssignment, ShippedFingerprint
from tests.admin_forms import form_fields
from tests.factories import make_article, make_term

BONE_METS = {"system": "ICD-10-CM", "code": "C79.51", "display": "Secondary malignant neoplasm of bone"}
LIMBS = {"system": "ICD-10-CM", "code": "C40", "display": "Malignant neoplasm of bone and articular cartilage of limbs"}


def person(role, languages=()):
    ensure_roles()
    user = User.objects.create_user(role.lower().replace(" ", "-"), password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for language in languages:
        LanguageAssignment.objects.create(user=user, language=language)
    return User.objects.get(pk=user.pk)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- validation (no database)


@pytest.mark.parametrize("system, code", [
    ("ICD-10-CM", "C79.51"), ("ICD-10-CM", "C40"), ("ICD-10-CM", "C40.21"),
    ("ICD-O-3", "9180/3"), ("ICD-O-3", "8810/3"),
    ("SNOMED-CT", "128462008"), ("SNOMED-CT", "126537000"),
])
def test_published_codes_are_well_formed(system, code):
    assert clinical_codes.code_problems(system, code) == []


@pytest.mark.parametrize("system, code", [
    ("ICD-10", "C79.51"),  # not a system we name
    ("ICD-10-CM", "C79-51"), ("ICD-10-CM", "79.51"), ("ICD-10-CM", "C79.51234"),
    ("ICD-O-3", "9180"), ("ICD-O-3", "9180/5"), ("ICD-O-3", "C40.2"),
    ("SNOMED-CT", "128462009"),  # check digit wrong
    ("SNOMED-CT", "12345"), ("SNOMED-CT", "C79.51"),
])
def test_malformed_codes_are_refused_with_a_reason(system, code):
    assert clinical_codes.code_problems(system, code)


def test_codes_are_normalised_and_deduplicated():
    codes, problems = clinical_codes.normalise_codes([
        {"system": "ICD-10-CM", "code": " c79.51 ", "display": "Secondary  malignant neoplasm of bone"},
        BONE_METS,
    ])
    assert problems == [] and codes == [BONE_METS]
    assert clinical_codes.normalise_codes([{"system": "ICD-10-CM", "code": "C40", "display": ""}])[1]


def test_icd10cm_lineage_walks_up_to_the_category():
    assert clinical_codes.icd10cm_lineage("C40.21") == ["C40.21", "C40.2", "C40"]
    assert clinical_codes.icd10cm_lineage("c4021") == ["C40.21", "C40.2", "C40"]
    assert clinical_codes.icd10cm_lineage("C40") == ["C40"]


def test_every_shipped_code_cites_where_it_was_verified_and_is_well_formed():
    data = yaml.safe_load((SHIPPED_DIR / "codes.yaml").read_text(encoding="utf-8"))
    articles = {path.name for path in (SHIPPED_DIR / "articles").iterdir()}
    terms = {path.stem for path in (SHIPPED_DIR / "glossary").glob("*.yaml")}
    for entry in data["codes"]:
        assert clinical_codes.code_problems(entry["system"], entry["code"]) == []
        assert entry["verified"] and all(s["url"].startswith("http") and s["says"] for s in entry["verified"])
        # The cited page names the code and its display name.
        assert any(entry["code"] in s["says"] and entry["display"].split(",")[0].lower() in s["says"].lower()
                   for s in entry["verified"]), entry["code"]
        assert set(entry.get("articles", [])) <= articles and set(entry.get("glossary", [])) <= terms
    assert data["left_out"], "codes that could not be verified are listed with the reason"


# ---------------------------------------------------------------- write path and publication


@pytest.mark.django_db
def test_only_a_medical_reviewer_changes_codes():
    article = make_article("bone-mets")
    article.codes = [BONE_METS]
    with pytest.raises(services.EditRefused, match="Medical reviewer"):
        services.save_article_details(article, user=person(EDITOR))
    article.codes = [BONE_METS]
    services.save_article_details(article, user=person(MEDICAL_REVIEWER))
    assert Article.objects.get(pk=article.pk).codes == [BONE_METS]


@pytest.mark.django_db
def test_a_malformed_code_is_refused_by_the_write_path():
    article = make_article("bone-mets")
    article.codes = [{"system": "ICD-10-CM", "code": "bone", "display": "Bone"}]
    with pytest.raises(services.EditRefused, match="not a ICD-10-CM code"):
        services.save_article_details(article)


@pytest.mark.django_db
def test_a_code_change_waits_for_publication_and_is_logged_when_published(client):
    article = make_article("bone-mets", languages=("en", "es"))
    reviewer = person(MEDICAL_REVIEWER)
    article.codes = [BONE_METS]
    services.save_article_details(article, user=reviewer)

    assert client.get("/api/v1/articles/bone-mets/?lang=es").json()["codes"] == []
    assert client.get("/api/v1/articles/?lang=es").json()["results"][0]["codes"] == []
    before = ChangeLogEntry.objects.count()

    change_status(Article.objects.get(pk=article.pk), ArticleStatus.PUBLISHED, reviewer, "Coded")

    assert client.get("/api/v1/articles/bone-mets/?lang=es").json()["codes"] == [BONE_METS]
    assert client.get("/api/v1/articles/?lang=es").json()["results"][0]["codes"] == [BONE_METS]
    entry = ChangeLogEntry.objects.order_by("-id").first()
    assert ChangeLogEntry.objects.count() == before + 1 and entry.action == "republished"
    # Codes are shown in every language (untranslated ones are served the English text with them).
    assert set(entry.languages) == {"en", "es", "fr", "zh-hans", "ar"} and set(entry.levels) == {"standard", "plain"}
    sync = client.get("/api/v1/sync/?lang=es").json()
    assert sync["articles"][0]["codes"] == [BONE_METS]


@pytest.mark.django_db
def test_a_glossary_terms_codes_are_published_with_it(client):
    term = make_term("osteosarcoma", en=("osteosarcoma", "A bone cancer.", "A bone cancer."))
    term.codes = [{"system": "ICD-O-3", "code": "9180/3", "display": "Osteosarcoma, NOS"}]
    assert services.save_glossary_term(term, user=person(MEDICAL_REVIEWER))
    assert GlossaryTerm.objects.get(pk=term.pk).has_pending_changes
    assert client.get("/api/v1/glossary/osteosarcoma/").json()["codes"] == []
    services.publish_glossary_term(GlossaryTerm.objects.get(pk=term.pk))
    assert client.get("/api/v1/glossary/osteosarcoma/").json()["codes"] == term.codes


# ---------------------------------------------------------------- the admin


@pytest.mark.django_db
def test_medical_reviewer_edits_codes_in_the_admin_and_publishes_them():
    article = make_article("bone-mets")
    reviewer = logged_in(person(MEDICAL_REVIEWER))
    url = f"/admin/content/article/{article.pk}/change/"
    data = form_fields(reviewer.get(url).content.decode(), "article_form")
    data.pop("csrfmiddlewaretoken", None)
    data["codes"] = "ICD-10-CM | C79.51 | Secondary malignant neoplasm of bone\nICD-O-3 | 9180/3 | Osteosarcoma, NOS"
    response = reviewer.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert [c["code"] for c in article.codes] == ["C79.51", "9180/3"] and article.live_codes == []
    page = reviewer.get(url).content.decode()
    assert "clinical codes" in page and "Publish the pending changes" in page


@pytest.mark.django_db
def test_a_malformed_code_in_the_admin_is_shown_not_saved():
    article = make_article("bone-mets")
    reviewer = logged_in(person(MEDICAL_REVIEWER))
    url = f"/admin/content/article/{article.pk}/change/"
    data = form_fields(reviewer.get(url).content.decode(), "article_form")
    data.pop("csrfmiddlewaretoken", None)
    data["codes"] = "ICD-10-CM | C79-51 | Secondary malignant neoplasm of bone"
    response = reviewer.post(url, {**data, "_save": "Save"})
    assert response.status_code == 200
    assert "is not a ICD-10-CM code" in response.content.decode()
    assert Article.objects.get(pk=article.pk).codes == []


@pytest.mark.django_db
@pytest.mark.parametrize("role, languages", [(EDITOR, ()), (TRANSLATOR, ("es",))])
def test_editors_and_translators_see_codes_but_cannot_change_them(role, languages):
    article = make_article("bone-mets")
    article.codes = [BONE_METS]
    services.save_article_details(article)
    term = make_term("bone-metastasis", en=("bone metastasis", "Cancer spread to bone.", "Cancer in the bones."))
    client = logged_in(person(role, languages))
    for url, form_id in ((f"/admin/content/article/{article.pk}/change/", "article_form"),
                         (f"/admin/content/glossaryterm/{term.pk}/change/", "glossaryterm_form")):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "codes" not in form_fields(html, form_id)
        if "article" in url:
            assert "C79.51" in html  # shown read-only
        data = form_fields(html, form_id)
        data.pop("csrfmiddlewaretoken", None)
        client.post(url, {**data, "codes": "ICD-10-CM | C40 | Malignant neoplasm", "_save": "Save"})
    assert Article.objects.get(pk=article.pk).codes == [BONE_METS]
    assert GlossaryTerm.objects.get(pk=term.pk).codes == []


# ---------------------------------------------------------------- shipped codes


@pytest.mark.django_db
def test_a_fresh_database_gets_the_shipped_codes_published(client):
    load_shipped_content()
    assert BONE_METS in client.get("/api/v1/articles/treating-bone-metastases/").json()["codes"]
    assert client.get("/api/v1/articles/metastatic-bone-cancer/").json()["codes"] == [
        LIMBS, {"system": "ICD-10-CM", "code": "C41",
                "display": "Malignant neoplasm of bone and articular cartilage of other and unspecified sites"}]
    assert client.get("/api/v1/glossary/osteosarcoma/").json()["codes"] == [
        {"system": "ICD-O-3", "code": "9180/3", "display": "Osteosarcoma, NOS"}]


@pytest.mark.django_db
def test_an_existing_database_gets_shipped_codes_as_pending_changes_and_an_edit_is_kept(client):
    load_shipped_content()
    # As a database loaded before codes were shipped: no codes anywhere, no record of shipped ones.
    Article.objects.update(codes=[], live_codes=[])
    GlossaryTerm.objects.update(codes=[], live_codes=[])
    ShippedFingerprint.objects.filter(key__startswith="codes:").delete()
    edited = Article.objects.get(slug="surgery-and-limb-salvage")
    edited.codes = [BONE_METS]
    services.save_article_details(edited, user=person(MEDICAL_REVIEWER))

    summary = load_shipped_content()

    article = Article.objects.get(slug="treating-bone-metastases")
    assert article.codes == [BONE_METS] and article.live_codes == [] and article.has_pending_codes
    assert client.get("/api/v1/articles/treating-bone-metastases/").json()["codes"] == []
    assert GlossaryTerm.objects.get(slug="osteosarcoma").has_pending_changes
    assert Article.objects.get(slug="surgery-and-limb-salvage").codes == [BONE_METS]
    assert ("article surgery-and-limb-salvage codes",
            "changed in BoneCare since it was shipped; the shipped codes were not applied") in summary.skipped

    services.publish_article(article)
    assert BONE_METS in client.get("/api/v1/articles/treating-bone-metastases/").json()["codes"]
    # A restart changes nothing more.
    again = load_shipped_content()
    assert not [label for label in again.updated if "codes" in label]
