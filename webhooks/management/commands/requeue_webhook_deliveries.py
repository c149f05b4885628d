from django.core.management.base import BaseCommand

from webhooks.recovery import requeue_due


class Command(BaseCommand):
    help = "Enqueue an attempt for every webhook delivery still pending (run before starting workers)."

    def handle(self, *args, **options):
        self.stdout.write(f"{requeue_due()} webhook deliveries queued.")
