"""The members page says where each invitation's mail is, and owners are told when an invitee joins."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise

from enterprises.invitations import invitation_token
from enterprises.models import Invitation
from enterprises.services import members as services
from hkhz_portal.core import notifications
from hkhz_portal.core.models import Notification
from tests.factories import EnterpriseFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory(short_name="Lakeside")


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner", full_name="Owner Zhang", preferred_language="en")


def invite(enterprise, owner, email="invitee@example.com", role="member"):
    return services.invite_member(enterprise, actor=owner, email=email, role=role)


def delivery_cell(client, enterprise, invitation) -> str:
    html = client.get(reverse("member_list", args=[enterprise.reference])).content.decode()
    row = html[html.index(f'id="invitation-{invitation.pk}"') :]
    cell = row[row.index('data-testid="invitation-delivery"') :]
    return cell[: cell.index("</td>")]


def test_an_invitation_says_sending_until_its_mail_went_out_then_when_it_was_sent(client, enterprise, owner):
    invitation = invite(enterprise, owner)
    client.force_login(owner)
    assert "Sending…" in delivery_cell(client, enterprise, invitation)

    sent_at = timezone.now() - datetime.timedelta(days=1)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=sent_at)
    cell = delivery_cell(client, enterprise, invitation)
    assert f"Sent {date_format(timezone.localtime(sent_at), 'N j, Y')}" in cell
    assert "Link valid until" in cell
    assert "Sending…" not in cell


def test_a_failed_mail_says_not_delivered_and_an_old_link_expired(client, enterprise, owner):
    failed = invite(enterprise, owner, email="bounce@example.com")
    Invitation.objects.filter(pk=failed.pk).update(failed_at=timezone.now(), last_error="mailbox unavailable")
    old = invite(enterprise, owner, email="late@example.com")
    Invitation.objects.filter(pk=old.pk).update(sent_at=timezone.now() - datetime.timedelta(days=8))
    client.force_login(owner)
    assert "Not delivered: mailbox unavailable" in delivery_cell(client, enterprise, failed)
    assert "Link expired" in delivery_cell(client, enterprise, old)


def test_every_other_owner_is_told_in_the_portal_when_an_invitee_joins(enterprise, owner):
    co_owner = member_of(enterprise, "owner", full_name="Owner Chen")
    plain = member_of(enterprise, "member", full_name="Member Wu")
    invitation = invite(enterprise, owner, email="ann.lee@example.com", role="owner")
    invitee = UserFactory(email="ann.lee@example.com", full_name="Ann Lee")

    services.accept_invitation(invitation_token(invitation), actor=invitee)

    for recipient in (owner, co_owner):
        note = Notification.objects.get(recipient=recipient)
        assert note.title == "Ann Lee joined Lakeside"
        assert (
            note.body == "Ann Lee accepted the invitation sent to ann.lee@example.com and is now an owner of Lakeside."
        )
        assert note.url == reverse("member_list", args=[enterprise.reference])
    assert not Notification.objects.filter(recipient__in=[plain, invitee]).exists()


def test_the_notice_is_written_in_each_owners_language(enterprise, owner, monkeypatch):
    """The texts reach ``notify`` untranslated (lazy), which renders them in the recipient's language."""
    member_of(enterprise, "owner", full_name="林太", preferred_language="zh-hant")
    passed = []

    def spy(recipient, **kwargs):
        passed.append(kwargs)
        return notifications.notify(recipient, **kwargs)

    monkeypatch.setattr(services, "notify", spy)
    invitation = invite(enterprise, owner)
    services.accept_invitation(invitation_token(invitation), actor=UserFactory(email="invitee@example.com"))
    assert len(passed) == 2
    assert all(isinstance(kwargs["title"], Promise) and isinstance(kwargs["body"], Promise) for kwargs in passed)


def test_a_refused_join_tells_no_one(enterprise, owner):
    invitation = invite(enterprise, owner)
    services.revoke_invitation(invitation, actor=owner)
    with pytest.raises(services.DomainError):
        services.accept_invitation(invitation_token(invitation), actor=UserFactory(email="invitee@example.com"))
    assert not Notification.objects.exists()
