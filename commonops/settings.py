"""CommonOps settings: the one settings module, everything from environment variables.

Defaults suit the embedded mode (one machine, SQLite under var/, served on 127.0.0.1).
Production sets SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and DEBUG=false; see
docs/deployment.md for the full list.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from commonops.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("COMMONOPS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
_INSECURE_DEMO_KEY = "insecure-demo-key-for-the-embedded-mode-only-never-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEMO_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == _INSECURE_DEMO_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a secret value when DEBUG is false.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "commonops.core",
    "commonops.results",
    "commonops.governance",
    "commonops.bos",
    "commonops.workplans",
    "commonops.commonservices",
    "commonops.surveys",
    "commonops.servicedesk",
    "commonops.compacts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "commonops.core.middleware.AuditRequestMiddleware",
    "commonops.core.middleware.CurrentCountryMiddleware",
]

ROOT_URLCONF = "commonops.urls"
WSGI_APPLICATION = "commonops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonops.core.context_processors.navigation",
            ],
        },
    },
]

_DEFAULT_DB = f"sqlite:///{VAR_DIR / 'commonops.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _DEFAULT_DB),
            conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0),
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL we understand: {error}"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers and one writer without "database is locked" under light load.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20,
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Serve vendored static files in the embedded mode without collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool(
    "BEHIND_TLS_PROXY", False
) else None
X_FRAME_OPTIONS = "DENY"

_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS[
    env_choice("EMAIL_BACKEND", "file" if DEBUG else "smtp", list(_EMAIL_BACKENDS))
]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "commonops@localhost")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The service desk's address: tickets are raised by writing to it; replies come from it.
SERVICE_DESK_EMAIL = env_str("SERVICE_DESK_EMAIL", "") or DEFAULT_FROM_EMAIL
# S2: contracts of this value (USD) or more must be covered by an MOU.
COMMONSERVICES_MOU_THRESHOLD_USD = env_int("COMMONSERVICES_MOU_THRESHOLD_USD", 50_000,
                                           minimum=0)

# Background tasks (Django's Tasks API through the django-tasks backport): the database backend
# stores them and `manage.py db_worker` runs them, on as many machines as needed; "immediate"
# runs each task at once in the process that enqueued it (the embedded mode and the tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[
            env_choice("TASKS_BACKEND", "immediate" if DEBUG else "database",
                       list(_TASK_BACKENDS))
        ],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "commonops.core.api_conventions.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "commonops.core.api_conventions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CommonOps API",
    "DESCRIPTION": (
        "The CommonOps REST API. The same access rules as the pages apply: every list "
        "holds only the rows of the countries the caller has a role in. Errors share one "
        'shape: {"error": {"status", "code", "message", "fields"}}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" (or "service_line", "direction") with different choices:
    # name each choice set once, after its model, so clients get stable enum names.
    "ENUM_NAME_OVERRIDES": {
        "ServiceLineEnum": "commonops.core.models.ServiceLine",
        "BosServiceLineEnum": "commonops.core.models.BOS_LINE_CHOICES",
        "IndicatorDirectionEnum": "commonops.results.models.Direction",
        "MeetingStatusEnum": "commonops.governance.models.MeetingStatus",
        "MinutesStatusEnum": "commonops.governance.models.MinutesStatus",
        "ActionStatusEnum": "commonops.governance.models.ActionStatus",
        "EscalationStatusEnum": "commonops.governance.models.EscalationStatus",
        "BosStatusEnum": "commonops.bos.models.BosStatus",
        "CommonServiceStatusEnum": "commonops.commonservices.models.ServiceStatus",
        "CostSharingMethodEnum": "commonops.commonservices.models.KeyMethod",
        "SurveyStatusEnum": "commonops.surveys.models.SurveyStatus",
        "TicketStatusEnum": "commonops.servicedesk.models.Status",
        "InboundMailStatusEnum": "commonops.servicedesk.models.MailStatus",
        "WorkPlanStatusEnum": "commonops.workplans.models.PlanStatus",
        "WorkPlanActivityStatusEnum": "commonops.workplans.models.ActivityStatus",
        "BosEvaluationStatusEnum": "commonops.workplans.models.EvaluationStatus",
        "CompactStatusEnum": "commonops.compacts.models.CompactStatus",
        "RecommendationStatusEnum": "commonops.compacts.models.RecommendationStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice(
        "LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"])},
}

# Browser tests: "auto" runs them when Chromium is present; CI=true makes a skip a failure.
CI = env_bool("CI", False)
CHROMIUM_PATH = env_str("CHROMIUM_PATH", "/usr/bin/chromium")
