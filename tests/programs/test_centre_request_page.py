"""The centre staff's page of one service request: who sees it, what it shows (the clocks
recomputed from the log, explained row by row), and every step, message and assignment taken
through it."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hkhz_portal.accounts.roles import Role, UnitKind
from programs.centres import services
from programs.centres.workflow import TRANSITIONS, WORKFLOW, Side, State
from programs.models import RequestMessage, RequestStateChange, RequestStep, ServiceRequest
from tests.factories import UnitFactory, member_of, user_with_role
from tests.files import pdf

from .centre_factories import (
    PATHS,
    ServiceFactory,
    client_of_new_enterprise,
    hz_centre,
    moved_to,
    requested,
    staff_of,
)

pytestmark = pytest.mark.django_db

HKT = ZoneInfo("Asia/Hong_Kong")


def page(service_request):
    return reverse("programs:centre_request", args=[service_request.reference])


def action(service_request, name):
    return reverse("programs:centre_request_action", args=[service_request.reference, name])


@pytest.fixture
def service(centre):
    return ServiceFactory(unit=centre, slug="hk-incorporation")


@pytest.fixture
def fresh(service, staff):
    """A request just made: assigned to ``staff``, the centre's only member then."""
    request = requested(service)
    assert request.assignee == staff
    return request


