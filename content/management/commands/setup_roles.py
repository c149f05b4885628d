from django.core.management.base import BaseCommand

from content.editorial.roles import ROLE_DESCRIPTIONS, ensure_roles


class Command(BaseCommand):
    help = "Create or update the Editor, Translator and Medical reviewer groups (also done after every migrate)."

    def handle(self, *args, **options):
        for name in ensure_roles():
            self.stdout.write(f"{name}: {ROLE_DESCRIPTIONS[name]}")
