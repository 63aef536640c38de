"""The staff enterprise directory and the staff view of one enterprise."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.identifiers import make_uscc
from enterprises.models import ContactPerson, ExportLog
from enterprises.rules import DIRECTORY_ROLES
from enterprises.services import consent, regulatory
from hkhz_portal.accounts.roles import Role
from tests.factories import EnterpriseFactory, member_of, user_with_role

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("enterprise_directory")

#: Session, user, roles, MFA check, unread-notifications badge, the count and the page of rows
#: (7 today, one spare): the same whatever the number of rows.
MAX_QUERIES = 8


@pytest.fixture
def officer(client):
    user = user_with_role(Role.PROGRAM_OFFICER)
    client.force_login(user)
    return user


@pytest.fixture
def firms():
    return {
        "xihu": EnterpriseFactory(
            legal_name_en="Hangzhou Xihu Biomedicine Co., Ltd.",
            legal_name_zh="杭州西湖生物医药有限公司",
            uscc=make_uscc("9", "1", "330106", "MA2H7K3Q"),
            district="330106",
            sector="biopharma",
            stage="growth",
        ),
        "binjiang": EnterpriseFactory(
            legal_name_en="Binjiang Photonics Technology Co., Ltd.",
            legal_name_zh="杭州滨江光电科技有限公司",
            uscc=make_uscc("9", "1", "330108", "MA2J0P4R"),
            district="330108",
            sector="ict_semiconductors",
            stage="early",
        ),
        "hk": EnterpriseFactory(
            legal_name_en="Harbour Genomics Limited",
            legal_name_zh="港灣基因有限公司",
            kind="hong_kong",
            uscc=None,
            hk_br="71234567",
            district="",
            sector="biopharma",
            stage="seed",
            data_residency="hong_kong",
        ),
    }


def names(response):
    return {e.legal_name_en for e in response.context["page"].object_list}


def test_finds_a_firm_by_its_chinese_name(client, officer, firms):
    response = client.get(DIRECTORY, {"q": "西湖生物"})
    assert response.status_code == 200
    assert names(response) == {"Hangzhou Xihu Biomedicine Co., Ltd."}
    html = response.content.decode()
    assert "杭州西湖生物医药有限公司" in html
    assert "1 enterprise" in html


def test_finds_a_firm_by_its_uscc_in_any_case(client, officer, firms):
    uscc = firms["binjiang"].uscc
    assert names(client.get(DIRECTORY, {"q": uscc})) == {"Binjiang Photonics Technology Co., Ltd."}
    assert names(client.get(DIRECTORY, {"q": uscc.lower()})) == {"Binjiang Photonics Technology Co., Ltd."}


def test_finds_a_firm_by_br_number_and_by_english_name(client, officer, firms):
    assert names(client.get(DIRECTORY, {"q": "71234567"})) == {"Harbour Genomics Limited"}
    assert names(client.get(DIRECTORY, {"q": "photonics"})) == {"Binjiang Photonics Technology Co., Ltd."}


def test_filters_narrow_the_results(client, officer, firms):
    assert names(client.get(DIRECTORY, {"sector": "biopharma"})) == {
        "Hangzhou Xihu Biomedicine Co., Ltd.",
        "Harbour Genomics Limited",
    }
    assert names(client.get(DIRECTORY, {"sector": "biopharma", "kind": "hong_kong"})) == {"Harbour Genomics Limited"}
    assert names(client.get(DIRECTORY, {"district": "330108"})) == {"Binjiang Photonics Technology Co., Ltd."}
    assert names(client.get(DIRECTORY, {"stage": "growth"})) == {"Hangzhou Xihu Biomedicine Co., Ltd."}
    response = client.get(DIRECTORY, {"q": "杭州", "sector": "fintech"})
    assert names(response) == set()
    assert "No enterprise matches this search." in response.content.decode()


def test_rows_show_labels_and_the_residency_badge(client, officer, firms):
    html = client.get(DIRECTORY).content.decode()
    assert "Mainland data" in html and "Hong Kong data" in html
    assert "ICT and semiconductors" in html
    assert "Binjiang 滨江区" in html
    assert reverse("staff_enterprise_detail", args=[firms["hk"].reference]) in html


def test_an_unknown_filter_value_is_an_error_on_the_form_not_a_500(client, officer, firms):
    response = client.get(DIRECTORY, {"sector": "tobacco", "per_page": "7"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "sector" in form.errors and "per_page" in form.errors
    # The invalid parts fall back to their defaults.
    assert response.context["page"].paginator.per_page == 25
    assert len(names(response)) == 3


def test_pages_keep_the_search(client, officer):
    EnterpriseFactory.create_batch(30, sector="fintech")
    EnterpriseFactory.create_batch(3, sector="biopharma")
    response = client.get(DIRECTORY, {"sector": "fintech"})
    page = response.context["page"]
    assert page.paginator.count == 30
    assert len(page.object_list) == 25
    assert 'href="?sector=fintech&amp;page=2"' in response.content.decode()
    second = client.get(DIRECTORY, {"sector": "fintech", "page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("per_page", [25, 50, 100])
def test_page_size_is_a_choice(client, officer, per_page):
    EnterpriseFactory.create_batch(110)
    response = client.get(DIRECTORY, {"per_page": per_page})
    assert len(response.context["page"].object_list) == per_page


def test_the_query_count_does_not_grow_with_the_page_size(client, officer, django_assert_max_num_queries):
    for n in range(120):
        EnterpriseFactory(
            sector=["biopharma", "fintech", "ai_data"][n % 3],
            stage=["seed", "early", "growth"][n % 3],
            kind="hong_kong" if n % 4 == 0 else "mainland",
            district="" if n % 4 == 0 else "330108",
            data_residency="hong_kong" if n % 4 == 0 else "mainland",
        )
    counts = {}
    for per_page in (25, 100):
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
            response = client.get(DIRECTORY, {"per_page": per_page})
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == per_page
        counts[per_page] = len(queries)
    assert counts[25] == counts[100]
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(DIRECTORY, {"q": "Hangzhou", "sector": "biopharma", "per_page": 100})
    assert response.status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_only_directory_staff_may_see_it(client, role):
    firm = EnterpriseFactory()
    client.force_login(user_with_role(role))
    expected = 200 if role in DIRECTORY_ROLES else 403
    assert client.get(DIRECTORY).status_code == expected
    assert client.get(reverse("staff_enterprise_detail", args=[firm.reference])).status_code == expected


@pytest.mark.parametrize("role", list(Role))
def test_the_header_links_the_directory_for_directory_staff_only(client, role):
    client.force_login(user_with_role(role))
    html = client.get(reverse("dashboard")).content.decode()
    assert (f'href="{DIRECTORY}"' in html) == (role in DIRECTORY_ROLES)


def test_a_member_of_the_enterprise_is_not_staff(client):
    firm = EnterpriseFactory()
    client.force_login(member_of(firm, "owner"))
    assert client.get(reverse("staff_enterprise_detail", args=[firm.reference])).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_staff_without_two_factor_are_sent_to_set_it_up(client):
    client.force_login(user_with_role(Role.PROGRAM_OFFICER, mfa=False))
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response["Location"]


# --- The staff view of one enterprise ---------------------------------------------------


def detail(firm):
    return reverse("staff_enterprise_detail", args=[firm.reference])


def test_staff_detail_shows_profile_identifiers_residency_and_products(client, officer, firms):
    firm = firms["xihu"]
    owner = member_of(firm, "owner")
    product = regulatory.save_product(firm, actor=owner, name="XH-201 GLP-1 agonist", modality="small_molecule")
    regulatory.save_milestone(
        product, actor=owner, jurisdiction="nmpa", pathway="ind", status="submitted", actual_on="2025-02-03"
    )
    html = client.get(detail(firm)).content.decode()
    assert "Hangzhou Xihu Biomedicine Co., Ltd." in html and "杭州西湖生物医药有限公司" in html
    assert firm.uscc in html
    assert "Mainland data" in html
    assert "XH-201 GLP-1 agonist" in html and "Submitted" in html
    assert "No contact persons on this profile." in html
    assert "No documents on this profile." in html
    # The owner's name is shown: personal data, so the view is logged.
    assert "0 contact person(s), 0 with contact details shown; 1 member name(s)" in ExportLog.objects.get().description


def test_viewing_contacts_writes_a_staff_view_export_log_row(client, officer, firms):
    firm = firms["hk"]
    owner = member_of(firm, "owner")
    consented = ContactPerson.objects.create(enterprise=firm, name="Chan Tai Man", email="tm.chan@harbour.example")
    ContactPerson.objects.create(
        enterprise=firm, name="Lee Siu Ming", email="sm.lee@harbour.example", phone="+852 5123 4567"
    )
    consent.record_contact_consent(consented, actor=owner)

    html = client.get(detail(firm)).content.decode()
    assert "Hong Kong data" in html
    assert "Chan Tai Man" in html and "tm.chan@harbour.example" in html
    # No current cross-border consent: the person's details are withheld.
    assert "Lee Siu Ming" in html and "sm.lee@harbour.example" not in html and "5123 4567" not in html
    assert "Withheld" in html

    log = ExportLog.objects.get()
    assert log.kind == "staff_view"
    assert log.actor == officer
    assert log.enterprise == firm
    assert log.data_residency == "hong_kong"
    assert "2 contact person(s)" in log.description

    client.get(detail(firm))
    assert ExportLog.objects.filter(kind="staff_view").count() == 2


def test_a_withdrawn_contact_consent_hides_the_details_again(client, officer, firms):
    firm = firms["xihu"]
    owner = member_of(firm, "owner")
    contact = ContactPerson.objects.create(enterprise=firm, name="Wang Fang", email="wang.fang@xihu.example")
    consent.record_contact_consent(contact, actor=owner)
    assert "wang.fang@xihu.example" in client.get(detail(firm)).content.decode()
    consent.withdraw_contact_consent(contact, actor=owner)
    assert "wang.fang@xihu.example" not in client.get(detail(firm)).content.decode()


def test_staff_detail_of_an_unknown_reference_is_404(client, officer):
    assert client.get(reverse("staff_enterprise_detail", args=["ENT-2026-99999"])).status_code == 404


def test_staff_detail_query_count_does_not_grow_with_contacts_and_products(client, officer, firms):
    firm = firms["xihu"]
    owner = member_of(firm, "owner")

    def add(n):
        contact = ContactPerson.objects.create(enterprise=firm, name=f"Person {n}", email=f"p{n}@xihu.example")
        consent.record_contact_consent(contact, actor=owner)
        product = regulatory.save_product(firm, actor=owner, name=f"P{n}", modality="other")
        regulatory.save_milestone(product, actor=owner, jurisdiction="fda", pathway="ind", status="planned")

    add(0)
    with CaptureQueriesContext(connection) as one:
        client.get(detail(firm))
    for n in range(1, 6):
        add(n)
    with CaptureQueriesContext(connection) as six:
        response = client.get(detail(firm))
    assert "p5@xihu.example" in response.content.decode()
    assert len(six) == len(one)


def test_finds_a_firm_by_its_printed_br_certificate_number(client, officer, firms):
    html = client.get(DIRECTORY, {"q": "71234567-000-01-26-7"}).content.decode()
    assert "71234567" in html
    assert firms["xihu"].legal_name_en not in html
