"""After a publication, the queue renders again every stored answer it affects, whatever the request limits."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from content.delivery.answers.refresh import refresh_stored_answers
from content.editorial import services
from content.models import ChangeLogEntry, GlossaryTerm, StoredPayload
from partners import limits
from tests.factories import make_article, make_term


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions, as in production
def test_a_glossary_publication_stores_every_affected_answer_afresh_whatever_the_limits(client, settings, monkeypatch):
    make_term("biopsy", en=("biopsy", "Taking a small piece of tissue.", "Taking a tiny bit of you."))
    for slug in ("a", "b", "c", "d"):
        make_article(slug)  # each body says "biopsy": each shows the term's definition
    for number, (slug, level) in enumerate((s, lv) for s in "abcd" for lv in ("standard", "plain")):
        response = client.get(f"/api/v1/articles/{slug}/", {"lang": "en", "level": level}, REMOTE_ADDR=f"203.0.113.{number}")
        assert response.status_code == 200
    before = dict(StoredPayload.objects.filter(scope__startswith="article:").values_list("key", "version"))
    assert len(before) == 8
    DBTaskResult.objects.all().delete()  # what setting up queued

    settings.BONECARE_ANONYMOUS_LIMIT = 5  # fewer than the answers to render again
    counted = []
    count_request = limits.count_request
    monkeypatch.setattr(limits, "count_request", lambda *a, **kw: counted.append(a) or count_request(*a, **kw))
    term = GlossaryTerm.objects.get(slug="biopsy")
    term.definition_en = "Taking a small piece of tissue to look at under a microscope."
    term.plain_definition_en = "Taking a tiny bit of you to look at under a microscope."
    services.save_glossary_term(term)
    services.publish_glossary_term(term)

    # The publication only queued the work: nothing was rendered in the editor's request.
    assert dict(StoredPayload.objects.filter(key__in=before).values_list("key", "version")) == before
    queued = DBTaskResult.objects.filter(task_path=refresh_stored_answers.module_path)
    assert queued.count() >= 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert counted == []  # no caller's budget was spent
    after = {row.key: row for row in StoredPayload.objects.filter(key__in=before)}
    assert sorted(key for key in before if after[key].version != before[key]) == sorted(before)
    assert all(b"under a microscope" in row.body for row in after.values())
    assert {task.status for task in queued} == {"SUCCESSFUL"}
    assert sum(task.return_value for task in queued) == 8  # each rendered once, however many entries touched it


@pytest.mark.django_db
def test_each_change_touches_the_stored_answers_that_show_it(client):
    from content.delivery.answers import scopes

    make_term("biopsy", en=("biopsy", "Taking a small piece of tissue.", "Taking a tiny bit of you."))
    make_article("a")
    make_article("b")
    for path in ("/api/v1/articles/a/", "/api/v1/articles/b/", "/api/v1/articles/?level=plain", "/api/v1/languages/",
                 "/api/v1/glossary/", "/api/v1/glossary/biopsy/", "/api/v1/bundle/"):
        assert client.get(path).status_code == 200
    article_entry = ChangeLogEntry(kind=ChangeLogEntry.Kind.ARTICLE, slug="a")
    term_entry = ChangeLogEntry(kind=ChangeLogEntry.Kind.GLOSSARY_TERM, slug="biopsy")

    def touched(entry):
        return sorted(StoredPayload.objects.filter(scopes.affected(entry)).values_list("scope", flat=True))

    assert touched(article_entry) == ["article:a", "articles:plain", "bundle", "reference"]
    assert touched(term_entry) == ["article:a", "article:b", "bundle", "glossary", "glossary-term:biopsy"]


@pytest.mark.django_db
def test_a_body_is_stored_with_the_version_its_row_is_then_checked_against(client):
    """One definition of each scope's validators: what a view stores under is what the lookup reads."""
    from content.delivery import stored
    from content.delivery.answers import scopes

    make_term("biopsy", en=("biopsy", "Taking a small piece of tissue.", "Taking a tiny bit of you."))
    make_article("a")
    for path in ("/api/v1/articles/a/", "/api/v1/articles/", "/api/v1/languages/", "/api/v1/glossary/",
                 "/api/v1/glossary/biopsy/", "/api/v1/bundle/", "/api/v1/search/?q=biopsy"):
        assert client.get(path).status_code == 200
    rows = list(StoredPayload.objects.all())
    assert len(rows) == 6
    for row in rows:
        assert row.version == stored.version_of(scopes.current_version(row.scope)), row.scope
        assert stored.fresh_answer(row.key, scopes.validators(row.scope), compressed=False) is not None, row.scope
    # A search is held in the process, not stored, and checked the same way.
    assert stored.held_keys() == ["/api/v1/search/?q=biopsy"]
    assert stored.fresh_answer("/api/v1/search/?q=biopsy", scopes.validators("published"), False, held=True)


@pytest.mark.django_db(transaction=True)
def test_answers_stored_for_a_language_chosen_by_accept_language_are_rendered_again_in_that_language(client):
    """A phone sends Accept-Language, not `lang`: after a publication its stored answer is rendered again as
    that phone would get it, in its language, and still repeats each phone's own header."""
    from content.delivery.answers.refresh import refresh

    make_term("biopsy", en=("biopsy", "Taking a small piece of tissue.", "Taking a tiny bit of you."),
              es=("biopsia", "Se toma un trozo pequeño de tejido.", "Se toma un poquito de ti."))
    make_article("a")
    for header in ("es-ES,es;q=0.9", "sw"):  # Spanish; and a language we do not have (English, said so)
        assert client.get("/api/v1/glossary/biopsy/", HTTP_ACCEPT_LANGUAGE=header).status_code == 200
    keys = sorted(StoredPayload.objects.filter(scope="glossary-term:biopsy").values_list("key", flat=True))
    assert keys == ["/api/v1/glossary/biopsy/?accept-language=es", "/api/v1/glossary/biopsy/?accept-language=unmatched"]
    before = dict(StoredPayload.objects.filter(key__in=keys).values_list("key", "version"))

    term = GlossaryTerm.objects.get(slug="biopsy")
    term.definition_es = "Se toma un trozo pequeño de tejido para mirarlo al microscopio."
    term.definition_en = "Taking a small piece of tissue to look at under a microscope."
    services.save_glossary_term(term)
    services.publish_glossary_term(term)
    assert refresh(StoredPayload.objects.filter(key__in=keys)) == 2

    after = {row.key: row for row in StoredPayload.objects.filter(key__in=keys)}
    assert all(after[key].version != before[key] for key in keys)
    assert b"al microscopio" in after["/api/v1/glossary/biopsy/?accept-language=es"].body
    assert b"under a microscope" in after["/api/v1/glossary/biopsy/?accept-language=unmatched"].body
    answer = client.get("/api/v1/glossary/biopsy/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.8")
    assert answer["Content-Language"] == "es" and "al microscopio" in answer.json()["definition"]
    assert answer.json()["language"]["requested"] == "es-MX,es;q=0.8"
