"""The service centres' API: the catalogue for anyone, in three languages; service requests for
their enterprise's members and their centre's staff only, each side seeing what is its own (the
centre's internal notes never reach the enterprise), every write refused with a problem for the
wrong user, state or input; and lists and details whose queries do not grow with their rows.
Who reaches each route is in the one table of ``tests/accounts/test_api_matrix.py``."""

import datetime
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from enterprises.choices import DocumentType
from enterprises.services.documents import upload_document
from programs.centres import services
from programs.models import ServiceCategory, ServiceRequest
from tests.factories import api_key
from tests.files import pdf

from .centre_factories import ServiceFactory, client_of_new_enterprise, hz_centre, requested, staff_of

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/services/"
REQUESTS = "/api/v1/service-requests/"
PROBLEM = "application/problem+json"
NOTE = "The second director's passport expires in May."


def send(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def enterprise_of(user):
    return user.memberships.get().enterprise


def licence(user):
    """A business licence in the library of the user's enterprise."""
    upload = SimpleUploadedFile("licence.pdf", pdf(), content_type="application/pdf")
    return upload_document(enterprise_of(user), upload, actor=user, doc_type="business_licence").document


@pytest.fixture
def service(centre):
    return ServiceFactory(unit=centre, slug="hk-company", required_documents=["business_licence"])


@pytest.fixture
def member():
    return client_of_new_enterprise(full_name="Chen Wei")


@pytest.fixture
def staff(centre):
    return staff_of(centre, full_name="Chan Ka Yan")


@pytest.fixture
def made(service, member, staff):
    """A request of the member's enterprise, assigned to the centre's only staff member and
    accepted, with a public message and an internal note."""
    made = requested(service, member, documents=[licence(member).versions.get()])
    services.take_step(actor=staff, request=made, name="accept")
    services.post_message(actor=staff, request=made, body="We are on it.")
    services.post_message(actor=staff, request=made, body=NOTE, internal=True)
    return made


# --- The catalogue ---------------------------------------------------------------------------------


def test_anyone_reads_the_catalogue_in_the_language_asked_for_with_fee_documents_steps_and_sla(client, service):
    ServiceFactory(unit=hz_centre(), slug="hz-bank", category=ServiceCategory.BANK_ACCOUNT, fee=None)
    ServiceFactory(unit=service.unit, slug="gone", is_active=False)

    page = client.get(SERVICES, HTTP_ACCEPT_LANGUAGE="zh-hant").json()
    assert [s["slug"] for s in page["results"]] == ["hk-company", "hz-bank"]
    hk, hz = page["results"]
    assert hk["name"] == "香港公司註冊" and hk["description"].startswith("我們為您註冊")
    assert (hk["name_en"], hk["name_zh_hans"]) == ("Hong Kong company incorporation", "香港公司注册")
    assert hk["centre"] == {"code": "hk-centre", "name": "香港出海服務中心"}
    assert hk["fee"] == {"amount": "8000.00", "currency": "HKD"} and hz["fee"] is None
    with translation.override("zh-hant"):
        label = str(DocumentType.BUSINESS_LICENCE.label)
    assert hk["required_documents"] == [{"type": "business_licence", "label": label}]
    assert [(s["target_hours"]) for s in hk["steps"]] == ["8.00", "32.00"]
    sla = hk["sla"]
    assert (sla["calendar"], sla["first_response_hours"], sla["resolution_hours"]) == ("HK", "4.00", "40.00")
    assert sla["working_hours"][:2] == [
        {"weekday": 0, "weekday_label": "星期一", "starts": "09:00", "ends": "12:30"},
        {"weekday": 0, "weekday_label": "星期一", "starts": "13:30", "ends": "18:00"},
    ]
    assert hz["sla"]["calendar"] == "CN"

    english = client.get(f"{SERVICES}hk-company/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == "Hong Kong company incorporation"
    assert english["required_documents"] == [{"type": "business_licence", "label": "Business licence"}]
    simplified = client.get(f"{SERVICES}hk-company/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert simplified["name"] == "香港公司注册"
    assert client.get(f"{SERVICES}gone/").status_code == 404


def test_the_catalogue_filters_by_centre_and_category_and_refuses_an_unknown_category(client, service):
    ServiceFactory(unit=hz_centre(), slug="hz-bank", category=ServiceCategory.BANK_ACCOUNT)
    assert [s["slug"] for s in client.get(SERVICES, {"centre": "hz-centre"}).json()["results"]] == ["hz-bank"]
    assert [s["slug"] for s in client.get(SERVICES, {"category": "company_setup"}).json()["results"]] == ["hk-company"]
    refused = client.get(SERVICES, {"category": "catering"})
    assert refused.status_code == 400 and refused["Content-Type"] == PROBLEM
    assert "category" in refused.json()["errors"]


def test_a_key_reads_the_catalogue_with_calls_read(client, service):
    assert client.get(SERVICES, HTTP_AUTHORIZATION=f"Bearer {api_key(scopes=['calls:read'])}").status_code == 200


# --- Requesting a service --------------------------------------------------------------------------


def test_a_member_requests_a_service_with_a_library_document(client, service, member):
    document = licence(member)
    client.force_login(member)
    body = {"service": "hk-company", "enterprise": enterprise_of(member).reference, "details": "Set us up."}

    response = send(client, REQUESTS, {**body, "documents": [document.pk]})

    assert response.status_code == 201, response.content
    data = response.json()
    made = ServiceRequest.objects.get()
    assert response["Location"] == f"http://testserver{REQUESTS}{made.reference}/"
    assert (data["reference"], data["state"], data["details"]) == (made.reference, "requested", "Set us up.")
    assert data["documents"] == [
        {"document": document.pk, "title": "Business licence", "type": "business_licence", "version": 1}
    ]
    assert [step["done"] for step in data["steps"]] == [False, False]
    assert data["clocks"]["response"]["state"] == "running" and data["clocks"]["calendar"] == "HK"
    assert data["actions"] == [{"name": "cancel", "label": "Cancel", "needs_note": True}]
    # The same request sent again at once (a double click) is the first one.
    again = send(client, REQUESTS, {**body, "documents": [document.pk]})
    assert again.status_code == 200 and again.json()["reference"] == made.reference
    assert ServiceRequest.objects.count() == 1


def test_a_request_replayed_with_its_idempotency_key_is_made_once(client, service, member):
    document = licence(member)
    client.force_login(member)
    body = {
        "service": "hk-company",
        "enterprise": enterprise_of(member).reference,
        "details": "Set us up.",
        "documents": [document.pk],
    }
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = send(client, REQUESTS, body, **key)
    replay = send(client, REQUESTS, body, **key)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay["Idempotent-Replayed"] == "true" and replay["Location"] == first["Location"]
    assert replay.json() == first.json()
    assert ServiceRequest.objects.count() == 1
    assert send(client, REQUESTS, {**body, "details": "Other."}, **key).status_code == 422


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"documents": []}, "documents", "documents_missing"),
        ({"documents": "other enterprise's"}, "documents", "unknown_document"),
        ({"documents": [999999]}, "documents", "unknown_document"),
        ({"details": "   "}, "details", "invalid"),
        ({"service": "no-such-service"}, "service", "invalid"),
        ({"enterprise": "another"}, "enterprise", "invalid"),
    ],
)
def test_a_request_with_missing_or_foreign_input_is_refused_naming_the_field(
    client, service, member, change, field, code
):
    stranger = client_of_new_enterprise()
    if change.get("documents") == "other enterprise's":
        change = {"documents": [licence(stranger).pk]}
    if change.get("enterprise") == "another":
        change = {"enterprise": enterprise_of(stranger).reference}
    client.force_login(member)
    body = {"service": "hk-company", "enterprise": enterprise_of(member).reference, "details": "Set us up."}
    body["documents"] = [licence(member).pk]

    response = send(client, REQUESTS, {**body, **change})

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert (response.json()["type"], list(response.json()["errors"])) == (code, [field])
    assert not ServiceRequest.objects.exists()


