import pytest
from django.core.management import call_command

from enterprises.identifiers import make_uscc
from tests import files

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "demo-password-for-e2e"
PDF = files.pdf()


@pytest.fixture
def applicant_without_consent():
    """The demo applicant, seeded before the browser starts (see test_landing_and_login)."""
    call_command("seed_demo", password=PASSWORD)
    from enterprises.services.consent import withdraw_consent
    from hkhz_portal.accounts.models import User

    withdraw_consent(actor=User.objects.get(email="applicant@demo.hkhz.local"))


def test_applicant_consents_creates_an_enterprise_and_uploads_a_document(
    applicant_without_consent, live_server, page, tmp_path
):
    uscc = make_uscc("9", "1", "330108", "MA2E2E01")
    # The demo applicant reads Simplified Chinese; this browser chose English.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "applicant@demo.hkhz.local")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")

    # No consent yet: the wizard sends the applicant to the notice first, then back.
    page.goto(live_server.url + "/enterprises/new/")
    page.wait_for_url("**/consent/**")
    page.check("input[name=agree]")
    page.get_by_role("button", name="Give my consent").click()
    page.wait_for_url("**/enterprises/new/")

    page.fill("input[name$=legal_name_en]", "Hangzhou Browser Test Bio Co., Ltd.")
    page.fill("input[name$=legal_name_zh]", "杭州浏览器测试生物有限公司")
    page.select_option("select[name$=kind]", "mainland")
    page.fill("input[name$=uscc]", uscc.lower())  # typed in lower case: normalised
    page.get_by_role("button", name="Next →").click()
    page.select_option("select[name$=district]", "330108")
    page.select_option("select[name$=sector]", "biopharma")
    page.get_by_role("button", name="Next →").click()
    page.get_by_role("button", name="Create the enterprise").click()
    page.wait_for_selector("h1:has-text('Hangzhou Browser Test Bio Co., Ltd.')")

    # What the page shows is what was stored (the ORM is not used while the browser runs).
    assert page.locator(f"text={uscc}").first.is_visible()  # normalised to upper case
    assert page.locator("text=/ENT-\\d{4}-\\d{5}/").first.is_visible()

    page.get_by_role("link", name="Documents").first.click()
    pdf = tmp_path / "business-licence.pdf"
    pdf.write_bytes(PDF)
    page.select_option("#id_doc_type", "business_licence")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("text=business-licence.pdf")
    assert page.locator("text=version 1 was uploaded").first.is_visible()
