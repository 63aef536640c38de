"""Invitations by e-mail: the link works once, for 7 days, for the invited address only."""

import re
import time
from unittest.mock import patch
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from enterprises.invitations import invitation_token
from enterprises.models import Invitation, Membership
from enterprises.services import members as services
from enterprises.services.mail import send_invitation_email
from enterprises.tasks import send_invitation
from hkhz_portal.core.errors import DomainError
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

EXPIRED = "This invitation has expired. Ask an owner of the enterprise to invite you again."
USED = "This invitation has already been used."
WRONG_USER = "This invitation was sent to another e-mail address. Sign in with that address to accept it."


@pytest.fixture
def enterprise():
    return EnterpriseFactory(legal_name_en="Hangzhou Lakeside Therapeutics Co., Ltd.", short_name="Lakeside")


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner", full_name="Owner Zhang", preferred_language="en")


@pytest.fixture
def invitation(enterprise, owner):
    return services.invite_member(enterprise, actor=owner, email="invitee@example.com", role="member")


def accept_url(invitation):
    return reverse("invitation_accept", args=[invitation_token(invitation)])


def joined(enterprise, user):
    return Membership.objects.filter(enterprise=enterprise, user=user).first()


def test_owner_invites_the_mail_goes_out_and_its_link_lets_the_invitee_join(
    client, enterprise, owner, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_invite", args=[enterprise.reference]), {"email": "Invitee@Example.com", "role": "owner"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["invitee@example.com"]
    assert "Lakeside" in message.subject
    assert "Owner Zhang invites you to join Hangzhou Lakeside Therapeutics Co., Ltd." in message.body
    path = re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", message.body).group(1)

    invitee = UserFactory(email="invitee@example.com")
    client.force_login(invitee)
    html = client.get(path).content.decode()
    assert "Join Hangzhou Lakeside Therapeutics Co., Ltd. as owner" in html
    assert "Accept the invitation" in html

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprise_detail", args=[enterprise.reference])
    assert joined(enterprise, invitee).role == "owner"
    assert Invitation.objects.get().accepted_by == invitee


def test_anonymous_visitor_sees_the_invitation_and_sign_in_links_that_come_back(client, invitation):
    path = accept_url(invitation)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are invited to join Hangzhou Lakeside Therapeutics Co., Ltd." in html
    assert "invitee@example.com" in html
    assert f'href="{reverse("account_login")}?next={quote(path)}"' in html
    assert f'href="{reverse("account_signup")}?next={quote(path)}"' in html
    assert "Accept the invitation" not in html

    # Posting without signing in changes nothing and asks to sign in first.
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Invitation.objects.get().accepted_at is None


def test_signing_in_from_the_invitation_page_returns_to_it(client, invitation):
    UserFactory(email="invitee@example.com")
    path = accept_url(invitation)
    response = client.post(
        f"{reverse('account_login')}?next={path}", {"login": "invitee@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == path


def test_a_newcomer_signs_up_from_the_invitation_and_comes_back_to_join(client, enterprise, invitation):
    path = accept_url(invitation)
    client.post(
        f"{reverse('account_signup')}?next={quote(path)}",
        {"email": "invitee@example.com", "full_name": "Invitee Chan", "password1": PASSWORD, "password2": PASSWORD},
    )
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == path
    client.post(path)
    assert joined(enterprise, get_user_model().objects.get(email="invitee@example.com")).role == "member"


def test_expired_link_is_refused_with_the_expiry_message(client, enterprise, invitation):
    invitee = UserFactory(email="invitee@example.com")
    eight_days_ago = time.time() - 8 * 24 * 3600
    with patch("django.core.signing.time.time", return_value=eight_days_ago):
        path = accept_url(invitation)
    client.force_login(invitee)

    response = client.get(path)
    assert response.status_code == 400
    assert EXPIRED in response.content.decode()
    assert "Accept the invitation" not in response.content.decode()

    response = client.post(path)
    assert response.status_code == 400
    assert EXPIRED in response.content.decode()
    assert joined(enterprise, invitee) is None


def test_link_still_works_on_the_seventh_day(client, enterprise, invitation):
    invitee = UserFactory(email="invitee@example.com")
    with patch("django.core.signing.time.time", return_value=time.time() - 6.9 * 24 * 3600):
        path = accept_url(invitation)
    client.force_login(invitee)
    assert client.post(path).status_code == 302
    assert joined(enterprise, invitee) is not None


def test_reused_link_is_refused(client, enterprise, invitation):
    invitee = UserFactory(email="invitee@example.com")
    path = accept_url(invitation)
    client.force_login(invitee)
    assert client.post(path).status_code == 302

    response = client.post(path)
    assert response.status_code == 400
    assert USED in response.content.decode()
    assert USED in client.get(path).content.decode()
    # Someone who left cannot come back through the old link either.
    joined(enterprise, invitee).delete()
    assert USED in client.post(path).content.decode()
    assert joined(enterprise, invitee) is None


def test_wrong_user_is_refused_and_offered_to_sign_out(client, enterprise, invitation):
    someone_else = UserFactory(email="someone.else@example.com")
    path = accept_url(invitation)
    client.force_login(someone_else)

    response = client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert WRONG_USER in html
    assert "You are signed in as someone.else@example.com." in html
    assert "Sign out and use another account" in html

    response = client.post(path)
    assert response.status_code == 403
    assert joined(enterprise, someone_else) is None
    assert Invitation.objects.get().accepted_at is None


def test_revoked_invitation_is_refused(client, enterprise, owner, invitation):
    invitee = UserFactory(email="invitee@example.com")
    path = accept_url(invitation)
    services.revoke_invitation(invitation, actor=owner)
    client.force_login(invitee)
    response = client.post(path)
    assert response.status_code == 400
    assert "This invitation was withdrawn by the enterprise." in response.content.decode()
    assert joined(enterprise, invitee) is None


def test_inviting_again_replaces_the_earlier_link(client, enterprise, owner, invitation):
    invitee = UserFactory(email="invitee@example.com")
    old_path = accept_url(invitation)
    services.invite_member(enterprise, actor=owner, email="invitee@example.com")
    client.force_login(invitee)
    assert "withdrawn" in client.post(old_path).content.decode()
    assert joined(enterprise, invitee) is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_link_is_404(client, invitation, method):
    token = invitation_token(invitation)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    client.force_login(UserFactory(email="invitee@example.com"))
    response = getattr(client, method)(reverse("invitation_accept", args=[tampered]))
    assert response.status_code == 404
    assert Invitation.objects.get().accepted_at is None


def test_link_to_a_deleted_invitation_is_404(client, invitation):
    path = accept_url(invitation)
    Invitation.objects.all().delete()
    assert client.get(path).status_code == 404


def test_the_mail_is_sent_once_even_if_the_task_runs_twice(invitation, eager_tasks):
    assert send_invitation_email(invitation.pk) is True
    assert send_invitation_email(invitation.pk) is False
    send_invitation.delay(invitation.pk)
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_no_mail_for_a_revoked_invitation(owner, invitation):
    services.revoke_invitation(invitation, actor=owner)
    assert send_invitation_email(invitation.pk) is False
    assert mail.outbox == []


def test_the_mail_speaks_the_invitees_language_and_names_the_firm_in_it(enterprise, owner):
    from enterprises.services.mail import send_invitation_email

    enterprise.legal_name_zh = "杭州湖畔治疗有限公司"
    enterprise.save()
    UserFactory(email="li.hua@example.cn", preferred_language="zh-hant")
    invitation = services.invite_member(enterprise, actor=owner, email="li.hua@example.cn")
    assert send_invitation_email(invitation.pk)
    body = mail.outbox[-1].body
    assert "杭州湖畔治疗有限公司" in body
    assert "邀請" in body  # Traditional Chinese, the invitee's language, not the owner's English


def test_an_unverified_address_does_not_accept(client, invitation):
    from allauth.account.models import EmailAddress

    impostor = UserFactory(email="invitee@example.com")
    EmailAddress.objects.filter(user=impostor).update(verified=False)
    client.force_login(impostor)
    response = client.post(accept_url(invitation))
    assert response.status_code == 403
    assert joined(invitation.enterprise, impostor) is None


def test_the_invitation_page_reads_the_link_through_a_selector_that_changes_nothing(owner, invitation):
    from enterprises.selectors import usable_invitation

    invitee = UserFactory(email="invitee@example.com")
    assert usable_invitation(invitation_token(invitation), invitee) == invitation
    with pytest.raises(DomainError) as refused:
        usable_invitation(invitation_token(invitation), UserFactory(email="someone.else@example.com"))
    assert refused.value.code == "wrong_user"
    services.revoke_invitation(invitation, actor=owner)
    with pytest.raises(DomainError) as refused:
        usable_invitation(invitation_token(invitation))
    assert refused.value.code == "revoked"
    assert joined(invitation.enterprise, invitee) is None
