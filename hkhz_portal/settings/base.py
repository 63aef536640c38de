"""Settings shared by every environment.

Everything that differs between machines comes from environment variables (see the
README's configuration table). The defaults here run the whole portal on one machine
with no servers: a SQLite file, a broker on the file system, an in-memory cache.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # local database, broker folders and media; git ignores it
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

# --- Core ---------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me-in-every-real-deployment")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
ADMIN_URL = env("ADMIN_URL", default="manage/")

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
    "django_filters",
    "django_htmx",
    "djmoney",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "formtools",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "hkhz_portal.core",
    "hkhz_portal.accounts",
    "hkhz_portal.webhooks",
    "enterprises",
    "programs",
    "funds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "hkhz_portal.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The API's conventions, on /api/ paths only: ETags on reads, Idempotency-Key on writes.
    "hkhz_portal.core.middleware.APIConditionalGetMiddleware",
    "hkhz_portal.core.idempotency.IdempotencyMiddleware",
    "hkhz_portal.accounts.middleware.PreferredLanguageMiddleware",
    "hkhz_portal.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hkhz_portal.accounts.middleware.StaffMFAMiddleware",
    "hkhz_portal.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "hkhz_portal.urls"
WSGI_APPLICATION = "hkhz_portal.wsgi.application"
ASGI_APPLICATION = "hkhz_portal.asgi.application"

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
                "hkhz_portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite by default, in WAL mode with IMMEDIATE transactions so that the web process and
# a Celery worker can both write without "database is locked" on lock upgrades.

SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_from_env(default_path: Path) -> dict:
    """Parse DATABASE_URL, adding the SQLite options every SQLite database needs here."""
    db = env.db_url("DATABASE_URL", default=f"sqlite:///{default_path}")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["OPTIONS"] = {**SQLITE_OPTIONS, **db.get("OPTIONS", {})}
    else:
        db.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        db.setdefault("CONN_HEALTH_CHECKS", True)
    return db


DATABASES = {"default": database_from_env(VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache and rate-limit store when set ---------------------------------

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ------------------------------------------------------------------------------
# Without REDIS_URL the broker is kombu's file-system transport: a real worker and beat
# run on one machine with no server. Tasks acknowledge late so that a worker killed
# mid-task leaves its message to be redelivered; the tasks themselves are idempotent.


def file_broker_options(folder: Path) -> dict:
    """Transport options of kombu's file-system broker kept under ``folder``."""
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task a dead worker had taken is handed to another after this many seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = file_broker_options(CELERY_BROKER_DIR)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Work goes to queues by kind, so that neither notices, a mail backlog nor a large export ever delay screening:
# `make run`'s worker consumes every queue; in production each has workers of its own (README).
CELERY_TASK_DEFAULT_QUEUE = "workflow"
CELERY_TASK_ROUTES = {
    "core.dispatch_event": {"queue": "events"},
    "enterprises.send_invitation": {"queue": "mail"},
    "core.send_notification_email": {"queue": "mail"},
    "programs.build_export": {"queue": "exports"},
    "webhooks.deliver": {"queue": "webhooks"},
    "webhooks.enqueue_due": {"queue": "webhooks"},
    "webhooks.delete_old_log": {"queue": "webhooks"},
}
# A worker started without -Q consumes all of these.
CELERY_TASK_QUEUES = [Queue("workflow"), Queue("events"), Queue("mail"), Queue("exports"), Queue("webhooks")]
#: Seconds between two beats of the service centres' SLA reminders (shortened by the worker tests).
CENTRE_SLA_REMINDER_INTERVAL = env.float("CENTRE_SLA_REMINDER_INTERVAL", default=300.0)
#: Seconds between two beats of the fund's priority windows: expiry and reminders (shortened by the worker tests).
FUND_WINDOW_BEAT_INTERVAL = env.float("FUND_WINDOW_BEAT_INTERVAL", default=300.0)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.record_heartbeat", "schedule": 60.0},
    "invitation-sweep": {"task": "enterprises.send_stranded_invitations", "schedule": 300.0},
    "event-sweep": {"task": "core.sweep_events", "schedule": 300.0},
    "idempotency-sweep": {"task": "core.sweep_idempotency_records", "schedule": 3600.0},
    "application-sweep": {"task": "programs.sweep_applications", "schedule": 300.0},
    "info-request-reminders": {"task": "programs.remind_info_requests", "schedule": 3600.0},
    "review-reminders": {"task": "programs.remind_reviews", "schedule": 3600.0},
    "call-announcements": {"task": "programs.announce_calls", "schedule": 300.0},
    "centre-sla-reminders": {"task": "programs.centres_remind_sla", "schedule": CENTRE_SLA_REMINDER_INTERVAL},
    "fund-window-expiry": {"task": "funds.expire_windows", "schedule": FUND_WINDOW_BEAT_INTERVAL},
    "fund-window-reminders": {"task": "funds.remind_windows", "schedule": FUND_WINDOW_BEAT_INTERVAL},
    # Webhook retries wait as rows, not as broker countdowns (see hkhz_portal/webhooks/delivery.py).
    "webhook-retries": {"task": "webhooks.enqueue_due", "schedule": 30.0},
    "webhook-log-sweep": {"task": "webhooks.delete_old_log", "schedule": 3600.0},
}
#: An application left in ``submitted`` or ``screening`` this long is screened again by the sweep.
SCREENING_STALE_AFTER = env.int("SCREENING_STALE_AFTER_SECONDS", default=600)
# Seconds after which a worker's claim on a notification's e-mail copy counts as abandoned (the
# worker died) and the sweep may send it again. Keep it well above a slow send (EMAIL_TIMEOUT).
NOTIFICATION_EMAIL_CLAIM_TIMEOUT = env.int("NOTIFICATION_EMAIL_CLAIM_TIMEOUT", default=900)

# --- Partner webhooks ---------------------------------------------------------------------
# Off everywhere by default, tests included: endpoints must be public HTTPS addresses. On, loopback,
# private addresses and plain http are allowed too, for a receiver on this machine.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
# Seconds one delivery's POST may take in all (connection, request, answer).
WEBHOOKS_TIMEOUT = env.int("WEBHOOKS_TIMEOUT", default=15)

# --- Accounts ------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "hkhz_portal.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "hkhz_portal.accounts.adapter.AccountAdapter"
# allauth's forms with the portal's words (labels in sentence case, Hong Kong terms in 繁體).
ACCOUNT_FORMS = {
    "login": "hkhz_portal.accounts.allauth_forms.LoginForm",
    "signup": "hkhz_portal.accounts.allauth_forms.SignupForm",
    "add_email": "hkhz_portal.accounts.allauth_forms.AddEmailForm",
    "change_password": "hkhz_portal.accounts.allauth_forms.ChangePasswordForm",
    "reset_password": "hkhz_portal.accounts.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "hkhz_portal.accounts.allauth_forms.ResetPasswordKeyForm",
    "reauthenticate": "hkhz_portal.accounts.allauth_forms.ReauthenticateForm",
}
# Where the sign-in, verification and password pages send people who are stuck.
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="support@hkhz-portal.local")
# Failed sign-ins: five per account in 15 minutes stops guessing one account's password (at most
# 480 guesses a day) and locks only that account; thirty per client IP, six accounts' worth,
# lets an office behind one address keep signing in while one of its accounts is attacked, and
# still caps one machine that tries a password across many accounts.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="30/15m/ip,5/15m/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="20/m/ip"),
}
# The client's address, for rate limits and the audit trail. Behind reverse proxies it is in a
# header they set: either the number of proxies that append to X-Forwarded-For (1 behind the
# single TLS proxy the README describes), or the name of a header one trusted proxy sets to the
# client's address (e.g. X-Real-IP). With neither, X-Forwarded-For is ignored, since any client
# can send one.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "HKHZ Portal"
MFA_ADAPTER = "hkhz_portal.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "hkhz_portal.accounts.allauth_forms.MFAAuthenticateForm",
    "reauthenticate": "hkhz_portal.accounts.allauth_forms.MFAReauthenticateForm",
    "activate_totp": "hkhz_portal.accounts.allauth_forms.ActivateTOTPForm",
}
# Recovery codes are shown once, right after they are made (a session taken over later cannot
# read them); whoever lost them makes a new set.
MFA_RECOVERY_CODES_SHOW_ONCE = True

# --- E-mail --------------------------------------------------------------------------------

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes each mail (a worker's mail, read by a test).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="HKHZ Portal <no-reply@hkhz-portal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="Asia/Hong_Kong")

# --- Static and media ------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production, whitenoise serves straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Enterprises ---------------------------------------------------------------------------

CURRENCIES = ("CNY", "HKD", "USD")
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# One request's files together (one document plus room for its form), and how many files.
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=DOCUMENT_MAX_UPLOAD_BYTES + 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=5)
# Against decompression bombs: the largest image canvas, and what an office file may unpack to.
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=50_000_000)
UPLOAD_MAX_UNZIPPED_BYTES = env.int("UPLOAD_MAX_UNZIPPED_BYTES", default=200 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "enterprises.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
INVITATION_MAX_AGE_DAYS = 7
# Contacts' phone numbers: stored as +85221234567, shown as +852 2123 4567. No default region:
# a number without its country code is read in its enterprise's region (models.PHONE_REGION_BY_KIND).
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
# Seconds after which a worker's claim on an invitation mail counts as abandoned (the worker
# died) and another may send it. Keep it well above a slow send (EMAIL_TIMEOUT per step).
INVITATION_CLAIM_TIMEOUT = env.int("INVITATION_CLAIM_TIMEOUT", default=900)

# --- REST framework ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    # A partner's key first (``Authorization: Bearer``), so that a 401 names the Bearer scheme.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hkhz_portal.accounts.api_keys.APIKeyAuthentication",
        "hkhz_portal.core.authentication.SessionAuthentication",
    ],
    # Every view's permissions start with the scope check: a key reaches only what it names.
    "DEFAULT_PERMISSION_CLASSES": [
        "hkhz_portal.accounts.api_keys.ScopePermission",
        "rest_framework.permissions.IsAuthenticated",
    ],
    "DEFAULT_SCHEMA_CLASS": "hkhz_portal.core.openapi.AutoSchema",
    # Existing lists page with ?page=; large partner lists opt in to core.pagination.CursorPage.
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    # Each acts only on a view that names its fields (filterset_*, search_fields, ordering_fields).
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "hkhz_portal.core.filters.SearchFilter",
        "hkhz_portal.core.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "hkhz_portal.core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "hkhz_portal.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Atomic counters: DRF's own throttles let parallel requests past the limit.
    "DEFAULT_THROTTLE_CLASSES": [
        "hkhz_portal.core.throttling.AnonRateThrottle",
        "hkhz_portal.core.throttling.UserRateThrottle",
        "hkhz_portal.core.throttling.KeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_RATE_ANON", default="60/min"),
        "user": env("API_RATE_USER", default="600/min"),
        "key": env("API_RATE_KEY", default="1200/min"),
    },
    # Anonymous clients are counted by the address sign-ins see (core.throttling.get_ident, from
    # TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER); DRF's own fallback must not trust a
    # forged X-Forwarded-For either.
    "NUM_PROXIES": 0,
}

# The OpenAPI schema (/api/v1/schema/) and its pages (/api/v1/docs/, /api/v1/redoc/), served from
# local files (the sidecar), with docs/api.md as the guide at their top. OpenAPI 3.1 for the webhook
# catalogue; request and response bodies as separate components, so read-only fields are not asked for.
SPECTACULAR_SETTINGS = {
    "TITLE": "HKHZ Portal API",
    "DESCRIPTION": (BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8"),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Docstrings are written for the code's readers; partners read the summaries and descriptions
    # given with extend_schema.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    # JSON bodies only: forms are parsed for the browsable API, not offered to clients.
    "PARSER_WHITELIST": ["hkhz_portal.core.parsers.JSONParser"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "displayRequestDuration": True},
    "WEBHOOKS": "hkhz_portal.webhooks.api_schema.WEBHOOKS",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "programs.workflow.Status",
        "AssignmentStatusEnum": "programs.choices.AssignmentStatus",
        "DeliveryStatusEnum": "hkhz_portal.webhooks.models.DeliveryStatus",
        "WebhookEventTypeEnum": "hkhz_portal.webhooks.types.EventType",
        "CallStateEnum": "programs.choices.CallState",
        "EnterpriseKindEnum": "enterprises.choices.Kind",
        "MemberRoleEnum": "enterprises.choices.MemberRole",
        "MilestoneStatusEnum": "enterprises.choices.MilestoneStatus",
        "ServiceRequestStateEnum": "programs.centres.workflow.State",
        "ClockLevelEnum": "programs.models.ClockLevel",
        "ServiceCategoryEnum": "programs.models.ServiceCategory",
        "DealStageEnum": "funds.workflow.Stage",
        "StageEnum": "enterprises.choices.Stage",
        "PriorityWindowStateEnum": "funds.models.WindowState",
    },
    "TAGS": [
        {
            "name": "calls",
            "description": "Programmes' calls for applications: open to anyone, and to keys with `calls:read`.",
        },
        {"name": "applications", "description": "An applicant's own applications and their steps; officers decide."},
        {"name": "reviews", "description": "A reviewer's assignments: the conflict declaration and the review."},
        {
            "name": "enterprises",
            "description": "A member's own enterprises: profile, documents, members, products, milestones.",
        },
        {"name": "notifications", "description": "The signed-in user's notifications."},
        {"name": "me", "description": "The signed-in user."},
        {"name": "discovery", "description": "The API's root, linking each resource."},
        {
            "name": "programmes",
            "description": "The programmes of the platform and the centres, each linking its calls: open to anyone, "
            "and to keys with `calls:read`.",
        },
        {
            "name": "services",
            "description": "The two service centres' catalogue: fees, documents needed, fulfilment steps and SLA "
            "targets; open to anyone, and to keys with `calls:read`.",
        },
        {
            "name": "service-requests",
            "description": "Enterprises' requests to the service centres, their SLA clocks and message threads: for "
            "the enterprise's members and the centre's staff, never for keys.",
        },
        {
            "name": "directory",
            "description": "Enterprises that chose to be listed, public fields only: for keys with `directory:read`, "
            "partner users and staff.",
        },
        {
            "name": "stats",
            "description": "Aggregate counts with small cells suppressed (no count under 5 that could single out a "
            "firm): for keys with `stats:read` and every signed-in user.",
        },
        {
            "name": "rounds",
            "description": "An enterprise's own financing rounds and each fund's priority window on them: for the "
            "enterprise's members, never for keys.",
        },
        {
            "name": "fund",
            "description": "The transformation fund's capital and counts, small counts suppressed: for keys with "
            "`stats:read` and every signed-in user.",
        },
        {
            "name": "partner-applications",
            "description": "Submitted applications of the enterprises that share them with your organisation: for keys "
            "with `applications:read` and your partner users. Each read of one is written to the enterprise's "
            "export log.",
        },
        {
            "name": "webhook-endpoints",
            "description": "Your organisation's webhook endpoints, their secrets and delivery log: for keys with "
            "`webhooks:manage` and your partner users.",
        },
        {"name": "schema", "description": "This OpenAPI schema: YAML, or JSON with `?format=json`."},
        {"name": "webhooks", "description": "Events sent to partners' endpoints (see Webhooks above)."},
    ],
}

# --- Security defaults that hold everywhere ----------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Everything a page uses is served from here: no inline scripts or styles, no CDN.
# (data: images: the QR code of the TOTP set-up page.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
DEMO_PASSWORD = env("DEMO_PASSWORD", default="")
