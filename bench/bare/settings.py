"""Minimal settings for the bare comparison app: no database, no middleware, no apps."""

SECRET_KEY = "bench-bare-not-secret"  # noqa: S105 - serves a constant body on loopback only
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.bare.views"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_I18N = False
USE_TZ = True
WSGI_APPLICATION = "bench.bare.wsgi.application"
