"""Test settings: the same stack as base, made fast and isolated.

DATABASE_URL and REDIS_URL are honoured, so CI runs this suite on PostgreSQL and Redis.
"""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, env, file_broker_options


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis URL of one pytest-xdist worker (``gw0``, ``gw1``…): worker N takes the database
    N places after the one ``url`` names (``redis://host:6379/10`` → 10 for gw0, 11 for gw1).

    Every test starts and ends with ``cache.clear()``, a FLUSHDB, and the Celery broker shares the
    cache's database: workers sharing one would empty each other's queues and rate-limit counters.
    Outside xdist (``worker`` empty) the URL is used as it is.
    """
    if not url or not worker:
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{database}"))


DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")

_tmp = Path(tempfile.mkdtemp(prefix="hkhz-test-"))

# A worker started by a test runs in another process, so the SQLite test database must
# be a file it can open too (an in-memory database is private to one process). Each run
# gets its own, so two runs on one machine never share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_tmp / "test-db.sqlite3")}
else:
    # Threads (the live server) must not keep connections that block dropping the test database.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# pytest-django gives each xdist worker a test database of its own; this gives it a Redis database.
REDIS_URL = redis_url_for_worker(REDIS_URL, env("PYTEST_XDIST_WORKER", default=""))
if REDIS_URL:
    CACHES["default"]["LOCATION"] = REDIS_URL
    CELERY_BROKER_URL = REDIS_URL
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(_tmp / "media")))
CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(_tmp / "broker")))
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = file_broker_options(CELERY_BROKER_DIR)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
