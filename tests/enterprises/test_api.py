"""The enterprises API: own enterprises only, money and identifiers, documents, products and milestones."""

import datetime
from decimal import Decimal

import pytest
from djmoney.money import Money
from rest_framework.validators import UniqueValidator

from enterprises.identifiers import make_uscc
from enterprises.models import (
    DISTRICT_NOT_MAINLAND,
    Document,
    DocumentVersion,
    Enterprise,
    ExportLog,
    Milestone,
    Product,
)
from enterprises.services import regulatory
from hkhz_portal.core.models import AuditEvent
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db

API = "/api/v1/enterprises/"
PROBLEM = "application/problem+json"


@pytest.fixture
def enterprise():
    return EnterpriseFactory(
        legal_name_en="Hangzhou Qiantang Biologics Co., Ltd.",
        annual_revenue=Money(Decimal("12500000.00"), "CNY"),
        rd_spend=Money(Decimal("3200000.50"), "HKD"),
    )


@pytest.fixture
def member(enterprise, client):
    user = member_of(enterprise)
    client.force_login(user)
    return user


@pytest.fixture
def other():
    """Another enterprise, with a product, a milestone and a document the member must not reach."""
    firm = EnterpriseFactory()
    owner = member_of(firm, "owner")
    product = regulatory.save_product(firm, actor=owner, name="Secret product", modality="biologic")
    milestone = regulatory.save_milestone(product, actor=owner, jurisdiction="fda", pathway="ind", status="planned")
    document = Document.objects.create(enterprise=firm, doc_type="pitch_deck", title="Secret deck")
    return firm, product, milestone, document


@pytest.fixture
def product(enterprise, member):
    return regulatory.save_product(enterprise, actor=member, name="QT-11 bispecific", modality="biologic")


def test_lists_only_the_users_own_enterprises(client, member, enterprise, other):
    data = client.get(API).json()
    assert data["count"] == 1
    assert [e["reference"] for e in data["results"]] == [enterprise.reference]


def test_an_enterprise_reads_with_money_as_amount_and_currency(client, member, enterprise):
    data = client.get(f"{API}{enterprise.reference}/").json()
    assert data["legal_name_en"] == "Hangzhou Qiantang Biologics Co., Ltd."
    assert data["uscc"] == enterprise.uscc
    assert data["annual_revenue"] == {"amount": "12500000.00", "currency": "CNY"}
    assert data["rd_spend"] == {"amount": "3200000.50", "currency": "HKD"}
    assert data["data_residency"] == "mainland"
    assert data["links"]["milestones"].endswith(f"{API}{enterprise.reference}/milestones/")
    assert "members" not in data  # personal data only through its own, logged, endpoint


