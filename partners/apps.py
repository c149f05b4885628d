from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """API keys for partners, and the request limits every API caller gets (anonymous or keyed)."""

    name = "partners"
    verbose_name = _("Partners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from partners import checks  # noqa: F401  (registers the limit store folder check)
