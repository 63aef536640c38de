import os
import shutil
from pathlib import Path

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client

CI = os.environ.get("CI", "").lower() == "true"

#: The folders of the tests that start processes: Celery workers, a live server and Chromium.
PROCESS_FOLDERS = tuple(Path(__file__).parent / name for name in ("integration", "e2e"))


def starts_processes(item: pytest.Item) -> bool:
    """A test that starts a Celery worker, a live server or a browser: known by its marker, its
    folder, or (anywhere) its asking for ``live_server``."""
    return (
        any(item.get_closest_marker(name) for name in ("integration", "e2e"))
        or "live_server" in getattr(item, "fixturenames", ())
        or any(item.path.is_relative_to(folder) for folder in PROCESS_FOLDERS)
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (``-n``, ``--dist loadgroup`` in pyproject's addopts) the tests that start
    processes run one after another on one xdist worker, while the other workers take the rest.

    Each xdist worker has its own test database and Redis database (settings/test.py), and a
    live server takes a free port, so they would not collide; but the processes they start need
    a core of their own, and two Celery workers and two Chromiums on a two-core machine would
    starve the timed waits of these tests (a task taken over after a 2-second visibility timeout).
    ``tryfirst``: xdist reads the group when its own hook runs.
    """
    for item in items:
        if starts_processes(item):
            item.add_marker(pytest.mark.xdist_group("processes"))


def require(available: bool, what: str) -> None:
    """Skip a test whose service is missing, except on CI, where a missing service fails it."""
    if available:
        return
    if CI:
        pytest.fail(f"{what} is required on CI (CI=true) but is not available.")
    pytest.skip(f"{what} is not available on this machine.")


class PortalClient(Client):
    """The test client, whose ``force_login`` leaves the session as allauth's sign-in does.

    A real sign-in records each step in the session: the password, then the second factor for
    a user who has one; staff pages require the second one (``StaffMFAMiddleware``). So
    ``force_login(user)`` is "signed in with the password and, if set up, a TOTP code", and
    ``force_login(user, passed_mfa=False)`` is a session that skipped the second factor (as
    Django's own admin login used to allow).
    """

    def force_login(self, user, backend=None, *, passed_mfa=True):
        super().force_login(user, backend)
        session = self.session
        request = HttpRequest()
        request.session = session
        record_authentication(request, user, "password", email=user.email)
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if passed_mfa and totp is not None:
            record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
        session.save()


@pytest.fixture(autouse=True)
def _fresh_form_schemas():
    """Published form schemas are cached per process by version id (a published version never
    changes), but each test's database hands out the same ids again: start each test clean."""
    from programs.answers import _published_schema

    _published_schema.cache_clear()
    yield
    _published_schema.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_content_types(request):
    """A test that commits (``transaction=True``, a live server) starts on a database emptied by
    the one before, whose content types may come back under other ids (a migration test, a flush):
    the process's content-type cache must not hand it the old ones. Other tests keep the cache, so
    their query counts stay what a running site's are."""
    marker = request.node.get_closest_marker("django_db")
    committing = {"transactional_db", "live_server"} & set(request.fixturenames)
    if committing or (marker and marker.kwargs.get("transaction")):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate-limit counters and TOTP replay marks live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(os.path.exists(path), "Chromium (apt-get install chromium)")
    return path


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run Celery tasks in-process, for unit tests about what a task does (the integration
    tests run a real worker)."""
    from hkhz_portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture
def admin_site(client, db):
    """A test client signed in as an administrator, for the admin site's pages.

    The one place admin-site tests sign in: adapt it here if signing in to the admin changes.
    The administrator is ``admin_site.admin``.
    """
    from hkhz_portal.accounts.roles import Role
    from tests.factories import user_with_role

    client.admin = user_with_role(Role.ADMIN, email="admin@example.com")
    client.force_login(client.admin)
    return client
