"""Searching the staff directory across the two Chinese scripts, and by reference and identifiers
however they are typed."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.demo import seed_enterprises
from enterprises.identifiers import make_uscc
from enterprises.models import Enterprise
from hkhz_portal.accounts.roles import Role
from tests.enterprises.test_directory import DIRECTORY, MAX_QUERIES
from tests.factories import EnterpriseFactory, member_of, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = user_with_role(Role.PROGRAM_OFFICER)
    client.force_login(user)
    return user


def found(client, q) -> set[str]:
    """The English names of every firm the directory lists for ``q`` (all on one page)."""
    response = client.get(DIRECTORY, {"q": q, "per_page": 100})
    assert response.status_code == 200
    return {e.legal_name_en for e in response.context["page"].object_list}


def test_the_demo_portal_finds_the_same_firms_in_either_script(client, officer):
    """The searches of the issue, on the demo firms, created through the profile service."""
    seed_enterprises(user_with_role(Role.APPLICANT))

    binjiang = found(client, "滨江")
    assert len(binjiang) == 5
    assert found(client, "濱江") == binjiang

    medical = found(client, "医疗")
    assert medical == {"Hangzhou Binjiang Medical Robotics Co., Ltd.", "Harbourview MedTech Limited"}
    assert found(client, "醫療") == medical

    qiantang = found(client, "钱塘")
    assert "Qiantang Biologics (Hong Kong) Limited" in qiantang  # 錢塘生物製藥（香港）
    assert len(qiantang) == 5
    assert found(client, "錢塘") == qiantang == found(client, "Qiantang")


@pytest.fixture
def firms():
    return {
        "binjiang": EnterpriseFactory(
            legal_name_en="Binjiang Photonics Technology Co., Ltd.",
            legal_name_zh="杭州滨江光电科技有限公司",
            short_name="BJ Photonics",
            uscc=make_uscc("9", "1", "330108", "MA2J0P4R"),
            district="330108",
        ),
        "harbour": EnterpriseFactory(
            legal_name_en="Harbour Genomics Limited",
            legal_name_zh="港灣基因醫療（香港）有限公司",
            kind="hong_kong",
            uscc=None,
            hk_br="71234567",
            district="",
            data_residency="hong_kong",
        ),
        "health": EnterpriseFactory(legal_name_en="Kowloon Health Limited", legal_name_zh="九龍衞生科技有限公司"),
    }


@pytest.mark.parametrize(
    "q, firm",
    [
        ("杭州濱江光電", "binjiang"),  # Traditional for a name written in Simplified
        ("港湾基因", "harbour"),  # Simplified for a name written in Traditional
        ("港灣基因医疗", "harbour"),  # both scripts in one query
        ("基因醫療(香港)", "harbour"),  # ordinary brackets for the full-width ones in the name
        ("卫生科技", "health"),  # Hong Kong's 衞, which plain Traditional-to-Simplified keeps
        ("BINJIANG  photonics", "binjiang"),  # case and spacing
        ("bj photonics", "binjiang"),  # the short name
    ],
)
def test_names_are_found_whatever_the_script_case_or_spacing(client, officer, firms, q, firm):
    assert found(client, q) == {firms[firm].legal_name_en}


def test_a_query_does_not_match_across_the_end_of_one_name_and_the_start_of_the_next(client, officer, firms):
    # "…Co., Ltd." then "杭州…": glued together only if the stored names ran into each other.
    assert found(client, "ltd.杭州") == set()


def test_the_portal_reference_is_found_however_it_is_typed(client, officer, firms):
    reference = firms["harbour"].reference  # ENT-2026-1000n
    expected = {"Harbour Genomics Limited"}
    assert found(client, reference) == expected
    assert found(client, reference.lower()) == expected
    assert found(client, reference.replace("-", " ")) == expected
    assert found(client, reference.replace("-", "")) == expected
    assert found(client, "ENT-2026") == set()  # a reference is matched whole, not as a prefix


def test_a_uscc_is_found_with_spaces_hyphens_or_lower_case(client, officer, firms):
    uscc = firms["binjiang"].uscc
    expected = {"Binjiang Photonics Technology Co., Ltd."}
    assert found(client, f"{uscc[:6]} {uscc[6:12]} {uscc[12:]}".lower()) == expected
    assert found(client, f"{uscc[:9]}-{uscc[9:]}") == expected


@pytest.mark.parametrize("q", ["7123-4567", "7123 4567", " 71234567 ", "71234567-000-01-26-7"])
def test_a_br_number_is_found_with_a_hyphen_or_spaces(client, officer, firms, q):
    assert found(client, q) == {"Harbour Genomics Limited"}


def test_an_edit_of_the_chinese_name_changes_what_search_finds(client, firms):
    firm = firms["binjiang"]
    owner = member_of(firm, "owner")
    client.force_login(owner)
    response = client.patch(
        f"/api/v1/enterprises/{firm.reference}/",
        {"legal_name_zh": "杭州錢塘光電科技有限公司"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content

    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    assert found(client, "滨江光电") == set()
    assert found(client, "钱塘光电") == {firm.legal_name_en}
    assert found(client, "錢塘光電") == {firm.legal_name_en}


def test_a_search_costs_the_same_queries_as_browsing(client, officer, firms):
    EnterpriseFactory.create_batch(30)

    def count(params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DIRECTORY, params).status_code == 200
        return len(queries)

    browsing = count({"per_page": 100})
    assert browsing <= MAX_QUERIES
    reference = firms["harbour"].reference.lower().replace("-", " ")
    for q in ("濱江", reference, "7123-4567", "测试生物"):
        assert count({"q": q, "per_page": 100}) == browsing


def test_the_migration_fills_the_search_form_of_existing_firms(firms):
    """Rows that were there before the column are found after migrating, like any other."""
    migration = importlib.import_module("enterprises.migrations.0004_enterprise_search_names")
    Enterprise.objects.update(search_names="")
    migration.fill_search_names(django_apps, schema_editor=None)
    assert Enterprise.objects.get(pk=firms["harbour"].pk).search_names == (
        "harbourgenomicslimited\n港湾基因医疗(香港)有限公司"
    )


# --- The admin site -------------------------------------------------------------------------


def test_the_admin_search_finds_names_in_the_other_script(client, firms):
    client.force_login(user_with_role(Role.ADMIN))
    changelist = reverse("admin:enterprises_enterprise_changelist")
    response = client.get(changelist, {"q": "濱江光電"})
    assert [e.legal_name_en for e in response.context["cl"].result_list] == [firms["binjiang"].legal_name_en]
    response = client.get(changelist, {"q": "滨江", "kind": "hong_kong"})
    assert list(response.context["cl"].result_list) == []  # the admin's own filters still apply


def test_the_admin_cannot_change_names_behind_the_search_column(client, officer, firms):
    """The admin shows enterprises only: names change through the profile service, which keeps
    the search column current."""
    firm = firms["health"]
    client.force_login(user_with_role(Role.ADMIN))
    change = reverse("admin:enterprises_enterprise_change", args=[firm.pk])
    assert client.post(change, {"legal_name_zh": "九龍醫學影像有限公司"}).status_code == 403
    firm.refresh_from_db()
    assert firm.legal_name_zh != "九龍醫學影像有限公司"
