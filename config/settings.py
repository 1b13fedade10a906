"""Django settings for meirim: one module, values from ``config.env``."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from config import env

# Lets generic classes such as ModelAdmin[Model] be subscripted at run time, as typed.
django_stubs_ext.monkeypatch()

BASE_DIR = env.BASE_DIR
DEBUG = env.DEBUG
# An empty key is only acceptable when developing; production must set MEIRIM_SECRET_KEY.
SECRET_KEY = env.SECRET_KEY or "insecure-development-key-change-me"
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
    "ninja",
    "meirim.common",
    "meirim.accounts",
    "meirim.geography",
    "meirim.catalogue",
    "meirim.data",
    "meirim.reports",
    "meirim.portal",
    "meirim.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "meirim.common.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
                "meirim.portal.context_processors.navigation",
            ],
        },
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
AXES_RESET_ON_SUCCESS = True

# Idle session timeout: the cookie is renewed on each request and expires after inactivity.
SESSION_COOKIE_AGE = env.SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("ky", _("Kyrgyz")),
]
# Catalogue content is written in Kazakh first; other languages fall back to it visibly.
CONTENT_SOURCE_LANGUAGE = "kk"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
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
    }
}

# The largest data file (CSV or XLSX) an upload or an import accepts: a national file of a
# million rows is about 100 MB as CSV. Checked by the upload form before the file is read, and
# again by the import services (meirim.common.tabular) for every other caller.
MEIRIM_UPLOAD_MAX_BYTES = 200 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
