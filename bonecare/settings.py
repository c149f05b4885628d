"""BoneCare settings.

One settings module, driven by the environment so that the same code runs on a
developer's laptop (embedded SQLite, `make run`) and in production
(`DATABASE_URL`, `DJANGO_SECRET_KEY`, `DJANGO_ALLOWED_HOSTS`). No secret is
committed: without `DJANGO_SECRET_KEY` a key is generated once per checkout
into `.local_secret_key`, which git ignores.
"""

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key():
    key_file = BASE_DIR / ".local_secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


DEBUG = env_flag("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its tabbed admin patches apply.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "content",
    # API keys and request limits (partners/); corsheaders lets partners' web pages read the API.
    "corsheaders",
    "rest_framework_api_key",
    "partners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS and request limits come before stored answers so that those carry their headers and are counted;
    # CORS comes first so that a 429 or 401 is readable by a browser too.
    "corsheaders.middleware.CorsMiddleware",
    "partners.middleware.RateLimitMiddleware",
    # Stored API bodies (already gzip-compressed where asked) are answered here, before anything else runs.
    "content.delivery.api.stored_answers.StoredAnswerMiddleware",
    # JSON is compressed for clients that accept gzip; stored bundles arrive compressed already and pass through.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "bonecare.urls"
WSGI_APPLICATION = "bonecare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bonecare" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections with health checks: a new PostgreSQL
        # connection per request cut list throughput about 3x here.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Response bodies are cached per ETag (content/api/negotiated.py). Per-process
# memory is enough: keys change whenever content does, so nothing needs purging.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bonecare",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# --- API keys, request limits and CORS (partners/, README "API keys and limits") ---
# Request counters and checked keys live in their own cache, shared by all
# workers: Redis with REDIS_URL (every host), else files under
# BONECARE_LIMITS_DIR (every worker of one host). partners/limit_store.py says why.
REDIS_URL = os.environ.get("REDIS_URL", "")
BONECARE_LIMITS_CACHE = "limits"
if REDIS_URL:
    CACHES[BONECARE_LIMITS_CACHE] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("BONECARE_LIMITS_PREFIX", "bonecare-limits"),
        # A Redis that does not answer must not hold requests up: limits then fail open.
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
else:
    CACHES[BONECARE_LIMITS_CACHE] = {
        "BACKEND": "partners.limit_store.LockedFileCache",
        "LOCATION": os.environ.get("BONECARE_LIMITS_DIR")
        or os.path.join(tempfile.gettempdir(), f"bonecare-limits-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]}"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
BONECARE_LIMIT_WINDOW = int(os.environ.get("BONECARE_LIMIT_WINDOW", "60"))
BONECARE_ANONYMOUS_LIMIT = int(os.environ.get("BONECARE_ANONYMOUS_LIMIT", "120"))
BONECARE_KEY_LIMIT = int(os.environ.get("BONECARE_KEY_LIMIT", "1200"))
# How many proxies in front of the app append to X-Forwarded-For (1 behind nginx); 0 trusts only REMOTE_ADDR.
BONECARE_TRUSTED_PROXIES = int(os.environ.get("BONECARE_TRUSTED_PROXIES", "0"))

BONECARE_CORS_ORIGINS = env_list("BONECARE_CORS_ORIGINS", "*")
CORS_ALLOW_ALL_ORIGINS = BONECARE_CORS_ORIGINS == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else BONECARE_CORS_ORIGINS
CORS_URLS_REGEX = r"^/api/.*$"  # never the admin
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since", "x-api-key"]
CORS_EXPOSE_HEADERS = [
    "Content-Language", "ETag", "Last-Modified", "RateLimit", "RateLimit-Policy", "Retry-After",
]
CORS_ALLOW_CREDENTIALS = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
# The one list of content languages. Codes are lowercase (zh-hans gives the
# column suffix _zh_hans; mixed case breaks on PostgreSQL). Adding a language:
# append it here, run `makemigrations content`, then `migrate` (README).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("zh-hans", _("Simplified Chinese")),
    ("ar", _("Arabic")),
]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The tabbed admin would otherwise load jQuery UI from a Google CDN; editors
# must be able to work without internet access.
JQUERY_UI_URL = "jquery_ui/jquery-ui.min.js"

# --- Static files ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = []
try:
    import xstatic.pkg.jquery_ui as _jquery_ui

    STATICFILES_DIRS.append(("jquery_ui", _jquery_ui.BASE_DIR))
except ImportError:  # pragma: no cover - listed in requirements.txt
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- REST framework --------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "content.delivery.api.schema.BoneCareAutoSchema",
    "EXCEPTION_HANDLER": "content.delivery.api.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "content.delivery.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
}
if env_flag("BONECARE_BROWSABLE_API", DEBUG):
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "BoneCare content API",
    "DESCRIPTION": (
        "Patient information about bone cancer, in five languages and two reading levels. "
        "Every text states its language, reading level, readability, sources and review status."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageCodeEnum": "content.languages.LANGUAGE_CODE_CHOICES",
        "ReadingLevelEnum": "content.models.ReadingLevel.choices",
        "ArticleStatusEnum": "content.models.ArticleStatus.choices",
        "ReviewStatusEnum": "content.models.ReviewStatus.choices",
        "TextDirectionEnum": [("ltr", "ltr"), ("rtl", "rtl")],
    },
}

# Partners (README "API keys and limits"): keys and limits, told where a client developer reads first.
SPECTACULAR_SETTINGS["DESCRIPTION"] += (
    "\n\n**Keys and limits.** No key is needed: anonymous callers get "
    f"{BONECARE_ANONYMOUS_LIMIT} requests per {BONECARE_LIMIT_WINDOW} s per IP address (IPv6: per /64), "
    "enough for a person reading and for an app syncing the whole library, while one address cannot crowd out "
    "the others. Partners send their key in the `X-API-Key` header and get "
    f"{BONECARE_KEY_LIMIT} requests per {BONECARE_LIMIT_WINDOW} s per key by default (or the key's own limit), "
    "for servers that answer many users. A wrong, revoked or expired key is answered 401 `invalid_api_key`, "
    "never served anonymously. Every answer carries `RateLimit-Policy` and `RateLimit` "
    "(draft-ietf-httpapi-ratelimit-headers); over the limit the answer is 429 `throttled` with `Retry-After`. "
    "Web pages on other origins may call it with GET (CORS: any origin unless the operator narrows it)."
)

# --- Logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", False)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Static files are found in the apps too, so the docs and admin work before
# (or without) collectstatic, e.g. in tests.
WHITENOISE_USE_FINDERS = True
