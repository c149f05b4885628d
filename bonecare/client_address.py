"""The client's IP address as the outermost trusted proxy saw it (for the admin's login lock-out).

Behind nginx every request comes from 127.0.0.1, so REMOTE_ADDR would make all
editors one client. Each trusted proxy appends the address it was contacted
from to X-Forwarded-For (deploy/nginx/bonecare.conf does), so with N trusted
proxies the client is the Nth entry from the right; entries further left are
whatever the client chose to send and are never believed.
"""

from django.conf import settings


def client_ip(request):
    proxies = settings.BONECARE_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
