"""A staff member's first sign-in in a real browser: password, TOTP set-up, recovery codes, then
the page they asked for, without being asked for the password twice."""

import pytest

from hkhz_portal.accounts.roles import Role
from tests.factories import PASSWORD, user_with_role
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def officer():
    """Created before the browser starts (see test_landing_and_login's demo_data)."""
    return user_with_role(Role.PROGRAM_OFFICER, mfa=False, email="officer@example.com")


def test_first_staff_sign_in_goes_straight_to_the_page_wanted(officer, live_server, page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/enterprises/")
    page.fill("input[name=login]", officer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/?next=%2Fstaff%2Fenterprises%2F")
    assert page.locator("h1").inner_text() == "Set up two-factor authentication"
    assert page.locator("input[name=password]").count() == 0  # not asked for the password again
    assert page.locator("img.totp-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator(".totp-secret").inner_text().strip()
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/?next=%2Fstaff%2Fenterprises%2F")
    assert page.locator("ol.recovery-codes li").count() == 10
    onward = page.get_by_role("link", name="I have saved them, continue")
    assert onward.get_attribute("href") == "/staff/enterprises/"
    onward.click()

    page.wait_for_url(f"{live_server.url}/staff/enterprises/")
    assert page.locator("h1").is_visible()
    assert not [text for text in console if "Content Security Policy" in text], console
