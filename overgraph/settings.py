"""Over-Graph settings, read once from the environment.

Two modes (``OVERGRAPH_MODE``):

* ``development`` (the default): the embedded setup of ``make demo`` and ``make test``. It runs
  with no service at all: SQLite in WAL mode and Celery's filesystem transport.
* ``production``: every secret must come from the environment (or a ``*_FILE``), cookies are
  secure, HSTS is on, and ``manage.py check --deploy`` reports nothing.

``DATABASE_URL`` switches to PostgreSQL, ``CELERY_BROKER_URL`` / ``REDIS_URL`` to Redis, in any mode.
Every setting is listed in README.md ("Configuration").
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from overgraph.envfiles import read_secret_files

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
read_secret_files()  # resolves FOO_FILE into FOO for secrets mounted as files (Docker/Kubernetes)

MODE = env.str("OVERGRAPH_MODE", default="development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured(f"OVERGRAPH_MODE must be development or production, not {MODE!r}")
PRODUCTION = MODE == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production")

# No default secret in production: env.str raises ImproperlyConfigured when it is missing.
SECRET_KEY = (
    env.str("DJANGO_SECRET_KEY")
    if PRODUCTION
    else env.str("DJANGO_SECRET_KEY", default="development-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("OVERGRAPH_SITE_URL", default="http://127.0.0.1:8000")
VAR_DIR = Path(env.str("OVERGRAPH_VAR_DIR", default=str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Every login is a session the person can see and end from their profile ("sign out
    # everywhere else"): https://docs.allauth.org/en/latest/usersessions/index.html
    "allauth.usersessions",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "accounts",
    "networks",
    "analytics",
    "inbox",
    "campaigns",
    "listening",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "overgraph.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.AdminScopesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "overgraph.urls"
WSGI_APPLICATION = "overgraph.wsgi.application"
ASGI_APPLICATION = "overgraph.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
                # Last: a page rendered to be cached gets a hole for the CSRF token (overgraph/pagecache.py).
                "overgraph.pagecache.csrf_context",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode with a busy timeout, so the web process, the worker and beat
# of `make demo` can write to one file. https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # psycopg 3's pool (Django >= 5.1); CONN_MAX_AGE must stay 0 with it.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#connection-pool
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_POOL", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(VAR_DIR / "overgraph.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login throttling counts live here) -------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis backend, one client per connection pool (overgraph/cache.py).
    CACHES = {"default": {"BACKEND": "overgraph.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written through to the database (overgraph/sessions.py).
    SESSION_ENGINE = "overgraph.sessions"
else:
    # The database cache is shared by every process of the embedded setup (a per-process memory
    # cache would let an attacker spread login attempts over gunicorn workers).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "overgraph_cache"}}
# Statistics pages and the statistics API cache their numbers and rendered charts, keyed by each
# organisation's facts version, which every fact write changes (analytics/factcache.py): a new sync
# shows at once. Entries expire after this many seconds; 0 turns the cache off.
FACTS_CACHE_SECONDS = env.int("FACTS_CACHE_SECONDS", default=600)

# --- Celery -------------------------------------------------------------------------------------
# Embedded default: the filesystem transport (no Redis needed for the demo).
# https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.transport.filesystem.html
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery-queue"
    for _folder in ("processed", "control"):
        (_queue_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        # Exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Recovery comes from database state, not from the broker keeping a message (DESIGN.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Task modules outside an app's tasks.py (autodiscovery only finds <app>.tasks).
CELERY_IMPORTS = ["networks.webhooks.tasks", "analytics.forecasting.tasks"]
# Account syncs go to their own queue, consumed by a worker with a pool of threads: a sync waits
# on the networks most of its time, so one process keeps 32 of them in flight (docs/performance.md
# "Sync"); the default queue keeps a prefork worker for CPU-bound tasks (reports, forecasts).
CELERY_TASK_ROUTES = {"networks.tasks.sync_account": {"queue": "sync"}}
# Synced into django-celery-beat's tables when beat starts; admins can tune them in Django admin.
CELERY_BEAT_SCHEDULE = {
    # Inbox: conversations waiting past their workspace's target are told (inbox/tasks.py).
    "inbox-watch": {"task": "inbox.tasks.inbox_watch_dispatch", "schedule": 300.0},
    "notification-digests": {"task": "accounts.tasks.notification_digests_dispatch", "schedule": 3600.0},
    # People's messages and listening hits past the organisation's retention period (accounts/privacy.py).
    "people-data-retention": {"task": "accounts.tasks.people_data_retention", "schedule": 86400.0},
    # Meta webhook events whose processing message was lost are queued again (networks/webhooks/).
    "webhook-events-sweep": {"task": "networks.webhooks.tasks.webhook_events_sweep", "schedule": 600.0},
    # Settled webhook events (people's messages in their payloads) past WEBHOOK_EVENT_RETENTION_DAYS.
    "webhook-events-purge": {"task": "networks.webhooks.tasks.webhook_events_purge", "schedule": 86400.0},
    # X compliance: posts deleted on X are deleted here, checked once a day (docs/webhooks.md).
    "x-compliance": {"task": "networks.webhooks.tasks.x_compliance_dispatch", "schedule": 86400.0},
    # The sync engine's dispatcher queues what is due (networks/sync/dispatch.py).
    "networks-sync-dispatch": {"task": "networks.tasks.sync_dispatch", "schedule": 60.0},
    # Theme rules label the posts synced since the last run (analytics/tasks.py).
    "analytics-themes-apply": {"task": "analytics.tasks.themes_apply_recent", "schedule": 600.0},
    # Listening watches due are claimed and collected; each watch's own cadence slows down as the
    # X read budget runs out (listening/services/watches.py). Daily-digest alerts go out hourly.
    "listening-watches-dispatch": {"task": "listening.tasks.watches_dispatch", "schedule": 120.0},
    "listening-digests": {"task": "listening.tasks.watch_digests_dispatch", "schedule": 3600.0},
    # Spike alerts on yesterday's registered daily series (analytics/spikes.py); idempotent.
    "analytics-spikes-detect": {"task": "analytics.tasks.spikes_detect_dispatch", "schedule": 3600.0},
    # Forecasts of the accounts whose new day of metrics arrived since (analytics/forecasting/tasks.py).
    "analytics-forecasts-refresh": {
        "task": "analytics.forecasting.tasks.forecasts_refresh_dispatch",
        "schedule": 3600.0,
    },
    # Snapshots whose post was deleted outside ingest's locking protocol (analytics/services/ingest.py).
    "analytics-snapshots-orphans": {"task": "analytics.tasks.snapshots_orphans_sweep", "schedule": 7 * 86400.0},
    # Running UGC campaigns collect their hashtags' new media and download the files (campaigns/).
    "campaigns-collect": {"task": "campaigns.tasks.campaigns_collect_dispatch", "schedule": 3600.0},
    # Scheduled reports due are claimed and sent; expired data exports are deleted (reports/tasks.py).
    "reports-schedules-dispatch": {"task": "reports.tasks.schedules_dispatch_task", "schedule": 300.0},
    "reports-exports-purge": {"task": "reports.tasks.exports_purge_task", "schedule": 3600.0},
}

# --- Authentication (django-allauth) ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the logged-in person with one written-out statement.
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
    # Only for sessions that name them (Django stores the backend's path in the session): no
    # password reaches them (accounts/backends.py). Remove once those sessions have expired.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Brute-force protection: allauth counts failed logins in the cache, per IP and per account.
# https://docs.allauth.org/en/latest/account/rate_limits.html
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="20/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Over-Graph"

# --- Email --------------------------------------------------------------------------------------
# Console in development; SMTP from EMAIL_URL (smtp+tls://user:password@host:587) in production.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, …
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Over-Graph <noreply@over-graph.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "og_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files (served by whitenoise, never a CDN) -------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# No script reads the CSRF cookie: forms carry {% csrf_token %} and htmx requests send the token from
# the page, so the cookie can stay out of JavaScript's reach.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy without inline scripts or eval; a script that must be inline carries the
# request's nonce. https://django-csp.readthedocs.io/en/latest/configuration.html
from csp.constants import NONCE, NONE, SELF  # noqa: E402  (constants used only here)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Per-user API tokens (accounts/authentication.py), created on the profile page. Second:
        # DRF answers an anonymous request with the first class's status (403, as before).
        "accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Over-Graph API",
    "DESCRIPTION": "Social media statistics for community managers and agencies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc are served from this server (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names collide with another model's (drf_spectacular.W001).
    "ENUM_NAME_OVERRIDES": {"ThreadKindEnum": "inbox.models.ThreadKind"},
    # The errors every endpoint can answer (401/403/404/400), documented once (overgraph/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "overgraph.openapi.add_error_responses",
    ],
}

# --- Product settings ---------------------------------------------------------------------------
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=7)
# Hour (organisation's local time) at which the daily notification digest goes out.
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=8)

# --- Reports (reports/) ---------------------------------------------------------------------------
# How long a full data export stays downloadable before its file is deleted.
REPORTS_EXPORT_TTL_HOURS = env.int("REPORTS_EXPORT_TTL_HOURS", default=72)
# Default lifetime of a report's share link (scheduled emails carry one).
REPORTS_SHARE_TTL_DAYS = env.int("REPORTS_SHARE_TTL_DAYS", default=30)
# Largest logo accepted on the branding page (PNG or JPEG).
REPORTS_LOGO_MAX_BYTES = env.int("REPORTS_LOGO_MAX_BYTES", default=512 * 1024)
# Attempts after the first before a scheduled report is declared failed and the owners are told.
REPORTS_DELIVERY_RETRIES = env.int("REPORTS_DELIVERY_RETRIES", default=3)
# Local directory of a Hugging Face sentiment model (3 labels) replacing the rule-based analyser
# (analytics/text/backends.py); needs the optional transformers + torch. Empty: rules.
SENTIMENT_MODEL_PATH = env.str("OVERGRAPH_SENTIMENT_MODEL_PATH", default="")

# --- Networks (issue 3) -------------------------------------------------------------------------
# Production defaults are the real hosts. SIMULATOR_URL (e.g. http://127.0.0.1:8900) points every
# network at the local simulator (networks/simulator/), the same mechanism production uses.
SIMULATOR_URL = env.str("SIMULATOR_URL", default="").rstrip("/")
# tweepy hard-codes https://api.twitter.com; our session rewrites it to this host (in production
# too). https://docs.x.com/x-api/introduction
X_API_BASE_URL = env.str("X_API_BASE_URL", default=SIMULATOR_URL or "https://api.twitter.com").rstrip("/")
# OAuth 2.0 Authorization Code with PKCE:
# https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
X_AUTHORIZE_URL = env.str(
    "X_AUTHORIZE_URL",
    default=f"{SIMULATOR_URL}/i/oauth2/authorize" if SIMULATOR_URL else "https://x.com/i/oauth2/authorize",
)
X_TOKEN_URL = env.str(
    "X_TOKEN_URL", default=f"{SIMULATOR_URL}/2/oauth2/token" if SIMULATOR_URL else "https://api.x.com/2/oauth2/token"
)
# pyfacebook's base_url (ends with "/"); the version is pinned, never left to the library default.
# https://developers.facebook.com/docs/graph-api/changelog/versions/
GRAPH_API_BASE_URL = env.str(
    "GRAPH_API_BASE_URL", default=f"{SIMULATOR_URL}/" if SIMULATOR_URL else "https://graph.facebook.com/"
)
GRAPH_API_VERSION = env.str("GRAPH_API_VERSION", default="v25.0")
# Facebook Login for Business consent dialog: {FACEBOOK_DIALOG_URL}/{version}/dialog/oauth
# https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
FACEBOOK_DIALOG_URL = env.str("FACEBOOK_DIALOG_URL", default=SIMULATOR_URL or "https://www.facebook.com").rstrip("/")
# The connect buttons post to us and we answer with a redirect to the network's consent screen:
# Chromium checks that redirect against the page's form-action, so the screens' origins are allowed.
# https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/form-action
# The check covers the networks' own redirects too (twitter.com -> x.com, www -> m.facebook.com on
# phones), so the real hosts' sister origins are allowed with them.
_CONSENT_ORIGINS = [f"{url.scheme}://{url.netloc}" for url in map(urlsplit, (X_AUTHORIZE_URL, FACEBOOK_DIALOG_URL))]
if not SIMULATOR_URL:
    _CONSENT_ORIGINS += ["https://x.com", "https://twitter.com", "https://www.facebook.com", "https://m.facebook.com"]
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += list(dict.fromkeys(_CONSENT_ORIGINS))
# Against the simulator in development, placeholder app credentials (it accepts any) so the demo
# connects accounts with no configuration; real hosts need the real ones.
_SIMULATED_APP = "overgraph-simulator" if SIMULATOR_URL and not PRODUCTION else ""
X_CLIENT_ID = env.str("X_CLIENT_ID", default=_SIMULATED_APP)
X_CLIENT_SECRET = env.str("X_CLIENT_SECRET", default=_SIMULATED_APP)
META_APP_ID = env.str("META_APP_ID", default=_SIMULATED_APP)
META_APP_SECRET = env.str("META_APP_SECRET", default=_SIMULATED_APP)
META_WEBHOOK_VERIFY_TOKEN = env.str("META_WEBHOOK_VERIFY_TOKEN", default="")
# Days a settled Meta webhook delivery is kept (its payload holds people's messages); at least 2,
# Meta's retry window (networks/webhooks/retention.py).
WEBHOOK_EVENT_RETENTION_DAYS = env.int("WEBHOOK_EVENT_RETENTION_DAYS", default=30)
# X compliance re-checks the stored posts published in this many days; each post X returns is a
# billed read (docs/webhooks.md "X compliance").
X_COMPLIANCE_WINDOW_DAYS = env.int("X_COMPLIANCE_WINDOW_DAYS", default=90)
X_ENABLED = env.bool("X_ENABLED", default=True)
FACEBOOK_ENABLED = env.bool("FACEBOOK_ENABLED", default=True)
INSTAGRAM_ENABLED = env.bool("INSTAGRAM_ENABLED", default=True)
# Outbound HTTP timeouts in seconds (connect, read), owned by networks/http.py.
NETWORK_CONNECT_TIMEOUT = env.float("NETWORK_CONNECT_TIMEOUT", default=5.0)
NETWORK_READ_TIMEOUT = env.float("NETWORK_READ_TIMEOUT", default=30.0)
# First delay (seconds, doubled each time, jittered) before the sync engine retries a transient
# failure within a run; later failures are rescheduled with backoff (networks/sync/cadence.py).
SYNC_RETRY_DELAY = env.float("SYNC_RETRY_DELAY", default=1.0)
# Seconds a sync worker holds an account without renewing its lease; after that (a worker killed
# mid-sync, a message lost by the broker) the dispatcher queues the account again.
SYNC_LEASE_SECONDS = env.int("SYNC_LEASE_SECONDS", default=300)
# Tokens are encrypted at rest with MultiFernet: comma-separated Fernet keys, the first encrypts,
# all decrypt (rotation: README "Rotating token keys"; `manage.py rotate_token_keys`).
# https://cryptography.io/en/latest/fernet/#cryptography.fernet.MultiFernet
# Generate one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
TOKEN_ENCRYPTION_KEYS = env.list("TOKEN_ENCRYPTION_KEYS", default=[])
if not TOKEN_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("TOKEN_ENCRYPTION_KEYS is required in production (comma-separated Fernet keys)")
    import base64 as _base64
    import hashlib as _hashlib

    # Development only: a key derived from SECRET_KEY so the demo needs no configuration.
    TOKEN_ENCRYPTION_KEYS = [
        _base64.urlsafe_b64encode(_hashlib.sha256(b"overgraph-token-vault:" + SECRET_KEY.encode()).digest()).decode()
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # These libraries log request headers, URLs with access_token=… and token responses at DEBUG:
    # keep them quieter so LOG_LEVEL=DEBUG never writes a token to the logs.
    "loggers": {
        name: {"level": "INFO"} for name in ("tweepy", "urllib3", "requests_oauthlib", "oauthlib", "pyfacebook")
    },
}
