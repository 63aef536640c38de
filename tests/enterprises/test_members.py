"""The members page: roles, owner-only actions, leaving, transferring, and the last-owner rule."""

import threading

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from enterprises.models import Invitation, Membership
from enterprises.services import members as services
from hkhz_portal.core.errors import DomainError
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db

LAST_OWNER = "An enterprise must keep at least one owner"
NOT_OWNER = "Only an owner of the enterprise can do this."


@pytest.fixture
def enterprise():
    return EnterpriseFactory(short_name="Qiantang Bio")


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner", full_name="Owner Zhang", email="owner@example.com")


@pytest.fixture
def member(enterprise):
    return member_of(enterprise, "member", full_name="Member Li", email="member@example.com")


def membership(enterprise, user):
    return Membership.objects.get(enterprise=enterprise, user=user)


def url(name, enterprise, *args):
    return reverse(name, args=[enterprise.reference, *args])


def page(client, enterprise):
    response = client.get(url("member_list", enterprise))
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# --- What each role sees --------------------------------------------------------------------


def test_owner_sees_members_roles_joined_dates_and_the_owner_controls(client, enterprise, owner, member):
    client.force_login(owner)
    html = page(client, enterprise)
    assert "Owner Zhang" in html and "Member Li" in html
    assert "member@example.com" in html
    assert html.index("Owner Zhang") < html.index("Member Li"), "owners are listed first"
    joined = date_format(localtime(membership(enterprise, member).joined_at), "DATE_FORMAT")
    assert f">{joined}</time>" in html
    for control in ("Invite someone", "Send invitation", "Make owner", "Transfer ownership", "Remove Member Li"):
        assert control in html
    # The sole owner's own row explains why there is no "leave" button.
    assert 'data-testid="last-owner-hint"' in html
    assert "Leave this enterprise" not in html


def test_member_sees_the_list_and_leave_but_no_owner_controls(client, enterprise, owner, member):
    client.force_login(member)
    html = page(client, enterprise)
    assert "Owner Zhang" in html and "Member Li" in html
    assert "Leave this enterprise" in html
    for control in ("Invite someone", "Send invitation", "Make owner", "Make member", "Transfer ownership", "Remove"):
        assert control not in html
    assert reverse("member_remove", args=[enterprise.reference, membership(enterprise, owner).pk]) not in html


