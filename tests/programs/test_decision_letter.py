"""The decision letter: a print-ready page in the language of the member who started the
application, whoever opens it; for the enterprise's members and the unit's officers only."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hkhz_portal.accounts.roles import Role
from tests.conftest import PortalClient
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role

from .factories import ProgrammeFactory, decided, officer_of, reviewed, reviewing_call, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    unit = UnitFactory(
        code="hksp-incubation", name_en="Incubation Office", name_zh_hans="培育办公室", name_zh_hant="培育辦公室"
    )
    return reviewing_call(programme=ProgrammeFactory(unit=unit), title_zh_hant="二〇二六年生物醫藥培育招募")


@pytest.fixture
def officer(call):
    return officer_of(call, full_name="Officer Chan", preferred_language="en")


def letter(application):
    return reverse("programs:decision_letter", args=[application.reference])


def application_of(call, language):
    enterprise = EnterpriseFactory(
        legal_name_zh="杭州西湖生物醫藥有限公司", founded_on=timezone.localdate() - datetime.timedelta(days=300)
    )
    return reviewed(call, applicant=member_of(enterprise, role="owner", preferred_language=language))


def test_an_english_officer_reads_a_traditional_chinese_applicants_letter_in_traditional_chinese(call, officer):
    application = decided(application_of(call, "zh-hant"), officer)
    response = signed_in(officer).get(letter(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html  # the officer's own page around the letter
    body = html[html.index('<article class="letter"') :]
    assert body.startswith('<article class="letter" lang="zh-hant"')
    assert "培育辦公室" in body and "生物醫藥科技培育計劃" in body  # the unit and the programme, Traditional
    assert "二〇二六年生物醫藥培育招募" in body  # the call's title
    assert "杭州西湖生物醫藥有限公司" in body  # the enterprise's Chinese legal name
    assert "年" in body.split('class="letter-date"')[1][:120]  # the date, written the Chinese way
    body = body[: body.index("</article>")]
    assert "Open a Hong Kong bank account." in body and "濕實驗室，120 平方米" in body  # the space allocated
    assert "Strengthen the market plan." in body  # the panel's comment to the applicant
    assert "Solid science." not in body and "Officer Chan" not in body


def test_the_applicant_reads_an_english_letter_in_english(call, officer):
    application = decided(application_of(call, "en"), officer, "waitlist")
    html = signed_in(application.created_by).get(letter(application)).content.decode()
    body = html[html.index('<article class="letter"') :]
    assert body.startswith('<article class="letter" lang="en"')
    assert "Hangzhou Test Biotech" in body and "杭州西湖" not in body
    assert "on its waiting list, at place 1" in body
    assert "Incubation Office" in body and "Incubation Programme for Biomedical Technology" in body
    assert "data-print" in html and reverse("programs:application", args=[application.reference]) in html


def test_a_rejection_letter_gives_the_reasons(call, officer):
    application = decided(application_of(call, "zh-hans"), officer, "reject", reasons="市场计划不够详细。")
    html = signed_in(application.created_by).get(letter(application)).content.decode()
    assert 'lang="zh-hans"' in html and "市场计划不够详细。" in html and "培育办公室" in html


def test_no_letter_before_a_decision(call, officer):
    application = application_of(call, "en")
    assert signed_in(officer).get(letter(application)).status_code == 404
    assert signed_in(application.created_by).get(letter(application)).status_code == 404


def test_only_members_and_the_units_officers_read_it(call, officer):
    application = decided(application_of(call, "en"), officer)
    assert signed_in(member_of(application.enterprise)).get(letter(application)).status_code == 200
    stranger = member_of(EnterpriseFactory())
    assert signed_in(stranger).get(letter(application)).status_code == 404
    other_officer = user_with_role(Role.PROGRAM_OFFICER)
    other_officer.unit = UnitFactory(code="other-platform", kind="platform")
    other_officer.save(update_fields=["unit"])
    assert signed_in(other_officer).get(letter(application)).status_code == 404
    assert signed_in(user_with_role(Role.REVIEWER)).get(letter(application)).status_code == 404
    anonymous = PortalClient().get(letter(application))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_print_stylesheet_hides_the_navigation_on_a4():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    printing = css[css.index("@media print") :]
    assert "size: A4" in printing and ".site-header" in printing and "display: none" in printing
