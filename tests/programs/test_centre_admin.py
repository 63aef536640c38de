"""The service centres in the admin site: every page renders in each language; SLA policies and
services are edited (working hours the clock can count in, documents ticked, steps within the
resolution target); requests and ratings are shown only, with their log, thread (internal notes
too) and steps; the lists take the same queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hkhz_portal.accounts.roles import UnitKind
from programs.centres import services
from programs.models import Service, ServiceRequest, SLAPolicy
from tests.admin_forms import form_data
from tests.factories import UnitFactory

from .centre_factories import ServiceFactory, hk_centre, policy_for, requested, staff_of

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans", "zh-hant")


def lived(staff, service=None):
    """A request taken to completion and rated, with a thread (and an internal note) and a step ticked."""
    request = requested(service or ServiceFactory(unit=staff.unit))
    client = request.requested_by
    services.take_step(actor=staff, request=request, name="accept")
    services.take_step(actor=staff, request=request, name="start_work")
    services.post_message(actor=staff, request=request, body="Checked the registry: the name is free.", internal=True)
    services.ask_client(actor=staff, request=request, body="Please send the directors' passports.")
    services.post_message(actor=client, request=request, body="Passports attached.")
    services.set_step_done(actor=staff, request=request, step_id=request.steps.first().pk, done=True)
    services.take_step(actor=staff, request=request, name="complete")
    services.rate(request=request, score=4, comment="Quick and clear.", actor=client)
    return ServiceRequest.objects.get(pk=request.pk)


@pytest.fixture
def staff():
    return staff_of(hk_centre())


@pytest.fixture
def request_done(staff):
    return lived(staff)


def pages(request):
    """(model, id of one of its objects, whether it is edited here)."""
    return [
        ("slapolicy", request.service.sla_policy_id, True),
        ("service", request.service_id, True),
        ("servicerequest", request.pk, False),
        ("servicerating", request.rating.pk, False),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_centre_page_renders_in_each_language(admin_site, request_done, language):
    admin_site.cookies["django_language"] = language
    for model, pk, edited in pages(request_done):
        for url in (
            reverse(f"admin:programs_{model}_changelist"),
            reverse(f"admin:programs_{model}_change", args=[pk]),
        ):
            response = admin_site.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Language"] == language
        assert admin_site.get(reverse(f"admin:programs_{model}_add")).status_code == (200 if edited else 403), model


def test_requests_and_ratings_are_shown_only_with_their_log_thread_and_steps(admin_site, request_done):
    url = reverse("admin:programs_servicerequest_change", args=[request_done.pk])
    page = admin_site.get(url).content.decode()
    assert request_done.reference in page
    assert "Checked the registry: the name is free." in page  # the internal note, for the admin
    assert "Passports attached." in page
    assert "client_answered" in page and "Check the documents" in page
    assert "Quick and clear." in page
    assert "Monday" in page and "09:00–12:30" in page  # the policy frozen on the request

    changelist = reverse("admin:programs_servicerequest_changelist")
    on_time = admin_site.get(changelist, {"resolution_level": "ok"}).content.decode()
    assert request_done.reference in on_time and "On time" in on_time
    assert request_done.reference not in admin_site.get(changelist, {"resolution_level": "breached"}).content.decode()

    assert admin_site.post(url, {"state": "cancelled"}).status_code == 403
    deleted = admin_site.post(reverse("admin:programs_servicerequest_delete", args=[request_done.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    rating_url = reverse("admin:programs_servicerating_change", args=[request_done.rating.pk])
    assert admin_site.post(rating_url, {"score": 1}).status_code == 403
    request_done.refresh_from_db()
    assert request_done.state == "completed" and request_done.rating.score == 4


def test_a_service_saves_the_documents_ticked(admin_site):
    policy = policy_for(hk_centre())
    add = reverse("admin:programs_service_add")
    data = form_data(admin_site.get(add), "service_form")
    data.update(
        unit=str(policy.unit_id),
        slug="hk-trademarks",
        category="ip",
        sla_policy=str(policy.pk),
        fee_0="12000",
        fee_1="HKD",
        required_documents=["br_certificate", "ip_certificate"],
        name_en="Trademark registration in Hong Kong",
        name_zh_hans="香港商标注册",
        name_zh_hant="香港商標註冊",
        description_en="We file your trademarks with the Intellectual Property Department.",
        description_zh_hans="我们向知识产权署提交您的商标申请。",
        description_zh_hant="我們向知識產權署提交您的商標申請。",
        **{
            "steps-TOTAL_FORMS": "1",
            "steps-0-order": "1",
            "steps-0-title_en": "Search and filing",
            "steps-0-title_zh_hans": "查询及递交",
            "steps-0-title_zh_hant": "查詢及遞交",
            "steps-0-target_hours": "16",
        },
    )
    response = admin_site.post(add, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    service = Service.objects.get(slug="hk-trademarks")
    assert service.required_documents == ["br_certificate", "ip_certificate"]
    assert [step.title_zh_hant for step in service.steps.all()] == ["查詢及遞交"]

    change = reverse("admin:programs_service_change", args=[service.pk])
    data = form_data(admin_site.get(change), "service_form")
    assert data["required_documents"] == ["br_certificate", "ip_certificate"]  # ticked on the page
    data["required_documents"] = "business_licence"
    assert admin_site.post(change, data).status_code == 302
    service.refresh_from_db()
    assert service.required_documents == ["business_licence"]

    data["required_documents"] = "passport"
    refused = admin_site.post(change, data)
    assert refused.status_code == 200
    assert "Select a valid choice. passport is not one of the available choices." in refused.content.decode()


def test_a_step_is_due_no_later_than_the_resolution_target(admin_site):
    service = ServiceFactory()
    url = reverse("admin:programs_service_change", args=[service.pk])
    data = form_data(admin_site.get(url), "service_form")
    data["steps-1-target_hours"] = "41"
    refused = admin_site.post(url, data)
    assert refused.status_code == 200
    assert "At most the SLA policy&#x27;s resolution target, 40 business hours." in refused.content.decode()
    assert service.steps.get(order=1).target_hours == 32


def policy_form(admin_site, *periods):
    unit = hk_centre()
    add = reverse("admin:programs_slapolicy_add")
    data = form_data(admin_site.get(add), "slapolicy_form")
    data.update(
        unit=str(unit.pk),
        name="Hong Kong urgent",
        calendar="HK",
        first_response_hours="2",
        resolution_hours="24",
        at_risk_percent="75",
        **{"periods-TOTAL_FORMS": str(len(periods))},
    )
    for index, (weekday, starts, ends) in enumerate(periods):
        data |= {f"periods-{index}-weekday": weekday, f"periods-{index}-starts": starts, f"periods-{index}-ends": ends}
    return add, data


@pytest.mark.parametrize(
    ("periods", "error"),
    [
        ([("0", "13:00", "09:00")], "A working period ends after it starts."),
        (
            [("0", "09:00", "13:00"), ("0", "12:30", "18:00")],
            "The periods of Monday overlap or touch: leave a gap between them (the lunch break), or make them one "
            "period.",
        ),
        ([("0", "09:00", "13:00"), ("0", "13:00", "18:00")], "The periods of Monday overlap or touch"),
        ([], "Give the policy at least one working period."),
        ([("0", "09:00:30", "13:00")], "Give the times in whole minutes."),
    ],
)
def test_a_policy_refuses_hours_the_clock_cannot_count_in(admin_site, periods, error):
    add, data = policy_form(admin_site, *periods)
    refused = admin_site.post(add, data)
    assert refused.status_code == 200
    assert error in refused.content.decode()
    assert not SLAPolicy.objects.filter(name="Hong Kong urgent").exists()


def test_a_policy_with_a_lunch_break_and_a_saturday_morning_is_saved_for_the_clock(admin_site):
    add, data = policy_form(admin_site, ("0", "09:00", "13:00"), ("0", "14:00", "18:00"), ("5", "09:00", "13:00"))
    assert admin_site.post(add, data).status_code == 302
    policy = SLAPolicy.objects.get(name="Hong Kong urgent")
    engine = services.policy_of(policy)
    assert len(engine.hours[0]) == 2 and len(engine.hours[5]) == 1 and engine.hours[6] == ()


def test_the_centre_lists_take_the_same_queries_however_many_rows(admin_site, staff):
    def queries():
        counts = {}
        for model in ("slapolicy", "service", "servicerequest", "servicerating"):
            with CaptureQueriesContext(connection) as captured:
                assert admin_site.get(reverse(f"admin:programs_{model}_changelist")).status_code == 200
            counts[model] = len(captured)
        return counts

    lived(staff)
    before = queries()
    for _ in range(3):
        lived(staff, ServiceFactory(unit=staff.unit, sla_policy=policy_for(staff.unit)))
    assert ServiceRequest.objects.count() == 4
    assert queries() == before


def test_only_the_centres_are_offered_as_units(admin_site):
    centre = hk_centre()
    UnitFactory(code="platform", kind=UnitKind.PLATFORM)
    form = admin_site.get(reverse("admin:programs_service_add")).context["adminform"].form
    assert list(form.fields["unit"].queryset) == [centre]
