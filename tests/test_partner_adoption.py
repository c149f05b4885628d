"""A hospital's integration adopting BoneCare, end to end (issue 17, "Done when").

The same program with the generated Python client runs against a live server in
CI (clients/python/partner_infobutton.py: steps 1 to 3). Here it runs in the
suite with Django's client, and goes on to step 4, which needs an editor and a
Medical reviewer: the partner's Spanish-only webhook endpoint hears of a Spanish
change and lists only Spanish, and its French-only endpoint hears nothing.
"""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from content.editorial import services
from content.editorial.shipped import load_shipped_content
from content.models import Article
from tests.factories import set_texts
from tests.webhooks.receiver import Receiver
from webhooks.models import Endpoint

# Committed like a real publication, so the deliveries written on commit are there for the worker.
pytestmark = pytest.mark.django_db(transaction=True)

ICD10CM = "2.16.840.1.113883.6.90"


def local(url):
    """The path and query of a link: the test client speaks to the app, not to its public address."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_partner_finds_content_by_code_reads_it_with_its_licence_and_hears_of_a_spanish_change(client, settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = 2
    load_shipped_content()

    # 1. The EHR's infobutton: bone metastases (ICD-10-CM C79.51), a patient, Spanish.
    feed = client.get("/api/v1/infobutton/", {
        "mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "C79.51",
        "informationRecipient": "PAT", "informationRecipient.languageCode.c": "es",
        "knowledgeResponseType": "application/json",
    }).json()["feed"]
    [entry] = feed["entry"]
    assert entry["lang"] == "es" and entry["level"]["served"] == "plain"

    # 2. Its link gives the article in Spanish plain language, coded as asked.
    article = client.get(local(entry["link"][0]["href"])).json()
    assert (article["language"]["served"], article["level"]["served"]) == ("es", "plain")
    assert {"system": "ICD-10-CM", "code": "C79.51"}.items() <= article["codes"][0].items()

    # 3. The licence the governance team approved, with the attribution to show, in Spanish.
    assert article["license"]["name"] == "CC BY 4.0"
    assert article["license"]["url"].endswith("deed.es")
    assert client.get(local(article["license"]["terms"])).status_code == 200

    # 4. An editor changes only the Spanish plain summary; a Medical reviewer publishes it.
    slug = article["slug"]
    with Receiver() as spanish, Receiver() as french:
        spanish_hook = Endpoint.objects.create(name="Hospital (es)", url=spanish.url, languages=["es"])
        Endpoint.objects.create(name="Hospital (fr)", url=french.url, languages=["fr"])
        published = Article.objects.get(slug=slug)
        variant = published.variants.get(level="plain")
        set_texts(variant, "es", summary=article["summary"] + " Pregunte a su equipo médico qué opción es para usted.")
        services.save_variant(variant)
        services.publish_article(published)
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)

    assert french.requests == []
    [(headers, body)] = spanish.requests
    event = Webhook(spanish_hook.secret).verify(body, headers)
    assert event["data"]["changes"] == [{"lang": "es", "level": "plain"}]
    assert event["data"]["languages"] == ["es"]
    assert [(link["lang"], link["level"]) for link in event["data"]["links"]] == [("es", "plain")]
