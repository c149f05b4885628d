"""A health partner's program, with the generated Python client (package `bonecare_client`), against a live server.

    python clients/python/partner_infobutton.py BASE_URL

What a hospital's integration does when a clinician presses the infobutton next
to a diagnosis of bone metastases for a Spanish-speaking patient:

1. asks /api/v1/infobutton/ for ICD-10-CM C79.51 (secondary malignant neoplasm
   of bone), for a patient (`PAT`), in Spanish, as JSON;
2. follows each entry's link with the generated client (`articles_retrieve`),
   in the language and level the link names: the link's host is the server's
   public address, so the program keeps its own base URL and reads the article,
   language and level from the link;
3. reads the licence where the server has one (each entry's `license`, and the
   article's own `license` once articles carry it), to show the attribution.

Run by ci/clients.sh after smoke.py. Ends with "partner: N passed, N failed".
"""

import sys
import traceback
from urllib.parse import parse_qs, urlsplit

from bonecare_client import Client
from bonecare_client.api.articles import articles_retrieve
from bonecare_client.api.infobutton import infobutton
from bonecare_client.models import (
    ArticleDetail,
    InfobuttonInformationRecipient,
    InfobuttonKnowledgeResponseType,
    InfobuttonMainSearchCriteriaVCs,
    InfobuttonResponse,
    LanguageCodeEnum,
    ReadingLevelEnum,
)
from bonecare_client.types import Unset

BONE_METASTASES = "C79.51"


def parsed(response, model):
    assert response.status_code == 200, f"{response.status_code}: {response.content[:300]!r}"
    assert isinstance(response.parsed, model), f"parsed as {type(response.parsed).__name__}, not {model.__name__}"
    return response.parsed


def ask_infobutton(client):
    feed = parsed(
        infobutton.sync_detailed(
            client=client,
            main_search_criteria_v_cs=InfobuttonMainSearchCriteriaVCs.ICD10CM,
            main_search_criteria_v_c=BONE_METASTASES,
            main_search_criteria_v_dn="Secondary malignant neoplasm of bone",
            information_recipient=InfobuttonInformationRecipient.PAT,
            information_recipient_language_code_c="es",
            knowledge_response_type=InfobuttonKnowledgeResponseType.JSON,
        ),
        InfobuttonResponse,
    ).feed
    assert feed.language.served == LanguageCodeEnum.ES and not feed.language.fell_back
    assert feed.entry, f"no published article is coded ICD-10-CM {BONE_METASTASES}"
    return feed


def follow(client, entry):
    """The article an entry links to, fetched with the generated client in the link's language and level."""
    link = urlsplit(entry.link[0].href)
    slug = link.path.rstrip("/").split("/")[-1]
    query = {name: values[0] for name, values in parse_qs(link.query).items()}
    assert query == {"lang": "es", "level": "plain"}, f"the link asks for {query}"
    article = parsed(
        articles_retrieve.sync_detailed(
            slug, client=client, lang=LanguageCodeEnum(query["lang"]), level=ReadingLevelEnum(query["level"])
        ),
        ArticleDetail,
    )
    assert article.title == entry.title.field_value, (article.title, entry.title.field_value)
    assert article.language.served == LanguageCodeEnum.ES
    assert BONE_METASTASES in [code.code for code in article.codes]
    return article


def licence_of(entry, article):
    """The licence to show with the text: the article's own once it has one, else the feed entry's; None if unset."""
    own = getattr(article, "license_", None)
    if own is None or isinstance(own, Unset):
        own = article.additional_properties.get("license")
    if own:
        return own if isinstance(own, dict) else own.to_dict()
    return entry.license_.to_dict() if entry.license_ is not None else None


def main(base_url):
    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    passed = failed = 0
    try:
        feed = ask_infobutton(client)
        for entry in feed.entry:
            article = follow(client, entry)
            licence = licence_of(entry, article)
            shown = f"{licence['name']} ({licence.get('url') or 'no URL'})" if licence else "none set on this server"
            print(f"partner: {article.slug} [{article.language.served}, {article.level.served}] "
                  f"“{article.title}”; licence: {shown}")
    except Exception:  # noqa: BLE001 - report, then fail
        failed += 1
        print("FAILED  partner: infobutton → article")
        traceback.print_exc()
    else:
        passed += 1
        print("passed  partner: infobutton (ICD-10-CM C79.51, Spanish, patient) → article with the generated client")
    print(f"partner: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
