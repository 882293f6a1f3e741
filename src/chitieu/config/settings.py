"""Settings, all from the environment. See README "Cấu hình / Configuration".

Nothing here keeps state in the app process: sessions and caches live in the database, files
under MEDIA_ROOT (a shared volume when several app servers run behind one PostgreSQL).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # src/chitieu
PROJECT_DIR = Path(os.environ.get("CHITIEU_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("CHITIEU_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [x.strip() for x in os.environ.get(name, default).split(",") if x.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-dev-key-only-for-local-demo-and-tests-change-me"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "chitieu.audit",
    "chitieu.ui",
    "chitieu.accounts",
    "chitieu.orgs",
    "chitieu.indicators",
    "chitieu.plans",
    "chitieu.reporting",
    "chitieu.analytics",
    "chitieu.documents",
    "chitieu.dossiers",
    "chitieu.scoring",
    "chitieu.api",
    "chitieu.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chitieu.accounts.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chitieu.audit.middleware.RequestIdMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # last, so that it is the first to see a view's exception: domain errors become pages
    "chitieu.ui.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "chitieu.config.urls"
WSGI_APPLICATION = "chitieu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chitieu.reporting.context_processors.notifications",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'chitieu.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_sqlite, conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # WAL lets readers go on while one request writes; IMMEDIATE avoids lock upgrades.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # tests use a file too (not ":memory:"), so that concurrent connections lock and wait as in production
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "CHITIEU_TEST_SQLITE", str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"  # never served directly: evidence files go through a permission check
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files are served by the app itself (WhiteNoise): no web server or CDN needed on an offline intranet.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "chitieu_cache"}}

LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/dang-nhap/"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CHITIEU_MAX_UPLOAD_BYTES = int(os.environ.get("CHITIEU_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))

# Public holidays for working-day deadlines (ISO dates, comma separated) on top of the shipped list.
CHITIEU_EXTRA_HOLIDAYS = env_list("CHITIEU_EXTRA_HOLIDAYS")

# The reporting regime of a plan that names none: quarterly reports over the Decree 09 cut-off
# window, due before the 15th of the quarter's last month. JSON in CHITIEU_DEFAULT_REGIME overrides it.
CHITIEU_DEFAULT_REGIME = json.loads(os.environ.get("CHITIEU_DEFAULT_REGIME") or "null") or {
    "period_kinds": ["quarter"],
    "window": {"kind": "cutoff", "turn_day": 15},
    "deadline_rule": {"kind": "day_of_last_month", "day": 15, "exclusive": True},
    "approval_levels": 1,
}
# Dossier store and computation: "duckdb" (embedded, columnar files under MEDIA_ROOT) or "postgres"
# (the dossiers_dossier table; SQL pushed down; needs DATABASE_URL on PostgreSQL).
CHITIEU_DOSSIER_ENGINE = os.environ.get("CHITIEU_DOSSIER_ENGINE", "duckdb")
CHITIEU_DUCKDB_MEMORY = os.environ.get("CHITIEU_DUCKDB_MEMORY", "1GB")

CHITIEU_EVIDENCE_MAX_BYTES = int(os.environ.get("CHITIEU_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
CHITIEU_EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}

# Background tasks (reminders) run from the database: no broker, `chitieu worker` processes them.
TASKS = {"default": {"BACKEND": os.environ.get("CHITIEU_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# E-mail (Django 6.1 mailers). Without EMAIL_HOST, mail is printed on the console (demo, development).
_smtp = os.environ.get("EMAIL_HOST")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _smtp,
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 20,
        },
    }
    if _smtp
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chitieu <no-reply@chitieu.local>")
CHITIEU_REMIND_DAYS_BEFORE = int(os.environ.get("CHITIEU_REMIND_DAYS_BEFORE", "3"))
CHITIEU_BASE_URL = os.environ.get("CHITIEU_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- security ---------------------------------------------------------------------------------
# Passwords: Argon2 (older hashes still verify and are upgraded at the next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Lockout after repeated failures (django-axes, attempts kept in the database: all app servers
# see them). A person is locked per user name and address; a success resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Optional single sign-on through OpenID Connect (a provincial SSO). Local accounts keep working.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "chitieu.accounts.oidc.UnitOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    LOGIN_REDIRECT_URL_FAILURE = "/dang-nhap/"
# which claims say the person's unit (a unit code) and role (reporter, approver, viewer, admin)
CHITIEU_OIDC_UNIT_CLAIM = os.environ.get("CHITIEU_OIDC_UNIT_CLAIM", "unit_code")
CHITIEU_OIDC_ROLE_CLAIM = os.environ.get("CHITIEU_OIDC_ROLE_CLAIM", "role")

# Content-Security-Policy: only the app's own scripts (no inline script, no CDN); styles from
# the app (inline style attributes allowed: the charts set them); no framing, no plugins.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))  # a working day

# Production (behind HTTPS): CHITIEU_PRODUCTION=1 turns on secure cookies, HSTS and the HTTPS
# redirect, so that `chitieu manage check --deploy` passes without warning.
if env_bool("CHITIEU_PRODUCTION", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if os.environ.get("SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
