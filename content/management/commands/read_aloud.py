from django.core.management.base import BaseCommand

from content.audio import speech
from content.audio.tasks import enqueue_all

INSTALL_COMMAND = "sudo apt-get install -y espeak-ng"


class Command(BaseCommand):
    help = (
        "Queue a reading aloud of every published article for the worker (`manage.py db_worker`); readings that are "
        "current are left as they are. Publication queues its own; this is for a database loaded before eSpeak NG "
        "was installed, or restored from a backup."
    )

    def handle(self, *args, **options):
        if not speech.available():
            self.stdout.write(self.style.WARNING(
                "eSpeak NG is not installed (or BONECARE_SPEECH is off): articles are served with `audio: null` "
                f"(reason `synthesizer_missing`). To add audio, run: {INSTALL_COMMAND}"
            ))
            return
        count = enqueue_all()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Queued the reading aloud of {count} published articles, and the glossary's pronunciations.")