def text_of(response) -> str:
    """The page's text, tags dropped and spaces squeezed, as a reader sees it."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def notices(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_page_shows_the_request(client, staff, fresh):
    client.force_login(staff)
    response = client.get(page(fresh))
    assert response.status_code == 200
    text = text_of(response)
    enterprise = fresh.enterprise
    assert fresh.reference in text and "Hong Kong company incorporation" in text
    assert reverse("staff_enterprise_detail", args=[enterprise.reference]) in response.content.decode()
    assert enterprise.legal_name_en in text
    assert "Requested" in text and "waiting for a member of its staff to accept it" in text
    assert "Staff Lam" in text and "HKD 8,000.00" in text
    assert "Please set up our Hong Kong subsidiary." in text
    # Both clocks, running, and the checklist with each step's target.
    assert "First response" in text and "Resolution" in text and "Running" in text
    assert "Check the documents" in text and "Target 8 h" in text and "Target 32 h" in text
    # Only the steps the centre may take from "requested".
    offered = [form["transition"].name for form in response.context["actions"]]
    assert offered == ["accept", "decline"]
    assert action(fresh, "accept") in response.content.decode()
    assert action(fresh, "complete") not in response.content.decode()


# --- Who sees it -----------------------------------------------------------------------------------


def platform_officer():
    officer = user_with_role(Role.PROGRAM_OFFICER)
    officer.unit = UnitFactory(code="platform", kind=UnitKind.PLATFORM)
    officer.save(update_fields=["unit"])
    return officer


OUTSIDERS = {
    "another centre's staff": lambda request: staff_of(hz_centre()),
    "another centre's lead": lambda request: staff_of(hz_centre(), lead=True),
    "the enterprise's member": lambda request: member_of(request.enterprise),
    "the requester": lambda request: request.requested_by,
    "another enterprise's member": lambda request: client_of_new_enterprise(),
    "a platform officer": lambda request: platform_officer(),
    "an administrator": lambda request: user_with_role(Role.ADMIN),
}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_anyone_but_the_centre_finds_nothing(client, fresh, who):
    services.post_message(
        actor=fresh.requested_by,
        request=fresh,
        body="Our articles.",
        uploads=[SimpleUploadedFile("articles.pdf", pdf(), content_type="application/pdf")],
    )
    attachment = fresh.messages.get().attachments.get()
    client.force_login(OUTSIDERS[who](fresh))
    assert client.get(page(fresh)).status_code == 404
    download = reverse("programs:centre_request_download", args=[fresh.reference, attachment.pk])
    assert client.get(download).status_code == 404
    expected = {"accept-expected_state": State.REQUESTED}
    assert client.post(action(fresh, "accept"), expected).status_code == 404
    assert client.post(reverse("programs:centre_request_take", args=[fresh.reference])).status_code == 404
    message = {"message-visibility": "public", "message-body": "Hello"}
    assert client.post(reverse("programs:centre_request_message", args=[fresh.reference]), message).status_code == 404
    fresh.refresh_from_db()
    assert fresh.state == State.REQUESTED and fresh.messages.count() == 1


def test_the_centres_staff_and_lead_see_it(client, fresh, staff, lead):
    colleague = staff_of(fresh.unit)
    for member in (staff, lead, colleague):
        client.force_login(member)
        assert client.get(page(fresh)).status_code == 200


def test_nobody_signed_in_is_sent_to_sign_in(client, fresh):
    response = client.get(page(fresh))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_staff_who_skipped_the_second_factor_are_asked_for_it(client, fresh, staff):
    client.force_login(staff, passed_mfa=False)
    response = client.get(page(fresh))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_a_reference_not_of_this_shape_or_unknown_is_404(client, staff, fresh):
    client.force_login(staff)
    assert client.get("/staff/requests/dashboard-x/").status_code == 404
    assert client.get(reverse("programs:centre_request", args=["SRV-2020-99999"])).status_code == 404
    assert client.post(action(fresh, "escalate"), {}).status_code == 404


# --- The steps, through the page -------------------------------------------------------------------

#: What each step's form needs besides the state the page showed.
FILLED = {
    "ask_client": {"body": "Please send the directors' passports."},
    "wait_third_party": {"pause_reason": "bank", "note": "HSBC is checking the directors' documents."},
    "decline": {"note": "Out of the centre's scope.", "confirm": "on"},
}
CENTRE_STEPS = [t.name for t in TRANSITIONS.values() if t.by == Side.CENTRE]


def filled(name, state, **changes):
    data = {"expected_state": state, **FILLED.get(name, {}), **changes}
    return {f"{name}-{field}": value for field, value in data.items()}


def source_of(name):
    return next(state for state in PATHS if TRANSITIONS[name].allowed_from(state))


@pytest.mark.parametrize("name", CENTRE_STEPS)
def test_each_step_of_the_centre_through_the_page(client, staff, service, name):
    service_request = moved_to(source_of(name), staff, service)
    client.force_login(staff)
    offered = [a["transition"].name for a in client.get(page(service_request)).context["actions"]]
    assert name in offered
    response = client.post(action(service_request, name), filled(name, service_request.state), follow=True)
    assert response.redirect_chain == [(page(service_request), 302)]
    service_request.refresh_from_db()
    assert service_request.state == TRANSITIONS[name].target
    assert notices(response) == [f"Done: “{TRANSITIONS[name].label}” on {service_request.reference}."]
    assert RequestStateChange.objects.filter(request=service_request).last().transition == name
    assert str(response.context["state_label"]) in text_of(response)


def test_the_page_offers_the_centres_steps_of_each_state_only(client, staff, service):
    client.force_login(staff)
    for state in PATHS:
        service_request = moved_to(state, staff, service)
        offered = [a["transition"].name for a in client.get(page(service_request)).context["actions"]]
        assert offered == [t.name for t in WORKFLOW.by(Side.CENTRE, state)]


def test_a_step_taken_meanwhile_is_a_message_not_an_error(client, staff, lead, fresh):
    client.force_login(staff)
    services.take_step(actor=lead, request=fresh, name="accept")
    response = client.post(action(fresh, "accept"), filled("accept", State.REQUESTED), follow=True)
    assert response.status_code == 200
    assert notices(response) == ["This request was moved to “Accepted” meanwhile. Reload the page to see it."]
    assert RequestStateChange.objects.filter(request=fresh, transition="accept").count() == 1
    # The page drawn afresh offers what "accepted" allows.
    assert [a["transition"].name for a in response.context["actions"]] == [
        "start_work",
        "ask_client",
        "wait_third_party",
        "decline",
    ]


def test_a_step_not_offered_in_this_state_is_a_message(client, staff, fresh):
    client.force_login(staff)
    response = client.post(action(fresh, "complete"), filled("complete", State.REQUESTED), follow=True)
    assert notices(response) == ["A request that is “Requested” cannot take the step “Complete”."]
    fresh.refresh_from_db()
    assert fresh.state == State.REQUESTED


def test_a_form_without_the_state_it_was_drawn_in_is_refused(client, staff, fresh):
    client.force_login(staff)
    response = client.post(action(fresh, "accept"), {})
    assert response.status_code == 400
    assert "This page was out of date: reload it and try again." in text_of(response)


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"note": ""}, "note", "This field is required."),
        ({"confirm": ""}, "confirm", "Tick the box to confirm."),
    ],
)
def test_declining_needs_a_reason_and_a_confirmation(client, staff, fresh, changes, field, error):
    client.force_login(staff)
    response = client.post(action(fresh, "decline"), filled("decline", State.REQUESTED, **changes))
    assert response.status_code == 400
    form = response.context["actions"][-1]["form"]
    assert form.errors[field] == [error]
    assert 'id="action-decline" open' in response.content.decode()
    fresh.refresh_from_db()
    assert fresh.state == State.REQUESTED


def test_waiting_on_a_third_party_needs_whom(client, staff, service):
    service_request = moved_to(State.IN_PROGRESS, staff, service)
    client.force_login(staff)
    data = filled("wait_third_party", State.IN_PROGRESS, pause_reason="")
    response = client.post(action(service_request, "wait_third_party"), data)
    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    service_request.refresh_from_db()
    assert service_request.state == State.IN_PROGRESS


def test_asking_the_enterprise_with_a_file(client, staff, service):
    service_request = moved_to(State.IN_PROGRESS, staff, service)
    client.force_login(staff)
    data = filled("ask_client", State.IN_PROGRESS)
    data["ask_client-attachments"] = [SimpleUploadedFile("form-1a.pdf", pdf(), content_type="application/pdf")]
    response = client.post(action(service_request, "ask_client"), data, follow=True)
    service_request.refresh_from_db()
    assert service_request.state == State.WAITING_ON_CLIENT
    message = service_request.messages.get()
    assert not message.internal and message.body == "Please send the directors' passports."
    attachment = message.attachments.get()
    download = reverse("programs:centre_request_download", args=[service_request.reference, attachment.pk])
    assert download in response.content.decode() and "form-1a.pdf" in text_of(response)
    file = client.get(download)
    assert file.status_code == 200 and b"".join(file.streaming_content) == pdf()
    assert 'filename="form-1a.pdf"' in file["Content-Disposition"]


def test_a_file_that_is_not_a_document_is_refused_on_its_field(client, staff, service):
    service_request = moved_to(State.IN_PROGRESS, staff, service)
    client.force_login(staff)
    data = filled("ask_client", State.IN_PROGRESS)
    data["ask_client-attachments"] = [
        SimpleUploadedFile("run.pdf", b"#!/bin/sh\necho hi", content_type="application/pdf")
    ]
    response = client.post(action(service_request, "ask_client"), data)
    assert response.status_code == 400
    assert "run.pdf: This file" in text_of(response) and "is not one of the accepted types" in text_of(response)
    service_request.refresh_from_db()
    assert service_request.state == State.IN_PROGRESS and not service_request.messages.exists()


# --- The thread ------------------------------------------------------------------------------------


def write(client, service_request, body, visibility=None, files=()):
    data = {"message-body": body, "message-attachments": list(files)}
    if visibility:
        data["message-visibility"] = visibility
    url = reverse("programs:centre_request_message", args=[service_request.reference])
    return client.post(url, data, follow=True)


def test_a_reply_is_public_and_an_internal_note_is_marked(client, staff, fresh):
    client.force_login(staff)
    blank = client.get(page(fresh)).context["message_form"]
    assert blank["visibility"].value() == "public"
    response = write(client, fresh, "We have your request and will call you today.", "public")
    assert notices(response) == ["Your reply is sent to the enterprise."]
    response = write(client, fresh, "The client asked for a discount; check with the lead.", "internal")
    assert notices(response) == ["Your internal note is added."]
    reply, note = RequestMessage.objects.filter(request=fresh)
    assert (reply.internal, note.internal) == (False, True)
    assert reply.from_centre and note.from_centre
    html = response.content.decode()
    assert html.count('class="srv-message internal"') == 1
    assert html.count("Internal note — the enterprise never sees this") == 2  # the note's banner and the radio
    assert "check with the lead" in html


def test_the_centres_first_public_word_is_its_first_response(client, staff, fresh):
    client.force_login(staff)
    write(client, fresh, "A note for us.", "internal")
    fresh.refresh_from_db()
    assert fresh.first_response_at is None
    write(client, fresh, "Thank you, we are on it.", "public")
    fresh.refresh_from_db()
    assert fresh.first_response_at is not None


def test_an_empty_message_is_refused_on_its_field(client, staff, fresh):
    client.force_login(staff)
    response = write(client, fresh, "   ", "public")
    assert response.status_code == 400
    assert response.context["message_form"].errors["body"]
    assert not fresh.messages.exists()


def test_a_file_over_the_limit_is_refused_on_the_step_that_carries_it(client, staff, service, settings):
    service_request = moved_to(State.IN_PROGRESS, staff, service)
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 200
    client.force_login(staff)
    data = filled("ask_client", State.IN_PROGRESS)
    data["ask_client-attachments"] = [SimpleUploadedFile("form.pdf", pdf(pages=3))]
    response = client.post(action(service_request, "ask_client"), data)
    assert response.status_code == 400
    form = next(entry["form"] for entry in response.context["actions"] if entry["transition"].name == "ask_client")
    assert form.errors["attachments"] == ["The file is larger than the limit of 200\xa0bytes."]
    service_request.refresh_from_db()
    assert service_request.state == State.IN_PROGRESS


def test_the_enterprises_files_download_for_the_centre(client, staff, fresh):
    services.post_message(
        actor=fresh.requested_by,
        request=fresh,
        body="Our articles.",
        uploads=[SimpleUploadedFile("articles.pdf", pdf(), content_type="application/pdf")],
    )
    client.force_login(staff)
    response = client.get(page(fresh))
    attachment = fresh.messages.get().attachments.get()
    download = reverse("programs:centre_request_download", args=[fresh.reference, attachment.pk])
    assert download in response.content.decode()
    assert client.get(download).status_code == 200
    # An attachment of another request is not found through this one.
    other = requested(fresh.service)
    assert (
        client.get(reverse("programs:centre_request_download", args=[other.reference, attachment.pk])).status_code
        == 404
    )


def test_a_closed_request_has_no_form_to_write_or_step_to_take(client, staff, service):
    service_request = moved_to(State.COMPLETED, staff, service)
    client.force_login(staff)
    response = client.get(page(service_request))
    assert response.context["message_form"] is None and response.context["actions"] == []
    assert "This request is closed: no more messages." in text_of(response)
    response = write(client, service_request, "One more thing", "public")
    assert notices(response) == ["This request is closed: start a new one if you need more."]
    assert not service_request.messages.exists()


def test_the_rating_shows_once_given(client, staff, service):
    service_request = moved_to(State.COMPLETED, staff, service)
    services.rate(request=service_request, score=4, comment="Quick and clear.", actor=service_request.requested_by)
    client.force_login(staff)
    text = text_of(client.get(page(service_request)))
    assert "4 of 5" in text and "★★★★☆" in text and "Quick and clear." in text


# --- Assignment and the checklist ------------------------------------------------------------------


def test_a_colleague_takes_the_request(client, fresh, staff):
    colleague = staff_of(fresh.unit, full_name="Staff Chow")
    client.force_login(colleague)
    response = client.get(page(fresh))
    assert response.context["may_take"] and response.context["assign_form"] is None
    response = client.post(reverse("programs:centre_request_take", args=[fresh.reference]), follow=True)
    assert notices(response) == [f"You now handle {fresh.reference}."]
    fresh.refresh_from_db()
    assert fresh.assignee == colleague
    assert not response.context["may_take"]


def test_staff_cannot_give_the_request_to_a_colleague(client, fresh, staff):
    colleague = staff_of(fresh.unit)
    client.force_login(staff)
    url = reverse("programs:centre_request_assign", args=[fresh.reference])
    response = client.post(url, {"assign-assignee": colleague.pk}, follow=True)
    assert notices(response) == ["Only the centre's lead gives requests to others; you can take one yourself."]
    fresh.refresh_from_db()
    assert fresh.assignee == staff


def test_the_lead_gives_the_request_to_anyone_of_the_centre(client, fresh, staff, lead):
    colleague = staff_of(fresh.unit, full_name="Staff Chow")
    other = staff_of(hz_centre(), full_name="Staff of Hangzhou")
    client.force_login(lead)
    form = client.get(page(fresh)).context["assign_form"]
    choices = [label for value, label in form.fields["assignee"].choices]
    assert set(choices) == {"Lead Ho", "Staff Chow", "Staff Lam"}
    url = reverse("programs:centre_request_assign", args=[fresh.reference])
    response = client.post(url, {"assign-assignee": colleague.pk}, follow=True)
    assert notices(response) == [f"{fresh.reference} is given to its new assignee."]
    fresh.refresh_from_db()
    assert fresh.assignee == colleague
    response = client.post(url, {"assign-assignee": other.pk})
    assert response.status_code == 400
    fresh.refresh_from_db()
    assert fresh.assignee == colleague


def test_ticking_and_unticking_a_step(client, staff, fresh):
    client.force_login(staff)
    first = fresh.steps.first()
    url = reverse("programs:centre_request_step", args=[fresh.reference, first.pk])
    response = client.post(url, {"done": "on"}, follow=True)
    assert response.redirect_chain == [(page(fresh) + "#steps", 302)]
    first.refresh_from_db()
    assert first.done_at is not None and first.done_by == staff
    assert "Done by Staff Lam" in text_of(response) and response.context["steps_done"] == 1
    client.post(url, {})
    first.refresh_from_db()
    assert first.done_at is None and first.done_by is None
    other = requested(fresh.service)
    assert (
        client.post(reverse("programs:centre_request_step", args=[fresh.reference, other.steps.first().pk])).status_code
        == 404
    )


# --- The clocks, explained -------------------------------------------------------------------------


def at(day, hour, minute=0):
    """A moment in Hong Kong in the first week of March 2025 (no public holiday), by day of the month."""
    return datetime.datetime(2025, 3, day, hour, minute, tzinfo=HKT)


#: A request's life on the Hong Kong centre's hours (Monday to Friday, 09:00–12:30 and 13:30–18:00).
LIFE = [
    (at(3, 9), "request", "", State.REQUESTED, "", ""),  # Monday
    (at(3, 10), "accept", State.REQUESTED, State.ACCEPTED, "", ""),
    (at(3, 11), "start_work", State.ACCEPTED, State.IN_PROGRESS, "", ""),
    (at(3, 14), "ask_client", State.IN_PROGRESS, State.WAITING_ON_CLIENT, "", "Please send the passports."),
    (at(4, 10), "client_answered", State.WAITING_ON_CLIENT, State.IN_PROGRESS, "", ""),  # Tuesday
    (at(4, 11), "wait_third_party", State.IN_PROGRESS, State.WAITING_ON_THIRD_PARTY, "bank", "HSBC KYC"),
    (at(5, 9, 30), "resume", State.WAITING_ON_THIRD_PARTY, State.IN_PROGRESS, "", ""),  # Wednesday
]
NOW = at(5, 15)


def with_life(service_request, life, staff):
    """Replace the request's log with ``life``, its times chosen."""
    service_request.state_changes.all().delete()
    for moment, name, before, after, reason, note in life:
        change = RequestStateChange.objects.create(
            request=service_request,
            transition=name,
            from_state=before,
            to_state=after,
            actor=staff if name != "request" else service_request.requested_by,
            pause_reason=reason,
            note=note,
        )
        RequestStateChange.objects.filter(pk=change.pk).update(created_at=moment)
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        created_at=life[0][0], state=life[-1][3], first_response_at=life[1][0]
    )
    service_request.refresh_from_db()
    return service_request


