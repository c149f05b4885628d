"""A Medical reviewer publishing in the admin sees the fact check's differences, and must give a reason to publish over them.

The buttons are pressed as a browser would: the workflow form the change page renders is posted back.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from content.editorial import services
from content.editorial.roles import MEDICAL_REVIEWER
from content.models import Article, ArticleStatus, ChangeLogEntry, StatusChange
from tests.admin_forms import form_fields
from tests.factories import make_article, set_texts

pytestmark = pytest.mark.django_db

ENGLISH = "## Conditions\n\nThe hospital names four conditions. It does not say which data it means."
SPANISH_RIGHT = "## Condiciones\n\nEl hospital indica cuatro condiciones. No dice a qué datos se refiere."
# A number changed and a negation lost.
SPANISH_BROKEN = "## Condiciones\n\nEl hospital indica cinco condiciones. Dice a qué datos se refiere."


@pytest.fixture
def reviewer(client):
    user = User.objects.create_user("rita", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=MEDICAL_REVIEWER))
    client.force_login(user)
    return user


def article_in_review(spanish):
    article = make_article("conditions", status=ArticleStatus.DRAFT, languages=("en", "es"), levels=("standard",))
    variant = article.variants.get()
    set_texts(variant, "en", body=ENGLISH)
    set_texts(variant, "es", body=spanish)
    services.save_variant(variant)
    services.move_article(article, ArticleStatus.IN_REVIEW)
    return Article.objects.get(pk=article.pk)


def press_publish(client, article, **changes):
    page = client.get(reverse("admin:content_article_change", args=[article.pk]), HTTP_ACCEPT_LANGUAGE="en")
    data = form_fields(page.content.decode(), "workflow-form")
    data.update(changes, target=ArticleStatus.PUBLISHED)
    data.pop("csrfmiddlewaretoken", None)
    return client.post(
        reverse("admin:content_article_transition", args=[article.pk]), data, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_reviewer_sees_each_difference_with_both_sentences_side_by_side(client, reviewer):
    article = article_in_review(SPANISH_BROKEN)

    page = client.get(reverse("admin:content_article_change", args=[article.pk]), HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    table = html[html.index('id="fact-check-table"'):html.index("</table>", html.index('id="fact-check-table"'))]
    assert "The English has the number “4”; this text does not." in table
    assert "This text has the number “5”; the English does not." in table
    assert "The English is negated, this text is not." in table
    assert '<td lang="en" dir="ltr">The hospital names four conditions.</td>' in table
    assert '<td lang="es" dir="ltr">El hospital indica cinco condiciones.</td>' in table
    assert '<td lang="es" dir="ltr">Dice a qué datos se refiere.</td>' in table
    assert 'name="fact_check_reason"' in html


def test_publishing_over_differences_is_refused_without_a_reason(client, reviewer):
    article = article_in_review(SPANISH_BROKEN)

    response = press_publish(client, article)

    assert "The fact check found 3 differences from the English that no one has explained" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert not ChangeLogEntry.objects.filter(slug="conditions").exists()


def test_publishing_with_a_reason_is_kept_in_the_change_log_and_shown_translated(client, reviewer):
    article = article_in_review(SPANISH_BROKEN)

    response = press_publish(client, article, comment="Checked", fact_check_reason="Translator confirmed; fix follows")

    assert "is now Published" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    entry = ChangeLogEntry.objects.get(slug="conditions")
    assert entry.comment == (
        "Checked\nPublished over 3 fact-check differences (es standard). Reason: Translator confirmed; fix follows"
    )
    assert StatusChange.objects.filter(article=article, to_status="published").get().comment == entry.comment
    change_log = client.get(reverse("admin:content_changelogentry_change", args=[entry.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "Publicado pese a 3 diferencias de la verificación de datos (es standard). Motivo: Translator confirmed; fix follows" in (
        change_log.content.decode()
    )


def test_a_faithful_translation_publishes_with_nothing_extra(client, reviewer):
    article = article_in_review(SPANISH_RIGHT)

    page = client.get(reverse("admin:content_article_change", args=[article.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Every translation and plain text states the same numbers" in page
    assert 'name="fact_check_reason"' not in page

    press_publish(client, article)

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert ChangeLogEntry.objects.get(slug="conditions").comment == ""


def test_the_dashboard_counts_unexplained_differences_per_language_and_links_to_them(client, reviewer):
    broken, faithful = article_in_review(SPANISH_BROKEN), make_article("other", languages=("en", "es"))

    page = client.get(reverse("admin:content_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    broken_link = reverse("admin:content_article_change", args=[broken.pk]) + "#fact-check"
    row = page[page.index(broken_link) - 200:page.index(broken_link) + 300]
    assert "unexplained: 3" in row and "es&nbsp;3" in row
    faithful_link = reverse("admin:content_article_change", args=[faithful.pk]) + "#fact-check"
    assert "✓ none" in page[page.index(faithful_link):page.index(faithful_link) + 100]
