import re
from collections import Counter

import pytest
from django.core.management import call_command

from enterprises.choices import Kind, MemberRole
from enterprises.identifiers import validate_uscc
from enterprises.models import DocumentVersion, Enterprise, Milestone
from enterprises.uploads import detect_kind
from hkhz_portal.accounts.models import APIKey, User
from hkhz_portal.accounts.roles import Role
from programs.answers import form_schema
from programs.choices import FieldKind
from programs.models import (
    Application,
    Call,
    ConflictDeclaration,
    Decision,
    InfoRequest,
    PanelMember,
    Programme,
    Review,
    ReviewAssignment,
    StatusChange,
)
from programs.selectors import unit_applications
from programs.workflow import Status, reachable_states

pytestmark = pytest.mark.django_db

ADMISSION = (
    Programme,
    Call,
    Application,
    StatusChange,
    PanelMember,
    ConflictDeclaration,
    ReviewAssignment,
    Review,
    Decision,
)


def test_seed_demo_creates_a_portal_to_explore_and_is_idempotent(capsys, settings, tmp_path):
    """Seeding takes seconds, so one test seeds twice and checks each part of the demo in turn."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", password="demo-password-1")
    first = capsys.readouterr().out
    assert "password: demo-password-1" in first
    counts = [model.objects.count() for model in ADMISSION]
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "password:" not in second
    assert "0 created, 40 already present" in second
    assert "Demo applications: 0 created, 9 already present" in second
    assert [model.objects.count() for model in ADMISSION] == counts

    the_demo_has_users_of_every_role_and_forty_firms()
    the_demo_has_programmes_calls_and_applications_in_every_state_of_part_1()


def the_demo_has_users_of_every_role_and_forty_firms():
    for role in Role:
        assert User.objects.filter(groups__name=role.value, email__endswith="@demo.hkhz.local").exists()

    enterprises = list(Enterprise.objects.all())
    assert len(enterprises) == 40
    sectors = Counter(e.sector for e in enterprises)
    assert sectors.most_common(1)[0][0] == "biopharma"
    mainland = [e for e in enterprises if e.kind == Kind.MAINLAND]
    for enterprise in mainland:
        validate_uscc(enterprise.uscc)
        assert enterprise.district
    assert any(e.kind == Kind.HONG_KONG and e.hk_br for e in enterprises)

    applicant = User.objects.get(email="applicant@demo.hkhz.local")
    owned = Enterprise.objects.filter(memberships__user=applicant, memberships__role=MemberRole.OWNER)
    assert owned.count() == 2

    version = DocumentVersion.objects.first()
    with version.file.open("rb") as stored:
        assert detect_kind(stored).content_type == "application/pdf"
    assert set(Milestone.objects.values_list("jurisdiction", flat=True)) >= {"nmpa", "fda"}


def the_demo_has_programmes_calls_and_applications_in_every_state_of_part_1():
    assert set(Programme.objects.values_list("kind", "duration_months")) == {
        ("biomedical_incubation", 48),
        ("technology_incubation", 36),
        ("established", None),
    }
    rolling = Call.objects.get(closes_at__isnull=True)
    assert rolling.programme.kind == "biomedical_incubation" and rolling.is_open()
    closing = Call.objects.get(slug="technology-incubation-round")
    assert closing.is_open()
    assert 20 <= (closing.closes_at - closing.opens_at).days - 30 <= 21
    for call in (rolling, closing):
        assert call.rules.count() == 7
        schema = form_schema(call.form_version)
        kinds = {q.kind for q in schema.questions.values()}
        assert {FieldKind.GROUP, FieldKind.DOCUMENT, FieldKind.LONG_TEXT, FieldKind.MONEY} <= kinds
        assert schema.questions["business_plan"].document_type == "business_plan"
        assert [c.key for c in schema.questions["team"].columns] == ["name", "role", "full_time", "technical", "equity"]
        assert any(q.show_if_field for q in schema.questions.values())
        assert all(q.label.zh_hant and q.label.zh_hans for q in schema.questions.values())
    assert form_schema(rolling.form_version).section("regulatory").show_if_field == "modality"

    part_1 = {Status.DRAFT, Status.SUBMITTED, Status.SCREENING, Status.NEEDS_ATTENTION, Status.IN_REVIEW}
    part_1 |= {Status.MORE_INFO_REQUESTED, Status.REJECTED, Status.WITHDRAWN}
    assert part_1 <= set(reachable_states())
    assert part_1 <= set(Application.objects.values_list("status", flat=True))
    flagged = Application.objects.filter(status=Status.NEEDS_ATTENTION)
    assert all(a.screening_checks.filter(passed=False).exists() for a in flagged)
    asked = Application.objects.get(status=Status.MORE_INFO_REQUESTED)
    assert InfoRequest.objects.filter(application=asked, responded_at__isnull=True).exists()
    for application in Application.objects.exclude(status=Status.DRAFT):
        steps = list(application.status_changes.values_list("to_status", flat=True))
        assert steps[0] == "draft" and steps[-1] == application.status

    applicant = User.objects.get(email="applicant@demo.hkhz.local")
    mine = set(Application.objects.filter(enterprise__memberships__user=applicant).values_list("status", flat=True))
    assert mine == {Status.DRAFT, Status.MORE_INFO_REQUESTED, Status.WITHDRAWN}
    officer = User.objects.get(email="officer@demo.hkhz.local")
    waiting = unit_applications(officer).filter(status__in=[Status.NEEDS_ATTENTION, Status.IN_REVIEW])
    assert waiting.count() >= 3


def test_seed_demo_gives_the_demo_partner_a_bank_and_a_key_printed_once(capsys, client):
    call_command("seed_demo", password="demo-password-1")
    first = capsys.readouterr().out
    secret = re.search(r"hkhz_live_[A-Za-z0-9_-]{43}", first).group(0)
    assert f'curl -H "Authorization: Bearer {secret}"' in first
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "hkhz_live_" not in second and "Demo partner API key already present" in second

    partner = User.objects.get(email="partner@demo.hkhz.local")
    bank = partner.partner_organisation
    assert (bank.kind, bank.name_zh_hant) == ("bank", "獅子山商業銀行有限公司")
    key = APIKey.objects.get(organisation=bank)
    assert key.created_by == partner and key.is_active
    assert client.get("/api/v1/calls/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    # The demo applicant's firms share their applications with the bank: the key reads them.
    shared = client.get("/api/v1/partner/applications/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert shared.status_code == 200 and shared.json()["results"], shared.json()
