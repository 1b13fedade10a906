"""Django settings for meirim: one module, values from ``config.env``."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env

# Lets generic classes such as ModelAdmin[Model] be subscripted at run time, as typed.
django_stubs_ext.monkeypatch()

BASE_DIR = env.BASE_DIR
DEBUG = env.DEBUG
# There is no public fallback key: sessions, password-reset links and signed values all rest on
# it. Only a developer's machine (MEIRIM_DEBUG=1) may run without one.
if env.SECRET_KEY:
    SECRET_KEY = env.SECRET_KEY
elif DEBUG:
    SECRET_KEY = "insecure-development-key-for-meirim-debug-only"  # noqa: S105
else:
    raise ImproperlyConfigured(
        "MEIRIM_SECRET_KEY is not set. Set it to a long random value (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set MEIRIM_DEBUG=1 "
        "on a development machine."
    )
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "meirim.common",
    "meirim.accounts",
    "meirim.geography",
    "meirim.catalogue",
    "meirim.data",
    "meirim.reports",
    "meirim.governance",
    "meirim.facilities",
    "meirim.planning",
    "meirim.voice",
    "meirim.surveys",
    "meirim.participation",
    "meirim.budget",
    "meirim.portfolio",
    "meirim.recognition",
    "meirim.opendata",
    "meirim.portal",
    "meirim.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (collected into STATIC_ROOT) are served by the application itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "meirim.common.middleware.PrivateCacheMiddleware",
    "meirim.common.request_memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is chosen: its refusal is in the reader's language.
    "meirim.common.middleware.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "meirim.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
    {
        # Large tables of figures only (see meirim.reports.jinja); every other page is above.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja_templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "meirim.reports.jinja.environment"},
    },
]

DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout after repeated failed logins (per user name and address).
AXES_FAILURE_LIMIT = env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The API answers a lockout in JSON; pages render the template above.
AXES_LOCKOUT_CALLABLE = "meirim.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The client address is REMOTE_ADDR unless a trusted proxy is declared (MEIRIM_PROXY_IP_HEADER,
# MEIRIM_PROXY_COUNT): a forged X-Forwarded-For can neither hide an attacker nor lock anyone out.
AXES_CLIENT_IP_CALLABLE = "meirim.accounts.client_ip.client_ip"
PROXY_IP_HEADER = env.PROXY_IP_HEADER
PROXY_COUNT = env.PROXY_COUNT
PASSWORD_RESET_LIMIT = env.PASSWORD_RESET_LIMIT

# Idle session timeout: the cookie is renewed on each request and expires after inactivity.
SESSION_COOKIE_AGE = env.SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Absolute lifetime: meirim.accounts.middleware logs a user out this long after login.
SESSION_MAX_SECONDS = env.SESSION_MAX_SECONDS

# Behind an HTTPS reverse proxy (MEIRIM_HTTPS=1): cookies only over HTTPS, HSTS, redirect plain
# HTTP, and trust the proxy's X-Forwarded-Proto (the proxy must set it and strip the client's).
if env.HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        f"https://{host}" for host in ALLOWED_HOSTS if host not in {"*", "localhost", "127.0.0.1"}
    ]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script anywhere (templates, Django admin and the API docs
# page of django-ninja load their scripts from /static/). Inline *styles* are still allowed; the
# server-rendered SVG charts do not need them (presentation attributes, no <style> element).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "kk"
# Formats Django lacks for a language of ours (Kazakh number grouping).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("ky", _("Kyrgyz")),
]
# Catalogue content is written in Kazakh first; other languages fall back to it visibly.
CONTENT_SOURCE_LANGUAGE = "kk"
# The first path wins for a message found in several. locale/ holds the project's own strings
# (regenerated by makemessages); locale_overrides/ completes Django's and django-axes' catalogues
# where they lack Kazakh, Kyrgyz or Russian entries (scripts/check_messages.py keeps both apart).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.STATIC_ROOT
# `manage.py collectstatic` writes hashed, compressed copies that WhiteNoise serves with
# far-future cache headers; the files then change name whenever their content does.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT

EMAIL_BACKEND = env.EMAIL_BACKEND
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL

# Computed index results are cached per data revision. The database cache is shared by every
# app server and needs no extra service; `manage.py createcachetable` creates its table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "meirim_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Rendered parts of results pages, in each web process: at national scale most views
    # are of different cities, so a shared copy would cost a database write per view for
    # few reads. Bounded, so a process's memory stays flat (about 100 KB an entry).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "meirim-pages",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
}

# The largest data file (CSV or XLSX) an upload or an import accepts: a national file of a
# million rows is about 100 MB as CSV. Checked by the upload form before the file is read, and
# again by the import services (meirim.common.tabular) for every other caller.
MEIRIM_UPLOAD_MAX_BYTES = 200 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Logs go to stderr, one JSON object a line (the process manager collects them); server errors
# carry the request path and the traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "meirim.common.log_format.JsonFormatter"},
        # The demo's terminal is read by a person: plain lines there.
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain" if DEBUG else "json",
        }
    },
    "root": {"handlers": ["stderr"], "level": env.LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": env.LOG_LEVEL, "propagate": False},
    },
}

# Background work (imports of large files, recomputation of results) goes through Django's
# task interface into a table of this database; `manage.py db_worker` runs it (`make demo`
# starts one beside the web server). Any app server sees a task's state and progress.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        # "relative": the comparison across cities (minutes at national scale), run by a
        # worker of its own so that it never delays a city's own results.
        "QUEUES": ["default", "relative"],
    }
}

# The child helpline shown on a child's receipt page when their message raised a safeguarding
# concern, by country code (the municipality's ``country``): Kazakhstan's national helpline for
# children and young people, 150; Kyrgyzstan's children's helpline, 111.
CHILD_HELPLINES = {"KZ": "150", "KG": "111"}
