"""The centre staff's page of a service request in a real browser, in English and in 繁體, on a
desktop and on a phone: every view passes axe-core, nothing runs off the side of a phone's
screen, and the steps taken by clicking land where they should."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.centres import services
from tests.e2e.test_admission_journey import sign_in
from tests.factories import EnterpriseFactory, member_of
from tests.files import pdf
from tests.programs.centre_factories import ServiceFactory, hk_centre, policy_for, staff_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STEPS = (
    ("Check the directors' identity documents", 4),
    ("Introduce the enterprise to the bank", 8),
    ("Accompany the directors to the bank interview", 16),
    ("Confirm the account is open", 24),
)


def bank_account_request():
    """A Hong Kong bank account being opened for a Hangzhou enterprise: accepted, the enterprise
    asked for its directors' passports and answered with them, a colleague's internal note, the
    first step ticked, now waiting on the bank. Made before the browser starts."""
    centre = hk_centre()
    staff = staff_of(centre, full_name="Mandy Lam", email="mandy.lam@hk-centre.example")
    lead = staff_of(centre, lead=True, full_name="Kelvin Ho", email="kelvin.ho@hk-centre.example")
    service = ServiceFactory(
        unit=centre,
        slug="hk-bank-account",
        category="bank_account",
        sla_policy=policy_for(centre, first_response=4, resolution=24),
        name_en="Hong Kong corporate bank account",
        name_zh_hans="香港公司银行开户",
        name_zh_hant="香港公司銀行開戶",
        steps=STEPS,
    )
    enterprise = EnterpriseFactory(
        legal_name_en="Hangzhou West Lake Biopharma Co., Ltd.", legal_name_zh="杭州西湖生物医药有限公司"
    )
    client = member_of(enterprise, "owner", full_name="Chen Wei")
    request = services.request_service(
        actor=client,
        service=service,
        enterprise=enterprise,
        details=(
            "We need a corporate account in Hong Kong for our new subsidiary, West Lake Biopharma (HK) Limited, "
            "to receive the Series A funds from a Hong Kong investor.\n\nBoth directors can travel to Hong Kong "
            "in the second half of the month."
        ),
    )
    services.take_step(actor=staff, request=request, name="accept")
    services.take_step(actor=staff, request=request, name="start_work")
    services.ask_client(
        actor=staff,
        request=request,
        body="Please send scans of both directors' passports and the subsidiary's Business Registration "
        "certificate; the bank's form is attached for the directors to sign.",
        uploads=[SimpleUploadedFile("HSBC account opening form.pdf", pdf(), content_type="application/pdf")],
    )
    services.post_message(
        actor=client,
        request=request,
        body="Attached: the passports and the BR certificate. The signed form follows by courier.",
        uploads=[
            SimpleUploadedFile("passports.pdf", pdf(2), content_type="application/pdf"),
            SimpleUploadedFile("BR certificate.pdf", pdf(), content_type="application/pdf"),
        ],
    )
    services.post_message(
        actor=lead,
        request=request,
        body="HSBC's relationship manager (Ms Wong) prefers both directors at the interview; book them together.",
        internal=True,
    )
    services.set_step_done(actor=staff, request=request, step_id=request.steps.first().pk, done=True)
    services.take_step(
        actor=staff,
        request=request,
        name="wait_third_party",
        pause_reason="bank",
        note="HSBC Commercial Banking is running its checks on the two directors.",
    )
    return staff, request


@pytest.fixture
def bank_account():
    return bank_account_request()


def overflow(page) -> int:
    """How far the page runs off the side of the window, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_reads_on_desktop_and_phone(bank_account, live_server, new_page, language, width):
    staff, request = bank_account
    page = new_page(width=width, height=900)
    sign_in(page, live_server.url, staff.email, totp=True)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + reverse("programs:centre_request", args=[request.reference]))
    assert overflow(page) <= 0
    assert page.locator(".srv-internal-banner").first.is_visible()
    assert page.locator(".clock").count() == 2


def test_resuming_and_ticking_by_clicking(bank_account, live_server, page):
    staff, request = bank_account
    sign_in(page, live_server.url, staff.email, totp=True)
    page.goto(live_server.url + reverse("programs:centre_request", args=[request.reference]))
    page.locator("#action-resume summary").click()
    page.get_by_role("button", name="Resume").click()
    page.wait_for_url("**" + reverse("programs:centre_request", args=[request.reference]))
    assert page.locator(".message-success").inner_text() == f"Done: “Resume” on {request.reference}."
    assert page.locator(".srv-state").inner_text() == "In progress"
    step = page.locator(".srv-step", has_text="Introduce the enterprise to the bank")
    step.get_by_role("button", name="Mark done").click()
    page.wait_for_url("**#steps")
    assert page.locator(".srv-step.done").count() == 2
