"""A partner's API key: named, stored hashed (djangorestframework-api-key), revocable, with its own limit."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class PartnerKey(AbstractAPIKey):
    # The library's own fields, named here so the admin shows them in the editor's language (it has no catalogs).
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    name = models.CharField(
        _("partner"), max_length=50, blank=False, default=None,
        help_text=_("Who uses this key; need not be unique; 50 characters at most."),
    )
    revoked = models.BooleanField(
        _("revoked"), blank=True, default=False,
        help_text=_("A revoked key is refused from the next request on. This cannot be undone."),
    )
    expiry_date = models.DateTimeField(
        _("expires"), blank=True, null=True, help_text=_("Once the key has expired, it is refused."),
    )
    request_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        verbose_name=_("request limit"),
        help_text=_(
            "Requests allowed per limit window (BONECARE_LIMIT_WINDOW, 60 seconds by default). "
            "Empty: the default limit for keys (BONECARE_KEY_LIMIT)."
        ),
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
