"""No 500 on bad input, anywhere: every URL pattern of the project, found by walking the
resolver (so pages added later are swept too), requested with hostile values in each path
parameter and in the common query parameters (the queues' filters among them), as anonymous, an
applicant, a program officer, a reviewer, a partner, a service centre's staff member and its lead,
a fund manager, a member of the investment committee, and an admin; API endpoints also get
hostile JSON bodies, and every POST form a page shows is sent with hostile values in every field.
Any 5xx fails, listing every URL.

Run it on PostgreSQL too (DATABASE_URL): a NUL byte is a DataError only there.
"""

import datetime
import json
import re
from urllib.parse import quote, unquote, urlencode

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from enterprises.choices import Jurisdiction, Modality, Pathway
from enterprises.models import ContactPerson, Document, DocumentVersion, Invitation, Milestone, Product
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import Notification
from hkhz_portal.core.throttling import AnonRateThrottle, UserRateThrottle
from tests import files
from tests.factories import PASSWORD, TOTP_SECRET, EnterpriseFactory, member_of, unit_for, user_with_role
from tests.totp import totp_code

pytestmark = pytest.mark.django_db

HOSTILE = ["\x00", "²", "٣", "x" * 10_000, "../", "%00", "9" * 25]
#: Swept on every page, reachable or not; a reachable page's GET forms add their own fields.
QUERY_PARAMS = {"q", "page", "next", "product", "sector", "status"}
#: The centres' lists: the queue's filters and sort, the catalogue's, the API's.
QUERY_PARAMS |= {"service", "state", "assignee", "at_risk", "breached", "sort", "per_page", "centre", "category"}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


# --- Walking the URL patterns -------------------------------------------------------------------


def _segments(pattern: str):
    """A route's text as literal strings and ``(name,)`` placeholders, whether it is written as
    a path (``<int:pk>``) or a regex (``^(?P<pk>[^/.]+)/$``)."""
    out, literal, i = [], "", 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):
            name = pattern[i + 4 : pattern.index(">", i)]
            depth, i = 1, pattern.index(">", i) + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(pattern[i], 0)
                i += 1 if pattern[i] != "\\" else 2
            out += [literal, (name,)]
            literal = ""
        elif pattern[i] == "<" and PARAMETER.match(pattern, i):
            match = PARAMETER.match(pattern, i)
            out += [literal, (match.group(1),)]
            literal, i = "", match.end()
        elif pattern[i] == "\\":
            literal, i = literal + pattern[i + 1], i + 2
        else:
            literal, i = literal + ("" if pattern[i] in "^$" else pattern[i]), i + 1
    return [*out, literal]


def url_patterns(resolver=None, prefix=()):
    """Every leaf pattern as a list of segments, walking included URLconfs recursively."""
    for pattern in (resolver or get_resolver()).url_patterns:
        segments = [*prefix, *_segments(str(pattern.pattern))]
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, segments)
        else:
            yield segments


def build(segments, value_of) -> str:
    """The path with each placeholder replaced by ``value_of(name, previous literal)``, quoted."""
    path, previous = "/", ""
    for segment in segments:
        if isinstance(segment, tuple):
            path += quote(str(value_of(segment[0], previous)), safe="")
        else:
            path += segment
            previous = segment
    return path


def parameters(segments) -> list:
    return [segment[0] for segment in segments if isinstance(segment, tuple)]


