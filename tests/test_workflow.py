"""Roles, status transitions and their record."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from content.models import ArticleStatus, LanguageAssignment, StatusChange
from content.editorial.roles import EDITOR, MEDICAL_REVIEWER, TRANSLATOR
from content.editorial.workflow import TransitionRefused, change_status
from content.editorial import services
from tests.factories import make_article, set_texts

pytestmark = pytest.mark.django_db


def person(username, role, languages=()):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for language in languages:
        LanguageAssignment.objects.create(user=user, language=language)
    return User.objects.get(pk=user.pk)  # fresh permission cache


def test_the_three_roles_exist_after_migrate_and_setup_roles_is_idempotent():
    call_command("setup_roles", verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITOR, TRANSLATOR, MEDICAL_REVIEWER}
    assert Group.objects.get(name=MEDICAL_REVIEWER).permissions.filter(codename="publish_article").exists()
    assert not Group.objects.get(name=EDITOR).permissions.filter(codename="publish_article").exists()


def test_editor_submits_reviewer_publishes_and_every_step_is_recorded():
    editor, reviewer = person("eddie", EDITOR), person("rita", MEDICAL_REVIEWER)
    article = make_article("a", status=ArticleStatus.DRAFT)

    change_status(article, ArticleStatus.IN_REVIEW, editor, "Ready for a look")
    change_status(article, ArticleStatus.PUBLISHED, reviewer, "Checked against the sources")

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    steps = list(StatusChange.objects.filter(article=article).order_by("changed_at", "pk"))
    assert [(s.from_status, s.to_status, s.changed_by.username, s.comment) for s in steps] == [
        ("draft", "in_review", "eddie", "Ready for a look"),
        ("in_review", "published", "rita", "Checked against the sources"),
    ]


@pytest.mark.parametrize(
    "role, start, target",
    [
        (EDITOR, ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED),
        (TRANSLATOR, ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW),
        (EDITOR, ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED),
        (MEDICAL_REVIEWER, ArticleStatus.DRAFT, ArticleStatus.PUBLISHED),
    ],
)
def test_moves_a_role_may_not_make_are_refused(role, start, target):
    article = make_article("a", status=start)
    moves_before = StatusChange.objects.count()

    with pytest.raises(TransitionRefused):
        change_status(article, target, person("someone", role), "")

    article.refresh_from_db()
    assert article.status == start
    assert StatusChange.objects.count() == moves_before


def test_publishing_a_plain_text_above_its_readability_target_is_refused_with_the_reason():
    reviewer = person("rita", MEDICAL_REVIEWER)
    article = make_article("a", status=ArticleStatus.IN_REVIEW)
    plain = article.variants.get(level="plain")
    set_texts(
        plain,
        "en",
        body=(
            "Multidisciplinary orthopaedic oncological management necessitates comprehensive preoperative "
            "chemotherapeutic cytoreduction, meticulous intraoperative margin determination, and sophisticated "
            "reconstructive methodologies incorporating endoprosthetic arthroplasty."
        ),
    )
    services.save_variant(plain)

    with pytest.raises(TransitionRefused) as refused:
        change_status(article, ArticleStatus.PUBLISHED, reviewer, "")

    assert any("readability target" in reason for reason in refused.value.reasons)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_publishing_with_a_missing_required_field_is_refused():
    article = make_article("a", status=ArticleStatus.IN_REVIEW)
    standard = article.variants.get(level="standard")
    standard.summary_en = ""
    services.save_variant(standard)

    with pytest.raises(TransitionRefused) as refused:
        change_status(article, ArticleStatus.PUBLISHED, person("rita", MEDICAL_REVIEWER), "")

    assert any("English summary" in reason for reason in refused.value.reasons)


def test_admin_workflow_buttons_move_the_article_and_show_refusals(client):
    editor = person("eddie", EDITOR)
    article = make_article("a", status=ArticleStatus.DRAFT)
    client.force_login(editor)

    page = client.get(f"/admin/content/article/{article.pk}/change/").content.decode()
    assert "Submit for medical review" in page
    assert "Approve and publish" not in page

    client.post(f"/admin/content/article/{article.pk}/transition/", {"target": "in_review", "comment": "please"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW

    response = client.post(f"/admin/content/article/{article.pk}/transition/", {"target": "published"}, follow=True)
    assert "not allowed" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_translator_cannot_touch_english_or_unassigned_languages(client):
    translator = person("tomas", TRANSLATOR, languages=("es",))
    article = make_article("a", languages=("en", "es", "fr"))
    variant = article.variants.get(level="standard")
    client.force_login(translator)

    page = client.get(f"/admin/content/articlevariant/{variant.pk}/change/").content.decode()

    assert 'name="title_es"' in page
    assert 'name="title_en"' not in page
    assert 'name="title_fr"' not in page


def test_editor_edits_english_but_not_translations(client):
    editor = person("eddie", EDITOR)
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    client.force_login(editor)

    page = client.get(f"/admin/content/articlevariant/{variant.pk}/change/").content.decode()

    assert 'name="title_en"' in page
    assert 'name="title_es"' not in page


def test_medical_reviewer_records_a_review_but_cannot_change_the_text(client):
    reviewer = person("rita", MEDICAL_REVIEWER)
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    reviews = list(variant.reviews.order_by("language"))
    client.force_login(reviewer)

    page = client.get(f"/admin/content/articlevariant/{variant.pk}/change/").content.decode()
    assert 'name="title_en"' not in page and 'name="title_es"' not in page
    assert 'name="reviews-0-status"' in page

    data = {
        "reviews-TOTAL_FORMS": "2", "reviews-INITIAL_FORMS": "2", "reviews-MIN_NUM_FORMS": "0", "reviews-MAX_NUM_FORMS": "1000",
    }
    for index, review in enumerate(reviews):
        data.update({
            f"reviews-{index}-id": review.pk, f"reviews-{index}-variant": variant.pk,
            f"reviews-{index}-status": "clinician_reviewed" if review.language == "es" else "unreviewed",
            f"reviews-{index}-reviewed_by": "", f"reviews-{index}-reviewed_on": "",
        })
    response = client.post(f"/admin/content/articlevariant/{variant.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    review = client.get("/api/v1/articles/a/", {"lang": "es"}).json()["review"]
    assert review["status"] == "clinician_reviewed"
    assert review["reviewed_by"] == "rita"
    assert review["reviewed_on"]
