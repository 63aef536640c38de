"""Choosing reviewers, as properties over random panels: never a reviewer with a conflict, the
call's number of reviewers or the officers told why not, loads within one of each other, and
matching expertise preferred between equally loaded reviewers."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.models import Membership
from hkhz_portal.core.models import DomainEvent, Notification
from programs.assignment import Candidate, choose, conflicts, loads
from programs.choices import ACTIVE_ASSIGNMENTS
from programs.events import ReviewEventKind
from programs.models import ConflictDeclaration, PanelMember
from programs.services import reviews as svc
from tests.factories import EnterpriseFactory, UserFactory

from .factories import CallFactory, application_in_review, build_form, deliver, officer_of, panel_of, reviewer

pytestmark = pytest.mark.django_db

SECTORS = ("biopharma", "medical_devices", "ai_data")
#: The application's sector in every example (``EnterpriseFactory``'s).
SECTOR = "biopharma"

#: Each example builds its own call, panel and enterprise; the database is not rolled back between
#: examples, so nothing one example makes is seen by another.
DB_EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# --- The pure choice --------------------------------------------------------------------------


@st.composite
def candidates(draw):
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=10))
    return [
        Candidate(pk, draw(st.integers(0, 4)), draw(st.frozensets(st.sampled_from(SECTORS), max_size=2))) for pk in ids
    ]


@settings(database=None, deadline=None)
@given(pool=candidates(), needed=st.integers(-1, 12), shuffle=st.randoms(use_true_random=False))
def test_choose_takes_the_least_loaded_then_matching_expertise_whatever_the_order(pool, needed, shuffle):
    chosen = choose(pool, sector=SECTOR, needed=needed)
    assert len(chosen) == min(max(needed, 0), len(pool))
    assert len({c.reviewer_id for c in chosen}) == len(chosen) and set(chosen) <= set(pool)
    left = [c for c in pool if c not in chosen]
    for taken in chosen:
        for other in left:
            assert taken.load <= other.load
            if taken.load == other.load and SECTOR not in taken.sectors:
                assert SECTOR not in other.sectors, "an equally loaded expert was passed over"
    shuffled = list(pool)
    shuffle.shuffle(shuffled)
    assert choose(shuffled, sector=SECTOR, needed=needed) == chosen


# --- Assignment by the worker, over random panels ---------------------------------------------

#: How a reviewer may be tied to the enterprise: the code ``conflicts`` gives, or ``None``.
TIES = {
    None: None,
    "member": "member",
    "mail_domain": "mail_domain",
    "website": "mail_domain",
    "declared_enterprise": "declared_enterprise",
    "declared_organisation": "declared_organisation",
}


@pytest.fixture
def form_version():
    """One published form for every example's call (building one per example is slow)."""
    return build_form()


def tied_enterprise():
    """An enterprise with a member at its own mail domain and one at a public one, and a website."""
    tag = uuid.uuid4().hex[:8]
    enterprise = EnterpriseFactory(
        website=f"https://www.site-{tag}.hk/about", legal_name_zh=f"杭州{tag}生物科技有限公司"
    )
    for email in (f"founder@corp-{tag}.cn", f"cofounder-{tag}@gmail.com"):
        Membership.objects.create(enterprise=enterprise, user=UserFactory(email=email), role="owner")
    return enterprise, tag


def panel_member(call, enterprise, tag: str, sectors, tie) -> object:
    """A reviewer on ``call``'s panel, tied to ``enterprise`` as ``tie`` says."""
    local = uuid.uuid4().hex[:10]
    domain = {"mail_domain": f"corp-{tag}.cn", "website": f"site-{tag}.hk"}.get(tie, "gmail.com")
    person = reviewer(email=f"{local}@{domain}")
    PanelMember.objects.create(call=call, reviewer=person, sectors=sorted(sectors))
    if tie == "member":
        Membership.objects.create(enterprise=enterprise, user=person, role="member")
    elif tie == "declared_enterprise":
        ConflictDeclaration.objects.create(reviewer=person, enterprise=enterprise, reason="My brother's firm.")
    elif tie == "declared_organisation":
        # In Traditional script: the enterprise's name is in Simplified.
        svc.declare_organisation(actor=person, organisation=f"{tag}生物科技", reason="I advise them.")
    return person


reviewer_pools = st.lists(
    st.tuples(
        st.frozensets(st.sampled_from(SECTORS), max_size=2),
        st.one_of(st.none(), st.none(), st.sampled_from([t for t in TIES if t])),
    ),
    max_size=7,
)