def test_the_clocks_of_a_request_with_pauses(client, staff, fresh, monkeypatch):
    with_life(fresh, LIFE, staff)
    client.force_login(staff)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    response = client.get(page(fresh))
    response_clock, resolution = response.context["clocks"]
    # Answered within the hour: met, 3 hours to spare.
    assert (response_clock["state"], response_clock["level_label"]) == ("met", "On time")
    figures = [response_clock[key] for key in ("target", "elapsed", "margin_label", "margin")]
    assert figures == ["4 h", "1 h", "To spare", "3 h"]
    assert response_clock["stopped_at"] == at(3, 10)
    # Counted: Monday 09:00–14:00 less lunch (4 h), Tuesday 10:00–11:00 (1 h), Wednesday 09:30–15:00
    # less lunch (4 h 30 min): 9 h 30 min of 40 h.
    assert (resolution["state"], resolution["level_label"]) == ("running", "On time")
    assert (resolution["elapsed"], resolution["margin_label"], resolution["margin"]) == (
        "9 h 30 min",
        "Time left",
        "30 h 30 min",
    )
    # 30 h 30 min more: the rest of Wednesday (3 h), Thursday, Friday and Monday (8 h each), and
    # Tuesday 09:00–12:30; at risk at 32 h, on Monday at 12:30.
    assert resolution["due_at"] == at(11, 12, 30)
    assert resolution["at_risk_at"] == at(10, 12, 30)
    # Paused: on the enterprise Monday 14:00–18:00 and Tuesday 09:00–10:00; on the bank Tuesday
    # 11:00–12:30 and 13:30–18:00 and Wednesday 09:00–09:30.
    assert (response.context["paused_on_client"], response.context["paused_on_third_party"]) == ("5 h", "6 h 30 min")
    # The log explains each figure: what every stretch counted or paused.
    rows = [(row["step"], row["effect"], row["business"]) for row in response.context["log"]]
    assert rows == [
        ("Request", "counts", "1 h"),
        ("Accept", "counts", "1 h"),
        ("Start work", "counts", "2 h"),
        ("Ask the enterprise", "client", "5 h"),
        ("Enterprise answered", "counts", "1 h"),
        ("Wait on a third party", "third_party", "6 h 30 min"),
        ("Resume", "counts", "4 h 30 min"),
    ]
    text = text_of(response)
    assert "Paused: waiting on a third party" in text and "A bank" in text and "HSBC KYC" in text
    assert 'datetime="2025-03-11T12:30:00+08:00"' in response.content.decode()
    assert "Business hours: Monday to Friday 09:00–12:30, 13:30–18:00." in text
    # The checklist: the first step (8 h) was due on Monday evening and is overdue; the second
    # (32 h) is due on Thursday evening.
    steps = response.context["steps"]
    assert [(row["due_at"], row["overdue"]) for row in steps] == [(at(3, 18), True), (at(6, 18), False)]
    assert text.count("Overdue") == 1