# --- The data each user sees ---------------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path):
    """An enterprise with something behind every kind of id its pages take."""
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise = EnterpriseFactory()
    owner = member_of(enterprise, "owner")
    product = Product.objects.create(enterprise=enterprise, name="HZ-101", modality=Modality.values[0])
    milestone = Milestone.objects.create(
        product=product,
        jurisdiction=Jurisdiction.values[0],
        pathway=Pathway.values[0],
        planned_on=datetime.date.today(),
    )
    document = Document.objects.create(enterprise=enterprise, doc_type="other", title="Deck")
    DocumentVersion.objects.create(
        document=document,
        number=1,
        file=ContentFile(files.pdf(), name="deck.pdf"),
        original_name="deck.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=owner,
    )
    contact = ContactPerson.objects.create(enterprise=enterprise, name="Chen", email="chen@example.com")
    calls, applications = _admission(owner)
    centre = _centre_requests(owner)
    invitation = Invitation.objects.create(enterprise=enterprise, email="new@example.com", invited_by=owner)
    notification = Notification.objects.create(recipient=owner, title="Hello")
    partner, key, endpoint, delivery = _partner()
    fund = _fund(enterprise, owner)
    ids = {
        "products": product.pk,
        "milestones": milestone.pk,
        "documents": document.pk,
        "contacts": contact.pk,
        "members": owner.memberships.get().pk,
        "invitations": invitation.pk,
        "notifications": notification.pk,
        "reviews": applications["assignment"].pk,
        "exports": applications["export"].pk,
        "api-keys": key.pk,
        "webhooks": endpoint.pk,
        "endpoints": endpoint.pk,
        "deliveries": delivery.pk,
        "attachments": centre["attachment"].pk,
        "committee": fund["meeting"].pk,
        "checklist": fund["checklist item"].pk,
        "conditions": fund["condition"].pk,
        "windows": fund["window"].pk,
        "rounds": fund["window"].round_id,
    }

    def real(name, previous):
        """A value that exists, for the parameters we can name; None for the others."""
        if name == "reference" and previous.endswith("applications/"):
            # The applicant's pages open a draft; the officer's a flagged application.
            return applications["staff" if "staff/" in previous else "draft"].reference
        if name == "reference" and previous.endswith("requests/"):
            return centre["open"].reference
        if name == "reference" and previous.endswith("deals/"):
            return fund["deal"].reference
        if name == "item":
            return fund["item"].pk
        if name == "document":
            return fund["document"].pk
        if name == "slug" and previous.endswith("services/"):
            return centre["open"].service.slug
        if name == "token" and previous.endswith("rating/"):
            return centre["rating_token"]
        if name == "reference":
            return enterprise.reference
        if name == "slug" and previous.endswith("calls/"):
            return calls[0].slug
        if name == "section":
            return "company"
        if name == "transition":
            return "override_flag"
        if name == "number" or previous.endswith("v"):
            return 1
        if name == "slug":
            return "screening"
        if name == "delivery_pk":
            return delivery.pk
        if name in ("pk", "mpk"):
            kind = "milestones" if name == "mpk" else previous.strip("/").split("/")[-1]
            return ids.get(kind)
        return None

    return {
        "owner": owner,
        "real": real,
        "reviewer": applications["reviewer"],
        "partner": partner,
        "centre staff": centre["staff"],
        "centre lead": centre["lead"],
        "fund manager": fund["manager"],
        "committee member": fund["member"],
    }


def _fund(enterprise, owner):
    """The fund's manager and committee, and a deal of the owner's enterprise on an open agenda
    item (the sweep's member declared no conflict: the papers and the vote form show) with a
    document and its checklist; another deal approved with a condition not yet met; a round of
    the enterprise with the fund's window open."""
    from funds.models import AgendaItem, CommitteeMeeting, Condition, ConflictDeclaration, DealDocument, PriorityWindow
    from funds.workflow import Stage
    from tests.funds.factories import committee_member_of, deal_at, make_fund, manager_of, recorded_round, templates

    fund = make_fund()
    manager = manager_of(fund)
    members = [committee_member_of(fund) for _ in range(3)]
    templates()
    deal = deal_at(Stage.COMMITTEE, fund, manager, enterprise=enterprise)
    meeting = CommitteeMeeting.objects.create(
        fund=fund, title="Sweep", scheduled_for=datetime.datetime.now(datetime.UTC), chair=members[0]
    )
    meeting.members.set(members)
    item = AgendaItem.objects.create(meeting=meeting, deal=deal)
    ConflictDeclaration.objects.create(item=item, member=members[0], conflicted=False)
    document = DealDocument.objects.create(
        deal=deal,
        item=deal.checklist.first(),
        file=ContentFile(files.pdf(), name="accounts.pdf"),
        original_name="accounts.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_by=manager,
    )
    approved = deal_at(Stage.TERM_SHEET, fund, manager)
    condition = Condition.objects.create(deal=approved, item=approved.agenda_items.get(), text="IP assigned.")
    round_ = recorded_round(enterprise, owner)
    return {
        "manager": manager,
        "member": members[0],
        "deal": deal,
        "item": item,
        "meeting": meeting,
        "document": document,
        "checklist item": deal.checklist.first(),
        "condition": condition,
        "window": PriorityWindow.objects.get(round=round_),
    }