def test_member_who_is_not_owner_cannot_invite_remove_promote_or_transfer(client, enterprise, owner, member):
    other = member_of(enterprise, "member", full_name="Other Wu")
    client.force_login(member)

    response = client.post(url("member_invite", enterprise), {"email": "new@example.com", "role": "member"})
    assert response.status_code == 302
    assert NOT_OWNER in messages_of(response)
    assert not Invitation.objects.exists()

    response = client.post(url("member_remove", enterprise, membership(enterprise, other).pk))
    assert response.status_code == 302
    assert response["Location"] == url("member_list", enterprise)
    assert NOT_OWNER in messages_of(response)
    assert Membership.objects.filter(enterprise=enterprise, user=other).exists()

    client.post(url("member_role", enterprise, membership(enterprise, member).pk), {"role": "owner"})
    client.post(url("member_role", enterprise, membership(enterprise, owner).pk), {"role": "member"})
    client.post(url("ownership_transfer", enterprise, membership(enterprise, other).pk))
    assert membership(enterprise, member).role == "member"
    assert membership(enterprise, owner).role == "owner"
    assert membership(enterprise, other).role == "member"

    invitation = services.invite_member(enterprise, actor=owner, email="x@example.com")
    response = client.post(url("invitation_revoke", enterprise, invitation.pk))
    assert NOT_OWNER in messages_of(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_non_member_gets_404_on_every_members_page_and_action(client, enterprise, owner, member):
    stranger = member_of(EnterpriseFactory(), "owner")
    invitation = services.invite_member(enterprise, actor=owner, email="x@example.com")
    client.force_login(stranger)
    target = membership(enterprise, member).pk
    assert client.get(url("member_list", enterprise)).status_code == 404
    assert client.get(url("document_list", enterprise)).status_code == 404
    assert client.post(url("member_invite", enterprise), {"email": "a@example.com", "role": "owner"}).status_code == 404
    assert client.post(url("member_role", enterprise, target), {"role": "owner"}).status_code == 404
    assert client.post(url("member_remove", enterprise, target)).status_code == 404
    assert client.post(url("ownership_transfer", enterprise, target)).status_code == 404
    assert client.post(url("invitation_revoke", enterprise, invitation.pk)).status_code == 404
    assert Invitation.objects.count() == 1
    assert membership(enterprise, member).role == "member"


def test_a_membership_of_another_enterprise_is_404_through_mine(client, enterprise, owner):
    foreign = member_of(EnterpriseFactory(), "member")
    client.force_login(owner)
    foreign_pk = Membership.objects.get(user=foreign).pk
    assert client.post(url("member_remove", enterprise, foreign_pk)).status_code == 404
    assert client.post(url("member_role", enterprise, foreign_pk), {"role": "owner"}).status_code == 404
    assert Membership.objects.filter(pk=foreign_pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, enterprise):
    response = client.get(url("member_list", enterprise))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Owners' actions ------------------------------------------------------------------------------


def test_owner_invites_and_sees_the_open_invitation_then_revokes_it(client, enterprise, owner):
    client.force_login(owner)
    response = client.post(url("member_invite", enterprise), {"email": "  New.Person@Example.com ", "role": "owner"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.com" and invitation.role == "owner"
    html = page(client, enterprise)
    assert "new.person@example.com" in html and "Open invitations" in html

    client.post(url("invitation_revoke", enterprise, invitation.pk))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert f'id="invitation-{invitation.pk}"' not in page(client, enterprise)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "role": "member"}, "Enter a valid email address."),
        ({"email": "", "role": "member"}, "This field is required."),
        ({"email": "a@example.com", "role": "boss"}, "Select a valid choice."),
        ({"email": "MEMBER@example.com", "role": "member"}, "This person is already a member."),
    ],
)
def test_bad_invitation_shows_the_error_on_the_form_and_writes_nothing(
    client, enterprise, owner, member, data, message
):
    client.force_login(owner)
    response = client.post(url("member_invite", enterprise), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="field has-error"' in html
    assert not Invitation.objects.exists()


def test_owner_promotes_a_member_and_demotes_them_again(client, enterprise, owner, member):
    client.force_login(owner)
    target = membership(enterprise, member)
    response = client.post(url("member_role", enterprise, target.pk), {"role": "owner"})
    assert "Member Li is now an owner." in messages_of(response)
    assert membership(enterprise, member).role == "owner"
    client.post(url("member_role", enterprise, target.pk), {"role": "member"})
    assert membership(enterprise, member).role == "member"


def test_owner_removes_a_member(client, enterprise, owner, member):
    client.force_login(owner)
    response = client.post(url("member_remove", enterprise, membership(enterprise, member).pk))
    assert response["Location"] == url("member_list", enterprise)
    assert "Member Li was removed from the enterprise." in messages_of(response)
    assert not Membership.objects.filter(enterprise=enterprise, user=member).exists()
    client.force_login(member)
    assert client.get(url("member_list", enterprise)).status_code == 404


def test_member_leaves_and_lands_on_their_enterprise_list(client, enterprise, owner, member):
    client.force_login(member)
    response = client.post(url("member_remove", enterprise, membership(enterprise, member).pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprise_list")
    assert "You left Qiantang Bio." in messages_of(response)
    assert not Membership.objects.filter(enterprise=enterprise, user=member).exists()


def test_transfer_ownership_swaps_the_roles(client, enterprise, owner, member):
    client.force_login(owner)
    response = client.post(url("ownership_transfer", enterprise, membership(enterprise, member).pk))
    assert response.status_code == 302
    assert "Member Li is now an owner; you are a member." in messages_of(response)
    assert membership(enterprise, member).role == "owner"
    assert membership(enterprise, owner).role == "member"
    # The former owner now sees a member's page.
    assert "Send invitation" not in page(client, enterprise)


def test_transfer_to_yourself_is_refused(client, enterprise, owner):
    client.force_login(owner)
    response = client.post(url("ownership_transfer", enterprise, membership(enterprise, owner).pk))
    assert "Choose another member of this enterprise." in messages_of(response)
    assert membership(enterprise, owner).role == "owner"


# --- The last-owner rule -------------------------------------------------------------------------


def test_the_only_owner_cannot_leave_be_demoted_or_be_removed(client, enterprise, owner, member):
    client.force_login(owner)
    mine = membership(enterprise, owner).pk

    response = client.post(url("member_remove", enterprise, mine))
    assert response["Location"] == url("member_list", enterprise)
    assert any(LAST_OWNER in m for m in messages_of(response))

    response = client.post(url("member_role", enterprise, mine), {"role": "member"})
    assert any(LAST_OWNER in m for m in messages_of(response))

    assert membership(enterprise, owner).role == "owner"
    with pytest.raises(DomainError, match=LAST_OWNER):
        services.remove_member(membership(enterprise, owner), actor=owner)
    html = page(client, enterprise)
    assert "You are the only owner" in html
    assert "Step down to member" not in html


def test_with_two_owners_one_can_leave(client, enterprise, owner, member):
    second = member_of(enterprise, "owner", full_name="Second Owner")
    client.force_login(owner)
    html = page(client, enterprise)
    assert "Leave this enterprise" in html and "Step down to member" in html
    assert "You are the only owner" not in html
    response = client.post(url("member_remove", enterprise, membership(enterprise, owner).pk))
    assert response["Location"] == reverse("enterprise_list")
    assert list(enterprise.memberships.filter(role="owner").values_list("user", flat=True)) == [second.pk]


def test_two_owners_demoting_each_other_leave_one_owner(enterprise, owner):
    """A demotes B, then B (already demoted) tries to demote A: refused, one owner remains."""
    second = member_of(enterprise, "owner")
    services.change_member_role(membership(enterprise, second), "member", actor=owner)
    with pytest.raises(DomainError) as refused:
        services.change_member_role(membership(enterprise, owner), "member", actor=second)
    assert refused.value.status == 403
    with pytest.raises(DomainError, match=LAST_OWNER):
        services.change_member_role(membership(enterprise, owner), "member", actor=owner)
    assert list(enterprise.memberships.filter(role="owner").values_list("user", flat=True)) == [owner.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_owners_demoting_each_other_at_the_same_moment_leave_one_owner():
    """Each in its own connection and transaction: the row lock on the enterprise (PostgreSQL) or
    the IMMEDIATE write lock (SQLite) serialises them, and the second sees the first's change."""
    enterprise = EnterpriseFactory()
    a = member_of(enterprise, "owner")
    b = member_of(enterprise, "owner")
    start = threading.Barrier(2)
    outcomes = []

    def demote(target, by):
        from django.db import connections

        try:
            start.wait(timeout=10)
            services.change_member_role(Membership.objects.get(enterprise=enterprise, user=target), "member", actor=by)
            outcomes.append("ok")
        except DomainError as err:
            outcomes.append(err.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=demote, args=(b, a)), threading.Thread(target=demote, args=(a, b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["not_owner", "ok"]
    assert enterprise.memberships.filter(role="owner").count() == 1


def test_ownership_cannot_go_to_a_member_who_left_meanwhile(enterprise, owner, member):
    """The page showed the member; they left before the owner clicked: nobody is left without an owner."""
    stale = membership(enterprise, member)
    services.remove_member(stale, actor=member)
    with pytest.raises(DomainError) as refused:
        services.transfer_ownership(enterprise, stale, actor=owner)
    assert refused.value.status == 404
    assert list(enterprise.memberships.values_list("user", "role")) == [(owner.pk, "owner")]


def test_an_administrator_who_is_a_plain_member_is_a_plain_member_on_the_portal(client, enterprise, owner):
    """The admin site's membership actions let administrators act as owners; the portal's own
    pages do not."""
    from hkhz_portal.accounts.roles import Role
    from tests.factories import MembershipFactory, give_consent, user_with_role

    admin = user_with_role(Role.ADMIN)
    MembershipFactory(enterprise=enterprise, user=admin, role="member")
    give_consent(admin)
    client.force_login(admin)
    owner_membership = Membership.objects.get(enterprise=enterprise, user=owner)
    client.post(reverse("member_remove", args=[enterprise.reference, owner_membership.pk]))
    assert Membership.objects.filter(pk=owner_membership.pk, role="owner").exists()
    with pytest.raises(DomainError):
        services.remove_member(owner_membership, actor=admin)
