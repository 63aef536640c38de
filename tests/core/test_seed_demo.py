from collections import Counter

import pytest
from django.core.management import call_command

from enterprises.choices import Kind, MemberRole
from enterprises.identifiers import validate_uscc
from enterprises.models import DocumentVersion, Enterprise, Milestone
from enterprises.uploads import detect_kind
from hkhz_portal.accounts.models import User
from hkhz_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_portal_to_explore_and_is_idempotent(capsys):
    call_command("seed_demo", password="demo-password-1")
    first = capsys.readouterr().out
    assert "password: demo-password-1" in first
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "password:" not in second
    assert "0 created, 40 already present" in second

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
