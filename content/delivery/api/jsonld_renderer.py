"""`Accept: application/ld+json` on an article: the served payload rendered as a schema.org MedicalWebPage.

The view builds, caches and validates the same payload whichever is asked
for; only this renderer turns it into JSON-LD (content/delivery/jsonld.py).
The ETag differs from the JSON answer's (NegotiatedView.conditional names the
media type), and such a request is never answered from a stored JSON body
(content/delivery/stored.py asks this view's own renderers).
"""

from rest_framework.renderers import JSONRenderer

from content.delivery.jsonld import medical_web_page


class MedicalWebPageRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code != 200:
            # An error is not a web page: it keeps the API's one error shape, and says it is plain JSON.
            response["Content-Type"] = JSONRenderer.media_type
            return super().render(data, JSONRenderer.media_type, renderer_context)
        return super().render(medical_web_page(data), accepted_media_type, renderer_context)
