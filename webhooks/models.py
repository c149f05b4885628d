"""A partner's endpoint and one delivery per change-log entry × endpoint.

The Delivery row is the state of record: status, attempts, when to try next
and what the receiver last said. The task queue only wakes the worker at the
right time; a lost or duplicate task is harmless because an attempt first
claims its row (see webhooks/sending.py).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.languages import language_codes
from content.models import ChangeLogEntry
from webhooks.signing import new_secret
from webhooks.url_safety import validate_webhook_url

# What a change-log entry is called in an event type: `<kind>.<action>`.
KIND_NAMES = {ChangeLogEntry.Kind.ARTICLE: "article", ChangeLogEntry.Kind.GLOSSARY_TERM: "glossary_term"}
ACTION_NAMES = {
    ChangeLogEntry.Action.PUBLISHED: "published",
    ChangeLogEntry.Action.REPUBLISHED: "updated",
    ChangeLogEntry.Action.WITHDRAWN: "withdrawn",
}
EVENT_TYPES = [
    ("article.published", _("Article published")),
    ("article.updated", _("Article updated (republished with changes)")),
    ("article.withdrawn", _("Article withdrawn")),
    ("glossary_term.published", _("Glossary term published")),
    ("glossary_term.updated", _("Glossary term updated")),
    ("glossary_term.withdrawn", _("Glossary term withdrawn")),
]


def event_type(entry):
    return f"{KIND_NAMES[entry.kind]}.{ACTION_NAMES[entry.action]}"


def all_event_types():
    return [value for value, _label in EVENT_TYPES]


def all_languages():
    return list(language_codes())


class Endpoint(models.Model):
    """Where a partner wants to hear about changes, and which changes."""

    name = models.CharField(_("partner"), max_length=120)
    url = models.URLField(_("URL"), max_length=500, validators=[validate_webhook_url])
    secret = models.CharField(
        _("signing secret"), max_length=100, default=new_secret, editable=False,
        help_text=_("Give this to the partner: they verify each request's webhook-signature with it."),
    )
    events = models.JSONField(_("events"), default=all_event_types)
    languages = models.JSONField(_("languages"), default=all_languages)
    enabled = models.BooleanField(
        _("enabled"), default=True,
        help_text=_("Turned off automatically after repeated failure; turn it on again once the receiver works."),
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0, editable=False)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return f"{self.name} ({self.url})"

    def wants(self, entry):
        """The entry's changed (language, level) pairs in this endpoint's languages, or [] when it wants none of it."""
        if event_type(entry) not in self.events:
            return []
        return [(language, level) for language, level in entry.scope if language in self.languages]


class Delivery(models.Model):
    """One event sent (or to be sent) to one endpoint."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint"))
    entry = models.ForeignKey(ChangeLogEntry, on_delete=models.CASCADE, related_name="+", verbose_name=_("change log entry"))
    event_type = models.CharField(_("event"), max_length=40)
    message_id = models.CharField(_("webhook-id"), max_length=40, help_text=_("The same on every attempt, so receivers can drop repeats."))
    body = models.TextField(_("body"), help_text=_("The exact JSON sent (and signed) on every attempt."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_response = models.TextField(_("last response (start)"), blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["endpoint", "entry"], name="webhooks_one_delivery_per_endpoint_and_entry")]

    def __str__(self):
        return f"{self.event_type} #{self.entry_id} → {self.endpoint.name}"
