"""The WSGI application gunicorn serves: Django, behind the stored-answer front (bonecare/front.py)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

FULL_COLLECTION_AFTER = 100  # younger collections; Python's default is 10

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonecare.settings")
django_application = get_wsgi_application()

from django.core import checks  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

# A WSGI server runs none of Django's checks. The security ones that are errors (a limit store folder another user
# could write, partners/checks.py) must stop the server, not only `manage.py check`: gunicorn's worker then fails to
# boot and gunicorn exits, naming the error.
_refusals = [message for message in checks.run_checks(tags=[checks.Tags.security]) if message.is_serious()]
if _refusals:
    raise ImproperlyConfigured("BoneCare refuses to start:\n" + "\n".join(str(message) for message in _refusals))

from bonecare.front import StoredAnswerFront  # noqa: E402 - needs the apps that get_wsgi_application loaded
from content.text import chinese_words  # noqa: E402

# jieba builds its dictionary (about 1 s) here, once per worker, never in a reader's request.
chinese_words.warm_up()

# What start-up loaded (Django, the apps, jieba) lives as long as the worker: moved out of the garbage collector's
# sight, a full collection no longer walks it, which held every thread of a worker for 70-85 ms (measured in-process
# on a search; issue 19, p99 under load).
gc.collect()
gc.freeze()
# A full collection still walks what the worker holds since (held searches, their words' stems and index rows):
# 30-50 ms with every thread stopped. It is considered after 100 younger collections instead of 10, so it comes
# about once in 6,000 searches, not 800 (measured in-process; issue 19, p99 under load).
gc.set_threshold(*gc.get_threshold()[:2], FULL_COLLECTION_AFTER)

application = StoredAnswerFront(django_application)
