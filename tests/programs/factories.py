"""Programmes, calls, forms and applications for the programs tests.

``build_form()`` makes a published form version with one question of every type, a repeating
team group and conditional questions, so each test starts from a realistic form.
"""

import datetime
import itertools
import random
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises.services.documents import upload_document
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.queueing import _send
from programs.choices import AssignmentStatus, FieldKind, ProgrammeKind, RuleKind
from programs.models import (
    Application,
    ApplicationForm,
    Call,
    Criterion,
    CriterionLevel,
    EligibilityRule,
    FormField,
    FormSection,
    FormVersion,
    PanelMember,
    Programme,
    Review,
    ReviewAssignment,
    Rubric,
)
from programs.workflow import Status
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role
from tests.files import pdf


def texts(prefix: str, en: str, hans: str | None = None, hant: str | None = None) -> dict:
    return {f"{prefix}_en": en, f"{prefix}_zh_hans": hans or f"{en}（简）", f"{prefix}_zh_hant": hant or f"{en}（繁）"}


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    unit = factory.LazyFunction(lambda: UnitFactory(code="test-platform", kind="platform"))
    slug = factory.Sequence(lambda n: f"programme-{n}")
    kind = ProgrammeKind.BIOMEDICAL_INCUBATION
    name_en = "Incubation Programme for Biomedical Technology"
    name_zh_hans = "生物医药科技培育计划"
    name_zh_hant = "生物醫藥科技培育計劃"
    duration_months = 48


def _field(section, key, kind, order, label, **extra):
    return FormField.objects.create(section=section, key=key, kind=kind, order=order, **texts("label", label), **extra)


YES_NO_CHOICES = [{"value": "yes", "en": "Yes", "zh_hans": "是", "zh_hant": "是"}]
MODALITIES = [
    {"value": "biologic", "en": "Biologic", "zh_hans": "生物制品", "zh_hant": "生物製品"},
    {"value": "device", "en": "Medical device", "zh_hans": "医疗器械", "zh_hant": "醫療器械"},
    {"value": "software", "en": "Software", "zh_hans": "软件", "zh_hant": "軟件"},
]


def build_form(name="Biomedical incubation form", *, publish=True) -> FormVersion:
    """Three sections: the company (text, number, money, date, yes/no, a conditional question),
    the product (choices, long text with a word limit, a conditional section question) and the
    team (a repeating group) with a business plan document."""
    form = ApplicationForm.objects.create(name=name)
    version = FormVersion.objects.create(form=form, number=1)
    company = FormSection.objects.create(version=version, key="company", order=1, **texts("title", "The company"))
    _field(company, "summary", FieldKind.SHORT_TEXT, 1, "One-line summary", required=True, max_length=120)
    _field(company, "staff_worldwide", FieldKind.NUMBER, 2, "Staff worldwide", min_value=0, max_value=100000)
    _field(company, "funding_sought", FieldKind.MONEY, 3, "Funding sought", required=True, min_value=0)
    _field(company, "hk_company_planned", FieldKind.YES_NO, 4, "Will you set up a Hong Kong company?", required=True)
    _field(
        company,
        "hk_setup_date",
        FieldKind.DATE,
        5,
        "When will it be set up?",
        required=True,
        show_if_field="hk_company_planned",
        show_if_values=[True],
    )
    product = FormSection.objects.create(version=version, key="product", order=2, **texts("title", "The product"))
    _field(product, "modality", FieldKind.CHOICE, 1, "Modality", required=True, choices=MODALITIES)
    _field(
        product,
        "markets",
        FieldKind.MULTIPLE_CHOICE,
        2,
        "Markets",
        choices=[
            {"value": "cn", "en": "Mainland China", "zh_hans": "中国内地", "zh_hant": "中國內地"},
            {"value": "us", "en": "United States", "zh_hans": "美国", "zh_hant": "美國"},
        ],
    )
    _field(product, "plan", FieldKind.LONG_TEXT, 3, "R&D plan", required=True, max_words=50)
    _field(
        product,
        "device_class",
        FieldKind.CHOICE,
        4,
        "Device class",
        required=True,
        choices=[{"value": "ii", "en": "Class II"}, {"value": "iii", "en": "Class III"}],
        show_if_field="modality",
        show_if_values=["device"],
    )
    team = FormSection.objects.create(version=version, key="team", order=3, **texts("title", "The team"))
    group = _field(team, "team", FieldKind.GROUP, 1, "Team members", required=True, min_rows=1, max_rows=20)
    for order, (key, kind, label, extra) in enumerate(
        [
            ("name", FieldKind.SHORT_TEXT, "Name", {"required": True}),
            ("role", FieldKind.SHORT_TEXT, "Role", {}),
            ("full_time", FieldKind.YES_NO, "Full-time", {"required": True}),
            ("technical", FieldKind.YES_NO, "Technical", {"required": True}),
            ("equity", FieldKind.NUMBER, "Equity %", {"min_value": 0, "max_value": 100}),
        ],
        start=1,
    ):
        FormField.objects.create(
            section=team, group=group, key=key, kind=kind, order=order, **texts("label", label), **extra
        )
    _field(team, "business_plan", FieldKind.DOCUMENT, 2, "Business plan", required=True, document_type="business_plan")
    if publish:
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
    return version


