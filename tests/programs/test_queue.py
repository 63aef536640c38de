"""The officer queue: who sees it, its filters, search box, terms, sorting and pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.identifiers import make_uscc
from hkhz_portal.accounts.roles import Role
from programs.models import Application
from programs.queue import parse_search
from programs.services import applications as svc
from programs.workflow import Status
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role

from .factories import CallFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("programs:staff_queue")
#: Session, user, roles, MFA check, unread badge, the unit's calls, the count, the rows (8), one spare.
MAX_QUERIES = 9


def queued(call, enterprise, status=Status.IN_REVIEW, *, days_ago=1, **fields) -> Application:
    """An application as submission leaves it (queue columns copied by the service's own helper),
    in ``status``: the queue reads nothing else."""
    submitted_at = timezone.now() - datetime.timedelta(days=days_ago)
    application = Application.objects.create(
        call=call,
        programme=call.programme,
        unit=call.programme.unit,
        enterprise=enterprise,
        form_version=call.form_version,
        reference=f"HKSP-2026-{Application.objects.count() + 1:05d}",
        status=status,
        submitted_at=submitted_at,
        **fields,
    )
    svc._copy_enterprise(application)
    application.save()
    Application.objects.filter(pk=application.pk).update(status_changed_at=submitted_at)
    return application


def references(response) -> list[str]:
    return re.findall(r'href="/staff/applications/(HKSP-\d{4}-\d{5})/"', response.content.decode())


def officer_of(unit):
    user = user_with_role(Role.PROGRAM_OFFICER)
    user.unit = unit
    user.save(update_fields=["unit"])
    return user


@pytest.fixture
def call():
    return CallFactory(slug="biomed-2026")


@pytest.fixture
def officer(client, call):
    user = officer_of(call.programme.unit)
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
        ),
        "binjiang": EnterpriseFactory(
            legal_name_en="Binjiang Photonics Technology Co., Ltd.",
            legal_name_zh="杭州滨江光电科技有限公司",
            uscc=make_uscc("9", "1", "330108", "MA2J0P4R"),
            district="330108",
            sector="ict_semiconductors",
        ),
        "hk": EnterpriseFactory(
            legal_name_en="Harbour Genomics Limited",
            legal_name_zh="港灣醫療基因有限公司",
            kind="hong_kong",
            uscc=None,
            hk_br="71234567",
            district="",
            sector="medical_devices",
            data_residency="hong_kong",
        ),
    }


@pytest.fixture
def apps(call, firms):
    other_call = CallFactory(slug="tech-2026", programme=call.programme)
    return {
        "xihu": queued(call, firms["xihu"], Status.NEEDS_ATTENTION, days_ago=3, flagged=True),
        "binjiang": queued(
            other_call,
            firms["binjiang"],
            Status.MORE_INFO_REQUESTED,
            days_ago=2,
            info_due_at=timezone.now() - datetime.timedelta(days=1),
        ),
        "hk": queued(call, firms["hk"], Status.IN_REVIEW, days_ago=1),
    }


# --- Who sees it ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CENTRE_STAFF, Role.ADMIN])
def test_other_roles_are_refused(client, role):
    client.force_login(user_with_role(role))
    assert client.get(QUEUE).status_code == 403
    assert client.get(reverse("programs:staff_workflow")).status_code == 403


def test_the_officer_sees_the_units_submitted_applications_only(client, officer, apps, call, firms):
    other_unit = UnitFactory(code="other-platform", kind="platform")
    elsewhere = CallFactory(programme=ProgrammeFactory(slug="elsewhere", unit=other_unit))
    hidden = queued(elsewhere, EnterpriseFactory(), Status.IN_REVIEW)
    draft = Application.objects.create(
        call=call,
        programme=call.programme,
        unit=call.programme.unit,
        enterprise=EnterpriseFactory(),
        form_version=call.form_version,
        reference="HKSP-2026-09999",
    )
    response = client.get(QUEUE)
    assert response.status_code == 200
    shown = references(response)
    assert sorted(shown) == sorted(a.reference for a in apps.values())
    assert hidden.reference not in shown and draft.reference not in shown
    html = response.content.decode()
    assert "3 applications" in html
    assert "杭州西湖生物医药有限公司" in html and "Hangzhou Xihu Biomedicine Co., Ltd." in html


def test_rows_show_the_flags(client, officer, apps):
    html = client.get(QUEUE).content.decode()
    assert html.count('class="flag flag-screening"') == 1
    assert html.count('class="flag flag-waiting"') == 1
    assert html.count('class="flag flag-overdue"') == 1
    assert "Needs an officer&#x27;s attention" in html and "Medical devices" in html and "Xihu 西湖区" in html


# --- Filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"call": "tech-2026"}, ["binjiang"]),
        ({"status": "in_review"}, ["hk"]),
        ({"sector": "biopharma"}, ["xihu"]),
        ({"district": "330108"}, ["binjiang"]),
        ({"flagged": "on"}, ["xihu"]),
        ({"waiting": "on"}, ["binjiang"]),
        ({"overdue": "on"}, ["binjiang"]),
        ({"call": "biomed-2026", "status": "in_review"}, ["hk"]),
        ({"call": "biomed-2026", "waiting": "on"}, []),
    ],
)
def test_filters(client, officer, apps, params, expected):
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    assert sorted(references(response)) == sorted(apps[k].reference for k in expected)


def test_a_bad_filter_value_is_shown_and_ignored(client, officer, apps):
    response = client.get(QUEUE, {"status": "nonsense", "call": "../", "per_page": "10000", "page": "x"})
    assert response.status_code == 200
    assert len(references(response)) == 3
    assert "Select a valid choice" in response.content.decode()


# --- The search box ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("西湖生物", "xihu"),  # Simplified, stored Simplified
        ("西湖生物醫藥", "xihu"),  # Traditional query, Simplified name
        ("港湾医疗", "hk"),  # Simplified query, Traditional name
        ("港灣醫療", "hk"),
        ("harbour genomics", "hk"),
        ("PHOTONICS", "binjiang"),
        ("71234567", "hk"),  # BR
    ],
)
def test_search_by_name_in_either_script_or_br(client, officer, apps, query, expected):
    assert references(client.get(QUEUE, {"q": query})) == [apps[expected].reference]


def test_search_by_uscc_and_reference(client, officer, apps, firms):
    uscc = firms["binjiang"].uscc
    spaced = f"{uscc[:6]} {uscc[6:12]} {uscc[12:]}".lower()
    assert references(client.get(QUEUE, {"q": spaced})) == [apps["binjiang"].reference]
    reference = apps["hk"].reference
    assert references(client.get(QUEUE, {"q": reference})) == [reference]
    assert references(client.get(QUEUE, {"q": reference.lower().replace("-", " ")})) == [reference]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status:in_review", ["hk"]),
        ("status:needs-attention,in_review", ["xihu", "hk"]),
        ("call:tech-2026", ["binjiang"]),
        ("sector:biopharma", ["xihu"]),
        ("SECTOR:Medical_Devices", ["hk"]),
        ("status：in_review", ["hk"]),  # typed with a Chinese input method's colon
        ("杭州 status:needs_attention", ["xihu"]),
        ("call:biomed-2026 sector:medical_devices 港灣", ["hk"]),
    ],
)
def test_search_terms(client, officer, apps, query, expected):
    response = client.get(QUEUE, {"q": query})
    assert sorted(references(response)) == sorted(apps[k].reference for k in expected)
    assert "search-problems" not in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("colour:red", "“colour:” is not a search term"),
        ("status:", "“status:” needs a value"),
        ("status:draft", "No status “draft”"),
        ("call:unknown-call", "No call “unknown-call”"),
        ("sector:bananas", "No sector “bananas”"),
        ("call:../../etc", "No call"),
    ],
)
def test_bad_terms_become_a_message_and_the_rest_still_searches(client, officer, apps, query, message):
    response = client.get(QUEUE, {"q": f"{query} 西湖"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert references(response) == [apps["xihu"].reference]


def test_the_parser_keeps_words_and_terms_apart():
    parsed = parse_search("Xihu  bio status:in_review,nope call:a weird:1 12:30", call_slugs=["a"])
    assert parsed.text == "Xihu bio 12:30"
    assert parsed.statuses == ["in_review"] and parsed.calls == ["a"] and parsed.sectors == []
    assert len(parsed.problems) == 2
    assert parse_search("", call_slugs=[]).text == ""
    assert parse_search("\x00 status:\x00").problems


# --- Sorting and pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sort, order",
    [
        ("", ["hk", "binjiang", "xihu"]),
        ("newest", ["hk", "binjiang", "xihu"]),
        ("oldest", ["xihu", "binjiang", "hk"]),
        ("changed", ["hk", "binjiang", "xihu"]),
        ("reference", ["xihu", "binjiang", "hk"]),
        ("name", ["binjiang", "xihu", "hk"]),
    ],
)
def test_sorting(client, officer, apps, sort, order):
    assert references(client.get(QUEUE, {"sort": sort})) == [apps[k].reference for k in order]


def test_pages_and_page_size(client, officer, call):
    for n in range(30):
        queued(call, EnterpriseFactory(), days_ago=n + 1)
    first = client.get(QUEUE)
    assert len(references(first)) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(QUEUE, {"page": 2})
    assert len(references(second)) == 5
    assert not set(references(first)) & set(references(second))
    assert len(references(client.get(QUEUE, {"per_page": 50}))) == 30
    # More than the largest page size is refused and falls back to the default.
    assert len(references(client.get(QUEUE, {"per_page": 5000}))) == 25


def test_query_count_does_not_grow_with_rows(client, officer, call, django_assert_max_num_queries):
    for n in range(3):
        queued(call, EnterpriseFactory(), days_ago=n + 1)
    with django_assert_max_num_queries(MAX_QUERIES):
        few = client.get(QUEUE, {"per_page": 100, "q": "杭州"})
    for n in range(60):
        queued(call, EnterpriseFactory(), Status.NEEDS_ATTENTION, days_ago=n + 5, flagged=True)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = client.get(QUEUE, {"per_page": 100, "q": "杭州"})
    assert len(references(few)) == 3 and len(references(many)) == 63


def test_the_officer_reaches_the_queue_from_the_header(client, officer):
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{QUEUE}"' in html
    queue_page = client.get(QUEUE).content.decode()
    assert f'<a href="{QUEUE}" aria-current="page">' in queue_page
    assert reverse("programs:staff_workflow") in queue_page


def test_an_applicant_member_cannot_open_it(client, call, firms):
    client.force_login(member_of(firms["xihu"]))
    assert client.get(QUEUE).status_code == 403


def test_past_the_count_cap_the_queue_says_more_than(client, officer, call, monkeypatch):
    monkeypatch.setattr("programs.queue.COUNT_CAP", 4)
    monkeypatch.setattr("programs.views.staff.COUNT_CAP", 4)
    for n in range(6):
        queued(call, EnterpriseFactory(), days_ago=n + 1)
    html = client.get(QUEUE).content.decode()
    assert "More than 4 applications" in html
    assert len(references(client.get(QUEUE, {"sort": "oldest"}))) == 4
    exact = client.get(QUEUE, {"q": "status:in_review", "per_page": 25})
    assert "More than" in exact.content.decode()
    few = client.get(QUEUE, {"q": "status:needs_attention"})
    assert "0 applications" in few.content.decode()
