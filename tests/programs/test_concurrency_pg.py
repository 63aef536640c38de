"""Concurrency on PostgreSQL, with real threads and real transactions: ten submissions of one
draft make one submission; two officers acting at once make one transition, and the other is
told who acted."""

import pytest
from django.db import connection

from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import DomainEvent
from programs.models import Application, StatusChange
from programs.services import applications as svc
from programs.tasks import screen_application
from programs.workflow import Status
from tests.conftest import require
from tests.threads import at_once

from .factories import applicant_of_new_enterprise, complete_draft, officer_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def screenings(monkeypatch):
    """The screening tasks enqueued (not run: no worker here)."""
    enqueued = []
    monkeypatch.setattr(screen_application, "delay", enqueued.append)
    return enqueued


def test_ten_threads_submitting_one_draft_make_one_submission(call, screenings):
    applicant = applicant_of_new_enterprise()
    draft = complete_draft(call, applicant)

    def submit():
        # Each request loads the application afresh, as a view does.
        application = Application.objects.get(pk=draft.pk)
        return svc.submit(actor=applicant, application=application, declaration=True)

    outcomes = at_once(*[submit] * 10)
    assert [type(o) for o in outcomes] == [Application] * 10, outcomes  # no caller sees an error
    assert {(o.reference, o.status) for o in outcomes} == {(draft.reference, Status.SUBMITTED)}
    assert StatusChange.objects.filter(application=draft, transition="submit").count() == 1
    assert DomainEvent.objects.filter(kind="application.submit").count() == 1
    assert screenings == [draft.pk]
    assert Application.objects.get(pk=draft.pk).submitted_at is not None


@pytest.fixture
def flagged(call, screenings):
    applicant = applicant_of_new_enterprise()
    solo = [{"name": "Solo Founder", "full_time": True, "technical": True, "equity": "100"}]
    application = complete_draft(call, applicant, team=solo)
    svc.submit(actor=applicant, application=application, declaration=True)
    assert svc.begin_screening(application.pk) and svc.finish_screening(application.pk)
    application.refresh_from_db()
    assert application.status == Status.NEEDS_ATTENTION
    return application


def override(officer, application):
    return lambda: svc.override_flag(
        actor=officer,
        application=Application.objects.get(pk=application.pk),
        reason="A second founder joins next month.",
        expected_status=Status.NEEDS_ATTENTION,
    )


def reject(officer, application):
    return lambda: svc.reject_ineligible(
        actor=officer,
        application=Application.objects.get(pk=application.pk),
        reasons="The team is one person; the programme needs two full-time staff.",
        expected_status=Status.NEEDS_ATTENTION,
    )


@pytest.mark.parametrize(("first", "second"), [(override, reject), (override, override), (reject, reject)])
def test_two_officers_acting_at_once_make_one_transition_and_the_other_is_told_who(call, flagged, first, second):
    officers = [officer_of(call, full_name="Officer Chan"), officer_of(call, full_name="Officer Wong")]
    outcomes = at_once(first(officers[0], flagged), second(officers[1], flagged))

    won = [i for i, o in enumerate(outcomes) if isinstance(o, Application)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    winner = officers[won[0]]
    assert (lost[0].status, lost[0].code) == (409, "changed_meanwhile")
    assert str(lost[0]).startswith(f"{winner.full_name} already moved this application to ")
    steps = (
        StatusChange.objects.filter(application=flagged).exclude(actor=None).exclude(transition__in=["start", "submit"])
    )
    assert [(s.actor_id, s.transition) for s in steps] == [
        (winner.pk, "override_flag" if outcomes[won[0]].status == Status.IN_REVIEW else "reject_ineligible")
    ]
