"""BoneCare settings.

One settings module, driven by the environment so that the same code runs on a
developer's laptop (embedded SQLite, `make run`) and in production. One switch,
`BONECARE_ENV=production`, turns on everything production needs (HTTPS only,
HSTS, Secure cookies, trust in the proxy's X-Forwarded-Proto) and refuses to
start without `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`. No secret is
committed: without the switch and without `DJANGO_SECRET_KEY`, a key for local
use is kept outside the code folder (bonecare/local_secret_key.py).
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bonecare.local_secret_key import local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


# --- The production switch -------------------------------------------------
ENVIRONMENTS = ("development", "production")
BONECARE_ENV = os.environ.get("BONECARE_ENV", "").strip().lower() or "development"
if BONECARE_ENV not in ENVIRONMENTS:
    # A typo ("prod") must not quietly start a server with development settings.
    raise ImproperlyConfigured(f"BONECARE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {BONECARE_ENV!r}")
PRODUCTION = BONECARE_ENV == "production"
if PRODUCTION:
    # BONECARE_PUBLIC_URL too: every link in an answer and in a webhook event names it, and a guess (the first
    # allowed host, over HTTPS) sends partners to the wrong server as quietly as `make run`'s :8000 once did.
    required = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "BONECARE_PUBLIC_URL")
    missing = [name for name in required if not os.environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            f"BONECARE_ENV=production needs {', '.join(missing[:-1]) + ' and ' if len(missing) > 1 else ''}"
            f"{missing[-1]}: set "
            + ", ".join(f"{name}=..." for name in missing)
            + " in the environment (see docs/operators.md, Production)."
        )

DEBUG = env_flag("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")


def public_url_from_environment():
    """Where clients reach BoneCare (scheme, host, port): every absolute link in an answer starts with it.

    Never the request's Host: answers are cached and stored for everyone, so a
    link built from one request's Host (any allowed name, any port) would be
    served to every later reader. BONECARE_PUBLIC_URL names it: required in
    production (above), and in development the address `make run` serves on (its PORT).
    """
    from urllib.parse import urlsplit

    value = os.environ.get("BONECARE_PUBLIC_URL", "").strip().rstrip("/")
    value = value or f"http://127.0.0.1:{os.environ.get('PORT', '').strip() or '8000'}"
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ImproperlyConfigured(f"BONECARE_PUBLIC_URL must be like https://bonecare.example.org, not {value!r}")
    if PRODUCTION:
        from django.http.request import split_domain_port, validate_host

        # Stored answers are rendered again at this address after each publication (content/delivery/answers/refresh.py).
        if not validate_host(split_domain_port(parts.netloc)[0], ALLOWED_HOSTS):
            raise ImproperlyConfigured(f"BONECARE_PUBLIC_URL's host ({parts.hostname}) must be in DJANGO_ALLOWED_HOSTS")
    return value


BONECARE_PUBLIC_URL = public_url_from_environment()
# In production a Host naming another port than BONECARE_PUBLIC_URL's is refused (400): ALLOWED_HOSTS ignores ports.
BONECARE_REFUSE_OTHER_PORTS = env_flag("BONECARE_REFUSE_OTHER_PORTS", PRODUCTION)
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
    "axes",
    "content",
    # Webhooks: the task queue (Django's tasks API, database backend) and the app.
    "django_tasks",
    "django_tasks_db",
    "webhooks",
    # API keys and request limits (partners/); corsheaders lets partners' web pages read the API.
    "corsheaders",
    "rest_framework_api_key",
    "partners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the stored answers, which return before every later middleware: these headers go on every response.
    "bonecare.security_headers.ContentSecurityPolicyMiddleware",
    "bonecare.security_headers.PermissionsPolicyMiddleware",
    # A host (or, in production, a port) BoneCare does not serve is refused before anything answers (as the front does).
    "content.public_address.ServedHostMiddleware",
    # CORS and request limits come before stored answers so that those carry their headers and are counted;
    # CORS comes first so that a 429 or 401 is readable by a browser too.
    "corsheaders.middleware.CorsMiddleware",
    "partners.middleware.RateLimitMiddleware",
    # Stored API bodies (already gzip-compressed where asked) are answered here, before anything else runs.
    "content.delivery.api.stored_answers.StoredAnswerMiddleware",
    # JSON is compressed for clients that accept gzip; stored bundles arrive compressed already and pass through.
    "content.delivery.compression.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The stored-answer lookup (one query per API read) runs as a prepared statement: PostgreSQL planned its
    # validators' subqueries on every request, 0.74 ms of a 0.2 ms query here. Only that lookup's server-binding
    # cursor prepares (content/delivery/stored.py); Django's own queries bind client-side and never do. Behind a
    # pooler in transaction mode that cannot carry prepared statements, set DJANGO_DB_PREPARE_THRESHOLD to "off".
    _prepare = os.environ.get("DJANGO_DB_PREPARE_THRESHOLD", "5").strip().lower()
    if _prepare != "off" and not _prepare.isdigit():
        raise ImproperlyConfigured(f"DJANGO_DB_PREPARE_THRESHOLD must be a whole number or off (got {_prepare!r})")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None if _prepare == "off" else int(_prepare)
# A server's workers keep the stored answers they have checked until a change commits: on PostgreSQL they listen for
# changes, on SQLite they read the file's version (content/delivery/change_listener.py). deploy/gunicorn.conf.py turns
# it on; commands and tests, whose writes may never commit, check every answer by query.
BONECARE_KEEP_CHECKED_ANSWERS = env_flag("BONECARE_KEEP_CHECKED_ANSWERS")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`'s web workers and webhook worker write to one file. Taking the write lock when a
    # transaction begins (waiting up to `timeout` s for it) means two writers never deadlock with
    # "database is locked"; WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What the server keeps for itself between requests and processes (the file limit store): a folder only its
# user may change, created 0700 beside the SQLite database (or the code folder), and refused by `manage.py check`
# and at start when anyone else could write it (partners/private_directory.py).
_database_name = str(DATABASES["default"].get("NAME") or "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and os.path.isabs(_database_name):
    _state_default = Path(_database_name).parent / "state"
else:
    _state_default = BASE_DIR / "state"
BONECARE_STATE_DIR = Path(os.environ.get("BONECARE_STATE_DIR", "").strip() or _state_default)

# Django wants a default cache; no answer is served from it: stored answers live in the database
# (content/delivery/stored.py), and searches in each process's memory (stored.HeldAnswers).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- API keys, request limits and CORS (partners/, docs/partners.md "API keys and limits") ---
# Request counters and checked keys live in their own cache, shared by all
# workers: Redis with REDIS_URL (every host), else files under
# BONECARE_LIMITS_DIR (every worker of one host). partners/limit_store.py says why.
# Neither unpickles what it reads back: Redis through a JSON serializer, the files as JSON.
REDIS_URL = os.environ.get("REDIS_URL", "")
BONECARE_LIMITS_CACHE = "limits"
if REDIS_URL:
    CACHES[BONECARE_LIMITS_CACHE] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("BONECARE_LIMITS_PREFIX", "bonecare-limits"),
        # A Redis that does not answer must not hold requests up: limits then fail open.
        "OPTIONS": {
            "socket_connect_timeout": 0.25, "socket_timeout": 0.25,
            "serializer": "partners.limit_store.JsonSerializer",
        },
    }
else:
    CACHES[BONECARE_LIMITS_CACHE] = {
        "BACKEND": "partners.limit_store.CountingFileCache",
        "LOCATION": str(os.environ.get("BONECARE_LIMITS_DIR", "").strip() or BONECARE_STATE_DIR / "limits"),
    }
BONECARE_LIMIT_WINDOW = int(os.environ.get("BONECARE_LIMIT_WINDOW", "60"))
BONECARE_ANONYMOUS_LIMIT = int(os.environ.get("BONECARE_ANONYMOUS_LIMIT", "120"))
BONECARE_KEY_LIMIT = int(os.environ.get("BONECARE_KEY_LIMIT", "1200"))
# Callers are told apart by partners.client_address (BONECARE_TRUSTED_PROXIES, below).

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

# django-axes refuses a login while its user-and-address pair is locked out; then Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Upload and import size ---------------------------------------------------
# The one limit for every file BoneCare takes in: translation files (admin and
# import_translations) and source documents (import_documents). The largest
# real export of the shipped content (3 articles, Arabic XLIFF) is 87 KB, about
# 29 KB per article; 5 MB holds ~170 articles in one file (58x today's largest),
# and parsing it costs tens of MB, where a 50 MB XLIFF cost 780 MB.
BONECARE_MAX_UPLOAD_BYTES = int(os.environ.get("BONECARE_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
# Translation units in one exchange file, counted before it is parsed: each article exports 6 units
# (3 fields x 2 levels), so 5,000 holds ~830 articles, where 100,000 cost 8 s and 300 MB.
BONECARE_MAX_EXCHANGE_UNITS = int(os.environ.get("BONECARE_MAX_EXCHANGE_UNITS", "5000"))
# Uploads above 1 MB are streamed to a temporary file, never held in memory;
# the size is checked there before a byte is parsed.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Form fields other than files (Django's default, stated): admin forms are small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
# The one list of content languages. Codes are lowercase (zh-hans gives the
# column suffix _zh_hans; mixed case breaks on PostgreSQL). Adding a language:
# append it here, run `makemigrations content`, then `migrate` (docs/operators.md, "Adding a language").
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
# nginx serves this folder itself in production (deploy/nginx/bonecare.conf).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
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
    "DEFAULT_RENDERER_CLASSES": ["content.delivery.json_renderer.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "content.delivery.content_negotiation.RememberedContentNegotiation",
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
        "SearchResultTypeEnum": "content.delivery.api.shapes.SEARCH_RESULT_TYPES",
        "SearchMatchFieldEnum": "content.delivery.api.shapes.SEARCH_FIELDS",

        "ErrorCodeEnum": "content.delivery.api.errors.ERROR_CODE_CHOICES",
    },
    # info.version stays a package version ("1.0.0", the URL's v1 goes to x-api-version), and the optional
    # X-API-Key is declared once for the whole API, so generated clients install and work with or without a key.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "content.delivery.api.schema.publish_version_and_optional_key",
        "content.delivery.api.jsonld_renderer.add_medical_web_page_component",
    ],
}

# --- Content licence and terms of use (README "Licence", docs/partners.md "Licence and terms") ---
# The text is BoneCare's own words, so it can carry an open licence a hospital's governance team knows:
# CC BY 4.0 (reuse, adaptation and commercial use, with attribution). Sources keep their own rights and are
# cited, not copied. The deed is linked in the reader's language; the attribution is what a reuser shows.
BONECARE_CONTENT_LICENSE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "legal_code": "https://creativecommons.org/licenses/by/4.0/legalcode",
    "deeds": {
        "en": "https://creativecommons.org/licenses/by/4.0/deed.en",
        "es": "https://creativecommons.org/licenses/by/4.0/deed.es",
        "fr": "https://creativecommons.org/licenses/by/4.0/deed.fr",
        "zh-hans": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
        "ar": "https://creativecommons.org/licenses/by/4.0/deed.ar",
    },
    "attribution": {
        "en": "From BoneCare, patient information about bone cancer (not medical advice), licensed under CC BY 4.0.",
        "es": "De BoneCare, información para pacientes sobre el cáncer de hueso (no es consejo médico), con licencia "
        "CC BY 4.0.",
        "fr": "Extrait de BoneCare, information pour les patients sur le cancer des os (pas un avis médical), sous "
        "licence CC BY 4.0.",
        "zh-hans": "来自 BoneCare 的骨癌患者信息（不是医疗建议），采用 CC BY 4.0 许可协议。",
        "ar": "من BoneCare، معلومات للمرضى عن سرطان العظام (ليست نصيحة طبية)، مرخّصة بموجب CC BY 4.0.",
    },
}
SPECTACULAR_SETTINGS["LICENSE"] = {"name": BONECARE_CONTENT_LICENSE["name"], "url": BONECARE_CONTENT_LICENSE["url"]}
SPECTACULAR_SETTINGS["TOS"] = BONECARE_PUBLIC_URL + "/terms/"  # content/licence.py TERMS_PATH, in each language
SPECTACULAR_SETTINGS["DESCRIPTION"] += (
    "\n\n**Licence and terms.** The content is patient information, not medical advice, licensed under "
    "CC BY 4.0: every article, list item and bundle carries a `license` object (name, deed URL, legal code, "
    "the attribution to show, the terms of use) in the served language. Sources keep their own attribution. "
    "A translation no clinician has reviewed says so in `review`; show that notice with the text."
)

# Partners (docs/partners.md "API keys and limits"): keys and limits, told where a client developer reads first.
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

# --- Webhooks and the task queue -------------------------------------------
# Deliveries run in django-tasks' database backend: the queue lives in the same
# database as the content (SQLite for `make run`, PostgreSQL in production), so
# no other service is needed and several `manage.py db_worker` processes share it.
# Two queues: `default` (webhook deliveries) and `audio` (reading articles aloud, seconds per article), each with its
# own worker (`db_worker --queue-name audio`), so a reading never holds a webhook delivery back.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "audio"]}}
# Articles read aloud by eSpeak NG (content/audio/) in the task queue; off (or libespeak-ng missing), the API
# serves `audio: null` with the reason `synthesizer_missing` and everything else as usual.
BONECARE_SPEECH = env_flag("BONECARE_SPEECH", True)
# Seconds to wait before each retry after a failed attempt (Standard Webhooks' schedule:
# 5 s, 5 min, 30 min, 2 h, 5 h, 10 h); each delay gets up to 10 % random jitter.
WEBHOOKS_RETRY_SCHEDULE = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600]
# Seconds one attempt may take in all: connecting, sending, and reading the receiver's answer.
WEBHOOKS_TIMEOUT = 10
# Attempts one worker process makes at once, each in its own thread (one at most per endpoint), so a slow
# partner never holds the others; 0 makes each attempt inside its task, one after another.
WEBHOOKS_CONCURRENT_ATTEMPTS = int(os.environ.get("WEBHOOKS_CONCURRENT_ATTEMPTS", "8"))
# An endpoint is disabled when this many attempts in a row have failed AND the first of them
# is at least WEBHOOKS_DISABLE_AFTER seconds old (no success for 5 days, as Svix does).
WEBHOOKS_DISABLE_AFTER_FAILURES = 10
WEBHOOKS_DISABLE_AFTER = 5 * 24 * 3600
# Loopback, private, link-local and other non-public addresses are refused as endpoint URLs unless this
# is on: on in development (local test receivers), off and not allowed on in production, where the
# server would otherwise call its own network for whoever may register an endpoint (SSRF).
WEBHOOKS_ALLOW_PRIVATE_URLS = env_flag("WEBHOOKS_ALLOW_PRIVATE_URLS", not PRODUCTION)
if PRODUCTION and WEBHOOKS_ALLOW_PRIVATE_URLS:
    raise ImproperlyConfigured(
        "WEBHOOKS_ALLOW_PRIVATE_URLS=1 is refused with BONECARE_ENV=production: webhooks call public addresses only "
        "(docs/operators.md, Webhook workers). Unset it."
    )

# --- Logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- HTTPS and security headers ---------------------------------------------
# On by default with BONECARE_ENV=production, off otherwise; each has its own
# variable to override it either way (docs/operators.md, Production).
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# Only asks to be preloaded; a domain is listed after its owner submits it (hstspreload.org).
SECURE_HSTS_PRELOAD = env_flag("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = env_flag("DJANGO_SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_flag("DJANGO_CSRF_COOKIE_SECURE", PRODUCTION)
# The TLS proxy (deploy/nginx/bonecare.conf) says how the client connected: links and redirects say https.
# Trust it only behind a proxy that sets the header itself; an empty value turns it off.
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if PRODUCTION else "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)

# --- Content-Security-Policy and Permissions-Policy (bonecare/security_headers.py)
# The API answers JSON: nothing may load from it and nothing may frame it.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [NONE], "frame-ancestors": [NONE]}}
# HTML pages for people get what they need and nothing else; the first matching path pattern wins.
BONECARE_CSP_BY_PATH = [
    # Swagger UI and Redoc, served from this site (drf-spectacular-sidecar). Both set inline styles at run
    # time; Redoc parses the schema in a blob: worker and draws icons as data: images.
    (r"^/api/[^/]+/(docs|redoc)/", {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": ["blob:"],
        "base-uri": [NONE],
        "form-action": [NONE],
        "frame-ancestors": [NONE],
    }),
    # The admin: Django's own scripts, local jQuery UI for the translation tabs, and our inline scripts by nonce.
    (r"^/admin/", {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }),
]
BONECARE_PERMISSIONS_POLICY_DENY = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock",
    "serial", "usb", "xr-spatial-tracking",
]

# --- Admin login lock-out (django-axes) ------------------------------------------
# A user name AND address pair is locked after AXES_FAILURE_LIMIT failures, for the cool-off time.
# By the pair, not by either alone: locking a user name would let anyone lock an editor out from
# anywhere, and locking an address would lock out a whole hospital behind one NAT. The lock-out
# is kept in the database, so every worker and every server sees it. Unlock: docs/operators.md, Production.
AXES_FAILURE_LIMIT = env_int("BONECARE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BONECARE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "partners.client_address.client_ip"
# The addresses (or networks) of the proxies in front of the app that append to X-Forwarded-For: only a request
# from one of them has its X-Forwarded-For believed (partners/client_address.py). Production's default is the
# shipped nginx on the same host; a client that reaches gunicorn directly is known by its own address.
BONECARE_TRUSTED_PROXIES = env_list("BONECARE_TRUSTED_PROXIES", "127.0.0.1,::1" if PRODUCTION else "")
for _proxy in BONECARE_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"BONECARE_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
if os.environ.get("BONECARE_TRUSTED_PROXY_COUNT", "").strip():
    # Counting proxies believed X-Forwarded-For from anyone who could reach the app's port (probe D17).
    raise ImproperlyConfigured(
        "BONECARE_TRUSTED_PROXY_COUNT is no longer read: list the proxies' addresses in BONECARE_TRUSTED_PROXIES "
        "(comma-separated addresses or networks, e.g. 127.0.0.1,::1 for an nginx on the same host)."
    )

# Static files are found in the apps too, so the docs and admin work before
# (or without) collectstatic, e.g. in tests.
WHITENOISE_USE_FINDERS = True
