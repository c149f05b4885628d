"""Changes as precise as the change: an edit reaches exactly the readers whose served text it changed.

Each case publishes one edit and then asks every sync feed (language × level,
from the cursor before the edit) and looks at the deliveries written for
endpoints that subscribe to one language each and to all of them.
"""

import json

import pytest
from content.delivery.stored import forget_held

from content.editorial import services
from content.models import ChangeLogEntry, ReadingLevel, StoredPayload
from tests.factories import make_article, make_term, set_texts
from webhooks.models import Delivery, Endpoint

# Committed like a real publication, so what runs after the commit (stored answers dropped) runs here too.
pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("en", "es", "fr", "zh-hans", "ar")
LEVELS = tuple(ReadingLevel.values)
PAIRS = [(language, level) for language in LANGUAGES for level in LEVELS]


@pytest.fixture(autouse=True)
def no_answers_from_earlier_tests():
    """Sync answers are stored and cached by change-log id, and ids start again in each test: an earlier test's
    answer for the same cursor would answer here (a transactional test's database is emptied after it, not before)."""
    StoredPayload.objects.all().delete()
    forget_held()


@pytest.fixture
def endpoints():
    """One endpoint per language, and one for all languages: {language or "all": endpoint}."""
    hooks = {
        language: Endpoint.objects.create(name=f"{language} only", url="http://127.0.0.1:9/hooks/", languages=[language])
        for language in LANGUAGES
    }
    hooks["all"] = Endpoint.objects.create(name="all languages", url="http://127.0.0.1:9/hooks/")
    return hooks


def cursors(client):
    """The cursor every sync feed holds now."""
    return {pair: sync(client, pair)["cursor"] for pair in PAIRS}


def sync(client, pair, cursor=None):
    language, level = pair
    response = client.get("/api/v1/sync/", {"lang": language, "level": level, **({"cursor": cursor} if cursor else {})})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def feeds_reached(client, held):
    """{pair: (article slugs, term slugs)} of each feed that got anything since its cursor."""
    reached = {}
    for pair, cursor in held.items():
        answer = sync(client, pair, cursor)
        assert answer["tombstones"] == []
        got = (sorted(a["slug"] for a in answer["articles"]), sorted(t["slug"] for t in answer["glossary"]))
        if got != ([], []):
            reached[pair] = got
    return reached


def events_for(hooks, entry):
    """{endpoint key: the event body} for each endpoint the entry was written for."""
    names = {endpoint.pk: key for key, endpoint in hooks.items()}
    return {names[d.endpoint_id]: json.loads(d.body) for d in Delivery.objects.filter(entry=entry)}


def edit_and_publish(article, language, level, **texts):
    variant = article.variants.get(level=level)
    set_texts(variant, language, **texts)
    services.save_variant(variant)
    return services.publish_article(article)


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "en"])
@pytest.mark.parametrize("level", LEVELS)
def test_an_edit_of_one_translation_reaches_only_its_language_and_level(client, endpoints, language, level):
    article = make_article("bone-pain", languages=LANGUAGES)
    make_article("untouched", languages=LANGUAGES)
    held = cursors(client)

    entry = edit_and_publish(article, language, level, summary=f"A new summary [{language} {level}].")

    assert entry.scope == [[language, level]]
    assert (entry.languages, entry.levels) == ([language], [level])
    assert feeds_reached(client, held) == {(language, level): (["bone-pain"], [])}
    events = events_for(endpoints, entry)
    assert set(events) == {language, "all"}, "only the endpoints of that language, and those of every language"
    for event in events.values():
        assert event["data"]["changes"] == [{"lang": language, "level": level}]
        assert (event["data"]["languages"], event["data"]["levels"]) == ([language], [level])
        assert [(link["lang"], link["level"]) for link in event["data"]["links"]] == [(language, level)]


@pytest.mark.parametrize("level", LEVELS)
def test_an_english_edit_reaches_every_language_at_that_level_that_shows_it(client, endpoints, level):
    """Translations made from the old English now carry an "out of date" notice; untranslated ones show the English."""
    article = make_article("bone-pain", languages=LANGUAGES)
    held = cursors(client)

    entry = edit_and_publish(article, "en", level, summary="A new English summary.")

    assert entry.scope == [[language, level] for language in sorted(LANGUAGES)]
    assert feeds_reached(client, held) == {(language, level): (["bone-pain"], []) for language in LANGUAGES}
    assert set(events_for(endpoints, entry)) == {*LANGUAGES, "all"}


