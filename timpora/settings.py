"""Django settings for Timpora, read from the environment (healthchecks style).

The embedded default (SQLite in ``var/``, a generated secret key, DEBUG on) starts with zero
set-up; production sets ``TIMPORA_ENV=production`` and must then provide ``SECRET_KEY`` (or
``SECRET_KEY_FILE``) and ``DATABASE_URL``, otherwise start-up fails loudly.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TIMPORA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str = "") -> str:
    """A string from ``NAME`` or from the file named by ``NAME_FILE`` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("TIMPORA_ENV", "development") == "production"
if PRODUCTION and not env_str("DATABASE_URL"):
    raise RuntimeError(
        "DATABASE_URL (or DATABASE_URL_FILE) must be set when TIMPORA_ENV=production"
    )


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when TIMPORA_ENV=production"
        )
    # Development/demo: one random key per checkout, kept outside the repository.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
#: Reverse proxies (addresses or networks) whose ``X-Forwarded-For`` is believed for the
#: client's address (audit log, rate limits); see ``timpora.core.net``. Empty: none is.
TIMPORA_TRUSTED_PROXIES = env_list("TIMPORA_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "timpora.core",
    "timpora.areas",
    "timpora.accounts",
    "timpora.audit",
    "timpora.api",
    "timpora.registry",
    "timpora.matching",
    "timpora.intake",
    "timpora.detection",
    "timpora.watchlists",
    "timpora.riskmap",
    "timpora.operations",
    "timpora.coordination",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "timpora.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "timpora.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "timpora.audit.middleware.RequestOriginMiddleware",
]

ROOT_URLCONF = "timpora.urls"
WSGI_APPLICATION = "timpora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "timpora" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "timpora.core.context_processors.timpora",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'timpora.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades in the middle of a write transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions expire after a period of inactivity and at the latest after a working day.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Login lockout: this many failures for one username within the window lock it for the window.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Timpora")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "timpora" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "timpora" / "static",
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "timpora@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Timpora domain settings -------------------------------------------------------------
# Area codes (Kepmendagri) that the immigration office supervises: its working area.
TIMPORA_OFFICE_NAME = os.environ.get(
    "TIMPORA_OFFICE_NAME", "Kantor Imigrasi Kelas I Non TPI Serang"
)
TIMPORA_WORKING_AREA = env_list("TIMPORA_WORKING_AREA", "36.73,36.04")
# Directory with the reference region data (codes CSV and boundary GeoJSON).
TIMPORA_WILAYAH_DIR = Path(
    os.environ.get("TIMPORA_WILAYAH_DIR", BASE_DIR / "timpora" / "areas" / "data")
)
# Optional background tiles (an intranet tile server); empty means boundaries only, offline.
TIMPORA_TILE_URL = os.environ.get("TIMPORA_TILE_URL", "")
TIMPORA_TILE_ATTRIBUTION = os.environ.get("TIMPORA_TILE_ATTRIBUTION", "")
# Days before a permit's last valid day from which it counts as "expiring".
TIMPORA_EXPIRING_DAYS = env_int("TIMPORA_EXPIRING_DAYS", 30)
# How each agency type sees personal identifiers (passport numbers, full dates of birth,
# photos): "clear", "masked" (shown after an audited unmask) or "hidden" (never).
TIMPORA_IDENTIFIER_POLICY = {
    "immigration": "clear",
    "police": "masked",
    "military": "masked",
    "prosecutor": "masked",
    "intelligence": "masked",
    "narcotics": "masked",
    "manpower": "masked",
    "civil_registry": "masked",
    "local_government": "masked",
    "religious_affairs": "hidden",
    "tourism": "hidden",
    "accommodation": "hidden",
    "other": "hidden",
    **{k: v for k, v in (item.split("=", 1) for item in env_list("TIMPORA_IDENTIFIER_POLICY"))},
}
# How long an unmask lasts in a browser session.
TIMPORA_UNMASK_SECONDS = env_int("TIMPORA_UNMASK_SECONDS", 15 * 60)
# Most rows one export of the registry may hold; a larger export must be narrowed first.
TIMPORA_EXPORT_MAX_ROWS = env_int("TIMPORA_EXPORT_MAX_ROWS", 100_000)
# Accommodation reports filed later than this after check-in are marked late (1x24 h policy).
TIMPORA_REPORT_LATE_HOURS = env_int("TIMPORA_REPORT_LATE_HOURS", 24)
# Largest import file accepted, in megabytes.
TIMPORA_IMPORT_MAX_MB = env_int("TIMPORA_IMPORT_MAX_MB", 200)
# Overstay fee per day (biaya beban, PP 28/2019; the PP 45/2024 rate is unconfirmed).
TIMPORA_OVERSTAY_FEE_PER_DAY = env_int("TIMPORA_OVERSTAY_FEE_PER_DAY", 1_000_000)
# Entity resolution (docs/matching.md): a new record whose best candidate reaches the auto
# threshold is linked to that person; between the review and the auto threshold a new person
# is created and the pair queued for an analyst; below the review threshold, a new person.
TIMPORA_MATCH_AUTO_THRESHOLD = float(os.environ.get("TIMPORA_MATCH_AUTO_THRESHOLD") or 0.999)
TIMPORA_MATCH_REVIEW_THRESHOLD = float(os.environ.get("TIMPORA_MATCH_REVIEW_THRESHOLD") or 0.9)
# Map: a cached indicator snapshot older than this is recomputed on the next request.
TIMPORA_MAP_CACHE_SECONDS = env_int("TIMPORA_MAP_CACHE_SECONDS", 900)
# Whether scoped users see the indicators of areas outside their scope (else outlines only).
TIMPORA_MAP_SHOW_OTHER_AREAS = env_bool("TIMPORA_MAP_SHOW_OTHER_AREAS", False)
# Risk score: points per unit and the cap of each component (the score is capped at 100).
TIMPORA_RISK_WEIGHTS = {
    "factors": {"cap": 40},
    "overstays": {"per": 3, "cap": 20},
    "serious_alerts": {"per": 4, "cap": 20},
    "other_alerts": {"per": 1, "cap": 10},
    "tips": {"per": 2, "cap": 10},
    "late_reports": {"per": 1, "cap": 5},
    "violations": {"per": 3, "cap": 15},
}
