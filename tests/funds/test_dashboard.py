"""The fund manager's dashboard: the priority windows ending within a week, soonest first, with
the days left, and the deals at each stage, of the manager's own fund only, in queries that do
not grow with them; the fund's workspaces in the header (the pages themselves are their own
modules')."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.choices import MemberRole
from funds.models import PriorityWindow
from funds.workflow import Stage
from hkhz_portal.accounts.roles import Role
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role

from .factories import committee_member_of, deal_at, make_fund, manager_of, recorded_round

pytestmark = pytest.mark.django_db


def window_ending_in(days: float, name: str, fund=None) -> PriorityWindow:
    enterprise = EnterpriseFactory(legal_name_en=f"{name} Co., Ltd.")
    round_ = recorded_round(enterprise, member_of(enterprise, MemberRole.OWNER), name=name)
    windows = PriorityWindow.objects.filter(round=round_, **({"fund": fund} if fund else {}))
    windows.update(ends_at=timezone.now() + datetime.timedelta(days=days))
    return windows.get()


def panel(client) -> str:
    html = client.get(reverse("dashboard")).content.decode()
    start = html.find('<section class="card dashboard-fund"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_the_manager_sees_the_windows_ending_within_a_week_soonest_first(client, fund, manager):
    window_ending_in(5.5, "Series B of Later")
    window_ending_in(2.5, "Series A of Sooner")
    window_ending_in(0.5, "Seed of Today")
    window_ending_in(10, "Series C of Far")
    client.force_login(manager)
    shown = panel(client)
    assert shown.index("Seed of Today") < shown.index("Series A of Sooner") < shown.index("Series B of Later")
    assert "Series C of Far" not in shown
    assert "2 days left" in shown and "5 days left" in shown and "ends today" in shown
    assert reverse("funds:windows") in shown and reverse("funds:board") in shown


def test_the_manager_sees_the_deals_at_each_stage_of_their_own_fund(client, fund, manager, checklist_templates):
    for stage in (Stage.SOURCED, Stage.SOURCED, Stage.SCREENING, Stage.DUE_DILIGENCE, Stage.DECLINED):
        deal_at(stage, fund, manager)
    client.force_login(manager)
    shown = panel(client)
    assert "Sourced <strong>2</strong>" in shown
    assert "Screening <strong>1</strong>" in shown
    assert "Due diligence <strong>1</strong>" in shown
    assert "Portfolio <strong>0</strong>" in shown
    assert "Declined" not in shown


def test_another_funds_windows_and_deals_are_not_shown(client, fund, manager):
    other = make_fund(
        unit=UnitFactory(code="other-fund", kind="fund"), slug="other-fund", name_en="Other Fund", currency="HKD"
    )
    theirs = manager_of(other, full_name="Manager Other")
    deal_at(Stage.SOURCED, other, theirs)
    window_ending_in(3, "Series A of Theirs", fund=other)
    client.force_login(manager)
    shown = panel(client)
    assert "Sourced <strong>0</strong>" in shown
    assert "Series A of Theirs" not in shown
    assert "No priority window ends within a week." in shown


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.APPLICANT, Role.PROGRAM_OFFICER])
def test_only_fund_managers_have_the_panel(client, fund, role):
    user = committee_member_of(fund) if role == Role.COMMITTEE_MEMBER else user_with_role(role)
    client.force_login(user)
    assert panel(client) == ""


def test_the_dashboard_takes_the_same_queries_for_few_windows_and_deals_and_for_many(
    client, fund, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    window_ending_in(3, "Series A of First")
    deal_at(Stage.SOURCED, fund, manager)
    client.get(reverse("dashboard"))  # the caches a first page fills
    with django_assert_max_num_queries(50) as few:
        client.get(reverse("dashboard"))
    for n in range(6):
        window_ending_in(1.5 + n / 2, f"Series A of Firm {n}")
        deal_at(Stage.SOURCED, fund, manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        shown = panel(client)
    assert shown.count(" left</span>") == 7


def test_the_header_leads_fund_staff_to_their_fund_pages(client, fund, manager):
    client.force_login(manager)
    html = client.get(reverse("dashboard")).content.decode()
    for name in ("funds:board", "funds:windows", "funds:portfolio", "funds:committee"):
        assert f'href="{reverse(name)}"' in html, name  # the managers convene the committee
    client.force_login(committee_member_of(fund))
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("funds:committee")}"' in html
    assert f'href="{reverse("funds:board")}"' not in html
