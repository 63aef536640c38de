"""The enterprise's side of the service centres through the test client: the public catalogue,
a service's page and its request form (library documents and uploads, refusals on the field),
the member's requests, a request's page (thread without internal notes, answering, cancelling,
rating), downloads, and the signed rating link; who may see what; query counts held flat."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from djmoney.money import Money

from enterprises.models import Document
from enterprises.services.documents import upload_document
from hkhz_portal.accounts.roles import Role
from programs.centres import services
from programs.centres.display import business_hours, fee
from programs.centres.workflow import State
from programs.models import RequestMessage, ServiceCategory, ServiceRating, ServiceRequest
from tests.factories import EnterpriseFactory, member_of, user_with_role
from tests.files import pdf

from .centre_factories import ServiceFactory, client_of_new_enterprise, hk_centre, hz_centre, policy_for, staff_of

pytestmark = pytest.mark.django_db


def a_pdf(name="licence.pdf"):
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


def licence_of(client_user, name="licence.pdf"):
    """A business licence in the library of the user's (only) enterprise: its current version."""
    enterprise = client_user.memberships.get().enterprise
    return upload_document(enterprise, a_pdf(name), actor=client_user, doc_type="business_licence")


@pytest.fixture
def hk_service():
    return ServiceFactory(unit=hk_centre(), slug="hk-company", required_documents=["business_licence"])


@pytest.fixture
def hz_service():
    unit = hz_centre()
    return ServiceFactory(
        unit=unit,
        slug="nmpa-filing",
        category=ServiceCategory.REGULATORY_FILING,
        fee=None,
        sla_policy=policy_for(unit, first_response=1, resolution=16),
        name_en="NMPA registration filing",
        name_zh_hans="药监局注册申报",
        name_zh_hant="藥監局註冊申報",
    )


@pytest.fixture
def staff():
    return staff_of(hk_centre())


@pytest.fixture
def member():
    return client_of_new_enterprise()


def made(service, member, details="Please set up our Hong Kong subsidiary."):
    return services.request_service(
        actor=member,
        service=service,
        enterprise=member.memberships.get().enterprise,
        details=details,
        documents=[licence_of(member)] if service.required_documents else [],
    )


def page(request, tail=""):
    return f"/requests/{request.reference}/{tail}"