def _centre_requests(owner):
    """The Hong Kong centre's staff member and lead, and two service requests of the owner's
    enterprise: an open one in the staff member's hands with a message from the centre carrying
    a file and an internal note, and a completed one, whose rating link the sweep opens."""
    from programs.centres import services
    from tests.programs.centre_factories import ServiceFactory, hk_centre, requested, staff_of

    centre = hk_centre()
    service = ServiceFactory(unit=centre, slug="sweep-service")
    staff = staff_of(centre)
    upload = ContentFile(files.pdf(), name="reply.pdf")
    opened = requested(service, owner)
    attachment = services.post_message(actor=staff, request=opened, body="Hello", uploads=[upload]).attachments.get()
    services.post_message(actor=staff, request=opened, body="Check the licence.", internal=True)
    completed = requested(service, owner, details="Another")
    for step in ("accept", "start_work", "complete"):
        services.take_step(actor=staff, request=completed, name=step)
    completed.refresh_from_db()
    return {
        "open": opened,
        "attachment": attachment,
        "rating_token": services.rating_token(completed),
        "staff": staff,
        "lead": staff_of(centre, lead=True),
    }


def _partner():
    """A partner user with an API key, a webhook endpoint and a test delivery to it."""
    from hkhz_portal.accounts.services import create_api_key
    from hkhz_portal.webhooks import services as webhooks
    from tests.factories import partner_user

    partner = partner_user()
    key, _secret = create_api_key(actor=partner, name="Sweep", scopes=["calls:read"])
    endpoint, _secret = webhooks.create_endpoint(
        actor=partner, url="https://hooks.example.com/portal", event_types=["call.opened"]
    )
    delivery = webhooks.send_test_event(endpoint.pk, actor=partner)
    return partner, key, endpoint, delivery


def _admission(owner):
    """Two calls of the sweep's program officer's unit: a draft of the owner's enterprise to one,
    and to the other an application that screening flagged (its team has one person)."""
    from programs.services import applications as svc
    from programs.tasks import screen_application
    from tests.programs.factories import CallFactory, ProgrammeFactory, complete_draft, park_rules

    programme = ProgrammeFactory(unit=unit_for(Role.PROGRAM_OFFICER))
    calls = [CallFactory(programme=programme), CallFactory(programme=programme)]
    for call in calls:
        park_rules(call)
    draft = complete_draft(calls[0], owner)
    flagged = complete_draft(calls[1], owner, team=[{"name": "Solo", "full_time": True, "technical": True}])
    svc.submit(actor=owner, application=flagged, declaration=True)
    screen_application(flagged.pk)
    return calls, {"draft": draft, "staff": flagged, **_review_and_decision(calls[0])}


def _review_and_decision(call):
    """On ``call``: an approved application with its reviews, an export of the call, and an
    application in review assigned to the sweep's reviewer, who declared no conflict (its page
    shows the scoring form)."""
    from programs.models import PanelMember
    from programs.services import exports, reviews
    from tests.programs.factories import (
        applicant_of_new_enterprise,
        decided,
        in_review,
        officer_of,
        panel_of,
        reviewed,
        rubric_for,
    )

    rubric_for(call)
    panel_of(call, 3)
    officer = officer_of(call)
    approved = decided(reviewed(call), officer)
    export = exports.request_export(actor=officer, call=call, format="xlsx")
    exports.build_export(export.pk)
    sweeper = user_with_role(Role.REVIEWER, email="sweep-reviewer@panel.example.org")
    PanelMember.objects.create(call=call, reviewer=sweeper, sectors=["biopharma"])
    waiting = in_review(call, applicant_of_new_enterprise())
    assignment = reviews.assign_reviewer(actor=officer, application=waiting, reviewer=sweeper)
    assignment = reviews.declare(actor=sweeper, assignment=assignment, conflict=False)
    return {"approved": approved, "export": export, "assignment": assignment, "reviewer": sweeper}


