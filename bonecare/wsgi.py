"""The WSGI application gunicorn serves: Django, behind the stored-answer front (bonecare/front.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonecare.settings")
django_application = get_wsgi_application()

from bonecare.front import StoredAnswerFront  # noqa: E402 - needs the apps that get_wsgi_application loaded

application = StoredAnswerFront(django_application)
