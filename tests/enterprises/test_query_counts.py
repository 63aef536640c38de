"""Member pages run a fixed number of queries however many rows they show."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.demo import pdf_bytes
from enterprises.models import ContactPerson
from enterprises.services import consent, documents, members, regulatory
from tests.factories import EnterpriseFactory, MembershipFactory, member_of

pytestmark = pytest.mark.django_db


def add_rows(enterprise, owner, n):
    """n of everything a member page lists: documents (2 versions), products (2 milestones),
    members, invitations, contacts."""
    for i in range(n):
        version = documents.upload_document(
            enterprise,
            ContentFile(pdf_bytes(f"doc {i}"), name=f"d{i}.pdf"),
            actor=owner,
            doc_type="other",
            title=f"D{i}",
        )
        documents.upload_document(
            enterprise, ContentFile(pdf_bytes("v2"), name="v2.pdf"), actor=owner, document=version.document
        )
        product = regulatory.save_product(enterprise, actor=owner, name=f"P{i}", modality="biologic")
        for jurisdiction in ("nmpa", "fda"):
            regulatory.save_milestone(product, actor=owner, jurisdiction=jurisdiction, pathway="ind", status="planned")
        member_of(enterprise)
        members.invite_member(enterprise, actor=owner, email=f"guest{i}@example.com")
        contact = ContactPerson.objects.create(enterprise=enterprise, name=f"C{i}", email=f"c{i}@example.com")
        consent.record_contact_consent(contact, actor=owner)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["enterprise_detail", "contact_list", "member_list", "document_list", "product_list"])
def test_member_pages_do_not_query_per_row(client, page):
    small, large = EnterpriseFactory(), EnterpriseFactory()
    owner = member_of(small, "owner")
    member_of(large, "owner", email="large-owner@example.com")
    large_owner = large.memberships.get().user
    add_rows(small, owner, 1)
    add_rows(large, large_owner, 4)

    client.force_login(owner)
    one = queries(client, reverse(page, args=[small.reference]))
    client.force_login(large_owner)
    four = queries(client, reverse(page, args=[large.reference]))
    assert four == one, f"{page}: {one} queries with 1 row each, {four} with 4"


def test_my_enterprises_list_does_not_query_per_enterprise(client):
    owner = member_of(EnterpriseFactory(), "owner")
    client.force_login(owner)
    one = queries(client, reverse("enterprise_list"))
    MembershipFactory.create_batch(3, user=owner, role="owner")
    assert queries(client, reverse("enterprise_list")) == one
