import pytest
from django.db import connection

from hkhz_portal.core import queueing
from programs.services import reviews
from tests.conftest import require

from .centre_factories import hk_centre, staff_of
from .factories import CallFactory, in_review, panel_of, park_rules, rubric_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def threads_on_postgresql(monkeypatch):
    """For the tests acting at once from real threads, in real transactions: PostgreSQL, and
    tasks sent after commit going nowhere (no worker runs here, and the broker may be shared)."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    monkeypatch.setattr(queueing, "_send", lambda task, args: None)


@pytest.fixture
def call():
    """A rolling call, open since ten days, with the Science Park's usual rules (a test module
    that needs another call defines its own ``call``)."""
    call = CallFactory()
    park_rules(call)
    return call


@pytest.fixture
def review_panel(call):
    """Three reviewers on ``call``'s panel; the call scores with the usual rubric."""
    rubric_for(call)
    return panel_of(call, 3)


@pytest.fixture
def assigned(call, review_panel):
    """An application in review, its three reviewers assigned by the worker's service."""
    application = in_review(call)
    reviews.assign_reviewers(application.pk)
    return application


@pytest.fixture
def mine(client, assigned, review_panel):
    """The first panel member's assignment, with that reviewer signed in (TOTP passed)."""
    client.force_login(review_panel[0])
    return assigned.assignments.get(reviewer=review_panel[0])


# --- The service centres --------------------------------------------------------------------------


@pytest.fixture
def centre():
    """The Hong Kong service centre."""
    return hk_centre()


@pytest.fixture
def staff(centre):
    """A member of the centre's staff (a test module that needs them otherwise defines its own)."""
    return staff_of(centre, full_name="Staff Lam")


@pytest.fixture
def lead(centre):
    """The centre's lead: a program officer of the centre."""
    return staff_of(centre, lead=True, full_name="Lead Ho")


@pytest.fixture
def act(eager_tasks, django_capture_on_commit_callbacks):
    """Take a step as the pages do, and let the worker tell whom it tells (in-process)."""

    def run(step):
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    return run
