from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Patient content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content.text import checks  # noqa: F401  (registers the language-support check)
        from content.editorial.roles import create_roles_after_migrate

        # The admin lives with the rest of the editorial side, not at content.admin.
        import content.editorial.admin  # noqa: F401
        from content.delivery.answers import refresh
        from content.signals import change_logged, pronunciations_made, readings_made

        change_logged.connect(refresh.enqueue_after, dispatch_uid="content-refresh")
        # In the audio worker, synchronously: its task ends with the answers showing the new audio rendered again.
        readings_made.connect(refresh.refresh_after_readings, dispatch_uid="content-refresh-readings")
        pronunciations_made.connect(refresh.refresh_after_pronunciations, dispatch_uid="content-refresh-pronunciations")
        from content.audio.tasks import enqueue_after

        change_logged.connect(enqueue_after, dispatch_uid="content-audio")
        # Runs after Django has created this app's permissions.
        post_migrate.connect(create_roles_after_migrate, sender=self, dispatch_uid="content-roles")
