"""API keys in the admin: created with a name (and an optional limit), shown once, revoked with a tick.

The library's own APIKey model is not used here (its admin is unregistered):
partners get PartnerKey, which also carries a per-key limit. Every change
forgets the key's cached check, so a revocation takes effect on the next request.
"""

from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from partners import keys
from partners.models import PartnerKey

admin.site.unregister(APIKey)


@admin.register(PartnerKey)
class PartnerKeyAdmin(APIKeyModelAdmin):
    list_display = (*APIKeyModelAdmin.list_display, "request_limit")
    list_filter = ("revoked", "created")

    def save_model(self, request, obj, form=None, change=False):
        super().save_model(request, obj, form, change)  # shows the new key once, in a message
        keys.forget(obj.prefix)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        keys.forget(obj.prefix)

    def delete_queryset(self, request, queryset):
        prefixes = list(queryset.values_list("prefix", flat=True))
        super().delete_queryset(request, queryset)
        for prefix in prefixes:
            keys.forget(prefix)