# --- The catalogue and a service's page ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "hk_name", "hz_name"),
    [
        ("en", "Hong Kong company incorporation", "NMPA registration filing"),
        ("zh-hans", "香港公司注册", "药监局注册申报"),
        ("zh-hant", "香港公司註冊", "藥監局註冊申報"),
    ],
)
def test_the_catalogue_is_public_and_in_the_readers_language(
    client, hk_service, hz_service, language, hk_name, hz_name
):
    client.cookies["django_language"] = language
    response = client.get("/services/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert hk_name in html and hz_name in html
    assert html.index(hk_service.unit.name_en if language == "en" else hk_name) < html.index(hz_name)
    assert "HKD 8,000.00" in html


def test_the_catalogue_says_each_services_fee_sla_and_documents(client, hk_service, hz_service):
    html = client.get("/services/").content.decode()
    assert (
        "First response within 4 business hours; completed within 40 business hours, on Hong Kong working days." in html
    )
    assert (
        "First response within 1 business hour; completed within 16 business hours, on mainland working days, "
        "including make-up working weekends."
    ) in html
    assert "Free" in html
    assert "Business licence" in html


def test_the_catalogue_filters_by_centre_and_category_with_a_plain_get_form(client, hk_service, hz_service):
    html = client.get("/services/", {"centre": "hz-centre"}).content.decode()
    assert "NMPA registration filing" in html and "Hong Kong company incorporation" not in html
    html = client.get("/services/", {"category": ServiceCategory.COMPANY_SETUP}).content.decode()
    assert "Hong Kong company incorporation" in html and "NMPA registration filing" not in html
    html = client.get("/services/", {"centre": "hz-centre", "category": ServiceCategory.COMPANY_SETUP}).content.decode()
    assert "No service matches these filters." in html
    assert client.get("/services/", {"centre": "nowhere"}).status_code == 200


def test_a_withdrawn_service_is_gone_from_the_catalogue_and_its_page(client, hk_service):
    hk_service.is_active = False
    hk_service.save(update_fields=["is_active"])
    assert "Hong Kong company incorporation" not in client.get("/services/").content.decode()
    assert client.get("/services/hk-company/").status_code == 404


def test_a_services_page_shows_its_steps_hours_with_lunch_and_a_sign_in_link(client, hk_service):
    response = client.get("/services/hk-company/")
    html = response.content.decode()
    assert "Check the documents" in html and "within 8 business hours of the request" in html
    assert "Monday to Friday" in html and "09:00–12:30, 13:30–18:00" in html and "12:30–13:30" in html
    assert "/accounts/login/?next=%2Fservices%2Fhk-company%2F" in html
    assert 'name="details"' not in html


def test_centre_staff_see_the_service_but_no_request_form(client, hk_service, staff):
    client.force_login(staff)
    html = client.get("/services/hk-company/").content.decode()
    assert "Hong Kong company incorporation" in html and 'name="details"' not in html
    assert client.post("/services/hk-company/", {"details": "x"}).status_code == 302
    assert not ServiceRequest.objects.exists()


def test_a_member_without_an_enterprise_is_sent_to_create_one(client, hk_service):
    client.force_login(user_with_role(Role.APPLICANT))
    assert "/enterprises/new/" in client.get("/services/hk-company/").content.decode()


# --- Requesting ------------------------------------------------------------------------------


def test_a_request_with_a_library_document_goes_to_its_page(client, hk_service, member, staff):
    version = licence_of(member)
    client.force_login(member)
    html = client.get("/services/hk-company/").content.decode()
    assert f'value="{version.pk}"' in html
    enterprise = member.memberships.get().enterprise
    response = client.post(
        "/services/hk-company/",
        {"enterprise": enterprise.reference, "details": "Set up HK Ltd.", "library_business_licence": version.pk},
    )
    made = ServiceRequest.objects.get()
    assert response["Location"] == page(made)
    assert list(made.documents.all()) == [version]
    assert made.assignee == staff
    assert f"Your request {made.reference} is sent to the centre." in client.get(page(made)).content.decode()


def test_a_request_with_an_upload_puts_the_file_in_the_library_first(client, hk_service, member):
    client.force_login(member)
    enterprise = member.memberships.get().enterprise
    response = client.post(
        "/services/hk-company/",
        {"enterprise": enterprise.reference, "details": "Set up HK Ltd.", "file_business_licence": a_pdf("bl.pdf")},
    )
    made = ServiceRequest.objects.get()
    assert response["Location"] == page(made)
    document = Document.objects.get(enterprise=enterprise)
    assert document.doc_type == "business_licence"
    assert [v.original_name for v in made.documents.all()] == ["bl.pdf"]


def test_a_bad_upload_is_refused_on_its_field_and_nothing_is_written(client, hk_service, member, settings):
    client.force_login(member)
    enterprise = member.memberships.get().enterprise
    fake = SimpleUploadedFile("licence.pdf", b"MZ this is a program", content_type="application/pdf")
    response = client.post(
        "/services/hk-company/",
        {"enterprise": enterprise.reference, "details": "Set up HK Ltd.", "file_business_licence": fake},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file_business_licence"]
    assert 'id="id_file_business_licence_error"' in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Document.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_missing_document_is_refused_on_its_field(client, hk_service, member):
    licence_of(member)
    client.force_login(member)
    enterprise = member.memberships.get().enterprise
    response = client.post("/services/hk-company/", {"enterprise": enterprise.reference, "details": "Set up."})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["library_business_licence"] == [
        "This service needs the “Business licence”: choose it from your library or upload it."
    ]
    assert not ServiceRequest.objects.exists()


def test_a_library_document_and_an_upload_for_one_type_are_refused_together(client, hk_service, member):
    version = licence_of(member)
    client.force_login(member)
    enterprise = member.memberships.get().enterprise
    response = client.post(
        "/services/hk-company/",
        {
            "enterprise": enterprise.reference,
            "details": "Set up.",
            "library_business_licence": version.pk,
            "file_business_licence": a_pdf(),
        },
    )
    assert response.status_code == 400
    assert "not both" in response.context["form"].errors["file_business_licence"][0]
    assert Document.objects.count() == 1


def test_empty_details_are_refused_on_the_field(client, hk_service, member):
    version = licence_of(member)
    client.force_login(member)
    enterprise = member.memberships.get().enterprise
    response = client.post(
        "/services/hk-company/",
        {"enterprise": enterprise.reference, "details": "  ", "library_business_licence": version.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["details"] == ["Say what you need."]


def test_a_member_of_two_enterprises_chooses_and_cannot_post_for_a_third(client, hk_service, member):
    mine = licence_of(member)
    second = EnterpriseFactory(legal_name_en="Second Biotech Ltd")
    second.memberships.create(user=member, role="owner")
    theirs = upload_document(second, a_pdf("second.pdf"), actor=member, doc_type="business_licence")
    client.force_login(member)
    html = client.get("/services/hk-company/", {"enterprise": second.reference}).content.decode()
    assert "Request for" in html and f'value="{theirs.pk}"' in html and f'value="{mine.pk}"' not in html
    stranger = EnterpriseFactory()
    response = client.post("/services/hk-company/", {"enterprise": stranger.reference, "details": "x"})
    assert response.status_code == 404
    # Another enterprise's document, smuggled in as a choice, is not one of the choices.
    response = client.post(
        "/services/hk-company/",
        {"enterprise": second.reference, "details": "Set up.", "library_business_licence": mine.pk},
    )
    assert response.status_code == 400 and not ServiceRequest.objects.exists()


# --- The member's requests -------------------------------------------------------------------


def test_the_list_shows_every_enterprises_requests_and_filters_by_state(client, hk_service, hz_service, member, staff):
    first = made(hk_service, member)
    second = made(hz_service, member, details="NMPA filing for HZ-101.")
    services.take_step(actor=staff, request=first, name="accept")
    made(hk_service, client_of_new_enterprise())  # someone else's
    client.force_login(member)
    html = client.get("/requests/").content.decode()
    assert first.reference in html and second.reference in html
    assert html.count('class="identifier"') == 2
    html = client.get("/requests/", {"state": State.ACCEPTED}).content.decode()
    assert first.reference in html and second.reference not in html
    assert (
        "None of your requests is in this state." in client.get("/requests/", {"state": "cancelled"}).content.decode()
    )


def test_pages_of_another_enterprises_request_are_not_found(client, hk_service, member, staff):
    theirs = made(hk_service, client_of_new_enterprise())
    note = services.post_message(actor=staff, request=theirs, body="Hello", uploads=[a_pdf("reply.pdf")])
    attachment = note.attachments.get()
    client.force_login(member)
    assert client.get(page(theirs)).status_code == 404
    assert client.get(page(theirs, f"attachments/{attachment.pk}/")).status_code == 404
    assert client.post(page(theirs, "messages/"), {"body": "Hi"}).status_code == 404
    assert client.post(page(theirs, "cancel/"), {"note": "No"}).status_code == 404
    assert client.post(page(theirs, "rate/"), {"score": 5}).status_code == 404
    assert RequestMessage.objects.filter(request=theirs).count() == 1


def test_the_centres_staff_are_not_let_into_the_enterprises_page(client, hk_service, member, staff):
    mine = made(hk_service, member)
    client.force_login(staff)
    assert client.get(page(mine)).status_code == 404
    assert client.get("/requests/").content.decode().count('class="identifier"') == 0


def test_signing_in_is_needed_for_the_requests(client, hk_service, member):
    mine = made(hk_service, member)
    assert client.get("/requests/")["Location"].startswith("/accounts/login/")
    assert client.get(page(mine))["Location"].startswith("/accounts/login/")


def test_a_request_page_shows_state_dates_steps_and_documents(client, hk_service, member, staff):
    mine = made(hk_service, member)
    client.force_login(member)
    html = client.get(page(mine)).content.decode()
    assert "Sent to the centre; waiting for a member of its staff to accept it." in html
    assert "First response expected by" in html and "Completion expected by" in html
    assert "Check the documents" in html and "not done yet" in html
    assert "licence.pdf" in html
    services.take_step(actor=staff, request=mine, name="accept")
    services.take_step(actor=staff, request=mine, name="wait_third_party", pause_reason="bank", note="HSBC KYC")
    html = client.get(page(mine)).content.decode()
    assert "Paused while the centre waits on a third party (A bank)." in html and "HSBC KYC" in html


def test_internal_notes_never_reach_the_enterprises_page(client, hk_service, member, staff):
    mine = made(hk_service, member)
    services.post_message(actor=staff, request=mine, body="We have started on your file.")
    note = services.post_message(
        actor=staff, request=mine, body="SECRET: check their directors", internal=True, uploads=[a_pdf("memo.pdf")]
    )
    client.force_login(member)
    html = client.get(page(mine)).content.decode()
    assert "We have started on your file." in html
    assert "SECRET" not in html and "memo.pdf" not in html
    assert client.get(page(mine, f"attachments/{note.attachments.get().pk}/")).status_code == 404


def test_a_message_with_an_upload_and_a_library_document_and_their_downloads(client, hk_service, member):
    mine = made(hk_service, member)
    version = mine.documents.get()
    client.force_login(member)
    response = client.post(
        page(mine, "messages/"),
        {
            "body": "The signed form, and our licence again.",
            "attachments": [a_pdf("form.pdf")],
            "library": [version.pk],
        },
    )
    message = RequestMessage.objects.get(request=mine)
    assert response["Location"] == page(mine) + f"#message-{message.pk}"
    uploaded, library = sorted(message.attachments.all(), key=lambda a: a.version_id is not None)
    html = client.get(page(mine)).content.decode()
    assert "The signed form" in html and "form.pdf" in html
    download = client.get(page(mine, f"attachments/{uploaded.pk}/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf()
    assert 'filename="form.pdf"' in download["Content-Disposition"]
    assert client.get(page(mine, f"attachments/{library.pk}/"))["Content-Disposition"].endswith('"licence.pdf"')


def test_a_bad_attachment_is_refused_on_its_field(client, hk_service, member):
    mine = made(hk_service, member)
    client.force_login(member)
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(page(mine, "messages/"), {"body": "Here.", "attachments": [fake]})
    assert response.status_code == 400
    assert response.context["message_form"].errors["attachments"][0].startswith("scan.pdf: ")
    assert not RequestMessage.objects.exists()


def test_answering_the_centre_resumes_the_work(client, hk_service, member, staff):
    mine = made(hk_service, member)
    services.take_step(actor=staff, request=mine, name="accept")
    services.ask_client(actor=staff, request=mine, body="Please send the directors' passports.")
    client.force_login(member)
    html = client.get(page(mine)).content.decode()
    assert "The centre is waiting for your answer." in html
    assert "Sending your answer resumes the centre's work and its service clock." in html
    assert "Paused while the centre waits on you." in html
    response = client.post(
        page(mine, "messages/"), {"body": "Attached.", "expected_state": State.WAITING_ON_CLIENT}, follow=True
    )
    assert "Your answer is sent: the centre&#x27;s work on the request resumes." in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == State.IN_PROGRESS


def test_a_page_left_open_while_the_request_moved_is_told_so(client, hk_service, member, staff):
    mine = made(hk_service, member)
    client.force_login(member)
    services.take_step(actor=staff, request=mine, name="accept")
    response = client.post(page(mine, "messages/"), {"body": "Any news?", "expected_state": State.REQUESTED})
    assert response.status_code == 400
    assert "This request was moved to “Accepted” meanwhile." in response.content.decode()
    assert "Any news?" in response.content.decode()  # what was written is kept
    assert not RequestMessage.objects.exists()


def test_a_message_to_a_request_closed_meanwhile_keeps_its_text_and_says_why(client, hk_service, member, staff):
    mine = made(hk_service, member)
    client.force_login(member)
    services.take_step(actor=staff, request=mine, name="decline", note="Out of our scope.")
    response = client.post(page(mine, "messages/"), {"body": "One more thing", "expected_state": State.REQUESTED})
    html = response.content.decode()
    assert response.status_code == 400
    assert "This request was moved to “Cancelled” meanwhile." in html and "One more thing" in html
    assert "Out of our scope." in client.get(page(mine)).content.decode()  # the centre's reason, shown


def test_cancelling_asks_for_confirmation_and_a_reason(client, hk_service, member):
    mine = made(hk_service, member)
    client.force_login(member)
    assert "Keep the request" in client.get(page(mine, "cancel/")).content.decode()
    response = client.post(page(mine, "cancel/"), {"note": " ", "expected_state": State.REQUESTED})
    assert response.status_code == 400 and "Say why." in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == State.REQUESTED
    response = client.post(page(mine, "cancel/"), {"note": "We found a local firm.", "expected_state": State.REQUESTED})
    assert response["Location"] == page(mine)
    mine.refresh_from_db()
    assert mine.state == State.CANCELLED
    assert mine.state_changes.last().note == "We found a local firm."
    html = client.get(page(mine)).content.decode()
    assert 'name="body"' not in html and "Cancel the request" not in html
    assert client.get(page(mine, "cancel/"))["Location"] == page(mine)


def complete(request, staff):
    services.take_step(actor=staff, request=request, name="accept")
    services.take_step(actor=staff, request=request, name="start_work")
    services.take_step(actor=staff, request=request, name="complete")
    request.refresh_from_db()
    return request


def test_a_member_rates_a_completed_request_once_from_its_page(client, hk_service, member, staff):
    mine = made(hk_service, member)
    client.force_login(member)
    assert 'name="score"' not in client.get(page(mine)).content.decode()
    complete(mine, staff)
    assert 'name="score"' in client.get(page(mine)).content.decode()
    assert client.post(page(mine, "rate/"), {"comment": "no score"}).status_code == 400
    for score in ("five", "4.5", "9"):
        refused = client.post(page(mine, "rate/"), {"score": score})
        assert refused.status_code == 400 and refused.context["rating_form"].errors["score"]
    assert client.post(page(mine, "rate/"), {"score": 4, "comment": "Quick and clear."})["Location"] == page(mine)
    html = client.get(page(mine)).content.decode()
    assert "4 out of 5" in html and "Quick and clear." in html and 'name="score"' not in html
    again = client.post(page(mine, "rate/"), {"score": 1})
    assert again.status_code == 400 and "already been rated" in again.content.decode()
    assert ServiceRating.objects.get(request=mine).score == 4


# --- The rating link -------------------------------------------------------------------------


def test_the_rating_link_works_once_without_signing_in(client, hk_service, member, staff):
    mine = complete(made(hk_service, member), staff)
    services.post_message(actor=member, request=made(hk_service, member, details="Other"), body="thread text")
    token = services.rating_token(mine)
    response = client.get(f"/requests/rating/{token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in html and "Hong Kong company incorporation" in html
    assert "Please set up our Hong Kong subsidiary." not in html and "thread text" not in html
    response = client.post(f"/requests/rating/{token}/", {"score": 5, "comment": "Excellent."})
    assert response["Location"] == "/requests/rating/thanks/"
    assert "Thank you!" in client.get(response["Location"]).content.decode()
    rating = ServiceRating.objects.get(request=mine)
    assert rating.by_link and rating.rated_by is None and rating.score == 5
    spent = client.get(f"/requests/rating/{token}/")
    assert spent.status_code == 404 and "This link cannot be used" in spent.content.decode()
    assert client.post(f"/requests/rating/{token}/", {"score": 1}).status_code == 404
    assert ServiceRating.objects.get(request=mine).score == 5


def test_the_rating_link_refuses_a_score_that_is_not_one_to_five_on_its_field(client, hk_service, member, staff):
    mine = complete(made(hk_service, member), staff)
    token = services.rating_token(mine)
    for score in ("five", "4.5", "0"):
        refused = client.post(f"/requests/rating/{token}/", {"score": score})
        assert refused.status_code == 400 and refused.context["form"].errors["score"]
    assert not ServiceRating.objects.exists()


def test_a_forged_or_unfinished_link_is_not_found(client, hk_service, member, staff):
    mine = complete(made(hk_service, member), staff)
    token = services.rating_token(mine)
    assert client.get(f"/requests/rating/{token[:-2]}xx/").status_code == 404
    assert client.get("/requests/rating/not-a-token/").status_code == 404
    other = complete(made(hk_service, member, details="Another one"), staff)
    # The link rates its own request only.
    client.post(f"/requests/rating/{services.rating_token(other)}/", {"score": 2})
    assert ServiceRating.objects.get().request == other
    assert client.get(f"/requests/rating/{token}/").status_code == 200


def test_the_rating_link_is_rate_limited(client, hk_service, member, staff):
    mine = complete(made(hk_service, member), staff)
    token = services.rating_token(mine)
    statuses = [client.post(f"/requests/rating/{token}/", {"comment": "no score"}).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


# --- The dashboard and the navigation --------------------------------------------------------


def test_the_dashboard_lists_open_requests_waiting_on_the_enterprise_first(client, hk_service, member, staff):
    first = made(hk_service, member)
    waiting = made(hk_service, member, details="Second")
    services.take_step(actor=staff, request=waiting, name="accept")
    services.ask_client(actor=staff, request=waiting, body="Which bank?")
    client.force_login(member)
    html = client.get("/dashboard/").content.decode()
    assert "Your service requests" in html and "1 waiting on you" in html
    assert html.index(waiting.reference) < html.index(first.reference)
    assert 'href="/services/"' in html


def test_the_navigation_has_services_for_everyone_and_my_requests_for_members(client, member):
    assert '<a href="/services/"' in client.get("/").content.decode()
    client.force_login(member)
    html = client.get("/requests/").content.decode()
    assert '<a href="/requests/" aria-current="page">My requests</a>' in html


# --- Query counts ----------------------------------------------------------------------------


def test_the_list_and_the_request_page_keep_their_query_counts(
    client, hk_service, member, staff, django_assert_max_num_queries
):
    mine = made(hk_service, member)
    version = mine.documents.get()
    for _ in range(2):
        services.post_message(actor=staff, request=mine, body="From the centre", uploads=[a_pdf("c.pdf")])
    client.force_login(member)
    with django_assert_max_num_queries(30) as one_row:
        client.get("/requests/")
    with django_assert_max_num_queries(40) as short_thread:
        assert client.get(page(mine)).status_code == 200
    for _ in range(5):
        made(hk_service, member, details=f"More {_}")
    for n in range(9):
        services.post_message(actor=staff, request=mine, body=f"Centre {n}", uploads=[a_pdf("c.pdf")])
        services.post_message(actor=member, request=mine, body=f"Client {n}", library=[version])
    assert mine.messages.count() == 20
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert client.get("/requests/").content.decode().count('class="identifier"') == 6
    with django_assert_max_num_queries(len(short_thread.captured_queries)):
        assert client.get(page(mine)).content.decode().count('class="thread-message') == 20


def test_hours_are_shown_without_trailing_zeros():
    assert business_hours(Decimal("4.00")) == "4 business hours"
    assert business_hours(Decimal("1.00")) == "1 business hour"
    assert business_hours(Decimal("0.50")) == "0.5 business hours"


def test_a_free_service_says_free_and_a_paid_one_its_amount(hk_service, hz_service):
    hk_service.fee = Money("12500", "CNY")
    assert fee(hk_service) == "CNY 12,500.00"
    assert fee(hz_service) == "Free"


def test_a_member_without_consent_is_sent_to_give_it(client, hk_service):
    enterprise = EnterpriseFactory()
    user = member_of(enterprise, role="owner", consent=False)
    client.force_login(user)
    response = client.post(
        "/services/hk-company/", {"enterprise": enterprise.reference, "details": "x", "file_business_licence": a_pdf()}
    )
    assert response["Location"].startswith("/consent/?next=")
    assert not ServiceRequest.objects.exists() and not Document.objects.exists()
