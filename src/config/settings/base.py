"""Settings shared by every environment. Values that differ per deployment come from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("LABORCOOP_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "laborcoop.core",
    "laborcoop.regions",
    "laborcoop.accounts",
    "laborcoop.registry",
    "laborcoop.employers",
    "laborcoop.cooperation",
    "laborcoop.employment",
    "laborcoop.matching",
    "laborcoop.tracking",
    "laborcoop.earlywarning",
    "laborcoop.notifications",
    "laborcoop.reports",
    "laborcoop.audit",
    "laborcoop.intake",
    "laborcoop.exports",
    "laborcoop.linkage",
    "laborcoop.frontdesk",
    "laborcoop.api",
    "laborcoop.demo",
    "laborcoop.bench",
    "laborcoop.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files need neither a CSP nor no-store (docs/architecture.md, "Security headers").
    "csp.middleware.CSPMiddleware",
    "laborcoop.core.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "laborcoop.core.middleware.DomainErrorMiddleware",
    # Last, as django-axes asks: it turns a login refused for a lockout into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "laborcoop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "laborcoop.accounts.context_processors.scope",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the job worker write while pages read; IMMEDIATE avoids lock upgrades mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'laborcoop.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # django-axes refuses a locked-out account or address before any password is checked (every sign-in
    # path: the login page, POST /api/v1/auth/token/, the Django admin). It needs `request` in authenticate().
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "src" / "laborcoop" / "static"]
MEDIA_ROOT = VAR_DIR / "media"

SECRET_KEY = env("DJANGO_SECRET_KEY")

# Security headers (docs/architecture.md, "Security headers"). No inline script anywhere: JavaScript lives in
# static files (src/laborcoop/static/js/) and hooks onto data attributes; htmx's injected indicator style is off
# (the meta htmx-config in base.html) and its rules are in app.css. Only /api/docs/ (Swagger UI) relaxes
# style-src, with django-csp's csp_update on that one view (config/urls.py).
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The personal-link pages (matching.views.personal) send `strict-origin` themselves: their URL is a credential.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Personal data: ID numbers are encrypted with AES-GCM under LABORCOOP_ID_KEY and looked up through an
# HMAC-SHA256 under LABORCOOP_HASH_KEY. Both are 32 random bytes, urlsafe-base64 encoded.
LABORCOOP_ID_KEY = env("LABORCOOP_ID_KEY")
LABORCOOP_HASH_KEY = env("LABORCOOP_HASH_KEY")
# During a rotation of the ID key (docs/deploy.md, "Key rotation"): the previous key(s), comma-separated.
# Decryption tries LABORCOOP_ID_KEY first, then these; encryption always uses LABORCOOP_ID_KEY.
LABORCOOP_ID_KEY_OLD = os.environ.get("LABORCOOP_ID_KEY_OLD", "")
# Uploaded import files and comparison lists are stored encrypted (AES-256-GCM, core.file_crypto) under
# LABORCOOP_FILE_KEY when set, else under a subkey of LABORCOOP_ID_KEY, and deleted by `manage.py purge_uploads`
# (nightly) LABORCOOP_UPLOAD_RETENTION_DAYS days after the upload; the job rows and problem reports are kept.
LABORCOOP_FILE_KEY = os.environ.get("LABORCOOP_FILE_KEY", "")
LABORCOOP_UPLOAD_RETENTION_DAYS = int(os.environ.get("LABORCOOP_UPLOAD_RETENTION_DAYS", "30"))


# Sign-in limits (django-axes). After LABORCOOP_LOGIN_FAILURE_LIMIT failed sign-ins within the cool-off, the
# account and the client address are refused (429) for LABORCOOP_LOGIN_LOCKOUT_MINUTES, even with the right
# password; an admin of the account's region can unlock it on its account page. LABORCOOP_LOGIN_LOCKOUT_BY
# lists what is counted: ";" separates independent counters, "+" combines fields into one counter
# ("username;ip_address": per account and per address; "username;username+ip_address" when many people share
# one NAT address).
def lockout_parameters(spec: str) -> list[list[str]]:
    return [[f.strip() for f in group.split("+") if f.strip()] for group in spec.split(";") if group.strip()]


AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("LABORCOOP_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LABORCOOP_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = lockout_parameters(os.environ.get("LABORCOOP_LOGIN_LOCKOUT_BY", "username;ip_address"))
# A successful sign-in does not clear the counters: it would let anyone with one account reset the failures
# counted against their address (and so against the accounts they guess from it).
AXES_RESET_ON_SUCCESS = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "laborcoop.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "laborcoop.accounts.lockout.lockout_response"
# Proxy headers (X-Forwarded-For) are believed only from these addresses or networks (comma-separated, e.g.
# "10.0.0.5,10.0.1.0/24"); empty = no proxy, the connection's address is the client. Used by the sign-in
# limits and the API throttles (laborcoop.core.client_ip).
LABORCOOP_TRUSTED_PROXIES = env_list("LABORCOOP_TRUSTED_PROXIES")

# API tokens (laborcoop.accounts.tokens): stored as SHA-256 only, valid for LABORCOOP_API_TOKEN_TTL_DAYS,
# revoked by a password change, a deactivation or their owner; at most LABORCOOP_API_TOKENS_PER_USER live
# tokens per account (a new one revokes the oldest).
LABORCOOP_API_TOKEN_TTL_DAYS = int(os.environ.get("LABORCOOP_API_TOKEN_TTL_DAYS", "30"))
LABORCOOP_API_TOKENS_PER_USER = int(os.environ.get("LABORCOOP_API_TOKENS_PER_USER", "10"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API request gets 401 with `WWW-Authenticate: Token`, not 403.
        "laborcoop.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # DRF's own client address: never from X-Forwarded-For (our throttles use laborcoop.core.client_ip).
    "NUM_PROXIES": 0,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "laborcoop.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "laborcoop.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "laborcoop.core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "劳务协作信息服务平台 API",
    "DESCRIPTION": "LaborCoop: 人员库、企业与岗位、区域树。所有数据按账号的行政区划范围过滤。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, never from a CDN (intranet deployments).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per code list that several components share under a common field name ("status").
    # The error answers every operation of a kind gives (404 for an id in the path, 400 for query parameters,
    # 401 behind authentication), documented once (laborcoop.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "laborcoop.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DestinationNoticeStatusEnum": "laborcoop.tracking.choices.NoticeStatus",
        "JobStatusEnum": "laborcoop.employers.choices.JobStatus",
    },
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# Background jobs (core.jobs): a running job's lease is beaten every HEARTBEAT seconds; a lease older than LEASE
# seconds belongs to a dead worker, and its job is re-queued, or failed after MAX_ATTEMPTS interrupted starts.
LABORCOOP_JOB_HEARTBEAT_SECONDS = float(os.environ.get("LABORCOOP_JOB_HEARTBEAT_SECONDS", "10"))
LABORCOOP_JOB_LEASE_SECONDS = float(os.environ.get("LABORCOOP_JOB_LEASE_SECONDS", "60"))
LABORCOOP_JOB_MAX_ATTEMPTS = int(os.environ.get("LABORCOOP_JOB_MAX_ATTEMPTS", "3"))

# Outbound messages (used by notifications): SMS through an HTTP gateway, e-mail through SMTP.
# Absolute base of every link sent by SMS/e-mail (the laborers' personal links), e.g. https://laowu.example.gov.cn.
# Required in production (`check --deploy`: laborcoop.E001); while empty, admins see a warning on every page.
LABORCOOP_PUBLIC_URL = os.environ.get("LABORCOOP_PUBLIC_URL", "")
LABORCOOP_SMS_GATEWAY_URL = os.environ.get("LABORCOOP_SMS_GATEWAY_URL", "")
LABORCOOP_SMS_GATEWAY_TOKEN = os.environ.get("LABORCOOP_SMS_GATEWAY_TOKEN", "")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@laborcoop.local")

DEFAULT_EXCEPTION_REPORTER = "laborcoop.core.error_reports.PersonalDataExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "laborcoop.core.error_reports.PersonalDataExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pii": {"()": "laborcoop.core.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_pii"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LABORCOOP_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # runserver's request log: Django's default gives it its own unfiltered handler; a request line of a
        # personal link (/r/<token>/) must go through the redaction like everything else.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Splink logs every EM iteration and warns about levels a small list does not observe; the comparison
        # page reports what matters (counts, the fallback note).
        "splink": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Notifications outbox (laborcoop.notifications). Without an SMS gateway, SMS rows stay in the outbox with the
# status "未配置短信网关" and are sent by the next sweep once a gateway is configured. Failed sends are retried
# after BACKOFF_SECONDS[attempt - 1] until MAX_ATTEMPTS, then given up ("放弃"); an admin can retry them.
NOTIFICATIONS = {
    "SMS_GATEWAY_URL": LABORCOOP_SMS_GATEWAY_URL,
    "SMS_TOKEN": LABORCOOP_SMS_GATEWAY_TOKEN,
    "SMS_TIMEOUT_SECONDS": float(os.environ.get("LABORCOOP_SMS_TIMEOUT_SECONDS", "10")),
    "EMAIL": {"FROM": DEFAULT_FROM_EMAIL},
    "MAX_ATTEMPTS": 5,
    "BACKOFF_SECONDS": [60, 300, 1800, 7200, 43200],
    # A row left in "发送中" longer than this (a worker died mid-send) is claimed again by the sweep.
    "SENDING_LEASE_SECONDS": 300,
}
