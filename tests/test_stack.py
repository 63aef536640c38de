"""On CI the suite must run on the real stack; a missing service fails instead of skipping."""

import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from hkhz_portal.settings.test import redis_url_for_worker
from tests.conftest import CI, require
from tests.integration.conftest import worker_environment

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not CI, reason="only CI promises PostgreSQL and Redis")
def test_ci_runs_on_postgresql_and_redis():
    assert connection.vendor == "postgresql", "CI must set DATABASE_URL to PostgreSQL"
    assert os.environ.get("REDIS_URL"), "CI must set REDIS_URL"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def test_xdist_worker_n_takes_the_redis_database_n_places_after_redis_url_s():
    assert redis_url_for_worker("redis://127.0.0.1:6379/10", "gw0") == "redis://127.0.0.1:6379/10"
    assert redis_url_for_worker("redis://127.0.0.1:6379/10", "gw1") == "redis://127.0.0.1:6379/11"
    assert redis_url_for_worker("redis://:secret@redis.internal:6380", "gw2") == "redis://:secret@redis.internal:6380/2"
    assert redis_url_for_worker("redis://127.0.0.1:6379/3", "") == "redis://127.0.0.1:6379/3"
    assert redis_url_for_worker("", "gw1") == ""


@pytest.mark.skipif(not os.environ.get("PYTEST_XDIST_WORKER"), reason="only xdist workers share a Redis server")
def test_an_xdist_worker_clears_only_its_own_redis_database_which_its_broker_shares():
    """cache.clear(), before and after every test, is a FLUSHDB: it must empty this worker's
    database (cache and Celery broker alike) and leave the next one's alone."""
    require(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    worker, count = os.environ["PYTEST_XDIST_WORKER"], int(os.environ["PYTEST_XDIST_WORKER_COUNT"])
    assert settings.CACHES["default"]["LOCATION"] == settings.CELERY_BROKER_URL == settings.REDIS_URL
    assert redis_url_for_worker(os.environ["REDIS_URL"], worker) == settings.REDIS_URL
    # The database a further worker would take: no worker of this run flushes it meanwhile.
    beyond = redis.Redis.from_url(redis_url_for_worker(os.environ["REDIS_URL"], f"gw{count}"))
    key = f"xdist-isolation-{uuid.uuid4().hex}"
    beyond.set(key, "kept", ex=60)
    try:
        cache.set(key, "mine")
        cache.clear()
        assert cache.get(key) is None
        assert beyond.get(key) == b"kept"
    finally:
        beyond.delete(key)


def test_a_process_a_test_starts_under_xdist_uses_the_redis_database_it_is_given(monkeypatch):
    """A Celery worker started by a test on xdist worker gw3 consumes from gw3's database, the one
    it is given, not the one three places further that its settings would make of it as a gw3."""
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    given = "redis://127.0.0.1:6379/7"
    show = "from django.conf import settings; print(settings.CELERY_BROKER_URL, settings.CACHES['default']['LOCATION'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=settings.BASE_DIR,
        env=worker_environment(redis_url=given),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == [given, given], result.stderr
