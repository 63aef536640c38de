"""Real Celery workers (and beat) in subprocesses, against the test database and a real broker."""

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from tests.conftest import require
from tests.programs.factories import CallFactory, park_rules


def database_url() -> str:
    """The URL of the database this test run uses, for a worker in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def worker_environment(*, redis_url: str = "", extra_env=None) -> dict[str, str]:
    """The environment of a process a test starts: this run's test database, broker folder and
    stored files, and ``redis_url`` (this xdist worker's own Redis database) taken as it is. The
    process is no xdist worker: with PYTEST_XDIST_WORKER its test settings would shift the
    database once more, to another xdist worker's."""
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST_")},
        "DJANGO_SETTINGS_MODULE": "hkhz_portal.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_DIR": str(settings.CELERY_BROKER_DIR),
        # The files this run stored (documents screening opens) are where the worker looks.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **(extra_env or {}),
    }


def celery_worker(*, redis_url: str = "", extra_args=(), extra_env=None):
    """Start ``celery worker`` for the duration of the block; stop it by its pid afterwards."""
    return celery_process(["worker", "--pool=solo"], redis_url=redis_url, extra_args=extra_args, extra_env=extra_env)


def celery_beat(*, schedule: Path, redis_url: str = "", extra_env=None):
    """Start ``celery beat`` for the duration of the block, its schedule's state kept in the file
    ``schedule`` (a fresh one: every entry first runs one interval after the start); stop it by
    its pid afterwards."""
    return celery_process(["beat", f"--schedule={schedule}"], redis_url=redis_url, extra_env=extra_env)


@contextmanager
def celery_process(command, *, redis_url: str = "", extra_args=(), extra_env=None):
    """Start ``celery <command>`` on this run's database and broker for the duration of the
    block; stop it by its pid afterwards (SIGTERM, then SIGKILL if it does not stop)."""
    env = worker_environment(redis_url=redis_url, extra_env=extra_env)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hkhz_portal", *command, "--loglevel=INFO", *extra_args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def held(take):
    """Run ``take()`` in a transaction of another thread and hold that transaction open, with the
    locks it took, for the duration of the block; roll it back afterwards."""
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                take()
                locked.set()
                release.wait(120)
                transaction.set_rollback(True)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10), "the other thread did not take its lock"
        yield
    finally:
        release.set()
        holder.join(30)


def wait_for(predicate, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def call():
    """An open call with the Science Park's usual rules."""
    call = CallFactory()
    park_rules(call)
    return call


def redis_client():
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)


@pytest.fixture
def broker():
    """This run's Redis (REDIS_URL; under xdist, this worker's own database of it), emptied of
    tasks that earlier runs left behind."""
    try:
        available = bool(settings.REDIS_URL) and redis_client().ping()
    except redis.RedisError:
        available = False
    require(available, "Redis named by REDIS_URL")
    from hkhz_portal.celery import app

    app.control.purge()
    redis_client().delete("unacked", "unacked_index")
    return settings.REDIS_URL


def waiting_for_locks() -> list[str]:
    """The statements of this test database's sessions that wait for a lock (other databases on
    the server, other test runs, are not looked at)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return [row[0] for row in cursor.fetchall()]


def waiting_for_a_lock() -> bool:
    return bool(waiting_for_locks())


def queues_drained() -> bool:
    client = redis_client()
    return client.llen("workflow") == 0 and client.zcard("unacked_index") == 0