def test_a_breached_clock_says_so_in_words_and_colour(client, staff, fresh, monkeypatch):
    with_life(fresh, LIFE, staff)
    client.force_login(staff)
    # Wednesday of the next week at 09:00: due on Tuesday at 12:30, the clock ran on until 18:00.
    monkeypatch.setattr(timezone, "now", lambda: at(12, 9))
    response = client.get(page(fresh))
    resolution = response.context["clocks"][1]
    assert (resolution["level"], resolution["level_label"]) == ("breached", "Breached")
    assert (resolution["margin_label"], resolution["margin"]) == ("Over by", "4 h 30 min")
    html = response.content.decode()
    assert 'class="clock clock-breached"' in html and 'class="level level-breached"' in html


def test_the_queries_do_not_grow_with_the_thread_the_checklist_or_the_log(client, staff, service):
    def drawn_with(count):
        service_request = moved_to(State.IN_PROGRESS, staff, service)
        for i in range(count):
            services.post_message(
                actor=service_request.requested_by if i % 2 else staff,
                request=service_request,
                body=f"Message {i}",
                uploads=[SimpleUploadedFile(f"file-{i}.pdf", pdf(), content_type="application/pdf")],
            )
            RequestStep.objects.create(
                request=service_request,
                order=10 + i,
                title_en=f"Step {i}",
                title_zh_hans=f"步骤 {i}",
                title_zh_hant=f"步驟 {i}",
                target_hours=8 + i,
                done_at=timezone.now() if i % 2 else None,
                done_by=staff if i % 2 else None,
            )
            services.take_step(
                actor=staff, request=service_request, name="wait_third_party", pause_reason="bank", note="KYC"
            )
            services.take_step(actor=staff, request=service_request, name="resume")
        client.force_login(staff)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page(service_request))
        assert response.status_code == 200 and len(response.context["thread"]) == count
        return len(queries)

    assert drawn_with(2) == drawn_with(20)


def test_a_file_over_the_limit_is_refused_on_its_field(client, staff, fresh, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 200
    client.force_login(staff)
    response = write(client, fresh, "The bank's form.", "public", files=[SimpleUploadedFile("form.pdf", pdf(pages=3))])
    assert response.status_code == 400
    assert response.context["message_form"].errors["attachments"] == [
        "The file is larger than the limit of 200\xa0bytes."
    ]
    assert not fresh.messages.exists()