@DB_EXAMPLES
@given(pool=reviewer_pools, required=st.integers(1, 5))
def test_the_worker_never_assigns_a_conflicted_reviewer_and_fills_what_it_can(form_version, pool, required):
    call = CallFactory(form_version=form_version, reviewers_per_application=required)
    enterprise, tag = tied_enterprise()
    people = [panel_member(call, enterprise, tag, sectors, tie) for sectors, tie in pool]
    expected = {p.pk: TIES[tie] for p, (_sectors, tie) in zip(people, pool, strict=True) if tie}
    assert conflicts(people, enterprise) == expected

    application = application_in_review(call, enterprise)
    made = svc.assign_reviewers(application.pk)

    free = [(p, sectors) for p, (sectors, tie) in zip(people, pool, strict=True) if not tie]
    assigned = {a.reviewer_id: a for a in application.assignments.filter(status__in=ACTIVE_ASSIGNMENTS)}
    assert not set(assigned) & set(expected), "a reviewer with a conflict was assigned"
    assert len(made) == len(assigned) == min(required, len(free))
    experts = [p.pk for p, sectors in free if SECTOR in sectors]
    if len(experts) >= required:
        assert set(assigned) <= set(experts), "a reviewer without the expertise was preferred"
    for p, sectors in free:
        if p.pk in assigned:
            assert assigned[p.pk].expertise_match == (SECTOR in sectors)

    application.refresh_from_db()
    missing = required - len(assigned)
    assert application.reviewers_missing == missing
    short = DomainEvent.objects.filter(kind=ReviewEventKind.REVIEWERS_SHORT, target_id=str(application.pk))
    if missing:
        (event,) = short
        assert event.payload == {
            "reference": application.reference,
            "missing": missing,
            "panel": len(people),
            "already": 0,
            "conflicted": len(expected),
        }
    else:
        assert not short.exists()

    assert svc.assign_reviewers(application.pk) == [], "a second run assigned someone twice"
    assert short.count() == (1 if missing else 0), "the officers were told twice"


@DB_EXAMPLES
@given(
    panel=st.lists(st.frozensets(st.sampled_from(SECTORS), max_size=2), min_size=1, max_size=7),
    data=st.data(),
)
def test_assigning_applications_in_turn_keeps_loads_within_one(form_version, panel, data):
    required = data.draw(st.integers(1, len(panel)), label="required")
    rounds = data.draw(st.integers(1, 8), label="applications")
    call = CallFactory(form_version=form_version, reviewers_per_application=required)
    people = [reviewer() for _ in panel]
    for person, sectors in zip(people, panel, strict=True):
        PanelMember.objects.create(call=call, reviewer=person, sectors=sorted(sectors))
    expert = {p.pk: SECTOR in sectors for p, sectors in zip(people, panel, strict=True)}
    ids = [p.pk for p in people]
    for _round in range(rounds):
        before = loads(ids)
        chosen = {a.reviewer_id for a in svc.assign_reviewers(application_in_review(call).pk)}
        assert len(chosen) == required
        for taken in chosen:
            for other in set(ids) - chosen:
                assert before[taken] <= before[other]
                if before[taken] == before[other] and not expert[taken]:
                    assert not expert[other], "an equally loaded expert was passed over"
        after = loads(ids)
        assert max(after.values()) - min(after[i] for i in ids) <= 1, after
    assert sum(loads(ids).values()) == rounds * required


# --- The officers are told why places stay empty ----------------------------------------------


def test_the_units_officers_are_told_why_review_places_stay_empty(call):
    call.reviewers_per_application = 3
    call.save()
    enterprise = EnterpriseFactory()
    one, barred = panel_of(call, 2)
    ConflictDeclaration.objects.create(reviewer=barred, enterprise=enterprise, reason="A former client.")
    officer = officer_of(call, preferred_language="en", full_name="Officer Ho")
    application = application_in_review(call, enterprise)
    made = svc.assign_reviewers(application.pk)
    deliver(ReviewEventKind.REVIEWERS_SHORT)
    assert [a.reviewer_id for a in made] == [one.pk]
    note = Notification.objects.get(recipient=officer, kind=ReviewEventKind.REVIEWERS_SHORT)
    assert note.title == f"{application.reference}: 2 review places could not be filled"
    assert note.body.startswith(
        "The call's panel has 2 reviewers: 0 were already assigned this application and 1 have a conflict"
    )
    assert note.url == f"/staff/applications/{application.reference}/"


def test_an_officer_filling_the_empty_place_by_hand_clears_the_shortfall(call):
    call.reviewers_per_application = 2
    call.save()
    (first,) = panel_of(call, 1)
    application = application_in_review(call)
    svc.assign_reviewers(application.pk)
    application.refresh_from_db()
    assert application.reviewers_missing == 1
    (late,) = panel_of(call, 1)
    svc.assign_reviewer(actor=officer_of(call), application=application, reviewer=late)
    application.refresh_from_db()
    assert application.reviewers_missing == 0
    assert set(application.assignments.values_list("reviewer_id", flat=True)) == {first.pk, late.pk}
