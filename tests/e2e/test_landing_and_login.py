import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_PASSWORD = "demo-password-for-e2e"


@pytest.fixture
def demo_data():
    """Seeded before the browser starts: ORM work while Playwright's loop runs would open a
    connection in another context that the test database's teardown cannot close."""
    call_command("seed_demo", password=DEMO_PASSWORD)


def test_landing_is_styled_switches_to_traditional_chinese_and_applicant_signs_in(demo_data, live_server, page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(live_server.url + "/")
    # The stylesheet is served and applied: the header carries the brand colour.
    header_colour = page.eval_on_selector(".site-header", "el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(11, 79, 108)"
    assert page.locator("h1").inner_text() == "From Hangzhou to Hong Kong and the world, and back"

    page.select_option("#language-select", "zh-hant")
    page.wait_for_selector("html[lang='zh-hant']")
    assert page.locator("h1").inner_text() == "從杭州到香港、走向世界，再回到杭州"

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "applicant@demo.hkhz.local")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + "/dashboard/")
    assert "陳靜" in page.locator("h1").inner_text() or "Chen Jing" in page.locator("h1").inner_text()
    assert page.locator("[data-role=applicant]").first.is_visible()

    # The applicant's enterprise page (completeness bar, tabs) works under the strict policy.
    page.locator("main a[href^='/enterprises/ENT-']").first.click()
    page.wait_for_selector("progress.completeness-bar")
    assert not [text for text in console if "Content Security Policy" in text], console