def test_a_withdrawn_service_takes_no_request(client, service, member):
    service.is_active = False
    service.save()
    client.force_login(member)
    body = {"service": "hk-company", "enterprise": enterprise_of(member).reference, "details": "x"}
    response = send(client, REQUESTS, {**body, "documents": [licence(member).pk]})
    assert (response.status_code, response.json()["type"]) == (409, "service_withdrawn")


# --- Who sees which request, and what of it -----------------------------------------------------


def references(client, **params):
    response = client.get(REQUESTS, params)
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_members_see_their_enterprises_requests_and_staff_their_centres(client, made, service):
    others = requested(ServiceFactory(unit=service.unit))  # another enterprise, same centre
    elsewhere = requested(ServiceFactory(unit=hz_centre()))  # another centre
    client.force_login(made.requested_by)
    assert references(client) == [made.reference]
    assert client.get(f"{REQUESTS}{others.reference}/").status_code == 404

    client.force_login(made.assignee)
    assert references(client) == [others.reference, made.reference]
    assert references(client, state="accepted") == [made.reference]
    assert references(client, service=others.service.slug) == [others.reference]
    assert client.get(f"{REQUESTS}{elsewhere.reference}/").status_code == 404

    client.force_login(staff_of(hz_centre()))
    assert references(client) == [elsewhere.reference]
    assert client.get(f"{REQUESTS}{made.reference}/").status_code == 404
    assert client.get(REQUESTS, {"state": "lost"}).status_code == 400