def test_an_english_edit_reaches_the_languages_that_fall_back_to_english(client, endpoints):
    article = make_article("bone-pain", languages=("en", "es"), levels=("standard",))
    held = cursors(client)

    entry = edit_and_publish(article, "en", "standard", summary="A new English summary.")

    # French, Chinese and Arabic readers are served the English text, at both levels (there is no plain text), and
    # Spanish readers now see that their translation may be out of date.
    assert sorted(map(tuple, entry.scope)) == PAIRS_SORTED
    assert set(feeds_reached(client, held)) == set(PAIRS)

    held = cursors(client)
    entry = edit_and_publish(article, "es", "standard", summary="Un resumen nuevo.")
    # Plain readers of Spanish are served the standard Spanish text (no plain variant): both levels see the edit.
    assert entry.scope == [["es", "plain"], ["es", "standard"]]
    assert set(feeds_reached(client, held)) == {("es", "plain"), ("es", "standard")}
    assert set(events_for(endpoints, entry)) == {"es", "all"}


PAIRS_SORTED = sorted(PAIRS)


def test_a_spanish_only_glossary_change_reaches_only_spanish_readers(client, endpoints):
    term = make_term(
        "biopsy",
        en=("biopsy", "A sample of tissue.", "A small piece."),
        es=("biopsia", "Una muestra de tejido.", "Un trozo pequeño."),
        fr=("biopsie", "Un échantillon de tissu.", "Un petit morceau."),
    )
    make_article("uses-it", languages=("en", "es", "fr"))  # each body mentions a biopsy
    held = cursors(client)

    term.plain_definition_es = "Un trozo pequeño que se mira al microscopio."
    services.save_glossary_term(term)
    term_entry = services.publish_glossary_term(term)
    article_entry = ChangeLogEntry.objects.get(kind=ChangeLogEntry.Kind.ARTICLE, id__gt=term_entry.id)

    # The term is served with both definitions at every level; the article shows the plain one only at plain level.
    assert term_entry.scope == [["es", "plain"], ["es", "standard"]]
    assert article_entry.scope == [["es", "plain"]]
    assert feeds_reached(client, held) == {("es", "plain"): (["uses-it"], ["biopsy"]), ("es", "standard"): ([], ["biopsy"])}
    assert set(events_for(endpoints, term_entry)) == set(events_for(endpoints, article_entry)) == {"es", "all"}


def test_an_english_glossary_change_reaches_the_languages_showing_the_english_definition(client, endpoints):
    term = make_term(
        "biopsy",
        en=("biopsy", "A sample of tissue.", "A small piece."),
        es=("biopsia", "Una muestra de tejido.", "Un trozo pequeño."),
    )
    make_article("uses-it", languages=("en", "es"))  # French, Chinese and Arabic readers get the English body
    held = cursors(client)

    term.definition_en = "A sample of tissue, looked at under a microscope."
    services.save_glossary_term(term)
    term_entry = services.publish_glossary_term(term)
    article_entry = ChangeLogEntry.objects.get(kind=ChangeLogEntry.Kind.ARTICLE, id__gt=term_entry.id)

    english_shown = ("en", "fr", "zh-hans", "ar")
    assert sorted(map(tuple, term_entry.scope)) == sorted((language, level) for language in english_shown for level in LEVELS)
    assert sorted(map(tuple, article_entry.scope)) == sorted((language, "standard") for language in english_shown)
    reached = feeds_reached(client, held)
    assert {pair for pair, (articles, _terms) in reached.items() if articles} == {(lang, "standard") for lang in english_shown}
    assert not any(language == "es" for language, _level in reached)
    assert set(events_for(endpoints, article_entry)) == {*english_shown, "all"}


def test_the_admin_change_log_lists_the_languages_and_levels(admin_client):
    article = make_article("bone-pain", languages=LANGUAGES)
    edit_and_publish(article, "es", "plain", summary="Un resumen nuevo.")
    page = admin_client.get("/admin/content/changelogentry/").content.decode()
    assert "es: Plain language" in page
    entry = ChangeLogEntry.objects.latest("id")
    detail = admin_client.get(f"/admin/content/changelogentry/{entry.pk}/change/").content.decode()
    assert "es: Plain language" in detail and "fr: " not in detail


def test_a_spanish_plain_edit_is_posted_to_spanish_endpoints_and_not_to_french_ones(settings):
    """End to end through the real worker and receivers, as a partner sees it."""
    from django.core.management import call_command
    from standardwebhooks.webhooks import Webhook

    from tests.webhooks.receiver import Receiver

    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = 2
    article = make_article("bone-pain", languages=LANGUAGES)
    with Receiver() as spanish, Receiver() as french:
        spanish_hook = Endpoint.objects.create(name="Spanish", url=spanish.url, languages=["es"])
        Endpoint.objects.create(name="French", url=french.url, languages=["fr"])
        edit_and_publish(article, "es", "plain", summary="Un resumen nuevo.")
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    assert french.requests == []
    [(headers, body)] = spanish.requests
    event = Webhook(spanish_hook.secret).verify(body, headers)
    assert event["type"] == "article.updated"
    assert event["data"]["changes"] == [{"lang": "es", "level": "plain"}]
    assert [link["url"] for link in event["data"]["links"]] == [
        "http://127.0.0.1:8000/api/v1/articles/bone-pain/?lang=es&level=plain"
    ]
