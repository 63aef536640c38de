"""An application's whole part-1 life in a real browser, with a real worker screening it.

The applicant fills the multi-step form, leaves, comes back to the autosaved draft, submits and
watches the status change without reloading; an officer then finds the application in the
queue by typing its Chinese name in the other script.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from hkhz_portal.accounts.roles import Role
from tests.factories import PASSWORD, TOTP_SECRET, EnterpriseFactory, member_of, user_with_role
from tests.integration.conftest import celery_worker
from tests.programs.factories import CallFactory, business_plan, park_rules
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def admission(settings, tmp_path):
    """A rolling call with the Park's rules, a two-year-old firm's owner with a business plan in
    the library, and an officer of the call's unit. Made before the browser starts."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call = CallFactory(slug="biomed-rolling", title_en="Biomedical incubation, rolling intake")
    park_rules(call)
    enterprise = EnterpriseFactory(
        legal_name_en="Hangzhou Qiantang Antibody Co., Ltd.",
        legal_name_zh="杭州钱塘抗体医药有限公司",
        founded_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    applicant = member_of(enterprise, role="owner", email="owner@example.com", preferred_language="en")
    business_plan(applicant)
    officer = user_with_role(Role.PROGRAM_OFFICER, email="officer@example.com")
    officer.unit = call.programme.unit
    officer.save(update_fields=["unit"])
    return call, applicant, officer


def sign_in(page, base, email, *, totp=False):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    if totp:
        page.wait_for_url("**/2fa/authenticate/**")
        page.fill("input[name=code]", totp_code(TOTP_SECRET))
        page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")


def test_an_applicant_applies_and_an_officer_finds_the_application(admission, live_server, new_page):
    call, applicant, officer = admission
    base = live_server.url
    page = new_page()
    sign_in(page, base, applicant.email)

    page.goto(f"{base}/calls/{call.slug}/")
    page.get_by_role("button", name="Start application").click()
    page.wait_for_url("**/edit/company/")
    reference = page.url.split("/applications/")[1].split("/")[0]

    # Step 1. The date question shows only once "yes" is chosen; autosave keeps what is typed.
    page.fill("input[name=summary]", "Antibody therapies for liver cancer")
    page.fill("input[name=funding_sought_0]", "5000000")
    page.select_option("select[name=funding_sought_1]", "HKD")
    assert not page.locator("input[name=hk_setup_date]").is_visible()
    page.locator("input[name=hk_company_planned][value=yes]").check()
    page.locator("input[name=hk_setup_date]").fill("2027-01-15")
    page.locator("text=/Saved at \\d{1,2}:\\d{2}/").first.wait_for()

    # Leave without pressing a button, come back: the draft kept every answer.
    page.goto(f"{base}/dashboard/")
    page.goto(f"{base}/applications/{reference}/edit/company/")
    assert page.input_value("input[name=summary]") == "Antibody therapies for liver cancer"
    assert page.input_value("input[name=hk_setup_date]") == "2027-01-15"
    page.get_by_role("button", name="Save and continue").last.click()

    # Step 2: the product.
    page.wait_for_url("**/edit/product/")
    page.locator("input[name=modality][value=biologic]").check()
    page.fill("textarea[name=plan]", "Phase 1 trials in Hong Kong and Hangzhou next year.")
    page.get_by_role("button", name="Save and continue").last.click()

    # Step 3: the team, two technical founders (one row more through "Add a row").
    page.wait_for_url("**/edit/team/")
    page.fill("input[name=team-0-name]", "Chen Wei")
    page.select_option("select[name=team-0-full_time]", "yes")
    page.select_option("select[name=team-0-technical]", "yes")
    page.fill("input[name=team-0-equity]", "40")
    page.get_by_role("button", name="Add a row").click()
    page.fill("input[name=team-1-name]", "Li Na")
    page.select_option("select[name=team-1-full_time]", "yes")
    page.select_option("select[name=team-1-technical]", "yes")
    page.fill("input[name=team-1-equity]", "20")
    page.locator("select[name=business_plan]").select_option(index=1)
    page.get_by_role("button", name="Save and review").click()

    page.wait_for_url("**/review/")
    page.check("input[name=declaration]")
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(f"**/applications/{reference}/")
    page.evaluate("window.__samePage = true")
    status = page.locator("#status-block .status-line")
    assert "Submitted" in status.inner_text() and "updating by itself" in status.inner_text()

    # The worker screens it; the page shows the new state by itself, without a reload.
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with celery_worker(redis_url=settings.REDIS_URL, extra_env=env) as worker:
        try:
            page.locator("#status-block .status-line", has_text="In review").wait_for(timeout=60_000)
        except Exception:
            if worker.poll() is not None:
                pytest.fail("the worker stopped:\n" + (worker.stdout.read() if worker.stdout else ""))
            raise
    assert page.evaluate("window.__samePage === true"), "the status page reloaded itself"
    page.wait_for_timeout(2_500)  # one more polling period: once settled, the block stops asking
    assert "updating by itself" not in status.inner_text()
    assert page.locator("#status-block[hx-trigger]").count() == 0

    # The officer searches the Traditional form of the Simplified name.
    staff = new_page()
    sign_in(staff, base, officer.email, totp=True)
    staff.goto(f"{base}/staff/applications/")
    staff.fill("input[name=q]", "錢塘抗體")
    staff.locator("input[name=q]").press("Enter")
    staff.wait_for_url("**q=*")
    assert staff.get_by_role("link", name=reference).first.is_visible()
