"""The admin site keeps the enterprises' rules: memberships through the member services, evidence
read-only, documents deleted with their files, contacts' details only with consent and logged."""

import datetime
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.audit_actions import AuditAction
from enterprises.models import (
    Consent,
    ConsentNotice,
    Document,
    DocumentVersion,
    ExportLog,
    Membership,
)
from enterprises.services import contacts, documents
from enterprises.services.consent import withdraw_contact_consent
from hkhz_portal.core.models import AuditEvent
from tests import files
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db

PDF = files.pdf()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def firm():
    return EnterpriseFactory()


@pytest.fixture
def owner(firm):
    return member_of(firm, "owner", email="owner@example.com")


# --- Memberships -------------------------------------------------------------------------


def test_the_enterprise_form_cannot_delete_the_last_owner(admin_site, firm, owner):
    url = reverse("admin:enterprises_enterprise_change", args=[firm.pk])
    membership = Membership.objects.get(user=owner)
    # What the inline's delete box sent before the enterprise page became read-only.
    data = {
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-enterprise": firm.pk,
        "memberships-0-DELETE": "on",
    }

    response = admin_site.post(url, data)

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk, role="owner").exists()
    page = admin_site.get(url).content.decode()
    assert 'name="memberships-0-DELETE"' not in page
    assert reverse("admin:enterprises_membership_changelist") in page  # where members are managed


def run_action(admin_site, action, *memberships):
    return admin_site.post(
        reverse("admin:enterprises_membership_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [m.pk for m in memberships], "index": 0},
        follow=True,
    )


def test_removing_the_last_owner_is_refused_with_a_message(admin_site, firm, owner):
    membership = Membership.objects.get(user=owner)

    response = run_action(admin_site, "remove_members", membership)

    assert response.status_code == 200
    assert any("must keep at least one owner" in text for text in messages_of(response))
    assert Membership.objects.filter(pk=membership.pk, role="owner").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MEMBER_REMOVED).exists()


def test_demoting_the_last_owner_is_refused_and_promoting_a_member_is_audited(admin_site, firm, owner):
    member = member_of(firm, "member")
    owner_membership = Membership.objects.get(user=owner)

    refused = run_action(admin_site, "make_member", owner_membership)
    assert any("must keep at least one owner" in text for text in messages_of(refused))
    assert Membership.objects.get(pk=owner_membership.pk).role == "owner"

    promoted = run_action(admin_site, "make_owner", Membership.objects.get(user=member))
    assert "1 membership(s) changed." in messages_of(promoted)
    assert Membership.objects.get(user=member).role == "owner"
    event = AuditEvent.objects.get(action=AuditAction.MEMBER_ROLE_CHANGED)
    assert event.actor == admin_site.admin
    assert event.changes == {"user": member.email, "role": "owner"}

    # With two owners, one may now step down.
    run_action(admin_site, "make_member", owner_membership)
    assert Membership.objects.get(pk=owner_membership.pk).role == "member"


def test_removing_members_goes_through_the_service_and_refuses_only_the_last_owner(admin_site, firm, owner):
    member = member_of(firm, "member", email="member@example.com")

    response = run_action(admin_site, "remove_members", *Membership.objects.filter(enterprise=firm))

    shown = messages_of(response)
    assert "1 member(s) removed." in shown
    assert any("must keep at least one owner" in text for text in shown)
    assert list(Membership.objects.filter(enterprise=firm).values_list("user", flat=True)) == [owner.pk]
    event = AuditEvent.objects.get(action=AuditAction.MEMBER_REMOVED)
    assert (event.actor, event.changes) == (admin_site.admin, {"user": member.email})


