"""Django settings. Everything that differs between machines comes from ``EGOV_*`` variables
(see :mod:`egov.config`); SQLite runs unconfigured, production differs only by environment."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from egov.config import PROJECT_ROOT, media_dir, setting, var_dir


def _secret_key() -> str:
    if key := setting("EGOV_SECRET_KEY"):
        return key
    path = var_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(config["NAME"])
        if not name.is_absolute() and str(name) != ":memory:":
            name = PROJECT_ROOT / name
            name.parent.mkdir(parents=True, exist_ok=True)
        config["NAME"] = str(name)
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


SECRET_KEY = _secret_key()
DEBUG = setting("EGOV_DEBUG") == "1"
ALLOWED_HOSTS = [host.strip() for host in setting("EGOV_ALLOWED_HOSTS").split(",") if host]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its templates and static files: the API docs without a CDN
    "django_htmx",
    "axes",
    "egov.web.accounts",
    "egov.web.datacenter",
    "egov.web.knowledge",
    "egov.web.meter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.web.urls"
WSGI_APPLICATION = "egov.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": _database(setting("EGOV_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The six official languages of the United Nations. Pages live under a language prefix
# (/fr/, /es/, ...; English without one); docs/frontend.md says how catalogues are made.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [Path(__file__).parent / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [Path(__file__).parent / "static"]  # vendor assets (docs/frontend.md)
STATIC_ROOT = var_dir() / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on a missing folder before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Accounts (docs/accounts.md): roles are Django groups; django-axes throttles sign-in, locking
# a username for an hour after five failures from one address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "knowledge:search"
LOGOUT_REDIRECT_URL = "datacenter:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Attachments of knowledge items: kept outside the static files, served by a view that checks
# the item is visible to the reader (never by the web server directly).
MEDIA_ROOT = media_dir()
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 26_214_400
