"""GET /terms/: the terms of use and the content licence as a page, in the language asked for.

Outside /api/ so a person can open it from any link (the schema's
termsOfService, each article's `license.terms`). `?lang=` wins, then
Accept-Language, then English, as in the API; an unsupported `lang` is a 400
listing the supported codes.
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from content.delivery import cache_policy
from content.delivery.negotiation import NegotiationError, negotiate
from content.languages import bcp47_tag, describe_language, language_codes, text_direction
from content.licence import content_license, terms_url
from content.terms import TERMS


def terms_page(request):
    try:
        language = negotiate(request.GET, request.META.get("HTTP_ACCEPT_LANGUAGE")).language
    except NegotiationError as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    response = render(request, "content/terms.html", {
        "tag": bcp47_tag(language),
        "direction": text_direction(language),
        "terms": TERMS[language],
        "license": content_license(language),
        "languages": [(code, describe_language(code)["native_name"], terms_url(code)) for code in language_codes()],
    })
    response["Content-Language"] = bcp47_tag(language)
    response["Cache-Control"] = cache_policy.CONTENT
    patch_vary_headers(response, ["Accept-Language"])
    return response
