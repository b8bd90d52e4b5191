"""Django settings: safe defaults plus environment overrides.

Environment variables (all optional):

- ``DATABASE_URL``: e.g. ``postgres://postgres@127.0.0.1:5432/test``; default is the embedded SQLite file
  ``$LVZHI_DATA_DIR/lvzhi.sqlite3``.
- ``LVZHI_DATA_DIR``: where the SQLite file, uploaded attachments and trained models live (default ``./var``).
- ``SECRET_KEY`` or ``SECRET_KEY_FILE``: the signing key; without one a key is generated once and kept in the
  data directory (mode 0600).
- ``DEBUG`` (``1``/``0``), ``ALLOWED_HOSTS`` (comma separated).
- ``PASSWORD_MIN_LENGTH`` (10), ``PASSWORD_HISTORY`` (5 last passwords not reused), ``PASSWORD_MAX_AGE_DAYS``
  (0 = passwords do not expire; 等保 deployments often set 90).
- ``LVZHI_TRUSTED_PROXIES`` (empty): the reverse proxies (addresses or networks, comma-separated) whose
  ``X-Real-IP`` gives the client's address for the portal's rate limit and the login log (docs/deployment.md).
- ``HTTPS`` (``1`` behind a TLS-terminating proxy): secure cookies, HSTS (``HSTS_SECONDS``, default one year),
  and ``X-Forwarded-Proto`` trusted from the proxy.
- ``SESSION_IDLE_MINUTES`` (default 30), ``LOGIN_FAILURE_LIMIT`` (default 5), ``LOGIN_LOCKOUT_MINUTES`` (30):
  the 等保 level-3 session timeout and login lockout.
- ``EMAIL_HOST`` (unset: no e-mail is sent), ``EMAIL_PORT`` (25), ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS`` / ``EMAIL_USE_SSL`` (``1``), ``DEFAULT_FROM_EMAIL``: the council's SMTP server for
  notifications by e-mail (:mod:`lvzhi.core.delivery`).
- ``SMS_GATEWAY_URL`` (unset: no SMS) and ``SMS_GATEWAY_TOKEN``: an HTTP gateway for SMS or instant messages;
  lvzhi POSTs ``{"to": phone, "text": text}`` as JSON with ``Authorization: Bearer <token>``.
- ``LVZHI_REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/0``): the production mode (docs/deployment.md). Background
  work goes to Celery on this Redis (run ``lvzhi worker`` and one ``lvzhi beat``) and the cache (rate limits,
  hot topics) is Redis, shared by every web process. Unset: the embedded mode, jobs run in threads of the web
  process and the cache is per process. ``LVZHI_REMIND_AT`` (``07:30``): when beat sends the daily reminders;
  ``LVZHI_DIGEST_AT`` (``08:00``): when it sends the daily notification digests;
  ``LVZHI_QUEUE`` (``lvzhi``): the Celery queue name and the cache's key prefix, when several deployments share
  one Redis.
- ``LVZHI_MEDIA_DIR``: uploaded attachments and export files (default ``$LVZHI_DATA_DIR/media``); with several
  application machines, a directory all of them share (NFS or similar).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LVZHI_DATA_DIR", Path.cwd() / "var")).resolve()
if os.environ.get("PYTEST_XDIST_WORKER"):  # parallel test processes (./test.sh) must not share trained models
    DATA_DIR = DATA_DIR / os.environ["PYTEST_XDIST_WORKER"]
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(os.environ.get("SECRET_KEY_FILE", DATA_DIR / "secret_key"))
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DEBUG", "0") == "1"
# Reverse proxies whose X-Real-IP header gives the client's address (lvzhi/core/network.py).
LVZHI_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("LVZHI_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in LVZHI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"LVZHI_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",  # serves the API docs (Swagger UI) from local static files instead of a CDN
    "lvzhi.core",
    "lvzhi.members",
    "lvzhi.workflow",
    "lvzhi.cases",
    "lvzhi.proposals",
    "lvzhi.reports",
    "lvzhi.opinions",
    "lvzhi.smart",
    "lvzhi.suggestions",
    "lvzhi.stations",
    "lvzhi.legislation",
    "lvzhi.duties",
    "lvzhi.livelihood",
    "lvzhi.supervision",
    "lvzhi.firmvisits",
    "lvzhi.studios",
    "lvzhi.demo",  # last: the demo builder sits above every app (lvzhi demo)
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
    "lvzhi.members.middleware.ActiveProfileMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "lvzhi.core.passwords.PasswordExpiryMiddleware",
    "lvzhi.core.db_errors.DatabaseErrorMiddleware",  # last: sees the view's exceptions first
]

ROOT_URLCONF = "lvzhi.urls"
CSRF_FAILURE_VIEW = "lvzhi.core.views.csrf_failure"
WSGI_APPLICATION = "lvzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["lvzhi.members.templatetags.people"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lvzhi.members.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'lvzhi.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue instead of failing with
    # "database is locked" half-way through a transaction. WAL lets readers go on while one writes, and
    # synchronous=NORMAL syncs at checkpoints rather than at every commit (durable against a crash of the
    # process; a power cut may lose the last commits — use PostgreSQL where that matters).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE", "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too (not the in-memory shared-cache database, whose lock waits fail at once), so that
    # concurrent writers behave in tests as they do in production.
    # One file per test process, so parallel runs sharing a data directory don't collide.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 等保 level 3 password policy (lvzhi/core/passwords.py): length, three of four character classes, not the user
# name, not common, not all digits, not one of the last five; expiry after PASSWORD_MAX_AGE_DAYS (0 = never).
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
PASSWORD_HISTORY = int(os.environ.get("PASSWORD_HISTORY", "5"))
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "0"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "lvzhi.core.passwords.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lvzhi.core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "lvzhi.core.passwords.NotContainingUsernameValidator"},
    {"NAME": "lvzhi.core.passwords.PasswordHistoryValidator", "OPTIONS": {"keep": PASSWORD_HISTORY}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"

# 等保 level 3: idle session timeout, login lockout.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
# Lock the account, not the address: a government office reaches the server through one NAT address, and
# locking it would lock out everyone in the building after one person's typos. 等保 asks for account lockout.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and connections from this server only; no
# inline script anywhere (templates pass data to scripts through json_script); no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if os.environ.get("HTTPS", "0") == "1":
    # Behind nginx terminating TLS (docs/deployment in the README): cookies only over HTTPS, HSTS, and the
    # proxy's X-Forwarded-Proto trusted so Django knows the request was secure.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Notifications outside the app (lvzhi.core.delivery): the council's SMTP server and SMS/IM gateway.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lvzhi@localhost")
SITE_URL = os.environ.get("SITE_URL", "")  # e.g. https://lvzhi.example.gov.cn, for links in e-mails
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from the finders; an empty root keeps it quiet
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("LVZHI_MEDIA_DIR", DATA_DIR / "media")).resolve()
MEDIA_URL = "/media/"

# Attachments: PDF and Word only, 20 MB at most (per file).
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
ATTACHMENT_EXTENSIONS = {".pdf": "application/pdf", ".doc": "application/msword",
                         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# PDF copies of the Word documents (lvzhi/core/pdf.py): LibreOffice headless; the program found on PATH
# (soffice, libreoffice) unless LVZHI_SOFFICE names one; a conversion is stopped after LVZHI_PDF_TIMEOUT seconds.
SOFFICE = os.environ.get("LVZHI_SOFFICE") or None
PDF_TIMEOUT_SECONDS = int(os.environ.get("LVZHI_PDF_TIMEOUT", "180"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Production mode (lvzhi/core/tasks.py, lvzhi/core/queue.py): Celery on Redis and a shared Redis cache.
LVZHI_REDIS_URL = os.environ.get("LVZHI_REDIS_URL", "")
LVZHI_REMIND_AT = os.environ.get("LVZHI_REMIND_AT", "07:30")
LVZHI_DIGEST_AT = os.environ.get("LVZHI_DIGEST_AT", "08:00")  # when beat sends the daily notification digests
LVZHI_QUEUE_NAME = os.environ.get("LVZHI_QUEUE", "lvzhi")  # one Redis may serve several deployments
if LVZHI_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": LVZHI_REDIS_URL,
                          "KEY_PREFIX": LVZHI_QUEUE_NAME}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"lvzhi": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
                "jieba": {"level": "WARNING"}},
}
