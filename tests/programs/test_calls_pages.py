"""The calls pages: anyone sees the calls in order with their deadlines; an applicant checks an
enterprise against a call's rules, with a way to mend what fails."""

import datetime

import pytest
from django.utils import timezone

from programs.choices import RuleKind
from tests.factories import EnterpriseFactory, member_of

from .factories import CallFactory, add_rule
from .pages import applicant_with_enterprise, draft, officer_of, open_call

pytestmark = pytest.mark.django_db


def test_anyone_sees_open_then_upcoming_then_recently_closed_calls(client):
    now = timezone.now()
    CallFactory(title_en="Rolling biomedical", closes_at=None)
    CallFactory(title_en="Closing soon", closes_at=now + datetime.timedelta(days=3, hours=2, minutes=5))
    CallFactory(title_en="Next spring", opens_at=now + datetime.timedelta(days=40), closes_at=None)
    CallFactory(
        title_en="Last round", opens_at=now - datetime.timedelta(days=60), closes_at=now - datetime.timedelta(days=5)
    )
    CallFactory(
        title_en="Long ago", opens_at=now - datetime.timedelta(days=400), closes_at=now - datetime.timedelta(days=300)
    )
    html = client.get("/calls/").content.decode()
    order = [html.index(t) for t in ("Closing soon", "Rolling biomedical", "Next spring", "Last round")]
    assert order == sorted(order)
    assert "Long ago" not in html
    assert "3\xa0days, 2\xa0hours left" in html
    assert "rolling intake, all year" in html
    assert "opens in 1\xa0month" in html


def test_the_calls_page_reads_in_traditional_chinese(client):
    CallFactory(title_zh_hant="生物醫藥培育招募（繁）", closes_at=timezone.now() + datetime.timedelta(days=10))
    client.cookies["django_language"] = "zh-hant"
    html = client.get("/calls/").content.decode()
    assert "生物醫藥培育招募（繁）" in html
    assert "生物醫藥科技培育計劃" in html


def test_the_list_query_count_does_not_grow_with_calls(client, django_assert_max_num_queries):
    CallFactory()
    with django_assert_max_num_queries(10) as few:
        client.get("/calls/")
    for _ in range(8):
        CallFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/calls/")


def test_a_call_lists_its_rules_in_plain_words_and_asks_anonymous_users_to_sign_in(client):
    call = open_call()
    add_rule(call, RuleKind.SECTOR_IN, values=["biopharma", "medtech"], order=8)
    html = client.get(f"/calls/{call.slug}/").content.decode()
    assert "The company is at most 2 years old." in html
    assert "At least 50 % of the full-time staff are technical." in html
    assert "The enterprise works in one of these sectors: " in html
    assert "Sign in to check your enterprise" in html
    assert "Start application" not in html
    assert client.get("/calls/no-such-call/").status_code == 404


def test_the_self_check_gives_each_rule_its_outcome_and_a_link_to_mend_a_failure(client):
    call = open_call()
    old = timezone.localdate() - datetime.timedelta(days=5 * 365)
    user, enterprise = applicant_with_enterprise(founded_on=old)
    add_rule(call, RuleKind.REQUIRED_DOCUMENTS, values=["business_plan"], order=9)
    client.force_login(user)
    html = client.get(f"/calls/{call.slug}/").content.decode()
    assert "The company is 5 years old; the call allows at most 2." in html
    assert f'href="/enterprises/{enterprise.reference}/edit/"' in html
    assert f'href="/enterprises/{enterprise.reference}/documents/"' in html
    assert html.count("check check-pending") == 4  # the Hong Kong company and the three team rules
    assert "Start application" in html


def test_an_applicant_with_several_enterprises_chooses_which_one_to_check(client):
    call = open_call()
    user, first = applicant_with_enterprise()
    second = EnterpriseFactory(legal_name_en="Zhejiang Second Biotech", founded_on=None)
    member_of(second, role="member")
    second.memberships.create(user=user, role="member")
    client.force_login(user)
    html = client.get(f"/calls/{call.slug}/", {"enterprise": second.reference}).content.decode()
    assert '<select name="enterprise"' in html
    assert "The profile has no founding date." in html
    assert f'name="enterprise" value="{second.reference}"' in html
    stranger = EnterpriseFactory()
    html = client.get(f"/calls/{call.slug}/", {"enterprise": stranger.reference}).content.decode()
    assert f'name="enterprise" value="{first.reference}"' in html


def test_an_existing_application_is_offered_instead_of_a_new_one(client):
    call = open_call()
    user, enterprise = applicant_with_enterprise()
    application = draft(user, enterprise, call)
    client.force_login(user)
    html = client.get(f"/calls/{call.slug}/").content.decode()
    assert f'href="/applications/{application.reference}/"' in html and "Start application" not in html


def test_officers_see_the_call_without_the_self_check(client):
    call = open_call()
    client.force_login(officer_of(call))
    html = client.get(f"/calls/{call.slug}/").content.decode()
    assert "Eligibility self-check" not in html and "Start application" not in html
