import pytest

from programs.services import reviews

from .factories import CallFactory, in_review, panel_of, park_rules, rubric_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
