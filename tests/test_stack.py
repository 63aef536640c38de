"""On CI the suite must run on the real stack; a missing service fails instead of skipping."""

import os

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import CI

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not CI, reason="only CI promises PostgreSQL and Redis")
def test_ci_runs_on_postgresql_and_redis():
    assert connection.vendor == "postgresql", "CI must set DATABASE_URL to PostgreSQL"
    assert os.environ.get("REDIS_URL"), "CI must set REDIS_URL"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
