"""The officer help page is drawn from ``programs.workflow`` and nothing else."""

import html as html_lib

import pytest
from django.urls import reverse
from django.utils import translation

from hkhz_portal.accounts.roles import Role
from programs import workflow
from programs.workflow import ACTOR_LABELS, STATE_HELP, TRANSITIONS, Actor, Status, Transition, reachable_states
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HELP = reverse("programs:staff_workflow")


@pytest.fixture
def officer(client):
    client.force_login(user_with_role(Role.PROGRAM_OFFICER))


def text(client, language="en") -> str:
    client.cookies["django_language"] = language
    return html_lib.unescape(client.get(HELP).content.decode())


def test_every_declared_state_and_transition_is_explained(client, officer):
    page = text(client)
    for state in reachable_states():
        assert f'id="state-{state.value}"' in page
        assert str(state.label) in page and str(STATE_HELP[state]) in page
        assert 'class="node' in page and f"node-{state.value}" in page  # drawn in the diagram
    for transition in TRANSITIONS.values():
        assert f'id="step-{transition.name}"' in page
        assert str(transition.label) in page and str(transition.help) in page
        assert str(ACTOR_LABELS[transition.by]) in page
    # One arrow per source of each transition (a return drawn to each state leading in).
    assert page.count('<path class="edge') >= sum(len(t.sources) or 1 for t in TRANSITIONS.values())


def test_a_transition_declared_tomorrow_appears_without_touching_the_page(client, officer, monkeypatch):
    monkeypatch.setitem(
        TRANSITIONS,
        "waitlist",
        Transition(
            "waitlist",
            "Put on the waiting list",
            frozenset({Status.IN_REVIEW}),
            Status.WAITLISTED,
            Actor.OFFICER,
            "No place is free; the application waits for one.",
        ),
    )
    monkeypatch.setitem(STATE_HELP, Status.WAITLISTED, "Waiting for a free place.")
    page = text(client)
    assert 'id="step-waitlist"' in page and "Put on the waiting list" in page
    assert 'id="state-waitlisted"' in page and "Waiting for a free place." in page
    assert "node-waitlisted" in page
    assert "Put on the waiting list: In review → Waitlisted" in page


def test_the_page_reads_in_traditional_chinese(client, officer):
    page = text(client, "zh-hant")
    assert '<html lang="zh-hant">' in page
    # The states and steps are the declaration's labels, in the reader's language.
    with translation.override("zh-hant"):
        assert str(Status.NEEDS_ATTENTION.label) in page and str(TRANSITIONS["request_info"].label) in page
    assert "Needs an officer" not in page


def test_the_queue_links_to_it(client):
    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    assert HELP in client.get(reverse("programs:staff_queue")).content.decode()


def test_the_diagram_lays_every_state_out_once(client):
    from programs.diagram import workflow_diagram

    drawing = workflow_diagram()
    assert [box.status for box in drawing["boxes"]] == reachable_states()
    places = {(box.x, box.y) for box in drawing["boxes"]}
    assert len(places) == len(drawing["boxes"])
    assert all(0 <= box.x < drawing["width"] and 0 <= box.y < drawing["height"] for box in drawing["boxes"])
    assert drawing["boxes"][0].status == workflow.Status.DRAFT