def test_the_centre_reads_its_internal_notes_flagged_and_the_enterprise_never_does(client, made):
    client.force_login(made.assignee)
    centre = client.get(f"{REQUESTS}{made.reference}/").json()
    assert [(m["body"], m["internal"]) for m in centre["messages"]] == [("We are on it.", False), (NOTE, True)]
    assert {a["name"] for a in centre["actions"]} == {"start_work", "ask_client", "wait_third_party", "decline"}

    client.force_login(made.requested_by)
    for response in (
        client.get(f"{REQUESTS}{made.reference}/"),
        client.get(REQUESTS),
        send(client, f"{REQUESTS}{made.reference}/messages/", {"body": "Thanks."}),
    ):
        assert response.status_code in (200, 201)
        assert NOTE not in response.content.decode()
        assert '"internal"' not in response.content.decode()
    seen = client.get(f"{REQUESTS}{made.reference}/").json()
    assert [m["body"] for m in seen["messages"]] == ["We are on it.", "Thanks."]
    assert seen["assignee"] == made.assignee.full_name


def test_a_key_is_told_service_requests_are_not_shared_with_partners(client, made):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key()}"}
    for response in (client.get(REQUESTS, **headers), client.get(f"{REQUESTS}{made.reference}/", **headers)):
        assert response.status_code == 403
        assert response.json()["type"] == "not_shared_with_partners"
        assert "not shared with partners" in response.json()["title"]


def test_anonymous_is_asked_to_sign_in(client, made):
    assert client.get(REQUESTS).status_code == 401
    assert client.get(f"{REQUESTS}{made.reference}/").status_code == 401


# --- The thread ------------------------------------------------------------------------------------


def test_the_enterprises_answer_resumes_a_request_waiting_on_it(client, made, member):
    staff = made.assignee
    services.take_step(actor=staff, request=made, name="start_work")
    services.ask_client(actor=staff, request=made, body="Please send the directors' passports.")
    client.force_login(member)
    document = licence(member)

    response = send(client, f"{REQUESTS}{made.reference}/messages/", {"body": "Attached.", "documents": [document.pk]})

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "in_progress"
    attachment = data["messages"][-1]["attachments"][0]["id"]
    assert data["messages"][-1]["attachments"] == [
        {
            "id": attachment,
            "name": "licence.pdf",
            "size": len(pdf()),
            "from_library": True,
            "download_url": f"http://testserver/requests/{made.reference}/attachments/{attachment}/",
        }
    ]
    assert [h["step"] for h in data["history"]][-2:] == ["ask_client", "client_answered"]
    assert data["clocks"]["resolution"]["state"] == "running"


