"""The applicant's applications: the list, the status page with its timeline and the steps the
state allows (``workflow.transitions_by``): edit a draft, withdraw, answer a request for information."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enterprises.services.documents import upload_document
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import add_service_error, call_service
from hkhz_portal.core.middleware import refusal_response

from .. import selectors
from ..answers import form_schema
from ..display import answer_sections, shown_decision
from ..forms.answers import UPLOAD_SUFFIX, AnswersForm
from ..forms.applications import RespondForm, WithdrawForm
from ..services import applications as services
from ..services.decisions import accept_offer
from ..workflow import (
    STATE_HELP,
    TRANSITIONS,
    UNDECIDED_STATES,
    WITHDRAWABLE_STATES,
    WORKER_STATES,
    Actor,
    Status,
    transitions_by,
)


def applicant_required(view):
    """Signed in (else the sign-in page) as an applicant (else 403); whose application it is,
    each view checks through the selectors (another enterprise's is 404)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(Role.APPLICANT):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@applicant_required
@require_GET
def application_list(request):
    """The user's applications across their enterprises, in a fixed number of queries."""
    applications = list(selectors.applicant_applications(request.user))
    return render(request, "programs/applicant/list.html", {"applications": applications})


# --- The status page -------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    change: object
    who: str
    step: str


def _timeline(application) -> list[TimelineEntry]:
    members = selectors.member_ids(application.enterprise_id)
    entries = []
    for change in application.status_changes.all():
        if change.actor_id is None:
            who = _("the portal")
        elif change.actor_id in members:
            who = change.actor.full_name or change.actor.email
        else:
            who = _("an officer")
        transition = TRANSITIONS.get(change.transition)
        entries.append(TimelineEntry(change=change, who=who, step=str(transition.label) if transition else ""))
    return entries


#: Decided states the applicant may still withdraw from, giving up a place or a place in line.
DECIDED_WITHDRAWABLE = WITHDRAWABLE_STATES - UNDECIDED_STATES

#: The page of each step an applicant may take, by transition name.
ACTION_URLS = {
    "submit": "programs:application_edit",
    "withdraw": "programs:application_withdraw",
    "respond": "programs:application_respond",
    "accept_offer": "programs:application_accept",
}


def _status_context(application) -> dict:
    status = Status(application.status)
    actions = [
        (t, reverse(ACTION_URLS[t.name], args=[application.reference]))
        for t in transitions_by(Actor.APPLICANT, status)
        if t.name in ACTION_URLS
    ]
    info_request = services.open_info_request(application) if status == Status.MORE_INFO_REQUESTED else None
    decision = shown_decision(application)
    return {
        "application": application,
        "status_help": STATE_HELP[status],
        "polling": status in WORKER_STATES,
        "actions": actions,
        "timeline": _timeline(application),
        "info_request": info_request,
        "decision": decision,
        "comments": selectors.comments_to_applicant(application) if decision else [],
    }


@applicant_required
@require_GET
def application_detail(request, reference):
    """The status, what it means, the steps allowed now, the timeline and the answers."""
    application = selectors.application_with_timeline(request.user, reference)
    context = _status_context(application)
    context["sections"] = answer_sections(
        application, form_schema(application.form_version), download="document_download"
    )
    return render(request, "programs/applicant/detail.html", context)


@applicant_required
@require_GET
def application_status(request, reference):
    """The status block alone, polled while a worker step runs; once settled it comes back
    without its polling trigger, so the page stops asking."""
    application = selectors.application_with_timeline(request.user, reference)
    return render(request, "programs/applicant/_status.html", _status_context(application))


# --- Withdrawing and answering an officer ----------------------------------------------------


def _take_step(request, application, step, *, done: str):
    """Take the applicant's ``step()`` and go back to the application, saying ``done`` or why the
    step was refused (on the page that puts such a refusal right, where there is one)."""
    page = reverse("programs:application", args=[application.reference])
    try:
        step()
    except DomainError as error:
        if error.status == 404:
            raise
        return refusal_response(request, error, back=page)
    messages.success(request, done)
    return redirect(page)


@applicant_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, reference):
    """Confirm, with an optional reason; only before a decision (the workflow says when)."""
    application = selectors.application_of(request.user, reference)
    if not TRANSITIONS["withdraw"].allowed_from(application.status):
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("programs:application", reference=reference)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        seen = request.POST.get("seen_status")
        return _take_step(
            request,
            application,
            lambda: services.withdraw(
                actor=request.user,
                application=application,
                reason=form.cleaned_data["reason"].strip(),
                expected_status=seen if seen in Status.values else None,
            ),
            done=_("Application %(reference)s is withdrawn.") % {"reference": reference},
        )
    context = {"application": application, "form": form, "holds_place": application.status in DECIDED_WITHDRAWABLE}
    return render(request, "programs/applicant/withdraw.html", context)


