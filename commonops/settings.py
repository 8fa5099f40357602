"""CommonOps settings: the one settings module, everything from environment variables.

Defaults suit the embedded mode (one machine, SQLite under var/, served on 127.0.0.1).
Production sets SECRET_KEY (which leaves the embedded mode), DATABASE_URL and ALLOWED_HOSTS;
see docs/deployment.md for the full list.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from commonops.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("COMMONOPS_VAR_DIR", str(BASE_DIR / "var")))

# The embedded mode (`make run`, the tests): one machine, served on 127.0.0.1, the published
# demo key. A deployment sets SECRET_KEY, which turns every default below to production
# (secure cookies, HSTS, HTTPS redirect, SMTP, the database task queue). DEBUG is off in
# both: the product's own error pages, never a traceback; set DEBUG=true only to develop.
EMBEDDED = env_bool("EMBEDDED", not os.environ.get("SECRET_KEY"))
DEBUG = env_bool("DEBUG", False)
_INSECURE_DEMO_KEY = "insecure-demo-key-for-the-embedded-mode-only-never-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEMO_KEY if EMBEDDED else None)
if not EMBEDDED and SECRET_KEY == _INSECURE_DEMO_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a secret value outside the "
                               "embedded mode.")
_LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
if EMBEDDED and set(ALLOWED_HOSTS) - set(_LOOPBACK_HOSTS):
    # The demo key is public: it may sign nothing that leaves this machine.
    raise ImproperlyConfigured("SECRET_KEY must be set to serve hosts other than 127.0.0.1 "
                               "and localhost (the embedded mode).")
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
    "commonops.documents",
    "commonops.reports",
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "commonops.core.security.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped for slow links (static files come compressed from WhiteNoise above);
    # Django's GZipMiddleware pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commonops.core.security.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "commonops.core.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "commonops.core.middleware.AuditRequestMiddleware",
    "commonops.core.middleware.CurrentCountryMiddleware",
    "commonops.core.security.OneTimeFormTokenMiddleware",
    "axes.middleware.AxesMiddleware",
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
FORMAT_MODULE_PATH = ["commonops.formats"]  # one date format per language
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, content-hashed copies made by collectstatic, in every mode (see the module).
    "staticfiles": {"BACKEND": "commonops.core.staticfiles.HashedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded files go through Django's storage API: local files under MEDIA_ROOT by default, an
# S3-compatible object store with MEDIA_STORAGE=s3 (django-storages, `pip install
# .[objectstorage]`; credentials from the usual AWS_* variables). Files are never served from
# MEDIA_URL: every download goes through the app's access check (documents.classification).
if env_choice("MEDIA_STORAGE", "local", ["local", "s3"]) == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_BUCKET"),
            "endpoint_url": env_str("MEDIA_ENDPOINT_URL", "") or None,
            "region_name": env_str("MEDIA_REGION", "") or None,
            "location": env_str("MEDIA_PREFIX", ""),
            "default_acl": None,  # private objects; the bucket is never public
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Documents (D1–D3): upload limits, the antivirus hook and the full-text search language.
DOCUMENTS_MAX_UPLOAD_MB = env_int("DOCUMENTS_MAX_UPLOAD_MB", 25, minimum=1)
DOCUMENTS_ALLOWED_KINDS = env_list("DOCUMENTS_ALLOWED_KINDS", [
    "pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "odt", "ods", "odp", "ole",
    "text"])
DOCUMENTS_SCANNER = env_str("DOCUMENTS_SCANNER", "")  # dotted path: scan(file, name) -> reason
DOCUMENTS_SEARCH_CONFIG = env_str("DOCUMENTS_SEARCH_CONFIG", "english")
# `make backup` writes the database and the uploaded files here (docs/deployment.md).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
# Serve vendored static files in the embedded mode without collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG or EMBEDDED

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not EMBEDDED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool(
    "BEHIND_TLS_PROXY", False
) else None
X_FRAME_OPTIONS = "DENY"
# HTTPS only, outside the embedded mode: redirect plain HTTP (the load balancer's health
# check excepted) and tell browsers to use HTTPS for a year (HSTS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not EMBEDDED)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if EMBEDDED else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not EMBEDDED)
# Preloading binds the whole domain for years: the domain owner's decision, off by default.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site
# only; no inline script, no eval (htmx runs with allowEval off, see base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "usb", "xr-spatial-tracking"))
# Sessions end after this long without a request (core.security.SessionIdleMiddleware), or
# when the browser closes if the person chose so on the login page.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60, minimum=5) * 60
SESSION_COOKIE_HTTPONLY = True

# Logins: failed attempts are counted per user name and address (django-axes); at
# LOGIN_FAILURE_LIMIT the pair is locked out for LOGIN_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "commonops.core.security.client_address"
AXES_VERBOSE = False
# Second factor (django-otp, TOTP): people with a global role may turn it on in their
# profile; TWO_FACTOR_REQUIRED makes it compulsory for them.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "CommonOps"
# Single sign-on through OpenID Connect (mozilla-django-oidc), on when OIDC_CLIENT_ID is set:
# the identity provider's user is matched to the CommonOps person with the same e-mail
# address (or user name, OIDC_MATCH_CLAIM=preferred_username); nobody is created.
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_choice("OIDC_SIGN_ALGO", "RS256", ["RS256", "ES256", "HS256"])
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT",
                                    "" if OIDC_RP_SIGN_ALGO == "HS256" else None)
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False
    OIDC_MATCH_CLAIM = env_choice("OIDC_MATCH_CLAIM", "email", ["email", "preferred_username"])
    OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "single sign-on")
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
    AUTHENTICATION_BACKENDS.append("commonops.core.sso.PersonBackend")

_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS[
    env_choice("EMAIL_BACKEND", "file" if EMBEDDED else "smtp", list(_EMAIL_BACKENDS))
]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "commonops@localhost")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# E-mails leave through the outbox (core.mail), from a background task, retried this many
# times when the mail server fails.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5, minimum=1)
# The service desk's address: tickets are raised by writing to it; replies come from it.
SERVICE_DESK_EMAIL = env_str("SERVICE_DESK_EMAIL", "") or DEFAULT_FROM_EMAIL
# Imports (CSV/XLSX): the largest upload and the most rows read at once.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5_000_000, minimum=1)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000, minimum=1)
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
            env_choice("TASKS_BACKEND", "immediate" if EMBEDDED else "database",
                       list(_TASK_BACKENDS))
        ],
    }
}

REST_FRAMEWORK = {
    # Token first: an unauthenticated call is a 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "commonops.core.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
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
# API tokens die API_TOKEN_DAYS after they were made, and at once when the password changes.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
# API calls per person (or per address when not signed in), in each app server process.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["commonops.core.tokens.ApiRateThrottle"]
API_THROTTLE_RATES = {
    "user": env_str("API_THROTTLE_RATE", "600/minute"),
    "anon": env_str("API_ANON_THROTTLE_RATE", "60/minute"),
}
for _name, _rate in (("API_THROTTLE_RATE", API_THROTTLE_RATES["user"]),
                     ("API_ANON_THROTTLE_RATE", API_THROTTLE_RATES["anon"])):
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", _rate):
        raise ImproperlyConfigured(f"Environment variable {_name}={_rate!r} is not a rate such "
                                   "as 600/minute (per second, minute, hour or day).")

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
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "commonops.core.api_conventions.document_errors"],
    # Several models have a "status" (or "service_line", "direction") with different choices:
    # name each choice set once, after its model, so clients get stable enum names.
    "ENUM_NAME_OVERRIDES": {
        "ServiceLineEnum": "commonops.core.models.ServiceLine",
        "RoleEnum": "commonops.core.roles.Role",
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
        "ManagementAreaEnum": "commonops.compacts.models.ManagementArea",
        "DocumentAreaEnum": "commonops.documents.models.Area",
        "ReportKindEnum": "commonops.reports.models.ReportKind",
        "ReportFrequencyEnum": "commonops.reports.models.Frequency",
        "ReportRunStatusEnum": "commonops.reports.models.RunStatus",
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
