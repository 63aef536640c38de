"""Every page a user can reach passes axe-core, for each kind of user and in English and 繁體中文.

A browser follows the links of each page, from the landing page for a visitor and from the
dashboard for a signed-in applicant (with the demo enterprises), a program officer (second
factor passed), a reviewer, a partner, a service centre's staff member and its lead, a fund
manager and a member of the investment committee (second factor passed), and opens one page
per URL pattern: a page added later is checked as soon as a link leads to it. The axe check
itself is the ``page`` fixture's (conftest.py).
"""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.factories import TOTP_SECRET
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "demo-password-for-e2e"
APPLICANT = "applicant@demo.hkhz.local"
OFFICER = "officer@demo.hkhz.local"
REVIEWER = "reviewer@demo.hkhz.local"
PARTNER = "partner@demo.hkhz.local"
CENTRE = "centre@demo.hkhz.local"
CENTRE_LEAD = "hk-lead@demo.hkhz.local"
FUND_MANAGER = "fund@demo.hkhz.local"
COMMITTEE_MEMBER = "committee2@demo.hkhz.local"
LANGUAGES = ["en", "zh-hant"]

#: Links not followed: they act (sign out, download), leave the pages (the API, files), or lead
#: to the admin site, which test_admin_csp opens under the same check.
NOT_FOLLOWED = ("/accounts/logout/", "/api/", "/static/", "/media/", "/" + settings.ADMIN_URL)


@pytest.fixture
def demo_users():
    """The demo data, with the staff's authenticators set up; made before the browser starts (no
    ORM work while Playwright's loop runs). Returns pages a link leads to only for a user who
    reaches them first (a visitor, the centre's staff) or not at all: a service's page as a
    member sees it (with the request form), a Hong Kong request's page as the centre's lead sees
    it (with the assignment form), and the signed rating link of a completed request not yet rated."""
    from allauth.mfa.totp.internal.auth import TOTP

    from hkhz_portal.accounts.models import User
    from programs.centres.services import rating_token
    from programs.centres.workflow import OPEN_STATES, State
    from programs.models import Service, ServiceRequest

    call_command("seed_demo", password=PASSWORD)
    for email in (OFFICER, REVIEWER, CENTRE, CENTRE_LEAD, FUND_MANAGER, COMMITTEE_MEMBER):
        TOTP.activate(User.objects.get(email=email), TOTP_SECRET)
    lead = User.objects.get(email=CENTRE_LEAD)
    in_hand = ServiceRequest.objects.filter(unit_id=lead.unit_id, state__in=OPEN_STATES).order_by("id").first()
    unrated = ServiceRequest.objects.filter(state=State.COMPLETED, rating__isnull=True).order_by("id").first()
    needing_documents = Service.objects.filter(is_active=True).exclude(required_documents=[]).order_by("id").first()
    return {
        "service": f"/services/{needing_documents.slug}/",
        "lead_request": f"/staff/requests/{in_hand.reference}/",
        "rating_link": f"/requests/rating/{rating_token(unrated)}/",
    }


