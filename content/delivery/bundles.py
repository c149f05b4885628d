"""Offline bundles: one gzip download per language and level, rendered once per change."""

import gzip

from django.db import transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from content.models import OfflineBundle


def current_bundle(language, level, latest_change_id, build):
    """The stored bundle for this change-log position and day, built with `build()` (a dict) when there is none."""
    today = timezone.localdate()
    bundle = OfflineBundle.objects.filter(language=language, level=level).first()
    if bundle is not None and bundle.change_id == latest_change_id and bundle.generated_on == today:
        return bundle
    body = JSONRenderer().render(build())
    with transaction.atomic():
        bundle, _created = OfflineBundle.objects.update_or_create(
            language=language,
            level=level,
            defaults={
                "change_id": latest_change_id,
                "generated_on": today,
                "generated_at": timezone.now(),
                "body_gzip": gzip.compress(body, compresslevel=9, mtime=0),
                "size": len(body),
            },
        )
    return bundle


def uncompressed(bundle):
    """The bundle's JSON bytes, for the rare client that does not accept gzip."""
    return gzip.decompress(bytes(bundle.body_gzip))
