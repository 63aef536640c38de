import pytest

from enterprises.services import profile
from hkhz_portal.accounts.audit_actions import AuditAction
from hkhz_portal.core import audit
from hkhz_portal.core.models import AuditEvent
from tests.factories import EnterpriseFactory, member_of


@pytest.mark.django_db
def test_the_trail_takes_only_declared_action_names():
    audit.record(AuditAction.LOGIN)
    assert AuditEvent.objects.get().action == "account.login"
    with pytest.raises(TypeError):
        audit.record("account.logn")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["reference", "data_residency", "created_at", "pk", "save"])
def test_a_profile_update_sets_only_profile_fields(field):
    enterprise = EnterpriseFactory()
    member = member_of(enterprise)
    with pytest.raises(ValueError, match=field):
        profile.update_enterprise(enterprise, actor=member, **{field: "X"})
    enterprise.refresh_from_db()
    assert enterprise.reference.startswith("ENT-")