def staff_client(role, staff=None) -> Client:
    """A staff member (``staff``, else a new one) signed in with password and TOTP, as on the real
    sign-in page."""
    staff = staff or user_with_role(role)
    client = Client(raise_request_exception=False)
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302, f"the {role.label} could not pass MFA"
    assert client.get("/dashboard/").status_code == 200
    return client


#: A POST form that is not sent: it would end the session the rest of the sweep runs in.
SESSION_ENDING = ("/accounts/logout/",)
#: What every field of every POST form receives in turn.
FORM_HOSTILE = ["x" * 10_000, "²", "../\x1b[31m", "-1"]


def post_forms(html: str, page: str) -> set:
    """The page's POST forms, each as (action, field names): where it posts and what it sends."""
    found = set()
    for attrs, body in re.findall(r"<form\b([^>]*)>(.*?)</form>", html, flags=re.S | re.I):
        if not re.search(r'method="post"', attrs, flags=re.I):
            continue
        action = re.search(r'action="([^"]*)"', attrs)
        target = (action.group(1) if action and action.group(1) else page).replace("&amp;", "&")
        if not target.startswith("/") or target.startswith(SESSION_ENDING):
            continue
        names = re.findall(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", body)
        found.add((target, tuple(sorted(set(names) - {"csrfmiddlewaretoken"}))))
    return found


def get_form_fields(html: str) -> set:
    """Names of the inputs of the page's GET forms (search boxes and filters)."""
    names = set()
    for form in re.findall(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", html, flags=re.S | re.I):
        names |= set(re.findall(r"<(?:input|select|textarea)\b[^>]*\bname=\"([\w-]+)\"", form))
    return names


def api_fields(path: str) -> list:
    """The fields of the serializer behind an API path, to fill with hostile values."""
    try:
        view = resolve(path).func
    except Resolver404:
        return []
    serializer = getattr(getattr(view, "cls", None), "serializer_class", None)
    return list(serializer().fields) if serializer else ["name"]


# --- The sweep -----------------------------------------------------------------------------------

#: Where the user cannot open a page (sent to sign in, 403, 404), hostile input reaches only the
#: access check: one request carries the values, one to each query parameter. (A NUL byte is
#: refused by a middleware before any URL is resolved: the reachable pages show that.)
REFUSED_PATH_VALUE = "x" * 10_000
#: A JSON body nested far past any parser's recursion limit, one merely deep, one broken.
BAD_BODIES = ["[" * 100_000 + "]" * 100_000, '{"a": ' * 40 + "1" + "}" * 40, "{"]


def resolves(path: str) -> bool:
    try:
        resolve(unquote(path))
    except Resolver404:
        return False
    return True


def api_methods(path: str) -> list:
    """The write methods the API view at ``path`` takes (a viewset's actions, an APIView's handlers);
    PUT only where there is no PATCH, as both reach the same update."""
    view = resolve(unquote(path)).func
    methods = view.actions if getattr(view, "actions", None) else view.cls.http_method_names
    return [method for method in ("post", "patch") if method in methods] or (["put"] if "put" in methods else [])


def sweep(client: Client, real) -> tuple[list, set]:
    """Every 5xx answer, and the POST forms that were sent."""
    failures = []

    def request(method, path, **kwargs):
        response = getattr(client, method)(path, **kwargs)
        if response.status_code >= 500:
            shown = path if len(path) < 200 else path[:200] + "…"
            failures.append(f"{response.status_code} {method.upper()} {shown} {str(kwargs.get('data', ''))[:80]}")
        return response

    patterns = list(url_patterns())
    query_params = set(QUERY_PARAMS)
    forms = set()
    reachable = {}
    for index, segments in enumerate(patterns):  # first with real values: who can open what, and its forms
        page = build(segments, lambda name, previous: real(name, previous) or 1)
        response = request("get", page)
        reachable[index] = response.status_code < 300 or response.status_code == 405
        if "html" in response.get("Content-Type", "") and response.status_code == 200:
            html = response.content.decode()
            query_params |= get_form_fields(html)
            forms |= post_forms(html, page)

    mixed = [value for value in HOSTILE if value != "\x00"]
    for index, segments in enumerate(patterns):
        is_api = segments[0].startswith("api/")
        if not reachable[index]:
            path = build(segments, lambda name, previous: real(name, previous) or REFUSED_PATH_VALUE)
            query = {param: mixed[n % len(mixed)] for n, param in enumerate(sorted(query_params))}
            request("get", path + "?" + urlencode(query))
            continue
        for value in HOSTILE:
            known = build(segments, lambda name, previous: real(name, previous) or value)  # noqa: B023
            all_hostile = build(segments, lambda name, previous: value)  # noqa: B023
            paths = [known] + ([all_hostile] if all_hostile != known and resolves(all_hostile) else [])
            request("get", known + "?" + urlencode(dict.fromkeys(sorted(query_params), value)))
            if len(paths) > 1:
                request("get", all_hostile)
            if is_api and resolves(known):
                body = json.dumps(dict.fromkeys(api_fields(known), value))
                for path in paths:
                    for method in api_methods(path):
                        request(method, path, data=body, content_type="application/json")
        path = build(segments, real)
        if is_api and resolves(path):
            for method in api_methods(path):
                for body in BAD_BODIES:
                    request(method, path, data=body, content_type="application/json")
    for value in HOSTILE:  # a path no pattern matches: the 404 page
        request("get", "/" + quote(value, safe="") + "/")
    # Last, as they may change what the pages above show: every POST form with hostile values,
    # the account's own forms (a second factor turned off, a password changed) after the rest.
    for action, names in sorted(forms, key=lambda form: (form[0].startswith("/accounts/"), form)):
        for value in FORM_HOSTILE:
            request("post", action, data=dict.fromkeys(names, value))
    return failures, forms


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    """The sweep sends thousands of API requests as one user: rate limits would hide them all behind 429."""
    for throttle in (AnonRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "applicant",
        "reviewer",
        "partner",
        "program officer",
        "centre staff",
        "centre lead",
        "fund manager",
        "committee member",
        "admin",
    ],
)
def test_no_url_answers_5xx_to_hostile_input(who, world):
    """The admin reaches every admin page, so its changelists' filters, searches and object
    ids are swept too."""
    if who == "reviewer":
        client = staff_client(Role.REVIEWER, world["reviewer"])
    elif who.startswith("centre"):
        client = staff_client(Role.CENTRE_STAFF, world[who])
    elif who in ("fund manager", "committee member"):
        client = staff_client(Role.FUND_MANAGER if who == "fund manager" else Role.COMMITTEE_MEMBER, world[who])
    elif who in ("program officer", "admin"):
        client = staff_client(Role.PROGRAM_OFFICER if who == "program officer" else Role.ADMIN)
    else:
        client = Client(raise_request_exception=False)
        if who in ("applicant", "partner"):
            client.force_login(world["owner" if who == "applicant" else "partner"])
    failures, forms = sweep(client, world["real"])
    assert not failures, f"{len(failures)} request(s) answered 5xx:\n" + "\n".join(failures)
    # The forms were found and sent (the sign-in form at least, for anyone).
    least = {
        "anonymous": 4,
        "applicant": 20,
        "reviewer": 3,
        "partner": 6,
        "program officer": 8,
        "centre staff": 6,
        "centre lead": 7,
        "fund manager": 10,
        "committee member": 3,
        "admin": 30,
    }
    assert len(forms) >= least[who], sorted(forms)
    # The admission pages with an application behind them were among those swept.
    reached = {
        "applicant": "/applications/HKSP-",
        "reviewer": "/reviews/",
        "program officer": "/staff/applications/HKSP-",
        "partner": "/partner/webhooks/",
        # The centre's page of a request: its steps, checklist and thread (the lead's assignment too).
        "centre staff": "/staff/requests/SRV-",
        "centre lead": "/staff/requests/SRV-",
        # The deal page's forms (note, lead, checklist, documents) and the meeting's (declaration, vote).
        "fund manager": "/fund/deals/DEAL-",
        "committee member": "/fund/committee/",
    }
    if who in reached:
        assert any(action.startswith(reached[who]) for action, _names in forms), sorted(forms)
    if who == "applicant":  # and a service request's page, its message form among them
        assert any(action.startswith("/requests/SRV-") for action, _names in forms), sorted(forms)
    if who == "centre lead":  # the lead's own form: giving the request to a colleague
        assert any(action.endswith("/assign/") for action, _names in forms), sorted(forms)
    if who == "reviewer":  # the scoring form, the reviewer's most exposed, was sent hostile values
        assert any(any(name.startswith("score-") for name in names) for _action, names in forms), sorted(forms)


# --- What the sweep found, one by one ------------------------------------------------------------


def test_a_nul_byte_anywhere_is_a_400_before_any_query(client, world):
    client.force_login(world["owner"])
    reference = world["real"]("reference", "")
    assert client.get("/enterprises/%00/").status_code == 400
    assert client.get(f"/enterprises/{reference}/products/?q=%00").status_code == 400
    response = client.post("/consent/", {"agree": "on", "next": "/\x00"})
    assert response.status_code == 400
    assert "The request could not be accepted" in response.content.decode()

    api = client.get(f"/api/v1/enterprises/{reference}/milestones/?product=%00")
    assert api.status_code == 400
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["type"] == "nul_character"


def test_a_nul_byte_in_an_admin_changelist_filter_is_a_400(client):
    client.force_login(user_with_role(Role.ADMIN))
    assert client.get("/manage/enterprises/enterprise/").status_code == 200
    assert client.get("/manage/enterprises/enterprise/?kind=%00").status_code == 400
    assert client.get("/manage/enterprises/enterprise/?q=%00").status_code == 400


def test_a_reference_or_id_of_the_wrong_shape_is_404_before_any_view(client, world):
    client.force_login(world["owner"])
    reference = world["real"]("reference", "")
    for path in (
        "/enterprises/not-a-reference/",
        "/staff/enterprises/ENT-2026-1/",
        "/api/v1/enterprises/ent-2026-00001/",
        f"/api/v1/enterprises/{reference}/products/abc/",
        "/api/v1/notifications/abc/read/",
    ):
        assert not resolves(path), path
        assert client.get(path).status_code == 404, path
    assert client.post("/api/v1/notifications/abc/read/").status_code == 404


def test_a_product_filter_that_is_not_a_plain_number_is_a_400(client, world):
    client.force_login(world["owner"])
    path = f"/api/v1/enterprises/{world['real']('reference', '')}/milestones/"
    for value in ("²", "٣", "9" * 25, "-1"):
        response = client.get(path, {"product": value})
        assert response.status_code == 400, value
        assert response.json()["errors"] == {"product": ["Give a product id (a number)."]}
    assert client.get(path, {"product": world["real"]("pk", "products/")}).json()["count"] == 1


@pytest.mark.parametrize(
    "body", ["[" * 100_000 + "]" * 100_000, '{"name": ' * 33 + '"x"' + "}" * 33], ids=["recursion", "deep"]
)
def test_a_deeply_nested_json_body_is_a_400_problem_json(client, world, body):
    client.force_login(world["owner"])
    response = client.post(
        f"/api/v1/enterprises/{world['real']('reference', '')}/products/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "The JSON body nests deeper than 32 levels."
    assert not Product.objects.exclude(name="HZ-101").exists()


def test_json_nested_within_the_limit_still_parses(client, world):
    client.force_login(world["owner"])
    response = client.post(
        f"/api/v1/enterprises/{world['real']('reference', '')}/products/",
        {"name": "HZ-202", "modality": Modality.values[0]},
        content_type="application/json",
    )
    assert response.status_code == 201
