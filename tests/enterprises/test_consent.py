"""The consent page: reading the notice, giving, returning via ``next``, withdrawing, history."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Consent, ConsentNotice
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import AuditEvent
from tests.factories import EnterpriseFactory, give_consent, member_of, user_with_role

pytestmark = pytest.mark.django_db

CONSENT = reverse("consent")
WITHDRAW = reverse("consent_withdraw")

NOTICE_OPENINGS = {
    "en": "Notice on transferring your personal data between the mainland and Hong Kong",
    "zh-hans": "关于在内地与香港之间传输您的个人信息的告知",
    "zh-hant": "關於在內地與香港之間傳輸您的個人資料的告知",
}


@pytest.fixture
def user():
    return user_with_role(Role.APPLICANT)


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.parametrize("language", NOTICE_OPENINGS)
def test_notice_is_shown_in_the_active_language(client, user, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(CONSENT)
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE_OPENINGS[language] in html
    for other, text in NOTICE_OPENINGS.items():
        if other != language:
            assert text not in html


def test_status_not_given_and_the_form_is_unticked(client, user):
    client.force_login(user)
    html = client.get(CONSENT).content.decode()
    assert "Not given yet." in html
    assert 'name="agree"' in html
    assert "checked" not in html.split('name="agree"')[1].split(">")[0]
    assert "You have not given or withdrawn any consent yet." in html


def test_consent_needs_the_box_ticked(client, user):
    client.force_login(user)
    response = client.post(CONSENT, {"scope": "both_ways"})
    assert response.status_code == 200
    assert response.context["form"].errors["agree"] == [
        "Tick the box to give your consent, or leave this page without consenting."
    ]
    assert not Consent.objects.exists()


def test_giving_consent_records_version_scope_and_audit(client, user):
    client.force_login(user)
    response = client.post(CONSENT, {"agree": "on", "scope": "mainland_to_hk"})
    assert response.status_code == 302
    assert response["Location"] == CONSENT
    consent = Consent.objects.get(user=user)
    assert consent.notice.version == "2026-1"
    assert consent.scope == "mainland_to_hk"
    assert consent.withdrawn_at is None
    assert AuditEvent.objects.filter(action="consent.given", actor=user).count() == 1

    html = client.get(CONSENT).content.decode()
    assert "You consented on" in html
    assert "to version 2026-1 of the notice" in html
    assert "From the mainland to Hong Kong" in html
    assert 'name="agree"' not in html  # no second consent form
    assert 'action="/consent/withdraw/"' in html


def test_giving_again_changes_nothing(client, user):
    give_consent(user)
    client.force_login(user)
    response = client.post(CONSENT, {"agree": "on", "scope": "both_ways"})
    assert response.status_code == 302
    assert Consent.objects.filter(user=user).count() == 1
    assert "Your consent was already recorded; nothing changed." in messages_of(response)


def test_next_brings_the_user_back_only_to_this_site(client, user):
    client.force_login(user)
    back = client.post(CONSENT, {"agree": "on", "scope": "both_ways", "next": "/enterprises/"})
    assert back["Location"] == "/enterprises/"

    other = user_with_role(Role.APPLICANT)
    client.force_login(other)
    evil = client.post(CONSENT, {"agree": "on", "scope": "both_ways", "next": "https://evil.example/steal"})
    assert evil["Location"] == CONSENT
    page = client.get(CONSENT + "?next=//evil.example/").content.decode()
    assert 'name="next" value="//evil.example/"' not in page  # not carried into the consent form


def test_withdrawal_is_stamped_logged_and_blocks_edits_again(client):
    enterprise = EnterpriseFactory(short_name="Before")
    user = member_of(enterprise, "owner")
    client.force_login(user)

    response = client.post(WITHDRAW, {"confirm": "on"})
    assert response.status_code == 302
    consent = Consent.objects.get(user=user)
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_at <= timezone.now()
    assert AuditEvent.objects.filter(action="consent.withdrawn", actor=user).count() == 1
    [message] = messages_of(response)
    assert "will not be transferred across the border" in message
    assert "until you give your consent again" in message

    html = client.get(CONSENT).content.decode()
    assert "You withdrew your consent on" in html
    assert 'name="agree"' in html

    edit = reverse("enterprise_edit", args=[enterprise.reference])
    refused = client.post(
        edit,
        {
            "legal_name_en": enterprise.legal_name_en,
            "legal_name_zh": enterprise.legal_name_zh,
            "kind": "mainland",
            "uscc": enterprise.uscc,
            "district": enterprise.district,
            "sector": "biopharma",
            "short_name": "After",
            "granted_patents": "0",
            "annual_revenue_1": "CNY",
            "rd_spend_1": "CNY",
        },
    )
    assert refused.status_code == 302
    assert refused["Location"].startswith(CONSENT + "?next=")
    enterprise.refresh_from_db()
    assert enterprise.short_name == "Before"

    # Consenting again opens the door again, and the history shows both.
    client.post(CONSENT, {"agree": "on", "scope": "both_ways"})
    assert Consent.objects.filter(user=user).count() == 2
    assert Consent.objects.filter(user=user, withdrawn_at__isnull=True).count() == 1


def test_withdrawal_needs_the_confirmation(client, user):
    give_consent(user)
    client.force_login(user)
    response = client.post(WITHDRAW, {})
    assert response.status_code == 200
    assert response.context["withdraw_form"].errors["confirm"] == [
        "Tick the box to confirm that you want to withdraw your consent."
    ]
    assert Consent.objects.get(user=user).withdrawn_at is None
    assert not AuditEvent.objects.filter(action="consent.withdrawn").exists()


def test_withdraw_is_post_only_and_for_signed_in_users(client, user):
    give_consent(user)
    response = client.post(WITHDRAW, {"confirm": "on"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(user)
    assert client.get(WITHDRAW).status_code == 405
    assert Consent.objects.get(user=user).withdrawn_at is None


def test_withdrawing_only_touches_my_own_consent(client, user):
    other = user_with_role(Role.APPLICANT)
    give_consent(user)
    give_consent(other)
    client.force_login(user)
    client.post(WITHDRAW, {"confirm": "on"})
    assert Consent.objects.get(user=other).withdrawn_at is None


def test_withdrawing_with_nothing_to_withdraw_says_so(client, user):
    client.force_login(user)
    response = client.post(WITHDRAW, {"confirm": "on"})
    assert messages_of(response) == ["You had no consent to withdraw."]
    assert not AuditEvent.objects.filter(action="consent.withdrawn").exists()


def test_a_notice_scheduled_for_later_is_not_current_yet(client, user):
    give_consent(user)
    ConsentNotice.objects.create(
        version="2027-1",
        published_at=timezone.now() + timezone.timedelta(days=30),
        text_en="Next year's notice.",
        text_zh_hans="明年的告知。",
        text_zh_hant="明年的告知。",
    )
    client.force_login(user)
    html = client.get(CONSENT).content.decode()
    assert "Next year" not in html
    assert "You consented to version 2026-1 of the notice; it has changed since." not in html


def test_a_new_notice_version_asks_for_consent_again(client, user):
    give_consent(user)
    ConsentNotice.objects.create(
        version="2026-2",
        published_at=timezone.now(),
        text_en="Notice version two.",
        text_zh_hans="第二版告知。",
        text_zh_hant="第二版告知。",
    )
    client.force_login(user)
    html = client.get(CONSENT).content.decode()
    assert "You consented to version 2026-1 of the notice; it has changed since." in html
    assert "Notice version two." in html
    assert 'name="agree"' in html
    client.post(CONSENT, {"agree": "on", "scope": "both_ways"})
    assert Consent.objects.filter(user=user, notice__version="2026-2").exists()


def test_history_lists_every_consent_of_mine_only(client, user):
    give_consent(user)
    give_consent(user_with_role(Role.APPLICANT))
    client.force_login(user)
    client.post(WITHDRAW, {"confirm": "on"})
    client.post(CONSENT, {"agree": "on", "scope": "hk_to_mainland"})
    response = client.get(CONSENT)
    assert [c.user for c in response.context["history"]] == [user, user]
    html = response.content.decode()
    assert "From Hong Kong to the mainland" in html
    assert "Between the mainland and Hong Kong, both ways" in html


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(CONSENT)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_staff_may_manage_their_consent_too(client):
    reviewer = user_with_role(Role.REVIEWER)
    client.force_login(reviewer)
    # Staff need two-factor authentication before any page; the factory activated it, so the page opens.
    assert client.get(CONSENT).status_code == 200


def test_a_member_records_a_contact_persons_withdrawal(client):
    from enterprises.models import ContactPerson
    from enterprises.services.consent import record_contact_consent

    firm = EnterpriseFactory()
    member = member_of(firm)
    contact = ContactPerson.objects.create(enterprise=firm, name="Zhao Lei", email="zhao.lei@example.cn")
    record_contact_consent(contact, actor=member)
    outsider = member_of(EnterpriseFactory())
    url = reverse("contact_consent_withdraw", args=[firm.reference, contact.pk])

    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert Consent.objects.get(contact=contact).withdrawn_at is None

    client.force_login(member)
    page = client.post(url, follow=True).content.decode()
    assert "Zhao Lei&#x27;s consent is recorded as withdrawn." in page
    assert "Withdrawn on" in page
    assert Consent.objects.get(contact=contact).withdrawn_at is not None
    assert AuditEvent.objects.filter(action="consent.contact_withdrawn", actor=member).count() == 1
