"""The notification settings page in a browser: reached from the account menu, e-mail turned off
for one kind of notice, in English and in 繁體中文 (axe-core checks every page shown)."""

import pytest

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import NotificationPreference
from tests.factories import PASSWORD, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("zh-hant", 390)])
def test_an_applicant_turns_off_the_email_of_one_kind_of_notice(live_server, new_page, language, width):
    person = user_with_role(Role.APPLICANT, preferred_language=language, full_name="Ann Lee")
    page = new_page(width=width)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.click("details.account-menu summary")
    page.click("details.account-menu a[href='/profile/notifications/']")
    page.wait_for_url("**/profile/notifications/")
    box = page.locator("input[name='application.submit']")
    assert box.is_checked()
    box.uncheck()
    page.click("main button[type=submit]")
    page.wait_for_selector(".message-success")
    assert not page.locator("input[name='application.submit']").is_checked()
    assert page.locator("input[name='application.pass_screening']").is_checked()
    saved = dict(NotificationPreference.objects.filter(user=person).values_list("kind", "email"))
    assert saved["application.submit"] is False and saved["application.pass_screening"] is True
