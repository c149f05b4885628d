"""Endpoint secrets and Standard Webhooks signatures (https://www.standardwebhooks.com/).

The signing itself is the `standardwebhooks` package's: HMAC-SHA256 over
`{webhook-id}.{webhook-timestamp}.{body}` with the secret's bytes, sent as
`v1,<base64>`. Receivers verify with the same package (or any Standard
Webhooks library) and the `whsec_…` secret shown in the admin.
"""

import base64
import secrets
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret():
    """24 random bytes in the Standard Webhooks form: `whsec_` + base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signed_headers(secret, message_id, body, at=None):
    """The three Standard Webhooks headers for `body` (a str) sent at `at` (now by default)."""
    at = at or datetime.now(timezone.utc)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }
