"""Settings, all read from the environment.

With nothing set you get the embedded mode: a SQLite file and media folder
under ``PLENARY_DATA_DIR``, the in-memory channel layer, the console email
backend, and a server bound to 127.0.0.1. ``DATABASE_URL`` and ``REDIS_URL``
switch to the scale-out mode (PostgreSQL, Redis channel layer and cache).
``PLENARY_PRODUCTION=true`` makes every secret mandatory.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from plenary.config.env import ImproperlyConfiguredError, env, to_bool, to_counts, to_list

# The checkout's var/ folder, wherever the command is started from.
DATA_DIR = Path(
    env("PLENARY_DATA_DIR", default=str(Path(__file__).resolve().parents[3] / "var"))
).resolve()

PRODUCTION = env("PLENARY_PRODUCTION", to_bool, default=False)
DEBUG = env("PLENARY_DEBUG", to_bool, default=False)
# Demo mode: demo data may be loaded and its passwords printed.
DEMO = env("PLENARY_DEMO", to_bool, default=False)


def _embedded_secret_key() -> str:
    """A random key kept in the data folder, so sessions survive restarts."""
    if PRODUCTION:
        raise ImproperlyConfiguredError("Set PLENARY_SECRET_KEY in production.")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("PLENARY_SECRET_KEY", default="") or _embedded_secret_key()

ALLOWED_HOSTS = env("PLENARY_ALLOWED_HOSTS", to_list, default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env("PLENARY_CSRF_TRUSTED_ORIGINS", to_list, default=[])
# The public base URL, used in join links, calendar files and emails.
BASE_URL = env("PLENARY_BASE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "plenary.accounts.apps.PlenaryAdminConfig",  # django.contrib.admin, two-factor only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its templates and static files: the API docs load no CDN asset
    "axes",  # sign-in throttling (accounts.signin)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "plenary.core",
    "plenary.accounts",
    "plenary.meetings",
    "plenary.provisioning",
    "plenary.live",
    "plenary.floor",
    "plenary.room",
    "plenary.media",
    "plenary.interpretation",
    "plenary.speech",
    "plenary.proposals",
    "plenary.documents",
    "plenary.workspaces",
    "plenary.recordings",
    "plenary.stats",
    "plenary.guidance",
    "plenary.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "plenary.config.csp.PlenaryCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plenary.config.urls"
ASGI_APPLICATION = "plenary.config.asgi.application"

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
                "plenary.core.context_processors.plenary",
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} for inline <script>/<style>
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'plenary.sqlite3'}"),
        conn_max_age=env("PLENARY_DB_CONN_MAX_AGE", int, default=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the ASGI server read while a request writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that a test server in another thread sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# A consumer waits on Redis's blocking pop (BZPOPMIN) 5 s at a time, and Redis answers
# when the wait ends: the pop itself bounds every read. redis-py >= 8 adds a 5 s read
# timeout of its own, which raced the pop (idle sockets died with TimeoutError); with
# a longer read timeout, a cancelled relay was seen reading on for ever (3 test runs in
# 7 never ended; none in 10 without one). So reads have no client timeout, and a peer
# that vanished without closing is found by TCP keepalive within about 25 s instead.
REDIS_LAYER_CONNECTION = {
    "socket_timeout": None,
    "socket_keepalive": True,
    "socket_keepalive_options": {
        socket.TCP_KEEPIDLE: 10,
        socket.TCP_KEEPINTVL: 5,
        socket.TCP_KEEPCNT: 3,
    },
}
# Redis connections each process's channel layer keeps at most (a burst waits for one).
REDIS_LAYER_POOL = env("PLENARY_REDIS_LAYER_POOL", int, default=100)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "plenary.live.layers.PooledRedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, **REDIS_LAYER_CONNECTION}]},
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Channels' own in-memory layer sweeps all channels on every receive (O(N²) fan-out).
    CHANNEL_LAYERS = {"default": {"BACKEND": "plenary.live.layers.SweepingInMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/files/"
# Production serves collected files; the embedded mode serves them from the apps.
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
STATIC_URL = "/static/"
# npm packages that ./scripts/run and ./scripts/test install into the virtualenv
# (scripts/lib.sh, node_packages): hls.js, the recordings' player, is one of the
# site's static files (never a CDN).
NODE_MODULES = Path(
    env(
        "PLENARY_NODE_MODULES",
        default=str(Path(__file__).resolve().parents[3] / ".venv" / "node" / "node_modules"),
    )
)
STATICFILES_DIRS = [("vendor/hls.js", NODE_MODULES / "hls.js" / "dist")]
_DOCUMENTS_STORAGE = env("PLENARY_DOCUMENTS_STORAGE", default="")
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Document files: never under MEDIA_URL, served only by the access-checked view.
    # Scale-out: PLENARY_DOCUMENTS_STORAGE=storages.backends.s3.S3Storage (django-storages,
    # configured by its own AWS_* settings from the environment).
    "documents": (
        {"BACKEND": _DOCUMENTS_STORAGE}
        if _DOCUMENTS_STORAGE
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(DATA_DIR / "documents")},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Embedded mode serves static files straight from the apps, no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- People ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "meetings:home"
LOGOUT_REDIRECT_URL = "meetings:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]

# Optional single sign-on through an OpenID Connect provider.
OIDC_ENABLED = bool(env("PLENARY_OIDC_CLIENT_ID", default=""))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("plenary.accounts.oidc.PlenaryOIDCBackend")
    OIDC_RP_CLIENT_ID = env("PLENARY_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env("PLENARY_OIDC_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env("PLENARY_OIDC_SIGN_ALGO", default="RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("PLENARY_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("PLENARY_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("PLENARY_OIDC_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("PLENARY_OIDC_JWKS_ENDPOINT", default="")
    OIDC_RP_SCOPES = "openid email profile"

OTP_TOTP_ISSUER = env("PLENARY_OTP_ISSUER", default="Plenary")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Production is HTTPS only: plain HTTP is redirected (but the health check, which
# load balancers probe over HTTP) and browsers are told to stay on HTTPS.
SECURE_SSL_REDIRECT = env("PLENARY_SSL_REDIRECT", to_bool, default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env("PLENARY_HSTS_SECONDS", int, default=365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("PLENARY_HSTS_INCLUDE_SUBDOMAINS", to_bool, default=False)

# Addresses of the reverse proxies whose X-Forwarded-For/-Proto headers are
# believed (uvicorn's forwarded_allow_ips; `plenary serve` turns proxy headers
# on only when this is set). Default none: the connecting address is the
# client's, so a client cannot pick its own address by sending the header.
TRUSTED_PROXIES: list[str] = env("PLENARY_TRUSTED_PROXIES", to_list, default=[])

# Sign-in throttling (django-axes): a locked address or account is refused for
# the cool-off time. Both count: wrong passwords for one account from anywhere
# (guessing), and wrong passwords for any accounts from one address (spraying).
# The address's limit is higher: many delegates at a venue may share one address.
AXES_FAILURE_LIMIT = env("PLENARY_SIGNIN_FAILURE_LIMIT", int, default=10)
SIGNIN_ADDRESS_FAILURE_LIMIT = env("PLENARY_SIGNIN_ADDRESS_FAILURE_LIMIT", int, default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env("PLENARY_SIGNIN_COOLOFF_MINUTES", int, default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_HANDLER = "plenary.accounts.throttle.SignInThrottle"  # counts both, forgets narrowly
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful sign-in
AXES_USERNAME_CALLABLE = "plenary.accounts.throttle.axes_username"
AXES_CLIENT_IP_CALLABLE = "plenary.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "plenary.accounts.views.locked_out"
AXES_VERBOSE = False
# Its admin pages are not translated in all six languages; `plenary axes_reset` lifts pauses.
AXES_ENABLE_ADMIN = False

# Content-Security-Policy (django-csp): scripts and styles only from the site's
# own static files or inline with the response's nonce ({{ CSP_NONCE }}); the
# middleware adds ws:/wss: of the requested host to connect-src (the sockets).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:", "mediastream:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Languages ------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LANGUAGES_BIDI = ["ar"]
# Each app keeps its own catalog in <app>/locale (see ./scripts/messages).
USE_I18N = True
FORMAT_MODULE_PATH = ["plenary.core.formats"]
USE_TZ = True
TIME_ZONE = "UTC"

# --- Mail -----------------------------------------------------------------

EMAIL_BACKEND = env(
    "PLENARY_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("PLENARY_EMAIL_HOST", default="localhost")
EMAIL_PORT = env("PLENARY_EMAIL_PORT", int, default=25)
DEFAULT_FROM_EMAIL = env("PLENARY_FROM_EMAIL", default="plenary@localhost")

# Logs: plain lines, or one JSON object per line (`json`) for a log collector.
LOG_FORMAT = env("PLENARY_LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "plenary.core.logformat.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"}
        | ({"formatter": "json"} if LOG_FORMAT == "json" else {})
    },
    "root": {"handlers": ["console"], "level": env("PLENARY_LOG_LEVEL", default="INFO")},
}
# A bearer token for /metrics; empty: only requests from this machine, not via a proxy.
METRICS_TOKEN = env("PLENARY_METRICS_TOKEN", default="")

NINJA_PAGINATION_PER_PAGE = 50

# --- Speech plane (plenary.speech) ----------------------------------------

# Operator folders with extra models (Whisper, MT, Piper voices); nothing downloads.
# ``plenary models add`` installs into the first.
SPEECH_MODEL_DIRS: list[str] = env(
    "PLENARY_SPEECH_MODEL_DIRS", to_list, default=[str(DATA_DIR / "models")]
)
# auto (a GPU if CTranslate2 sees one), cpu or cuda.
SPEECH_DEVICE = env("PLENARY_SPEECH_DEVICE", default="auto")
# Most stream passes a worker decodes in one model call; 0: 4 on CPU, 64 on a GPU.
SPEECH_BATCH_SIZE = env("PLENARY_SPEECH_BATCH_SIZE", int, default=0)
# Live streams a worker takes (0: from the machine: a GPU's batch, a stream per 2 cores).
SPEECH_CAPACITY = env("PLENARY_SPEECH_CAPACITY", int, default=0)
# Shared secret of the speech workers; empty derives one from SECRET_KEY.
SPEECH_WORKER_TOKEN = env("PLENARY_SPEECH_WORKER_TOKEN", default="")
# `plenary serve` starts one speech worker as its child (the embedded default).
SPEECH_EMBEDDED_WORKER = env("PLENARY_SPEECH_EMBEDDED_WORKER", to_bool, default=True)

# --- Background work (plenary.core.tasks) ----------------------------------

# Django's tasks framework on the database: jobs are rows, run by `plenary tasks-worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# `plenary serve` runs one task worker as its child (the embedded default); a scale-out
# deployment turns it off and runs `plenary tasks-worker` on worker hosts.
TASKS_EMBEDDED_WORKER = env("PLENARY_TASKS_EMBEDDED_WORKER", to_bool, default=True)
# Seconds without a heartbeat after which a task worker counts as dead and the jobs it
# left running are queued again by the others (it beats three times in that time).
TASKS_WORKER_TIMEOUT = env("PLENARY_TASKS_WORKER_TIMEOUT", float, default=30.0)

# --- Recordings (plenary.recordings) ----------------------------------------

# `plenary serve` runs the live origin (live HLS of the channels being recorded).
RECORDINGS_LIVE_ORIGIN = env("PLENARY_RECORDINGS_LIVE_ORIGIN", to_bool, default=True)
# Days a finished recording is kept, by meeting type ("call=30,workshop=730"); a type
# not named keeps its recordings until the secretariat removes them.
RECORDINGS_RETENTION_DAYS: dict[str, int] = env(
    "PLENARY_RECORDINGS_RETENTION_DAYS", to_counts, default={"call": 30}
)

# --- Media plane (plenary.media) ------------------------------------------

# Janus WebSocket API URL(s). Empty: `plenary serve` runs its own Janus on
# loopback (embedded default). Set: the media servers of a scale-out, registered
# at first use (more with `plenary media-servers add`); each session is placed on
# the least-loaded one (plenary.media.placement).
JANUS_URLS: list[str] = env("PLENARY_JANUS_URLS", to_list, default=[])
# Listeners (viewers and room participants) a registered server takes by default.
JANUS_CAPACITY = env("PLENARY_JANUS_CAPACITY", int, default=2000)
# Seconds a lost Janus may stay unreachable before its sessions move to another.
JANUS_FAILOVER_SECONDS = env("PLENARY_JANUS_FAILOVER_SECONDS", float, default=2.0)
# Seconds between samples of each Janus's load (rooms, listeners).
JANUS_SAMPLE_SECONDS = env("PLENARY_JANUS_SAMPLE_SECONDS", float, default=5.0)
JANUS_PORT = env("PLENARY_JANUS_PORT", int, default=8188)
# Generated per run in the embedded mode; required with external Janus servers.
if JANUS_URLS:
    JANUS_API_SECRET = env("PLENARY_JANUS_API_SECRET")
    JANUS_ADMIN_KEY = env("PLENARY_JANUS_ADMIN_KEY")
else:
    JANUS_API_SECRET = env("PLENARY_JANUS_API_SECRET", default=secrets.token_urlsafe(24))
    JANUS_ADMIN_KEY = env("PLENARY_JANUS_ADMIN_KEY", default=secrets.token_urlsafe(24))
JANUS_RTP_PORTS = env("PLENARY_JANUS_RTP_PORTS", default="20000-40000")
# Network interfaces ICE may use (Janus's ice_enforce_list); empty: all but loopback.
JANUS_ICE_INTERFACES = env("PLENARY_JANUS_ICE_INTERFACES", default="")
# The embedded Janus's event loops (the threads that send media to peers): one
# per core but one, which the rooms' mixers, the mountpoints' relay and the
# control plane need; loops sharing cores with them cost far more CPU per
# listener (docs/benchmarks.md, media).
JANUS_EVENT_LOOPS = env("PLENARY_JANUS_EVENT_LOOPS", int, default=max(1, (os.cpu_count() or 2) - 1))
# Where scripts/lib.sh puts the libsrtp2 built on OpenSSL that Janus should load.
JANUS_LIBRARY_DIR = env(
    "PLENARY_JANUS_LIBRARY_DIR", default=str(Path(sys.prefix) / "lib" / "plenary-janus")
)
# TURN (e.g. coturn with use-auth-secret): time-limited credentials per the TURN REST API.
TURN_URLS: list[str] = env("PLENARY_TURN_URLS", to_list, default=[])
TURN_SECRET = env("PLENARY_TURN_SECRET", default="")
TURN_TTL_SECONDS = env("PLENARY_TURN_TTL_SECONDS", int, default=6 * 3600)

# --- Live sockets (plenary.live.limits) ----------------------------------

# Token buckets (burst frames, refilled per second): each socket, each signed-in
# account's sockets together, each address's anonymous sockets together.
WS_CONNECTION_BURST = env("PLENARY_WS_CONNECTION_BURST", int, default=20)
WS_CONNECTION_RATE = env("PLENARY_WS_CONNECTION_RATE", float, default=5.0)
WS_ACCOUNT_BURST = env("PLENARY_WS_ACCOUNT_BURST", int, default=60)
WS_ACCOUNT_RATE = env("PLENARY_WS_ACCOUNT_RATE", float, default=15.0)
WS_ADDRESS_BURST = env("PLENARY_WS_ADDRESS_BURST", int, default=100)
WS_ADDRESS_RATE = env("PLENARY_WS_ADDRESS_RATE", float, default=20.0)
# Anonymous sockets (public screens, webcast viewers) open at once per address, per process.
WS_ANONYMOUS_PER_ADDRESS = env("PLENARY_WS_ANONYMOUS_PER_ADDRESS", int, default=100)

# --- Statistics (plenary.stats) -------------------------------------------

# `plenary serve` records the health checks this often, for measured availability (0: never).
HEALTH_SAMPLE_SECONDS = env("PLENARY_HEALTH_SAMPLE_SECONDS", int, default=300)

# --- Documents (plenary.documents) ----------------------------------------

# The largest file one upload may carry; larger uploads are refused while streaming to disk.
DOCUMENT_MAX_BYTES = env("PLENARY_DOCUMENT_MAX_BYTES", int, default=300 * 1024 * 1024)
# What one person (the secretariat aside) may upload in an hour, so that nobody fills the
# disk or the conversion queue for everyone else.
DOCUMENT_UPLOADS_PER_HOUR = env("PLENARY_DOCUMENT_UPLOADS_PER_HOUR", int, default=60)
DOCUMENT_BYTES_PER_HOUR = env("PLENARY_DOCUMENT_BYTES_PER_HOUR", int, default=2 * 1024**3)
# clamd's address, "unix:/run/clamav/clamd.ctl" or "tcp:127.0.0.1:3310"; empty: no
# scanner, and every file says "not scanned".
CLAMD_ADDRESS = env("PLENARY_CLAMD", default="")
# Files whose scan failed because clamd was down are tried again this often (0: only at start).
DOCUMENT_SCAN_RETRY_SECONDS = env("PLENARY_DOCUMENT_SCAN_RETRY_SECONDS", int, default=60)
# With a front server (nginx X-Accel-Redirect, Apache/lighttpd X-Sendfile), the URL prefix
# under which it serves the documents folder internally; empty: Django sends the file.
DOCUMENT_ACCEL_PREFIX = env("PLENARY_DOCUMENT_ACCEL_PREFIX", default="")
# The LibreOffice binary that converts Office files to PDF.
SOFFICE = env("PLENARY_SOFFICE", default="soffice")

# --- Workspaces (plenary.workspaces) --------------------------------------

# What one person may post in a minute, across all workspaces (a flood guard for everyone else).
WORKSPACE_MESSAGES_PER_MINUTE = env("PLENARY_WORKSPACE_MESSAGES_PER_MINUTE", int, default=20)
# The reply address of workspace e-mails, with "{token}" where the signed token of the
# person and the topic goes: "reply+{token}@plenary.example.org". Mail to it is piped to
# `plenary workspace_inbound`; empty: e-mails carry no reply address.
WORKSPACE_REPLY_ADDRESS = env("PLENARY_WORKSPACE_REPLY_ADDRESS", default="")
# `plenary serve` sends the workspace digests that are due this often (0: never; then run
# `plenary workspace_digests` from cron on one host).
WORKSPACE_DIGEST_SECONDS = env("PLENARY_WORKSPACE_DIGEST_SECONDS", int, default=3600)
