"""Settings for the learning platform, read from the environment.

Safe defaults for a laptop: SQLite unless DATABASE_URL is set, a local-memory
cache unless REDIS_URL is set, DEBUG off unless asked for. See .env.example.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def envbool(name: str, default: bool = False) -> bool:
    """Read a boolean; refuse anything that is not clearly yes or no."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {_TRUE + _FALSE}, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")

INSECURE_SECRET_KEY = "insecure-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_SECRET_KEY)
# Production refuses the default key: the WSGI/ASGI entry points and
# `check --deploy` fail on it unless DEBUG is on (see learning_platform.checks).
# Management commands still run, so a laptop can migrate and load content.

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")


def _default_site_url() -> str:
    """The origin when SITE_URL is unset: in production, the first host that
    ALLOWED_HOSTS names, over HTTPS; on a laptop, where `runserver` serves by
    default (`make run` sets SITE_URL from its HOST and PORT)."""
    if not DEBUG:
        hosts = [h.lstrip(".") for h in ALLOWED_HOSTS if h != "*" and h.lstrip(".")]
        if hosts:
            return f"https://{hosts[0]}"
    return "http://127.0.0.1:8000"


# The public origin of the site, for absolute URLs: share links, Open Badges
# ids, e-mails. Its host must be one ALLOWED_HOSTS accepts (check
# learning_platform.E002), or the links it builds would not open.
SITE_URL = (os.environ.get("SITE_URL") or _default_site_url()).rstrip("/")

# The Open Badges issuer (badges.openbadges): who vouches for every badge.
# The defaults describe the demo; an organisation that runs the platform sets
# its own name, its public site and a mailbox someone reads (README, Badges).
# The .example domain is reserved: the demo's address reaches nobody.
BADGE_ISSUER = {
    "name": os.environ.get(
        "BADGE_ISSUER_NAME", "Grains numériques – réseau des espaces numériques"
    ),
    "url": os.environ.get("BADGE_ISSUER_URL", ""),  # SITE_URL's home page when empty
    "email": os.environ.get("BADGE_ISSUER_EMAIL", "contact@grains-numeriques.example"),
}
# The pedagogical committee's rule (courses.committee; README, "Le commun"):
# nothing is decided before `quorum` votes are cast; then the choice of a
# majority of the votes cast decides ("simple": more than half; "two_thirds").
# A committee of one, for a small install: COMMITTEE_QUORUM=1.
COMMITTEE = {
    "quorum": envint("COMMITTEE_QUORUM", 2),
    "majority": os.environ.get("COMMITTEE_MAJORITY", "simple"),
}
# Where the accessibility statement (/accessibilite/) sends people who meet a barrier.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "accessibilite@example.org"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the app (no CDN)
    "django_htmx",
    "csp",
    "learning_platform",
    "courses",
    "quizzes",
    "progress",
    "badges",
    "studio",
    "committee",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "learning_platform.urls"
WSGI_APPLICATION = "learning_platform.wsgi.application"
ASGI_APPLICATION = "learning_platform.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two clicks at the same instant must both succeed. A transaction that
    # reads and then writes (unit_complete, award_if_eligible) would otherwise
    # start deferred and, when another writer got there first, fail with
    # "database is locked" at once, without waiting: SQLite cannot upgrade a
    # stale read to a write. IMMEDIATE takes the write lock at BEGIN, so the
    # second request waits (up to `timeout` seconds) and then sees the first's
    # rows. WAL lets pages keep reading while one request writes;
    # synchronous=NORMAL is WAL's safe, fast setting.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),  # what DATABASE_URL says wins
    }
    # The test database is a file, not Django's shared in-memory one: the
    # concurrency tests need real connections from several threads, and a
    # shared-cache memory database locks table by table, ignoring `timeout`.
    # One per test run (process id): two runs at once never share it.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"grains-test-{os.getpid()}.sqlite3")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database (or the cache-backed DB store with Redis), so
# any number of app processes can serve a learner.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "learning_platform.User"
# Log-in by username or e-mail; the session's user carries ``is_tutor``
# (learning_platform.backends).
AUTHENTICATION_BACKENDS = ["learning_platform.backends.AccountBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "progress:dashboard"
LOGOUT_REDIRECT_URL = "courses:catalogue"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded media (badge images, video files, captions): a local folder
# (MEDIA_ROOT, a volume the web server serves at /media/), or an
# S3-compatible bucket through django-storages when AWS_STORAGE_BUCKET_NAME
# is set (`pip install .[deploy]`; credentials and endpoint from the AWS_*
# variables of .env.example).
MEDIA_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": envbool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
    if os.environ.get("AWS_STORAGE_BUCKET_NAME")
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve from the finders when collectstatic was not run (laptop, tests).
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", DEBUG)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Grains numériques <noreply@localhost>")
# Seconds before a silent mail server counts as an error (the task retries).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

