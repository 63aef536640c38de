"""Writing a draft: one step per section of the form, autosaved as the applicant types, then the
review page that lists what is missing and submits.

Every save goes through ``services.applications.save_answers``, which keeps the valid answers,
drops those of hidden questions and reports the rest; the page shows each report on its field.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enterprises.services.documents import upload_document
from hkhz_portal.core.errors import DomainError

from .. import selectors
from ..answers import form_schema, is_shown, shown_sections
from ..choices import FieldKind
from ..display import answer_sections
from ..forms.answers import UPLOAD_SUFFIX, AnswersForm, cell_name
from ..forms.applications import DeclarationForm
from ..services import applications as services
from ..workflow import Status
from .applicant import applicant_required


def _draft(request, reference):
    """The user's application, or a redirect to its status page when it is no longer a draft."""
    application = selectors.application_of(request.user, reference)
    if application.status != Status.DRAFT:
        messages.info(request, services.not_a_draft(application).message)
        return application, redirect("programs:application", reference=reference)
    return application, None


def _step_questions(schema, section, answers):
    """The section's questions the page shows: those whose condition is decided on this page
    (the script shows or hides them as the applicant answers) and those shown by earlier answers."""
    here = {q.key for q in section.questions}
    return [q for q in section.questions if q.show_if_field in here or is_shown(q, answers)]


def _answers_form(application, section, data=None, files=None, *, answers=None):
    schema = form_schema(application.form_version)
    answers = application.answers if answers is None else answers
    return AnswersForm(
        data,
        files,
        questions=_step_questions(schema, section, answers),
        answers=answers,
        documents=selectors.current_documents(application.enterprise),
        kinds={key: q.kind for key, q in schema.questions.items()},
    )


def _section(application, key):
    schema = form_schema(application.form_version)
    section = schema.section(key)
    if section is None:
        raise Http404(_("This form has no such section."))
    return schema, section


def _row_operation(data, form_questions) -> bool:
    """Apply the "add a row" or "remove row" button the applicant pressed to the sent data; True if one was."""
    groups = {q.key: q for q in form_questions if q.kind == FieldKind.GROUP}
    add = data.get("add_row", "")
    if add in groups:
        data[add] = str(_count(data, add) + 1)
        return True
    group, _sep, index = data.get("remove_row", "").rpartition("-")
    if group in groups and index.isdigit():
        count, removed = _count(data, group), int(index)
        for i in range(removed, count - 1):
            for column in groups[group].columns:
                data.setlist(cell_name(group, i, column.key), data.getlist(cell_name(group, i + 1, column.key)))
        data[group] = str(max(count - 1, 0))
        return True
    return False


def _count(data, group) -> int:
    try:
        return int(data.get(group, 0))
    except (TypeError, ValueError):
        return 0


def _save(request, application, section, data, files):
    """Upload the files sent for document questions, save the section's answers and return the
    form to show again, with every refusal on its field."""
    form = _answers_form(application, section, data, files)
    form.is_valid()
    failed = {}
    uploads = form.uploads()
    for key, upload in uploads.items():
        question = form.fields[key].question
        try:
            version = upload_document(
                application.enterprise, upload, actor=request.user, doc_type=question.document_type
            )
        except ValidationError as error:
            failed[key + UPLOAD_SUFFIX] = error.messages
        except DomainError as error:
            if error.status != 400 and error.status != 409:
                raise  # consent missing: the middleware sends the user to give it, and back to this step
            failed[key + UPLOAD_SUFFIX] = [error.message]
        else:
            data[key] = str(version.document_id)
    if uploads:
        # The new documents are now choices of their questions, and chosen.
        form = _answers_form(application, section, data)
        form.is_valid()
    checked = services.save_answers(
        actor=request.user, application=application, answers=form.answers(), section=section.key
    )
    form.stored = checked.answers
    form.apply_errors(checked.errors)
    for name, errors in failed.items():
        form.add_error(name, errors)
    return form


def _step_links(application, schema):
    steps = shown_sections(schema, application.answers)
    return [(s, reverse("programs:application_step", args=[application.reference, s.key])) for s in steps]


def _render_step(request, application, schema, section, form, status=200):
    steps = _step_links(application, schema)
    keys = [s.key for s, _url in steps]
    index = keys.index(section.key) if section.key in keys else 0
    context = {
        "application": application,
        "section": section,
        "section_help": str(section.help),
        "form": form,
        "items": form.layout(),
        "steps": steps,
        "step_number": index + 1,
        "is_first": index == 0,
        "is_last": index >= len(keys) - 1,
        "saved_at": application.saved_at,
    }
    return render(request, "programs/applicant/step.html", context, status=status)


@applicant_required
def application_edit(request, reference):
    """The draft's first step."""
    application, gone = _draft(request, reference)
    if gone:
        return gone
    steps = shown_sections(form_schema(application.form_version), application.answers)
    if not steps:
        return redirect("programs:application_review", reference=reference)
    return redirect("programs:application_step", reference=reference, section=steps[0].key)


