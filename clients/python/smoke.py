"""Use the generated Python client (package `bonecare_client`) against a live BoneCare server, as a partner would.

    python clients/python/smoke.py BASE_URL SCHEMA_JSON [API_KEY]

Run by ci/clients.sh with the interpreter of the throwaway venv the client is
installed in. Each call goes through the generated functions and models: a
response the client cannot parse, or a status it does not expect, fails. The
calls are made anonymously (`Client`) and, when a key is given, with the key
in X-API-Key both ways a partner can send it (`AuthenticatedClient`, and
`Client` with the header); without a key those calls are counted as skipped.
Search is called only when the schema has /api/v1/search/. Every endpoint
that answers 304 is asked with the ETag it gave, and must not raise. Ends with
"clients: N passed, N failed[, N skipped]".
"""

import importlib
import json
import re
import sys
import traceback

from bonecare_client import AuthenticatedClient, Client
from bonecare_client.api.articles import articles_list, articles_retrieve
from bonecare_client.api.glossary import glossary_list, glossary_retrieve
from bonecare_client.api.reference import languages_list, topics_list
from bonecare_client.api.sync import bundle, sync
from bonecare_client.models import (
    ArticleDetail,
    FigureBlock,
    GlossaryTermDetail,
    HeadingBlock,
    LanguageCodeEnum,
    ListBlock,
    PaginatedArticleListItemList,
    PaginatedGlossaryTermList,
    ParagraphBlock,
    ReadingLevelEnum,
    Sync,
)

SEARCH_PATH = "/api/v1/search/"


def snake(name):
    return re.sub(r"[^0-9a-zA-Z]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)).strip("_").lower()


def ok(response, model):
    assert response.status_code == 200, f"{response.status_code}: {response.content[:300]!r}"
    assert isinstance(response.parsed, model), f"parsed as {type(response.parsed).__name__}, not {model.__name__}"
    return response.parsed


def check_list_and_detail(client):
    listing = ok(
        articles_list.sync_detailed(client=client, lang=LanguageCodeEnum.ES, level=ReadingLevelEnum.PLAIN, page_size=5),
        PaginatedArticleListItemList,
    )
    assert listing.count > 0 and listing.results, "no published article"
    first = listing.results[0]
    assert first.language.served == LanguageCodeEnum.ES
    detail = ok(articles_retrieve.sync_detailed(first.slug, client=client, lang=LanguageCodeEnum.ES), ArticleDetail)
    kinds = (HeadingBlock, ParagraphBlock, ListBlock, FigureBlock)
    assert detail.blocks and all(isinstance(block, kinds) for block in detail.blocks)
    assert detail.readability.language
    licence = detail.license_  # `license` in JSON; the generator adds "_" because license() is a Python builtin
    assert licence.name and licence.attribution and licence.terms.endswith("lang=es")
    return first.slug


def check_not_modified(client):
    """Each endpoint that answers 304 declares it: the client sends back the ETag and gets 304, not an exception."""
    operations = [articles_list, glossary_list, topics_list, languages_list, sync, bundle]
    for operation in operations:
        first = operation.sync_detailed(client=client, lang=LanguageCodeEnum.ES)
        assert first.status_code == 200, f"{operation.__name__}: {first.status_code}"
        again = operation.sync_detailed(client=client, lang=LanguageCodeEnum.ES, if_none_match=first.headers["ETag"])
        assert again.status_code == 304, f"{operation.__name__}: {again.status_code}"


def check_sync(client):
    first = ok(sync.sync_detailed(client=client, lang=LanguageCodeEnum.FR), Sync)
    assert first.initial and first.articles
    again = ok(sync.sync_detailed(client=client, lang=LanguageCodeEnum.FR, cursor=first.cursor), Sync)
    assert not again.initial and again.articles == [] and again.tombstones == []


def check_glossary(client):
    page = ok(glossary_list.sync_detailed(client=client, lang=LanguageCodeEnum.AR), PaginatedGlossaryTermList)
    assert page.results, "empty glossary"
    term = ok(glossary_retrieve.sync_detailed(page.results[0].slug, client=client), GlossaryTermDetail)
    assert term.slug == page.results[0].slug


def check_search(client, schema):
    operation = schema["paths"][SEARCH_PATH]["get"]
    module = importlib.import_module(f"bonecare_client.api.{snake(operation['tags'][0])}.{snake(operation['operationId'])}")
    names = {parameter["name"] for parameter in operation.get("parameters", [])}
    arguments = {"q": "chemotherapy"} if "q" in names else {}
    if "lang" in names:
        arguments["lang"] = LanguageCodeEnum.EN
    response = module.sync_detailed(client=client, **arguments)
    assert response.status_code == 200, f"{response.status_code}: {response.content[:300]!r}"
    assert response.parsed is not None


def main(base_url, schema_path, api_key=None):
    with open(schema_path, encoding="utf-8") as schema_file:
        schema = json.load(schema_file)
    has_search = SEARCH_PATH in schema["paths"]
    callers = [("anonymous Client", Client(base_url=base_url, raise_on_unexpected_status=True))]
    keyed = ["AuthenticatedClient with the key", "Client with an X-API-Key header"]
    if api_key:
        callers += [
            (
                "AuthenticatedClient with the key",
                AuthenticatedClient(
                    base_url=base_url, token=api_key, prefix="", auth_header_name="X-API-Key",
                    raise_on_unexpected_status=True,
                ),
            ),
            (
                "Client with an X-API-Key header",
                Client(base_url=base_url, headers={"X-API-Key": api_key}, raise_on_unexpected_status=True),
            ),
        ]
    passed = failed = skipped = 0
    if not api_key:
        for caller in keyed:
            print(f"SKIPPED {caller}: every call (no API key: this server has no create_api_key command yet)")
            skipped += 5
    for caller, client in callers:
        checks = [
            ("list and detail", check_list_and_detail),
            ("sync", check_sync),
            ("glossary", check_glossary),
            ("304 Not Modified", check_not_modified),
            ("search", (lambda c: check_search(c, schema)) if has_search else None),
        ]
        for name, check in checks:
            if check is None:
                print(f"SKIPPED {caller}: {name} ({SEARCH_PATH} is not in the schema yet)")
                skipped += 1
                continue
            try:
                check(client)
            except Exception:  # noqa: BLE001 - report every failing call, then fail
                failed += 1
                print(f"FAILED  {caller}: {name}")
                traceback.print_exc()
            else:
                passed += 1
                print(f"passed  {caller}: {name}")
    summary = f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
    print(f"clients: {summary}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
