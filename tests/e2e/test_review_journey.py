"""Part 2 of an application's life in a real browser: a reviewer declares no conflict, scores and
submits, and only then sees the other reviewers' scores; the officer decides from the ranking
table; the applicant reads the decision letter in 繁體中文, their language."""

import datetime

import pytest
from django.utils import timezone

from programs.services import reviews
from tests.programs.factories import (
    REVIEW_COMMENT,
    CallFactory,
    applicant_of_new_enterprise,
    in_review,
    officer_of,
    panel_of,
    park_rules,
    review,
    rubric_for,
)

from .test_admission_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: What the other two reviewers wrote to the officer: hidden from the third until they submit.
OTHERS_COMMENT = REVIEW_COMMENT


@pytest.fixture
def reviewing(settings, tmp_path):
    """A call with a rubric and a panel of three, an application in review assigned to all three,
    two of whom have submitted; an officer of the call's unit. Made before the browser starts."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call = CallFactory(slug="biomed-2027", title_en="Biomedical incubation 2027", capacity=5)
    park_rules(call)
    rubric_for(call)
    mine = panel_of(call, 3)[0]
    applicant = applicant_of_new_enterprise(preferred_language="zh-hant")
    application = in_review(call, applicant)
    reviews.assign_reviewers(application.pk)
    for assignment in application.assignments.exclude(reviewer=mine):
        review(assignment, {"science": 4, "team": 4, "market": 3})
    officer = officer_of(call, email="officer@example.com", preferred_language="en")
    return call, application, mine, officer, applicant


def test_a_reviewer_scores_blind_the_officer_decides_and_the_applicant_reads_the_letter(
    reviewing, live_server, new_page
):
    call, application, mine, officer, applicant = reviewing
    base = live_server.url
    assignment = application.assignments.get(reviewer=mine)

    # The reviewer: before declaring, only the enterprise's name; nothing of the answers.
    page = new_page()
    sign_in(page, base, mine.email, totp=True)
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name=application.reference).click()
    page.wait_for_url(f"**/reviews/{assignment.pk}/")
    assert application.enterprise.legal_name_en in page.content()
    assert "Antibody" not in page.content() and OTHERS_COMMENT not in page.content()
    page.get_by_label("I have no conflict of interest with this enterprise").check()
    page.get_by_role("button", name="Declare").click()

    # Scoring, still blind to the others.
    page.locator("text=Thank you: the application is open to you.").wait_for()
    assert "Antibody therapies for liver cancer" in page.content()
    assert OTHERS_COMMENT not in page.content()
    for criterion, score in (("science", "5"), ("team", "4"), ("market", "4")):
        page.locator(f"input[name=score-{criterion}][value='{score}']").check()
    page.locator("input[name=recommendation][value=admit]").check()
    page.fill("textarea[name=comment_to_applicant]", "An excellent antibody platform.")
    page.get_by_role("button", name="Submit review").click()
    page.locator(f"text={OTHERS_COMMENT}").first.wait_for()
    page.check_accessibility()

    # The officer ranks the call and decides from the table.
    officer_page = new_page()
    sign_in(officer_page, base, officer.email, totp=True)
    officer_page.goto(f"{base}/staff/calls/{call.slug}/ranking/")
    officer_page.check_accessibility()
    officer_page.get_by_role("link", name=f"Decide {application.reference}").click()
    officer_page.wait_for_url(f"**/staff/applications/{application.reference}/**")
    approve = officer_page.locator("#action-approve")
    approve.locator("select[name=approve-space_kind]").select_option("wet_lab")
    approve.locator("input[name=approve-area_m2]").fill("85")
    move_in = timezone.localdate() + datetime.timedelta(days=45)
    approve.locator("input[name=approve-move_in_on]").fill(move_in.isoformat())
    approve.locator("input[name=approve-term_months]").fill("48")
    approve.locator("textarea[name=approve-conditions]").fill("Open a Hong Kong bank account.")
    approve.get_by_role("button").last.click()
    officer_page.locator(f"text=on {application.reference}").first.wait_for()
    application.refresh_from_db()
    assert application.status == "approved"

    # The applicant reads the letter in Traditional Chinese, with the panel's comment.
    applicant_page = new_page(locale="zh-HK")
    sign_in(applicant_page, base, applicant.email)
    applicant_page.goto(f"{base}/applications/{application.reference}/letter/")
    letter = applicant_page.locator("article.letter")
    assert letter.get_attribute("lang") == "zh-hant"
    assert "Open a Hong Kong bank account." in letter.inner_text()
    assert "An excellent antibody platform." in letter.inner_text()
    assert "濕實驗室，85 平方米" in letter.inner_text()  # the space allocated
    applicant_page.check_accessibility()
