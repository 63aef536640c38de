"""Answers and decisions as a reader sees them: the applicant's pages, the officer's page and
the decision letter show them alike."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import selectors
from .answers import display_value, is_shown, shown_sections
from .choices import FieldKind, Outcome
from .models import Decision, Onboarding
from .services.decisions import current_decision
from .workflow import Status


@dataclass
class ShownAnswer:
    label: str
    value: str = ""
    url: str = ""
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def _document_answer(application, question, value, documents, download: str) -> ShownAnswer:
    title, version = documents.get(value, (None, None))
    shown = ShownAnswer(label=str(question.label), value=title or display_value(question, value))
    if version is not None:
        shown.url = reverse(download, args=[application.enterprise.reference, value, version])
    return shown


def answer_sections(application, schema, *, download: str) -> list[dict]:
    """The answers under the application's own form version, section by section: groups as
    tables, documents as links to their download through the URL named ``download`` (the
    member's or the staff's document download)."""
    answers = application.answers
    documents = selectors.answer_documents(application)
    sections = []
    for section in shown_sections(schema, answers):
        shown = []
        for q in section.questions:
            if not is_shown(q, answers):
                continue
            value = answers.get(q.key)
            if q.kind == FieldKind.DOCUMENT and value is not None:
                shown.append(_document_answer(application, q, value, documents, download))
            elif q.kind == FieldKind.GROUP:
                rows = [[(str(c.label), display_value(c, row.get(c.key))) for c in q.columns] for row in value or []]
                shown.append(ShownAnswer(label=str(q.label), columns=[str(c.label) for c in q.columns], rows=rows))
            else:
                shown.append(ShownAnswer(label=str(q.label), value=display_value(q, value)))
        sections.append({"title": str(section.title), "key": section.key, "answers": shown})
    return sections


#: The state each outcome puts the application in, whose name says the decision to the applicant.
DECIDED_AS = {Outcome.APPROVE: Status.APPROVED, Outcome.WAITLIST: Status.WAITLISTED, Outcome.REJECT: Status.REJECTED}


@dataclass
class ShownDecision:
    """The application's decision (the latest), with what followed it."""

    decision: Decision
    #: The reasons the applicant reads: the rejection's, or why the onboarding ended.
    reasons: str = ""
    #: Approved, then the onboarding ended unfinished: the place is gone.
    onboarding_ended: bool = False
    onboarding: Onboarding | None = None

    @property
    def headline(self) -> str:
        if self.onboarding_ended:
            return _("Approved; the onboarding ended unfinished")
        return DECIDED_AS[self.decision.outcome].label

    @property
    def onboarding_steps(self) -> list[tuple[str, object]]:
        """Each formality of the onboarding and the day it was done (None: not yet)."""
        if self.onboarding is None:
            return []
        return [
            (capfirst(Onboarding._meta.get_field(name).verbose_name), getattr(self.onboarding, name))
            for name in Onboarding.STEPS
        ]


def shown_decision(application) -> ShownDecision | None:
    """The decision on ``application``, if one was taken, in at most three queries."""
    decision = current_decision(application)
    if decision is None:
        return None
    shown = ShownDecision(decision=decision, reasons=decision.reasons)
    if decision.outcome == Outcome.APPROVE and application.status == Status.REJECTED:
        shown.onboarding_ended = True
        ended = application.status_changes.filter(transition="fail_onboarding").order_by("-created_at", "-id")
        shown.reasons = ended.values_list("note", flat=True).first() or ""
    if decision.outcome == Outcome.APPROVE:
        shown.onboarding = Onboarding.objects.filter(application=application).first()
    return shown