def good_answers(business_plan_id: int) -> dict:
    """Answers that complete ``build_form()``'s form and pass the usual rules."""
    return {
        "summary": "Antibody therapies for liver cancer",
        "staff_worldwide": "12",
        "funding_sought": {"amount": "5000000", "currency": "HKD"},
        "hk_company_planned": True,
        "hk_setup_date": "2027-01-15",
        "modality": "biologic",
        "markets": ["cn", "us"],
        "plan": "Phase 1 trials in Hong Kong and Hangzhou next year.",
        "team": [
            {"name": "Chen Wei", "role": "CEO", "full_time": True, "technical": True, "equity": "40"},
            {"name": "Li Na", "role": "CSO", "full_time": True, "technical": True, "equity": "20"},
            {"name": "Wong Ka-man", "role": "CFO", "full_time": True, "technical": False, "equity": "5"},
        ],
        "business_plan": business_plan_id,
    }


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    title_en = factory.Sequence(lambda n: f"Biomedical incubation intake {n}")
    title_zh_hans = factory.Sequence(lambda n: f"生物医药培育招募 {n}")
    title_zh_hant = factory.Sequence(lambda n: f"生物醫藥培育招募 {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = None
    capacity = 20
    form_version = factory.LazyFunction(build_form)


def add_rule(call, kind: RuleKind, *, number=None, values=(), field_key="", order=0) -> EligibilityRule:
    return EligibilityRule.objects.create(
        call=call, kind=kind, number=number, values=list(values), field_key=field_key, order=order
    )


def park_rules(call) -> None:
    """The Science Park's usual incubation rules (DOMAIN.md), on ``call``."""
    add_rule(call, RuleKind.HK_COMPANY, field_key="hk_company_planned", order=1)
    add_rule(call, RuleKind.MAX_COMPANY_AGE, number=2, order=2)
    add_rule(call, RuleKind.MIN_FULL_TIME_STAFF, number=2, field_key="team", order=3)
    add_rule(call, RuleKind.MIN_TECHNICAL_SHARE, number=50, field_key="team", order=4)
    add_rule(call, RuleKind.MIN_TECHNICAL_EQUITY, number=10, field_key="team", order=5)
    add_rule(call, RuleKind.IDENTIFIER_VALID, order=6)
    add_rule(call, RuleKind.NO_OPEN_APPLICATION, order=7)


def applicant_of_new_enterprise(**user_fields):
    """The owner of a one-year-old enterprise that passes ``park_rules``."""
    enterprise = EnterpriseFactory(founded_on=timezone.localdate() - datetime.timedelta(days=300))
    return member_of(enterprise, role="owner", **user_fields)


def business_plan(applicant):
    """A real PDF business plan in the library of the applicant's (only) enterprise."""
    enterprise = applicant.memberships.get().enterprise
    upload = SimpleUploadedFile("plan.pdf", pdf(), content_type="application/pdf")
    return upload_document(enterprise, upload, actor=applicant, doc_type="business_plan").document


def officer_of(call, **fields):
    """A program officer of the call's unit."""
    officer = user_with_role(Role.PROGRAM_OFFICER, **fields)
    officer.unit = call.programme.unit
    officer.save(update_fields=["unit"])
    return officer


def complete_draft(call, applicant, **answers):
    """A draft of the applicant's enterprise to ``call`` with ``good_answers`` (changed by ``answers``)."""
    from programs.services import applications as svc

    enterprise = applicant.memberships.get().enterprise
    application = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    checked = svc.save_answers(
        actor=applicant, application=application, answers={**good_answers(business_plan(applicant).pk), **answers}
    )
    assert checked.ok, checked.errors
    return application


# --- Review and decision ---------------------------------------------------------------------

#: The demo's rubric shape: (key, weight) of each criterion, scored 1 to 5.
CRITERIA = (("science", "0.40"), ("team", "0.30"), ("market", "0.30"))


#: A space allocation for an approval (its move-in date two months from the day the tests start).
SPACE = {
    "space_kind": "wet_lab",
    "area_m2": Decimal("45.5"),
    "move_in_on": timezone.localdate() + datetime.timedelta(days=60),
    "term_months": 36,
}


def rubric_for(call, criteria=CRITERIA, *, scale=(1, 5)) -> Rubric:
    """A rubric on ``call`` with ``criteria`` (key, weight) and a described level for every score."""
    rubric = Rubric.objects.create(call=call, scale_min=scale[0], scale_max=scale[1])
    for order, (key, weight) in enumerate(criteria):
        criterion = Criterion.objects.create(
            rubric=rubric,
            key=key,
            weight=Decimal(weight),
            order=order,
            **texts("name", key.title(), f"{key}（简）", f"{key}（繁）"),
        )
        for score in rubric.scale:
            CriterionLevel.objects.create(
                criterion=criterion,
                score=score,
                **texts("description", f"{key} level {score}", f"{key} 等级 {score}", f"{key} 等級 {score}"),
            )
    return rubric


_reviewers = itertools.count(1)


def reviewer(**fields):
    """A reviewer whose e-mail domain is not the applicants' (``example.com``): sharing one is a
    detected conflict of interest (``programs.assignment.conflicts``)."""
    fields.setdefault("email", f"reviewer{next(_reviewers)}@reviewers.example.org")
    return user_with_role(Role.REVIEWER, **fields)


def panel_of(call, n: int, *, sectors=("biopharma",)) -> list:
    """``n`` new reviewers on ``call``'s panel, each with ``sectors`` of expertise."""
    members = [reviewer() for _ in range(n)]
    for member in members:
        PanelMember.objects.create(call=call, reviewer=member, sectors=list(sectors))
    return members


def reviewing_call(**fields):
    """A call with the Science Park's rules, the demo's rubric and a panel of three reviewers."""
    call = CallFactory(**fields)
    park_rules(call)
    rubric_for(call)
    panel_of(call, 3)
    return call


def in_review(call, applicant=None, **answers):
    """An application that passed screening, without a worker: the screening services run here,
    and reviewers are not assigned (call ``services.reviews.assign_reviewers`` for that)."""
    from programs.services import applications as svc

    applicant = applicant or applicant_of_new_enterprise()
    application = complete_draft(call, applicant, **answers)
    svc.submit(actor=applicant, application=application, declaration=True)
    svc.begin_screening(application.pk)
    svc.finish_screening(application.pk)
    application.refresh_from_db()
    assert application.status == "in_review", application.status
    return application


#: The comment to the officer of every review ``review`` writes.
REVIEW_COMMENT = "Solid science."
_quick_references = itertools.count(1)


def application_in_review(call, enterprise=None) -> Application:
    """An application put straight into review, without answers, screening or events: for tests
    of the reviewers' assignment that need many applications quickly (``in_review`` for one
    that went through every step)."""
    enterprise = enterprise or EnterpriseFactory()
    return Application.objects.create(
        call=call,
        programme_id=call.programme_id,
        unit_id=call.programme.unit_id,
        enterprise=enterprise,
        form_version_id=call.form_version_id,
        status=Status.IN_REVIEW,
        sector=enterprise.sector,
        reference=f"QUICK-2000-{next(_quick_references):06d}",
    )


def deliver(kind) -> None:
    """Hand the recorded events of ``kind`` to their subscribers, as the worker does after commit
    (notices in the portal; their e-mail copies wait for a commit that never comes in a test)."""
    from hkhz_portal.core import events
    from hkhz_portal.core.models import DomainEvent

    for pk in DomainEvent.objects.filter(kind=kind, dispatched_at__isnull=True).values_list("pk", flat=True):
        events.dispatch(pk)


def enqueued(callbacks) -> list[tuple[str, tuple]]:
    """The tasks that ``callbacks`` (captured by ``django_capture_on_commit_callbacks``) send
    after commit, as (task name, arguments)."""
    return [(c.args[0].name, c.args[1]) for c in callbacks if getattr(c, "func", None) is _send]


def review(assignment, scores: dict, *, recommendation="admit", submit=True):
    """The assigned reviewer declares no conflict (if not yet) and saves ``scores``."""
    from programs.services import reviews as svc

    if assignment.status == AssignmentStatus.AWAITING_DECLARATION:
        assignment = svc.declare(actor=assignment.reviewer, assignment=assignment, conflict=False)
    return svc.save_review(
        actor=assignment.reviewer,
        assignment=assignment,
        scores=scores,
        recommendation=recommendation,
        comment_to_officer=REVIEW_COMMENT,
        comment_to_applicant="Strengthen the market plan.",
        submit=submit,
    )


def theirs_submitted(application, panel):
    """The second of ``panel`` submits a harsh review of ``application`` (the comment to the
    officer is ``REVIEW_COMMENT``), for tests of what the first may see of it."""
    review(
        application.assignments.get(reviewer=panel[1]),
        {"science": 2, "team": 1, "market": 2},
        recommendation="do_not_admit",
    )


def reviewed(call, scores=None, applicant=None):
    """An application whose reviewers (assigned by the service) all submitted ``scores`` (every
    criterion 4 by default): ``reviewed``. ``call`` needs a rubric and a panel."""
    from programs.services import reviews as svc

    application = in_review(call, applicant)
    svc.assign_reviewers(application.pk)
    for assignment in application.assignments.all():
        review(assignment, scores or {key: 4 for key, _weight in CRITERIA})
    application.refresh_from_db()
    assert application.status == "reviewed", application.status
    return application


def applicant_of(application):
    """The owner of the applying enterprise."""
    return application.enterprise.memberships.get(role="owner").user


def onboarded(officer, application):
    """An approved application accepted by its applicant and every formality recorded by
    ``officer`` (the enterprise is a mainland firm): ready to be admitted."""
    from programs.services import decisions

    today = timezone.localdate()
    decisions.accept_offer(actor=applicant_of(application), application=application)
    return decisions.record_onboarding(
        actor=officer,
        application=application,
        tenancy_signed_on=today,
        company_name="Hangzhou Test Biotech (Hong Kong) Limited",
        hk_br="61234567",
        company_registered_on=today - datetime.timedelta(days=3),
        moved_in_on=today,
    )


def bulk_reviewed(call, enterprises, reviewers, *, per_application=3, seed=2026) -> list:
    """One ``reviewed`` application to ``call`` per enterprise, each scored by ``per_application``
    of ``reviewers`` in turn, written straight with ``bulk_create`` (no services, no worker): for
    volume tests and ``bench/ranking.py``. Each reviewer has a bias (harsh or lenient) and each
    application a quality, so the normalised ranking differs from the raw one."""
    rng = random.Random(seed)
    now = timezone.now()
    low, high = 1, 5
    bias = {r.pk: rng.uniform(-1, 1) for r in reviewers}
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            programme_id=call.programme_id,
            unit_id=call.programme.unit_id,
            enterprise=enterprise,
            form_version_id=call.form_version_id,
            reference=f"HKSP-{now:%Y}-9{call.pk:03d}{n:05d}",
            status="reviewed",
            submitted_at=now,
            enterprise_name_en=enterprise.legal_name_en,
            enterprise_name_zh=enterprise.legal_name_zh,
            sector=enterprise.sector,
        )
        for n, enterprise in enumerate(enterprises)
    )
    assignments = ReviewAssignment.objects.bulk_create(
        ReviewAssignment(
            application=application,
            reviewer=reviewers[(n * per_application + k) % len(reviewers)],
            status=AssignmentStatus.SUBMITTED,
            due_on=now.date(),
            declared_at=now,
        )
        for n, application in enumerate(applications)
        for k in range(per_application)
    )
    quality = {a.pk: rng.uniform(low, high) for a in applications}
    reviews = []
    for assignment in assignments:
        total = quality[assignment.application_id] + bias[assignment.reviewer_id] + rng.uniform(-0.5, 0.5)
        total = round(min(high, max(low, total)), 3)
        reviews.append(
            Review(
                assignment=assignment,
                scores={key: round(total) for key, _weight in CRITERIA},
                total=Decimal(str(total)),
                recommendation="admit",
                submitted_at=now,
            )
        )
    Review.objects.bulk_create(reviews, batch_size=1000)
    return applications


def terms(**changes) -> dict:
    """An approval's space allocation: a wet lab of 120 m², moving in in a month, for 48 months."""
    return {
        "space_kind": "wet_lab",
        "area_m2": Decimal("120"),
        "move_in_on": timezone.localdate() + datetime.timedelta(days=30),
        "term_months": 48,
        "conditions": "Open a Hong Kong bank account.",
        **changes,
    }


def decided(application, officer, outcome="approve", **fields):
    """``application`` (reviewed) decided by ``officer`` through the service; an approval with ``terms()``."""
    from programs.services import decisions

    if outcome == "approve":
        fields = terms(**fields)
    elif outcome == "reject":
        fields.setdefault("reasons", "The market plan is too thin.")
    decisions.decide(actor=officer, application=application, outcome=outcome, **fields)
    application.refresh_from_db()
    return application


def refusal(action):
    """The ``DomainError`` that ``action()`` is refused with (the test fails if it is not refused)."""
    import pytest

    from hkhz_portal.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        action()
    return refused.value


def signed_in(user):
    """A test client signed in as ``user`` (the second factor counted as passed)."""
    from tests.conftest import PortalClient

    client = PortalClient()
    client.force_login(user)
    return client
