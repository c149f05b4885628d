"""Create a partner's API key and print it once: `manage.py create_api_key NAME [--limit N]`."""

from django.core.management.base import BaseCommand, CommandError

from partners import keys


class Command(BaseCommand):
    help = "Create an API key and print it (only the key, on stdout). It cannot be shown again."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who the key is for (shown in the admin).")
        parser.add_argument(
            "--limit", type=int, default=None,
            help="Requests per limit window for this key (default: BONECARE_KEY_LIMIT).",
        )

    def handle(self, name, limit, **options):
        if not name.strip() or len(name) > 50:
            raise CommandError("The name must be 1 to 50 characters.")
        if limit is not None and limit < 1:
            raise CommandError("--limit must be a positive number of requests.")
        partner_key, raw_key = keys.create_key(name.strip(), request_limit=limit)
        self.stderr.write(f"Created API key {partner_key.prefix} for {partner_key.name}; store it now, it is not shown again.")
        self.stdout.write(raw_key)