def pattern_of(path: str) -> str | None:
    """One page per URL pattern (the 40 enterprises share one layout); None for a file."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path  # a broken link: open it, the page says so
    # Files, not pages: every view that sends a file is named ``…_download``.
    return None if (match.url_name or "").endswith("download") else match.route


def followed_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.getAttribute('href'))")
    paths = (href.split("#")[0] for href in hrefs if href.startswith("/") and not href.startswith("//"))
    return [path for path in paths if path and not path.startswith(NOT_FOLLOWED)]


def crawl(page, base_url: str, start: list[str], seen: set[str]) -> set[str]:
    """Open the ``start`` pages and each page reachable by links from them whose URL pattern is
    not in ``seen`` (the pages another user already opened); return the patterns opened."""
    opened = set()
    queue = deque(start)
    while queue:
        path = queue.popleft()
        pattern = pattern_of(path)
        if pattern is None or pattern in opened or (pattern in seen and path not in start):
            continue
        opened.add(pattern)
        page.goto(base_url + path)
        queue.extend(followed_links(page))
    seen |= opened
    return opened


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", totp_code(TOTP_SECRET))
        page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")


def in_language(page, base_url: str, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])


def test_every_page_passes_axe_for_each_user_in_english_and_traditional_chinese(demo_users, live_server, new_page):
    base = live_server.url
    pages = visitor, applicant, officer, reviewer, partner, centre, lead, manager, member = [
        new_page() for _ in range(9)
    ]
    for page in pages:
        page.collect_violations = True  # every page's findings in one report
    for page, email in (
        (applicant, APPLICANT),
        (officer, OFFICER),
        (reviewer, REVIEWER),
        (partner, PARTNER),
        (centre, CENTRE),
        (lead, CENTRE_LEAD),
        (manager, FUND_MANAGER),
        (member, COMMITTEE_MEMBER),
    ):
        sign_in(page, base, email)

    reached = {}
    for language in LANGUAGES:
        for page in pages:
            in_language(page, base, language)
        seen = set()  # each URL pattern once per language, by the first user who reaches it
        start = ["/", "/accounts/login/", demo_users["rating_link"]]
        reached["visitor", language] = crawl(visitor, base, start, seen)
        # Pages shown only after a form is sent: a sign-in refused, a wizard step with its errors.
        visitor.goto(base + "/accounts/login/")
        visitor.fill("input[name=login]", APPLICANT)
        visitor.fill("input[name=password]", "not-the-password")
        visitor.locator("main button[type=submit]").first.click()
        visitor.wait_for_selector(".form-errors, .errorlist, [role=alert]")
        reached["applicant", language] = crawl(applicant, base, ["/dashboard/", demo_users["service"]], seen)
        applicant.goto(base + "/enterprises/new/")
        applicant.fill("input[name$=legal_name_en]", "Hangzhou Axe Test Co., Ltd.")
        applicant.select_option("select[name$=kind]", "mainland")
        applicant.fill("input[name$=uscc]", "91330106MA000000")
        applicant.locator("main button[type=submit]").last.click()
        applicant.wait_for_selector(".has-error")
        # The officer's own pages: the dashboard, the directory, the staff view of an enterprise.
        reached["officer", language] = crawl(officer, base, ["/dashboard/"], seen)
        reached["reviewer", language] = crawl(reviewer, base, ["/dashboard/"], seen)
        reached["partner", language] = crawl(partner, base, ["/dashboard/"], seen)
        # The centre's queue, dashboard and requests; the lead's view of a request, with its assignment form.
        reached["centre", language] = crawl(centre, base, ["/dashboard/"], seen)
        reached["lead", language] = crawl(lead, base, ["/dashboard/", demo_users["lead_request"]], seen)
        # The fund: the committee's meetings as a member sees them (before a manager reaches them), then
        # the manager's board, deals, portfolio and windows.
        reached["committee member", language] = crawl(member, base, ["/dashboard/", "/fund/committee/"], seen)
        reached["fund manager", language] = crawl(manager, base, ["/dashboard/", "/fund/"], seen)
        centre.goto(base + "/staff/requests/?at_risk=on&breached=on&state=all")
        # The API-access form refused, then a key made: the page that shows its secret once.
        partner.goto(base + "/partner/api-keys/")
        partner.locator("main form.form button[type=submit]").click()
        partner.wait_for_selector(".has-error")
        partner.fill("input[name=name]", f"Axe ({language})")
        partner.check("input[value='calls:read']")
        partner.locator("main form.form button[type=submit]").click()
        partner.wait_for_url("**/partner/api-keys/new/")

    violations = [violation for page in pages for violation in page.violations]
    assert not violations, "Accessibility violations (axe-core):\n" + "\n".join(violations)
    # The crawl reached the pages of each role (a broken sign-in would make it pass on too little).
    for language in LANGUAGES:
        assert "accounts/signup/" in reached["visitor", language]
        assert {"enterprises/<ref:reference>/edit/", "enterprises/<ref:reference>/products/<int:pk>/"} <= reached[
            "applicant", language
        ]
        assert {
            "staff/enterprises/<ref:reference>/",
            "staff/dashboard/",
            "staff/calls/<slug:slug>/ranking/",
            "staff/calls/<slug:slug>/exports/",
        } <= reached["officer", language]
        assert "requests/rating/<str:token>/" in reached["visitor", language]
        assert {"requests/", "requests/<ref:reference>/", "services/<slug:slug>/"} <= reached["applicant", language]
        assert {
            "staff/requests/",
            "staff/requests/dashboard/",
            "staff/requests/<ref:reference>/",
        } <= reached["centre", language]
        assert "staff/requests/<ref:reference>/" in reached["lead", language]
        assert "partner/api-keys/" in reached["partner", language]
        assert {"reviews/", "reviews/<int:pk>/"} <= reached["reviewer", language]
        assert {
            "fund/",
            "fund/deals/<ref:reference>/",
            "fund/portfolio/",
            "fund/windows/",
            "fund/windows/<int:pk>/",
        } <= reached["fund manager", language]
        assert {"fund/committee/", "fund/committee/<int:pk>/"} <= reached["committee member", language]