@applicant_required
@require_http_methods(["GET", "POST"])
def application_step(request, reference, section):
    """One section of the form. Its buttons save it: next and previous, add and remove a row."""
    application, gone = _draft(request, reference)
    if gone:
        return gone
    schema, spec = _section(application, section)
    if request.method != "POST":
        return _render_step(request, application, schema, spec, _answers_form(application, spec))
    data = request.POST.copy()
    form_questions = _step_questions(schema, spec, application.answers)
    moved_rows = _row_operation(data, form_questions)
    try:
        form = _save(request, application, spec, data, request.FILES)
    except DomainError as error:
        if error.code != "not_draft":
            raise
        messages.error(request, error.message)
        return redirect("programs:application", reference=reference)
    application.refresh_from_db(fields=["answers", "saved_at"])
    if moved_rows or form.errors:
        return _render_step(request, application, schema, spec, form, status=200 if moved_rows else 400)
    keys = [s.key for s in shown_sections(schema, application.answers)]
    go = request.POST.get("go")
    position = keys.index(spec.key) if spec.key in keys else -1
    if go == "previous" and position > 0:
        return redirect("programs:application_step", reference=reference, section=keys[position - 1])
    if go == "next" and 0 <= position < len(keys) - 1:
        return redirect("programs:application_step", reference=reference, section=keys[position + 1])
    if go in ("next", "review"):
        return redirect("programs:application_review", reference=reference)
    messages.success(request, _("Your answers are saved."))
    return redirect("programs:application_step", reference=reference, section=spec.key)


@dataclass
class SaveReport:
    saved_at: object
    problems: list
    refusal: str = ""


@applicant_required
@require_POST
def application_autosave(request, reference, section):
    """The step's answers saved as the applicant types (htmx) or leaves the page (a beacon).

    Answers with a small report: the time saved, and what could not be saved and why."""
    application = selectors.application_of(request.user, reference)
    schema, spec = _section(application, section)
    try:
        form = _answers_form(application, spec, request.POST.copy())
        form.is_valid()
        checked = services.save_answers(
            actor=request.user, application=application, answers=form.answers(), section=spec.key
        )
    except DomainError as error:
        report = SaveReport(saved_at=None, problems=[], refusal=error.message)
    else:
        application.refresh_from_db(fields=["saved_at"])
        report = SaveReport(saved_at=application.saved_at, problems=problems(application, schema, checked.errors))
    return render(request, "programs/applicant/_saved.html", {"report": report, "application": application})


@dataclass
class Problem:
    section: str
    label: str
    messages: list
    url: str


def problems(application, schema, errors: dict) -> list[Problem]:
    """Each missing or invalid answer, with a link to its field on its step."""
    section_of = {q.key: s for s in schema.sections for q in s.questions}
    found = []
    for key, error_messages in errors.items():
        parts = key.split(".")
        question = schema.questions.get(parts[0])
        if question is None:
            continue
        label, anchor = str(question.label), f"q-{question.key}"
        if len(parts) == 3:
            column = next((c for c in question.columns if c.key == parts[2]), None)
            row = int(parts[1]) + 1 if parts[1].isdigit() else parts[1]
            label = _("%(group)s, row %(row)s: %(column)s") % {
                "group": label,
                "row": row,
                "column": column.label if column else parts[2],
            }
            anchor = f"id_{cell_name(*parts)}"
        section = section_of[question.key]
        url = reverse("programs:application_step", args=[application.reference, section.key]) + f"#{anchor}"
        found.append(Problem(section=str(section.title), label=label, messages=error_messages, url=url))
    return found


@applicant_required
@require_http_methods(["GET", "POST"])
def application_review(request, reference):
    """Every missing or invalid answer with a link to it; the declaration and Submit.

    Submitting twice (a double click, two tabs) gives one submission: both land on the status page."""
    application = selectors.application_of(request.user, reference)
    if application.status != Status.DRAFT:  # submitted already (the second click) or withdrawn
        return redirect("programs:application", reference=reference)
    schema = form_schema(application.form_version)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    errors = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(actor=request.user, application=application, declaration=True)
        except services.IncompleteApplication as error:
            errors, status = error.errors, 400
            messages.error(request, error.message)
        except DomainError as error:
            if error.status in (403, 404) or error.code == "consent_required":
                raise
            messages.error(request, error.message)
            status = error.status
        else:
            messages.success(
                request,
                _("Application %(reference)s is submitted. Its screening starts in a moment.")
                % {"reference": application.reference},
            )
            return redirect("programs:application", reference=reference)
    elif request.method == "POST":
        status = 400
    if errors is None:
        errors = services.submission_problems(application).errors
    context = {
        "application": application,
        "problems": problems(application, schema, errors),
        "form": form,
        "sections": answer_sections(application, schema, download="document_download"),
        "call_open": application.call.is_open(),
    }
    return render(request, "programs/applicant/review.html", context, status=status)
