"""Sharing applications with partner organisations: an owner grants and revokes on the profile,
with consent to cross-border transfer for a grant, audited; members see it; others do not."""

import pytest
from django.urls import reverse

from enterprises.audit_actions import AuditAction
from enterprises.models import DataSharing
from enterprises.services import consent, sharing
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from tests.factories import EnterpriseFactory, PartnerOrganisationFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner")


@pytest.fixture
def bank():
    return PartnerOrganisationFactory(code="hk-bank", name_en="Harbour Bank", kind="bank")


def active(enterprise):
    return list(DataSharing.objects.filter(enterprise=enterprise, revoked_at__isnull=True))


def test_an_owner_grants_once_and_revokes_and_both_are_audited(enterprise, owner, bank):
    first = sharing.grant_sharing(enterprise, actor=owner, organisation=bank)
    again = sharing.grant_sharing(enterprise, actor=owner, organisation=bank)
    assert again.pk == first.pk and active(enterprise) == [first]
    assert first.granted_by == owner
    assert sharing.revoke_sharing(enterprise, actor=owner, organisation=bank) is True
    assert active(enterprise) == []
    assert sharing.revoke_sharing(enterprise, actor=owner, organisation=bank) is False
    sharing.grant_sharing(enterprise, actor=owner, organisation=bank)
    assert DataSharing.objects.filter(enterprise=enterprise).count() == 2  # the revoked one stays on record
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "changes"))
    shared = [(a, c) for a, c in actions if a.startswith("sharing.")]
    assert shared == [
        (AuditAction.SHARING_GRANTED, {"organisation": "hk-bank"}),
        (AuditAction.SHARING_REVOKED, {"organisation": "hk-bank"}),
        (AuditAction.SHARING_GRANTED, {"organisation": "hk-bank"}),
    ]


def test_a_plain_member_or_an_outsider_can_neither_grant_nor_revoke(enterprise, owner, bank):
    sharing.grant_sharing(enterprise, actor=owner, organisation=bank)
    for user in (member_of(enterprise), member_of(EnterpriseFactory(), "owner")):
        for change in (sharing.grant_sharing, sharing.revoke_sharing):
            with pytest.raises(DomainError) as refused:
                change(enterprise, actor=user, organisation=PartnerOrganisationFactory())
            assert refused.value.status == 403
        with pytest.raises(DomainError):
            sharing.revoke_sharing(enterprise, actor=user, organisation=bank)
    assert [s.organisation for s in active(enterprise)] == [bank]


def test_granting_needs_the_owners_consent_and_revoking_never_does(enterprise, owner, bank):
    sharing.grant_sharing(enterprise, actor=owner, organisation=bank)
    consent.withdraw_consent(actor=owner)
    with pytest.raises(consent.ConsentRequired):
        sharing.grant_sharing(enterprise, actor=owner, organisation=PartnerOrganisationFactory())
    assert sharing.revoke_sharing(enterprise, actor=owner, organisation=bank) is True


def test_the_profile_lists_partners_and_an_owner_shares_and_stops_from_it(client, enterprise, owner, bank):
    client.force_login(owner)
    page = client.get(reverse("enterprise_detail", args=[enterprise.reference])).content.decode()
    assert "Sharing with partner organisations" in page and "Harbour Bank" in page and "Not shared" in page
    grant = reverse("sharing_grant", args=[enterprise.reference, bank.code])
    assert f'action="{grant}"' in page

    response = client.post(grant, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/enterprises/{enterprise.reference}/#sharing")
    page = response.content.decode()
    assert "Harbour Bank may now read this enterprise" in page and "Shared since" in page
    assert [s.organisation for s in active(enterprise)] == [bank]

    response = client.post(reverse("sharing_revoke", args=[enterprise.reference, bank.code]), follow=True)
    assert "Harbour Bank can no longer read" in response.content.decode()
    assert active(enterprise) == []


def test_a_member_sees_what_is_shared_but_no_buttons_and_a_post_changes_nothing(client, enterprise, owner, bank):
    sharing.grant_sharing(enterprise, actor=owner, organisation=bank)
    member = member_of(enterprise)
    client.force_login(member)
    page = client.get(reverse("enterprise_detail", args=[enterprise.reference])).content.decode()
    assert "Shared since" in page and "Only an owner of the enterprise can change what is shared." in page
    assert reverse("sharing_revoke", args=[enterprise.reference, bank.code]) not in page
    response = client.post(reverse("sharing_revoke", args=[enterprise.reference, bank.code]), follow=True)
    assert "Only an owner of the enterprise can do this." in response.content.decode()
    assert len(active(enterprise)) == 1


def test_another_enterprise_or_an_unknown_organisation_is_404(client, enterprise, owner, bank):
    client.force_login(owner)
    other = EnterpriseFactory()
    assert client.post(reverse("sharing_grant", args=[other.reference, bank.code])).status_code == 404
    assert client.post(reverse("sharing_grant", args=[enterprise.reference, "no-such-bank"])).status_code == 404
    assert client.get(reverse("sharing_grant", args=[enterprise.reference, bank.code])).status_code == 405
    assert DataSharing.objects.count() == 0


def test_an_owner_without_consent_is_sent_to_give_it(client, enterprise, owner, bank):
    consent.withdraw_consent(actor=owner)
    client.force_login(owner)
    page = client.get(reverse("enterprise_detail", args=[enterprise.reference])).content.decode()
    assert "it needs your consent to cross-border transfer first" in page
    response = client.post(reverse("sharing_grant", args=[enterprise.reference, bank.code]))
    assert response.status_code == 302 and response.url.startswith(reverse("consent"))
    assert DataSharing.objects.count() == 0