def test_a_membership_cannot_be_edited_or_deleted_directly(admin_site, firm, owner):
    membership = Membership.objects.get(user=owner)
    change = admin_site.post(
        reverse("admin:enterprises_membership_change", args=[membership.pk]), {"role": "member", "user": owner.pk}
    )
    delete = admin_site.post(reverse("admin:enterprises_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert (change.status_code, delete.status_code) == (403, 403)
    assert Membership.objects.get(pk=membership.pk).role == "owner"


# --- Evidence: consents, notices, the audit trail and the export log ---------------------


@pytest.fixture
def given_consent(firm, owner):
    return Consent.objects.get(user=owner)


def evidence_urls(consent):
    event = AuditEvent.objects.first()
    log = ExportLog.objects.create(kind="csv", enterprise=consent.user.memberships.first().enterprise, description="x")
    return {
        "consent": ("enterprises", "consent", consent.pk),
        "notice": ("enterprises", "consentnotice", consent.notice.pk),
        "audit event": ("core", "auditevent", event.pk),
        "export log": ("enterprises", "exportlog", log.pk),
    }


def test_evidence_can_be_neither_changed_nor_deleted(admin_site, given_consent):
    for label, (app, model, pk) in evidence_urls(given_consent).items():
        change = admin_site.post(reverse(f"admin:{app}_{model}_change", args=[pk]), {"scope": "outbound"})
        delete = admin_site.post(reverse(f"admin:{app}_{model}_delete", args=[pk]), {"post": "yes"})
        assert (change.status_code, delete.status_code) == (403, 403), label
        assert admin_site.get(reverse(f"admin:{app}_{model}_change", args=[pk])).status_code == 200, label
    given_consent.refresh_from_db()
    assert given_consent.scope == "both_ways"
    assert ConsentNotice.objects.filter(pk=given_consent.notice_id).exists()


def notice_data(version, published_at):
    local = timezone.localtime(published_at)
    return {
        "version": version,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "text_en": "We transfer your data between Hangzhou and Hong Kong.",
        "text_zh_hans": "我们在杭州与香港之间传输您的数据。",
        "text_zh_hant": "我們在杭州與香港之間傳輸您的資料。",
    }


def test_a_new_notice_is_added_and_stays_editable_only_until_it_is_published(admin_site):
    add = reverse("admin:enterprises_consentnotice_add")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert admin_site.post(add, notice_data("2099.1", tomorrow)).status_code == 302
    notice = ConsentNotice.objects.get(version="2099.1")

    corrected = notice_data("2099.1", tomorrow) | {"text_en": "Corrected before publication."}
    change = reverse("admin:enterprises_consentnotice_change", args=[notice.pk])
    assert admin_site.post(change, corrected).status_code == 302
    notice.refresh_from_db()
    assert notice.text_en == "Corrected before publication."

    ConsentNotice.objects.filter(pk=notice.pk).update(published_at=timezone.now())
    assert admin_site.post(change, notice_data("2099.1", tomorrow)).status_code == 403


def test_a_notice_cannot_be_backdated(admin_site):
    response = admin_site.post(
        reverse("admin:enterprises_consentnotice_add"),
        notice_data("1999.1", timezone.now() - datetime.timedelta(days=30)),
    )
    assert response.status_code == 200
    assert "cannot be published in the past" in response.content.decode()
    assert not ConsentNotice.objects.filter(version="1999.1").exists()


# --- Documents ---------------------------------------------------------------------------


def upload(firm, owner, document=None):
    file = SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf")
    return documents.upload_document(
        firm, file, actor=owner, doc_type="business_licence", title="Business licence", document=document
    )


def test_deleting_a_version_deletes_its_file_and_is_audited(
    admin_site, firm, owner, media, django_capture_on_commit_callbacks
):
    first = upload(firm, owner)
    second = upload(firm, owner, document=first.document)
    path = Path(second.file.path)
    assert path.exists()
    url = reverse("admin:enterprises_documentversion_delete", args=[second.pk])
    assert admin_site.get(url).status_code == 200  # the confirmation page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_site.post(url, {"post": "yes"}, follow=True)

    assert response.status_code == 200
    assert not DocumentVersion.objects.filter(pk=second.pk).exists()
    assert not path.exists()
    assert Path(first.file.path).exists()  # the other version is untouched
    event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_VERSION_DELETED)
    assert event.actor == admin_site.admin
    assert event.changes == {"version": 2, "file": "licence.pdf", "document_deleted": False}


def test_deleting_the_last_versions_in_bulk_removes_the_files_and_the_document(
    admin_site, firm, owner, media, django_capture_on_commit_callbacks
):
    version = upload(firm, owner)
    changelist = reverse("admin:enterprises_documentversion_changelist")
    selected = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [version.pk], "index": 0}
    assert "Are you sure" in admin_site.post(changelist, selected).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        admin_site.post(changelist, selected | {"post": "yes"})

    assert not Path(version.file.path).exists()
    assert not Document.objects.filter(pk=version.document_id).exists()  # no empty shell counts as uploaded


def test_the_document_form_cannot_delete_a_version_and_leave_its_file(admin_site, firm, owner, media):
    version = upload(firm, owner)
    url = reverse("admin:enterprises_document_change", args=[version.document_id])
    response = admin_site.post(
        url,
        {
            "doc_type": "business_licence",
            "title": "Business licence",
            "enterprise": firm.pk,
            "versions-TOTAL_FORMS": 1,
            "versions-INITIAL_FORMS": 1,
            "versions-0-id": version.pk,
            "versions-0-document": version.document_id,
            "versions-0-DELETE": "on",
        },
    )
    assert response.status_code == 403
    assert DocumentVersion.objects.filter(pk=version.pk).exists()
    assert Path(version.file.path).exists()


# --- Contact persons ---------------------------------------------------------------------


@pytest.fixture
def contact(firm, owner):
    return contacts.add_contact(
        firm, actor=owner, name="Lam Ka Yan", email="ka.yan@example.com", phone="+852 5123 4567"
    )


def test_a_contact_without_consent_shows_no_email_or_phone_and_nothing_is_logged(admin_site, owner, contact):
    withdraw_contact_consent(contact, actor=owner)

    listing = admin_site.get(reverse("admin:enterprises_contactperson_changelist")).content.decode()
    page = admin_site.get(reverse("admin:enterprises_contactperson_change", args=[contact.pk])).content.decode()

    assert "Lam Ka Yan" in listing and "Lam Ka Yan" in page
    for html in (listing, page):
        assert "ka.yan@example.com" not in html
        assert "5123 4567" not in html
    assert "withheld" in page
    assert not ExportLog.objects.exists()


def test_showing_a_consenting_contacts_details_writes_an_export_log_row(admin_site, firm, contact):
    listing = admin_site.get(reverse("admin:enterprises_contactperson_changelist")).content.decode()
    assert "ka.yan@example.com" not in listing  # the list shows no details, so exports none
    assert not ExportLog.objects.exists()

    page = admin_site.get(reverse("admin:enterprises_contactperson_change", args=[contact.pk])).content.decode()

    assert "ka.yan@example.com" in page and "+852 5123 4567" in page
    log = ExportLog.objects.get()
    assert (log.kind, log.actor, log.enterprise) == ("staff_view", admin_site.admin, firm)
    assert firm.reference in log.description


def test_a_contact_cannot_be_edited_in_the_admin(admin_site, contact):
    url = reverse("admin:enterprises_contactperson_change", args=[contact.pk])
    response = admin_site.post(
        url, {"name": "Someone else", "email": "x@example.com", "enterprise": contact.enterprise_id}
    )
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.name == "Lam Ka Yan"
