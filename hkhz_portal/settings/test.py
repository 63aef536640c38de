"""Test settings: the same stack as base, made fast and isolated.

DATABASE_URL and REDIS_URL are honoured, so CI runs this suite on PostgreSQL and Redis.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env, file_broker_options

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
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(_tmp / "media")))
CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(_tmp / "broker")))
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = file_broker_options(CELERY_BROKER_DIR)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