def test_a_message_carries_uploaded_files_checked_as_every_upload(client, made, member):
    client.force_login(member)
    url = f"{REQUESTS}{made.reference}/messages/"
    upload = SimpleUploadedFile("passport.pdf", pdf(), content_type="application/pdf")
    response = client.post(url, {"body": "Here it is.", "attachments": [upload]})
    assert response.status_code == 201, response.content
    assert [a["name"] for a in response.json()["messages"][-1]["attachments"]] == ["passport.pdf"]

    # Each side downloads the file from its own page of the request.
    download = client.get(response.json()["messages"][-1]["attachments"][0]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf()
    client.force_login(made.assignee)
    as_centre = client.get(f"{REQUESTS}{made.reference}/").json()["messages"][-1]["attachments"][0]["download_url"]
    assert as_centre.startswith(f"http://testserver/staff/requests/{made.reference}/attachments/")
    assert b"".join(client.get(as_centre).streaming_content) == pdf()

    client.force_login(member)
    fake = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = client.post(url, {"body": "And this.", "attachments": [fake]})
    assert refused.status_code == 400 and "attachments" in refused.json()["errors"]


def test_a_staff_note_is_internal_and_a_member_cannot_write_one(client, made, member, staff):
    client.force_login(made.assignee)
    note = send(client, f"{REQUESTS}{made.reference}/messages/", {"body": "Check the bank.", "internal": True})
    assert note.status_code == 201
    written = note.json()["messages"][-1]
    assert (written["body"], written["internal"], written["author"]) == ("Check the bank.", True, "Chan Ka Yan")
    client.force_login(member)
    refused = send(client, f"{REQUESTS}{made.reference}/messages/", {"body": "Psst.", "internal": True})
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM
    blank = send(client, f"{REQUESTS}{made.reference}/messages/", {"body": ""})
    assert blank.status_code == 400 and list(blank.json()["errors"]) == ["body"]
    # Another centre's staff, or another enterprise's member: not found.
    for user in (staff_of(hz_centre()), client_of_new_enterprise()):
        client.force_login(user)
        assert send(client, f"{REQUESTS}{made.reference}/messages/", {"body": "Hi."}).status_code == 404


def test_a_closed_request_takes_no_message(client, made, member):
    services.take_step(actor=member, request=made, name="cancel", note="We chose another structure.")
    client.force_login(member)
    response = send(client, f"{REQUESTS}{made.reference}/messages/", {"body": "One more thing."})
    assert (response.status_code, response.json()["type"]) == (409, "request_closed")


# --- Steps ---------------------------------------------------------------------------------------------


def test_staff_take_the_steps_offered_and_the_wrong_ones_are_refused(client, made, member):
    url = f"{REQUESTS}{made.reference}/transitions/"
    client.force_login(made.assignee)
    refused = send(client, url, {"name": "complete"})
    assert (refused.status_code, refused.json()["type"]) == (409, "invalid_transition")
    stale = send(client, url, {"name": "start_work", "expected_state": "requested"})
    assert (stale.status_code, stale.json()["type"]) == (409, "changed_meanwhile")
    assert send(client, url, {"name": "start_work"}).json()["state"] == "in_progress"
    no_note = send(client, url, {"name": "ask_client"})
    assert no_note.status_code == 400 and list(no_note.json()["errors"]) == ["note"]
    waiting = send(client, url, {"name": "wait_third_party", "pause_reason": "bank", "note": "HSBC KYC"})
    assert waiting.json()["state"] == "waiting_on_third_party"
    assert waiting.json()["clocks"]["resolution"]["state"] == "paused"

    client.force_login(member)
    assert send(client, url, {"name": "resume"}).status_code == 403
    no_reason = send(client, url, {"name": "cancel"})
    assert (no_reason.status_code, list(no_reason.json()["errors"])) == (400, ["note"])
    cancelled = send(client, url, {"name": "cancel", "note": "No longer needed."})
    assert cancelled.json()["state"] == "cancelled" and cancelled.json()["actions"] == []


def test_a_completed_and_rated_request_shows_its_rating(client, made, member):
    staff = made.assignee
    services.take_step(actor=staff, request=made, name="start_work")
    services.set_step_done(actor=staff, request=made, step_id=made.steps.first().pk, done=True)
    services.take_step(actor=staff, request=made, name="complete")
    services.rate(request=made, score=4, comment="Quick.", actor=member)
    client.force_login(member)
    data = client.get(f"{REQUESTS}{made.reference}/").json()
    assert data["state"] == "completed" and data["rating"]["score"] == 4 and data["rating"]["comment"] == "Quick."
    assert [step["done"] for step in data["steps"]] == [True, False]
    assert data["clocks"]["resolution"]["state"] == "met"


def completed(made):
    staff = made.assignee
    for name in ("start_work", "complete"):
        services.take_step(actor=staff, request=made, name=name)
    return made


def test_a_member_rates_a_completed_request_once(client, made, member):
    url = f"{REQUESTS}{made.reference}/rating/"
    client.force_login(member)
    early = send(client, url, {"score": 5})
    assert (early.status_code, early.json()["type"]) == (409, "not_completed")
    completed(made)
    client.force_login(made.assignee)
    assert send(client, url, {"score": 5}).status_code == 403
    client.force_login(member)
    rated = send(client, url, {"score": 5, "comment": "Quick and clear."})
    assert rated.status_code == 201, rated.content
    assert rated.json()["rating"]["score"] == 5 and rated.json()["rating"]["comment"] == "Quick and clear."
    again = send(client, url, {"score": 1})
    assert (again.status_code, again.json()["type"]) == (409, "already_rated")
    client.force_login(client_of_new_enterprise())
    assert send(client, url, {"score": 1}).status_code == 404


@pytest.mark.parametrize("score", ["five", "4.5", 4.5, "", None, 0, 6, [5]])
def test_a_score_that_is_not_one_to_five_is_a_400_on_score(client, made, member, score):
    completed(made)
    client.force_login(member)
    refused = send(client, f"{REQUESTS}{made.reference}/rating/", {"score": score})
    assert refused.status_code == 400 and refused["Content-Type"] == PROBLEM
    assert list(refused.json()["errors"]) == ["score"]
    made.refresh_from_db()
    assert not hasattr(made, "rating")


# --- The clocks' filters -----------------------------------------------------------------------------


def test_staff_filter_their_queue_by_at_risk_and_breached_clocks(client, centre, staff):
    now = timezone.now()
    service = ServiceFactory(unit=centre)
    calm, risky, late = (requested(service) for _ in range(3))
    ServiceRequest.objects.filter(pk=calm.pk).update(
        resolution_risk_at=now + datetime.timedelta(hours=5), resolution_due_at=now + datetime.timedelta(hours=9)
    )
    ServiceRequest.objects.filter(pk=risky.pk).update(
        resolution_risk_at=now - datetime.timedelta(hours=1), resolution_due_at=now + datetime.timedelta(hours=3)
    )
    ServiceRequest.objects.filter(pk=late.pk).update(
        resolution_risk_at=now - datetime.timedelta(hours=9), resolution_due_at=now - datetime.timedelta(hours=1)
    )
    ServiceRequest.objects.update(response_due_at=None, response_risk_at=None)
    client.force_login(staff)
    assert references(client, at_risk="true") == [risky.reference]
    assert references(client, breached="true") == [late.reference]
    assert len(references(client)) == 3


# --- Queries -----------------------------------------------------------------------------------------


def test_the_list_does_not_query_per_row(client, service, member):
    enterprise = enterprise_of(member)
    document = licence(member).versions.get()
    for n in range(12):
        services.request_service(
            actor=member, service=service, enterprise=enterprise, details=f"Request {n}", documents=[document]
        )
    client.force_login(member)
    client.get(REQUESTS)  # the session's first use

    def count(page_size):
        with CaptureQueriesContext(connection) as captured:
            assert len(references(client, page_size=page_size)) == page_size
        return len(captured)

    assert count(2) == count(12)


def test_the_detail_does_not_query_per_message(client, made, member):
    client.force_login(made.assignee)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{REQUESTS}{made.reference}/").status_code == 200
        return len(captured)

    few = count()
    document = licence(member).versions.get()
    for n in range(10):
        services.post_message(actor=member, request=made, body=f"Message {n}", library=[document])
        services.post_message(actor=made.assignee, request=made, body=f"Note {n}", internal=True)
    assert count() == few