@applicant_required
@require_http_methods(["GET", "POST"])
def application_accept(request, reference):
    """The offer's terms again, and the button that accepts them: the onboarding begins."""
    application = selectors.application_of(request.user, reference)
    if not TRANSITIONS["accept_offer"].allowed_from(application.status):
        messages.error(request, _("No place is waiting to be accepted on this application."))
        return redirect("programs:application", reference=reference)
    if request.method == "POST":
        return _take_step(
            request,
            application,
            lambda: accept_offer(actor=request.user, application=application),
            done=_("You accepted the place: the onboarding begins."),
        )
    return render(
        request, "programs/applicant/accept.html", {"application": application, "decision": shown_decision(application)}
    )


def _respond_forms(request, application, info_request):
    schema = form_schema(application.form_version)
    questions = [schema.questions[key] for key in info_request.fields if key in schema.questions]
    library = selectors.current_documents(application.enterprise)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    answers_form = AnswersForm(
        data,
        files,
        questions=questions,
        answers=application.answers,
        documents=library,
        kinds={key: q.kind for key, q in schema.questions.items()},
    )
    return answers_form, RespondForm(data, files, library=library, prefix="response")


def _upload(request, application, form, name, upload, doc_type):
    """A file sent with the answer, into the enterprise's library; its id, or None with the refusal on ``name``."""
    return call_service(
        form,
        lambda: upload_document(application.enterprise, upload, actor=request.user, doc_type=doc_type).document_id,
        default_field=name,
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def application_respond(request, reference):
    """The officer's message and deadline, the reopened questions only, a message and documents."""
    application = selectors.application_of(request.user, reference)
    info_request = services.open_info_request(application)
    if application.status != Status.MORE_INFO_REQUESTED or info_request is None:
        messages.info(request, _("No officer is waiting for information on this application."))
        return redirect("programs:application", reference=reference)
    answers_form, respond_form = _respond_forms(request, application, info_request)
    status = 200
    if request.method == "POST":
        if answers_form.is_valid() & respond_form.is_valid() and _send_response(
            request, application, answers_form, respond_form
        ):
            messages.success(request, _("Your answer is sent to the officer."))
            return redirect("programs:application", reference=reference)
        status = 400
    context = {
        "application": application,
        "info_request": info_request,
        "items": answers_form.layout(),
        "form": answers_form,
        "respond_form": respond_form,
    }
    return render(request, "programs/applicant/respond.html", context, status=status)


def _send_response(request, application, answers_form, respond_form) -> bool:
    answers = answers_form.answers()
    for key, upload in answers_form.uploads().items():
        question = answers_form.fields[key].question
        document = _upload(request, application, answers_form, key + UPLOAD_SUFFIX, upload, question.document_type)
        if document is None:
            return False
        answers[key] = document
    data = respond_form.cleaned_data
    documents = [int(pk) for pk in data["documents"]]
    if data.get("file"):
        document = _upload(request, application, respond_form, "file", data["file"], data["doc_type"])
        if document is None:
            return False
        documents.append(document)
    try:
        services.respond(
            actor=request.user, application=application, message=data["message"], answers=answers, documents=documents
        )
    except services.IncompleteApplication as error:
        answers_form.apply_errors(error.errors)
        return False
    except DomainError as error:
        add_service_error(respond_form, error, default_field="message")
        return False
    return True