# The task queue (Celery, learning_platform.celery; README, "Tâches de fond").
# The broker is CELERY_BROKER_URL and nothing else: REDIS_URL alone (the
# cache) does not start queueing, so a server or a test run with a cache but
# no worker still sends its e-mails. Without a broker every task runs at once
# in the process that asks for it (a laptop, `make run`, the tests), and its
# errors reach the caller. Give the queue a Redis database of its own: the
# cache's may be flushed (`cache.clear()`), which would drop queued tasks.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# No result backend: a task's outcome is written where it matters (the
# digest's row, visible in the admin) and in the logs.
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it ends, so a worker that dies mid-task leaves
# it to another; each task is idempotent (its claim row says it is done).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis gives back an unacknowledged task after this long; above the longest
# retry delay (progress.tasks), so that a waiting retry is not run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task stuck on a silent server is stopped rather than holding a worker.
CELERY_TASK_TIME_LIMIT = 10 * 60
# What celery beat starts, in TIME_ZONE. A second beat started by mistake
# sends the same jobs again: each one is once per period by its own rows.
CELERY_BEAT_SCHEDULE = {
    "tutor-digests-weekly": {
        "task": "progress.tasks.send_tutor_digests",
        "schedule": crontab(
            minute=envint("TUTOR_DIGEST_MINUTE", 0),
            hour=envint("TUTOR_DIGEST_HOUR", 7),
            day_of_week=os.environ.get("TUTOR_DIGEST_DAY", "mon"),
        ),
    },
}

# Security: on unless DEBUG. Each can be turned off from the environment
# (behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER too).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For: the client's
# address is read from that header only then (login limits, issue #6).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if envbool("BEHIND_TLS_PROXY") else 0)

# Failed logins counted in the cache (learning_platform.login_limits): past a
# limit within the window, logins for that account, or from that address, are
# refused until the window ends.
LOGIN_FAILURE_WINDOW_SECONDS = envint("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = envint("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = envint("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)

# The API (/api/v1/, learning_platform.api). Personal tokens come first, so that
# an unauthenticated request gets 401 with WWW-Authenticate; the site's own
# pages use the session. Every endpoint requires a login unless it says otherwise.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "learning_platform.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "learning_platform.api_support.ApiSchema",
    "EXCEPTION_HANDLER": "learning_platform.api_support.exception_handler",
    # Counted in the default cache, per address (anonymous) or per user.
    "DEFAULT_THROTTLE_CLASSES": [
        "learning_platform.throttling.AnonThrottle",
        "learning_platform.throttling.UserThrottle",
        "learning_platform.throttling.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "300/minute"),
        "quiz": os.environ.get("API_THROTTLE_QUIZ", "30/minute"),  # starting, submitting
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grains numériques API",
    "DESCRIPTION": (
        "The catalogue, courses and grains, quiz attempts, and the learner's own "
        "enrolments and badges. Authenticate with a personal token from your profile "
        "page (`Authorization: Bearer lp_…`). Errors are "
        '`{"message": "…", "errors": {"field": ["…"]}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's validator: no third-party request.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "ENUM_NAME_OVERRIDES": {
        "CourseLevelEnum": "courses.models.Course.Level",
        "CourseStatusEnum": "courses.models.Course.Status",
        "UnitKindEnum": "courses.models.Unit.Kind",
        "QuestionKindEnum": "quizzes.models.Question.Kind",
        "QuizFeedbackEnum": "quizzes.models.Quiz.Feedback",
    },
    # learning_platform.inputs.IdConverter: ids in paths, 1 to 2**63 - 1.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}
    },
}

# Video hosts the app turns into players. YouTube (privacy-enhanced) and Vimeo
# are built in; PeerTube instances are listed here.
PEERTUBE_HOSTS = envlist(
    "PEERTUBE_HOSTS", "video.blender.org,tube.numerique.gouv.fr,peertube.fr,framatube.org"
)

# Content Security Policy (django-csp), on every response that does not set its
# own: no inline script or style, nothing from another site but the video
# players the app builds from allow-listed hosts (courses.video).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            *(f"https://{host}" for host in PEERTUBE_HOSTS),
        ],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CATALOGUE_PAGE_SIZE = envint("CATALOGUE_PAGE_SIZE", 12)

# Tutors' "needs help" flags: inactive for this many days or more; failed the
# same quiz this many times or more without passing it.
TUTOR_FLAGS = {
    "inactive_days": envint("TUTOR_INACTIVE_DAYS", 14),
    "failed_attempts": envint("TUTOR_FAILED_ATTEMPTS", 2),
}
TUTOR_PAGE_SIZE = envint("TUTOR_PAGE_SIZE", 50)
# How long a start code (an account a tutor created, a forgotten password
# helped in person) works before it is used: learning_platform.start_codes.
START_CODE_VALID_DAYS = envint("START_CODE_VALID_DAYS", 14)

# A learner who used a quiz's attempts gets a new set this many hours after
# the last one (quizzes.retry): no quiz is locked for good.
QUIZ_RETRY_AFTER_HOURS = envint("QUIZ_RETRY_AFTER_HOURS", 24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
