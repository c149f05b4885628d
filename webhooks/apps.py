from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import webhooks.admin  # noqa: F401  (registers the admins)
        from content.signals import change_recorded
        from webhooks.events import deliveries_with_change

        change_recorded.connect(deliveries_with_change, dispatch_uid="webhooks-deliveries")
