"""A partner's API key: named, stored hashed (djangorestframework-api-key), revocable, with its own limit."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class PartnerKey(AbstractAPIKey):
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