def test_patch_updates_the_profile_through_the_service(client, member, enterprise):
    response = client.patch(
        f"{API}{enterprise.reference}/",
        {"short_name": "QT Bio", "annual_revenue": {"amount": "15000000", "currency": "USD"}, "rd_spend": None},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["annual_revenue"] == {"amount": "15000000.00", "currency": "USD"}
    enterprise.refresh_from_db()
    assert enterprise.short_name == "QT Bio"
    assert enterprise.annual_revenue == Money(Decimal("15000000"), "USD")
    assert enterprise.rd_spend is None
    assert AuditEvent.objects.filter(action="enterprise.updated", actor=member).count() == 1


def test_patch_normalises_a_uscc_before_checking_it(client, member, enterprise):
    new = make_uscc("9", "1", "330114", "MA2K8D1E")
    spaced = f"{new[:6]} {new[6:12]}-{new[12:]}".lower()
    response = client.patch(f"{API}{enterprise.reference}/", {"uscc": spaced}, content_type="application/json")
    assert response.status_code == 200, response.content
    enterprise.refresh_from_db()
    assert enterprise.uscc == new


def test_a_duplicate_uscc_is_a_400_field_error_and_nothing_is_written(client, member, enterprise):
    taken = EnterpriseFactory().uscc
    before = enterprise.uscc
    response = client.patch(
        f"{API}{enterprise.reference}/", {"uscc": taken, "short_name": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "invalid"
    assert body["errors"]["uscc"] == ["Another enterprise on the portal already has this Unified Social Credit Code."]
    enterprise.refresh_from_db()
    assert (enterprise.uscc, enterprise.short_name) == (before, "")
    assert not AuditEvent.objects.filter(action="enterprise.updated").exists()


def test_a_duplicate_that_slips_past_the_serializer_is_still_a_400_not_a_500(client, member, enterprise, monkeypatch):
    """Two requests at once: the serializer's check passes for both; the service catches the second."""
    monkeypatch.setattr(UniqueValidator, "__call__", lambda self, value, field: None)
    taken = EnterpriseFactory().uscc
    response = client.patch(f"{API}{enterprise.reference}/", {"uscc": taken}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "uscc" in response.json()["errors"]
    enterprise.refresh_from_db()
    assert enterprise.uscc != taken


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"uscc": "91330106MA2H7K3Q0"}, "uscc", "18 characters"),
        ({"hk_br": "1234"}, "hk_br", "8 digits"),
        ({"annual_revenue": {"amount": "100"}}, "annual_revenue", "amount and a currency"),
        ({"annual_revenue": {"amount": "100", "currency": "EUR"}}, "annual_revenue", "CNY, HKD, USD"),
        ({"annual_revenue": {"amount": "-5", "currency": "CNY"}}, "annual_revenue", "greater than or equal to 0"),
        ({"sector": "tobacco"}, "sector", "not a valid choice"),
    ],
)
def test_bad_profile_input_is_a_400_on_the_field(client, member, enterprise, payload, field, fragment):
    response = client.patch(f"{API}{enterprise.reference}/", payload, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert fragment in " ".join(str(e) for e in errors[field]), errors


def test_a_district_for_a_hong_kong_firm_is_a_400_not_a_500(client, enterprise):
    firm = EnterpriseFactory(kind="hong_kong", uscc=None, hk_br="61234567", district="", data_residency="hong_kong")
    client.force_login(member_of(firm))
    response = client.patch(f"{API}{firm.reference}/", {"district": "330106"}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"]["district"] == [str(DISTRICT_NOT_MAINLAND)]
    firm.refresh_from_db()
    assert firm.district == ""


def test_changing_kind_relabels_residency_and_read_only_fields_stay(client, member, enterprise):
    half_done = client.patch(
        f"{API}{enterprise.reference}/", {"kind": "hong_kong", "hk_br": "55667788"}, content_type="application/json"
    )
    assert half_done.status_code == 400
    assert set(half_done.json()["errors"]) == {"uscc", "district"}  # mainland-only data must be cleared, not dropped
    response = client.patch(
        f"{API}{enterprise.reference}/",
        {
            "kind": "hong_kong",
            "hk_br": "55667788",
            "uscc": None,
            "district": "",
            "reference": "HACKED",
            "data_residency": "mainland",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    enterprise.refresh_from_db()
    assert (enterprise.kind, enterprise.district, enterprise.data_residency) == ("hong_kong", "", "hong_kong")
    assert enterprise.reference != "HACKED"


def test_patch_without_consent_is_403_consent_required(client, enterprise):
    client.force_login(member_of(enterprise, consent=False))
    response = client.patch(f"{API}{enterprise.reference}/", {"short_name": "QT"}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "consent_required"
    enterprise.refresh_from_db()
    assert enterprise.short_name == ""


def test_put_and_delete_of_an_enterprise_are_not_allowed(client, member, enterprise):
    assert client.put(f"{API}{enterprise.reference}/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"{API}{enterprise.reference}/").status_code == 405
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()


def test_anonymous_requests_are_refused(client, enterprise):
    response = client.get(API)
    assert response.status_code == 401
    assert response.json()["type"] == "not_authenticated"


def test_another_enterprises_objects_are_404(client, member, other):
    firm, product, milestone, document = other
    ref = firm.reference
    for path in (
        f"{API}{ref}/",
        f"{API}{ref}/documents/",
        f"{API}{ref}/documents/{document.pk}/",
        f"{API}{ref}/members/",
        f"{API}{ref}/products/",
        f"{API}{ref}/products/{product.pk}/",
        f"{API}{ref}/milestones/",
        f"{API}{ref}/milestones/{milestone.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == PROBLEM
    writes = [
        client.patch(f"{API}{ref}/", {"short_name": "x"}, content_type="application/json"),
        client.patch(f"{API}{ref}/products/{product.pk}/", {"name": "x"}, content_type="application/json"),
        client.delete(f"{API}{ref}/milestones/{milestone.pk}/"),
        client.post(f"{API}{ref}/products/", {"name": "x", "modality": "other"}, content_type="application/json"),
    ]
    assert [r.status_code for r in writes] == [404] * 4
    product.refresh_from_db()
    assert product.name == "Secret product"
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert not ExportLog.objects.exists()


def test_own_enterprise_url_with_another_enterprises_ids_is_404(client, member, enterprise, other):
    _firm, product, milestone, document = other
    ref = enterprise.reference
    assert client.get(f"{API}{ref}/products/{product.pk}/").status_code == 404
    assert client.get(f"{API}{ref}/milestones/{milestone.pk}/").status_code == 404
    assert client.get(f"{API}{ref}/documents/{document.pk}/").status_code == 404


def test_documents_list_versions_with_download_urls(client, member, enterprise):
    document = Document.objects.create(enterprise=enterprise, doc_type="business_licence", title="Business licence")
    for number, name in ((1, "licence-2023.pdf"), (2, "licence-2025.pdf")):
        DocumentVersion.objects.create(
            document=document,
            number=number,
            file=f"enterprises/{enterprise.reference}/v{number}.pdf",
            original_name=name,
            content_type="application/pdf",
            size=1000 + number,
            sha256="0" * 64,
            uploaded_by=member,
        )
    data = client.get(f"{API}{enterprise.reference}/documents/").json()
    assert data["count"] == 1
    doc = data["results"][0]
    assert (doc["title"], doc["type"], doc["type_label"], doc["current_version"]) == (
        "Business licence",
        "business_licence",
        "Business licence",
        2,
    )
    assert [v["number"] for v in doc["versions"]] == [2, 1]
    assert doc["versions"][0]["file_name"] == "licence-2025.pdf"
    assert doc["versions"][0]["size"] == 1002
    assert doc["versions"][1]["download_url"] == (
        f"http://testserver/enterprises/{enterprise.reference}/documents/{document.pk}/v1/"
    )
    assert client.post(f"{API}{enterprise.reference}/documents/", {}).status_code == 405


def test_reading_members_writes_an_api_read_export_log_row(client, member, enterprise):
    colleague = member_of(enterprise, "owner", email="li.na@qiantang.example")
    data = client.get(f"{API}{enterprise.reference}/members/").json()
    assert {m["email"] for m in data["results"]} == {member.email, colleague.email}
    log = ExportLog.objects.get()
    assert (log.kind, log.actor, log.enterprise, log.data_residency) == ("api_read", member, enterprise, "mainland")
    assert "2 member(s)" in log.description
    client.get(f"{API}{enterprise.reference}/members/")
    assert ExportLog.objects.count() == 2


def test_product_crud(client, member, enterprise):
    base = f"{API}{enterprise.reference}/products/"
    response = client.post(base, {"name": "QT-7 CAR-T", "modality": "biologic"}, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert Product.objects.get(pk=pk).enterprise == enterprise
    assert AuditEvent.objects.filter(action="product.saved").count() == 1

    response = client.patch(f"{base}{pk}/", {"name": "QT-7 autologous CAR-T"}, content_type="application/json")
    assert response.status_code == 200
    assert Product.objects.get(pk=pk).name == "QT-7 autologous CAR-T"

    assert client.post(base, {"name": "", "modality": "gene"}, content_type="application/json").status_code == 400
    assert client.delete(f"{base}{pk}/").status_code == 204
    assert not Product.objects.filter(pk=pk).exists()


def test_milestone_crud(client, member, enterprise, product):
    base = f"{API}{enterprise.reference}/milestones/"
    payload = {
        "product": product.pk,
        "jurisdiction": "nmpa",
        "pathway": "ind",
        "status": "accepted",
        "actual_on": "2025-03-03",
        "reference_number": "CXSL2500123",
    }
    response = client.post(base, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    milestone = Milestone.objects.get(pk=pk)
    assert (milestone.product, milestone.status, milestone.actual_on) == (
        product,
        "accepted",
        datetime.date(2025, 3, 3),
    )

    listed = client.get(f"{base}?product={product.pk}").json()
    assert [m["id"] for m in listed["results"]] == [pk]
    product_data = client.get(f"{API}{enterprise.reference}/products/{product.pk}/").json()
    assert product_data["milestones"][0]["reference_number"] == "CXSL2500123"

    response = client.patch(
        f"{base}{pk}/", {"status": "approved", "actual_on": "2025-05-26"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    milestone.refresh_from_db()
    assert milestone.status == "approved"

    assert client.delete(f"{base}{pk}/").status_code == 204
    assert not Milestone.objects.filter(pk=pk).exists()


def test_a_milestone_naming_another_enterprises_product_is_400(client, member, enterprise, other):
    _firm, theirs, _milestone, _document = other
    response = client.post(
        f"{API}{enterprise.reference}/milestones/",
        {"product": theirs.pk, "jurisdiction": "fda", "pathway": "ind", "status": "planned"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"]["product"] == [f"This enterprise has no product with id {theirs.pk}."]
    assert Milestone.objects.filter(product=theirs).count() == 1


def test_a_milestone_cannot_move_to_another_product(client, member, enterprise, product):
    sibling = regulatory.save_product(enterprise, actor=member, name="QT-12", modality="other")
    milestone = regulatory.save_milestone(product, actor=member, jurisdiction="fda", pathway="ind", status="planned")
    response = client.patch(
        f"{API}{enterprise.reference}/milestones/{milestone.pk}/",
        {"product": sibling.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "product" in response.json()["errors"]
    milestone.refresh_from_db()
    assert milestone.product == product


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "approved"}, "actual_on"),
        ({"status": "rejected", "actual_on": "2999-01-01"}, "actual_on"),
        ({"planned_on": "1998-05-01"}, "planned_on"),
        ({"jurisdiction": "nmpa", "pathway": "pma"}, "pathway"),
        ({"status": "granted"}, "status"),
    ],
)
def test_impossible_milestones_are_400_on_the_field(client, member, enterprise, product, payload, field):
    body = {"product": product.pk, "jurisdiction": "fda", "pathway": "ind", **payload}
    response = client.post(f"{API}{enterprise.reference}/milestones/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Milestone.objects.exists()


def test_a_partial_update_is_checked_against_the_stored_values(client, member, enterprise, product):
    milestone = regulatory.save_milestone(product, actor=member, jurisdiction="fda", pathway="ind", status="planned")
    response = client.patch(
        f"{API}{enterprise.reference}/milestones/{milestone.pk}/",
        {"status": "approved"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "actual_on" in response.json()["errors"]


def test_a_bad_product_filter_is_400(client, member, enterprise):
    response = client.get(f"{API}{enterprise.reference}/milestones/?product=abc")
    assert response.status_code == 400


def test_a_domain_error_is_a_4xx_never_a_500(client, enterprise, product):
    """Writes need the user's consent: without it, every write is a 403 problem+json."""
    user = member_of(enterprise, consent=False)
    client.force_login(user)
    ref = enterprise.reference
    responses = [
        client.post(f"{API}{ref}/products/", {"name": "X", "modality": "other"}, content_type="application/json"),
        client.patch(f"{API}{ref}/products/{product.pk}/", {"name": "X"}, content_type="application/json"),
        client.post(
            f"{API}{ref}/milestones/",
            {"product": product.pk, "jurisdiction": "fda", "pathway": "ind"},
            content_type="application/json",
        ),
    ]
    for response in responses:
        assert response.status_code == 403
        assert response["Content-Type"] == PROBLEM
        assert response.json()["type"] == "consent_required"
    assert list(Product.objects.values_list("name", flat=True)) == ["QT-11 bispecific"]
    assert not Milestone.objects.exists()
    # Erasing needs no transfer consent.
    assert client.delete(f"{API}{ref}/products/{product.pk}/").status_code == 204
    assert not Product.objects.exists()
